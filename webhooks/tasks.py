"""The worker's side of webhooks: one task per attempt (enqueued on commit) and the sweep
that sends due retries and any first attempt whose task was lost."""

from django.tasks import task

from core.sweeps import register_sweep
from webhooks.deliveries import deliveries_due, delivery_attempt


@task
def deliver_webhook(delivery_id: str) -> bool:
    return delivery_attempt(delivery_id=delivery_id) is not None


# After event dispatch (order 1000), so deliveries made in a round go out in that round.
register_sweep("webhooks.deliver_due", every_seconds=5, run=deliveries_due, order=1100)
