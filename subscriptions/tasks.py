"""The worker's subscription work: renewals, retries and ends that fell due, and trial
reminders."""

from core.sweeps import register_sweep
from subscriptions.plan_change_apply import plan_changes_settle_due
from subscriptions.renewals import subscriptions_renew_due
from subscriptions.trials import trials_remind_due

register_sweep("subscriptions.renew_due", every_seconds=30, run=subscriptions_renew_due)
register_sweep("subscriptions.remind_trials", every_seconds=60, run=trials_remind_due)
register_sweep("subscriptions.settle_plan_changes", every_seconds=15, run=plan_changes_settle_due)
