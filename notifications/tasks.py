"""The worker's side of email: one task per queued email (enqueued on commit) and the
sweep that sends due retries and anything whose task was lost."""

from django.tasks import task

from core.sweeps import register_sweep
from notifications.reminders import upcoming_charges_remind
from notifications.services import email_send, emails_send_due


@task
def send_email(email_id: str) -> bool:
    return email_send(email_id=email_id) is not None


# After event dispatch (1000) and webhooks (1100): emails queued in a round go out in it.
register_sweep("notifications.send_due", every_seconds=10, run=emails_send_due, order=1200)
# Before sending (1200), so a reminder queued in a round goes out in it.
register_sweep(
    "notifications.upcoming_charges", every_seconds=600, run=upcoming_charges_remind, order=1150
)
