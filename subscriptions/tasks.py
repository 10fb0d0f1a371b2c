"""The worker's subscription work: renewals, retries and ends that fell due."""

from core.sweeps import register_sweep
from subscriptions.renewals import subscriptions_renew_due

register_sweep("subscriptions.renew_due", every_seconds=30, run=subscriptions_renew_due)
