"""Queueing an email and sending it: once per event in the log, retried until it goes out.

1. **Queue** (``email_queue``, in an event handler's transaction): one ``EmailLog`` row per
   event and kind (a unique constraint), and a send task enqueued on commit.
2. **Claim** (``_claim``, row lock, skip locked): a queued row that is due, or one whose
   sender's lease ran out (a worker that died mid-send), becomes ``sending`` for a lease.
3. **Send** (no transaction): the message is built and handed to the configured backend.
4. **Record** (row lock): ``sent``, or back to ``queued`` with the error and a later
   ``next_attempt_at`` (``EMAIL_RETRY_BASE_SECONDS`` doubling, at most an hour), or
   ``failed`` after ``EMAIL_MAX_ATTEMPTS``.

An SMTP server that accepted a message but whose answer was lost gets it again (SMTP has no
idempotency key); the log never loses one.
"""

import logging
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.core.mail import mailers
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from notifications.models import EmailLog, EmailStatus

logger = logging.getLogger(__name__)
LEASE = timedelta(minutes=2)
MAX_DELAY_SECONDS = 3600


def email_queue(
    *,
    kind: str,
    order,
    event=None,
    document=None,
    period: int | None = None,
    now: datetime,
    to_address: str = "",
    language: str | None = None,
) -> EmailLog:
    """Inside the handler's (or the reminder sweep's) transaction: the email ``event`` (or
    the subscription's ``period``) calls for, once per recipient: the buyer, in the
    language they paid in (else the checkout's), unless ``to_address`` and ``language``
    say otherwise ("": the store's)."""
    to_address = to_address or order.buyer_email
    if event is not None:
        existing = EmailLog.objects.filter(event=event, kind=kind, to_address=to_address).first()
        if existing is not None:
            return existing
    email = EmailLog.objects.create(
        store_id=order.store_id,
        environment=order.environment,
        event=event,
        kind=kind,
        order=order,
        document=document,
        period=period,
        to_address=to_address,
        language=(order.language or order.checkout_session.language)
        if language is None
        else language,
        next_attempt_at=now,
    )
    transaction.on_commit(partial(_enqueue, email.pk))
    return email


def _enqueue(email_id) -> None:
    from notifications.tasks import send_email

    try:
        send_email.enqueue(str(email_id))
    except Exception:
        logger.exception("Could not enqueue email %s; the sweep will send it", email_id)


def _retry_delay(attempts: int) -> timedelta:
    base = settings.EMAIL_RETRY_BASE_SECONDS
    return timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), MAX_DELAY_SECONDS))


def _due(now: datetime) -> Q:
    return Q(status=EmailStatus.QUEUED, next_attempt_at__lte=now) | Q(
        status=EmailStatus.SENDING, lease_until__lt=now
    )


def _claim(email_id) -> EmailLog | None:
    now = timezone.now()
    with transaction.atomic():
        email = (
            EmailLog.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(_due(now), pk=email_id)
            .first()
        )
        if email is None:
            return None
        email.status = EmailStatus.SENDING
        email.lease_until = now + LEASE
        email.attempts += 1
        email.save(update_fields=["status", "lease_until", "attempts"])
    return email


def _record(email: EmailLog, *, subject: str, message_id: str, error: str) -> EmailLog:
    now = timezone.now()
    with transaction.atomic():
        email = EmailLog.objects.select_for_update().get(pk=email.pk)
        if email.status != EmailStatus.SENDING:  # a slow twin recorded it already
            return email
        email.subject = subject or email.subject
        email.lease_until = None
        if not error:
            email.status, email.sent_at, email.message_id = EmailStatus.SENT, now, message_id
            email.last_error = ""
        elif email.attempts >= settings.EMAIL_MAX_ATTEMPTS:
            email.status, email.last_error = EmailStatus.FAILED, error[:4000]
        else:
            email.status, email.last_error = EmailStatus.QUEUED, error[:4000]
            email.next_attempt_at = now + _retry_delay(email.attempts)
        email.save()
    return email


def email_send(*, email_id) -> EmailLog | None:
    """One attempt at an email, if it is due and nobody else holds it."""
    from notifications.messages import build_message

    email = _claim(email_id)
    if email is None:
        return None
    subject = message_id = error = ""
    try:
        message = build_message(email)
        subject, message_id = message.subject, message.extra_headers["Message-ID"]
        with mailers.default as connection:
            connection.send_messages([message])
    except Exception as exc:  # any failure is recorded and retried, never raised away
        logger.warning("Sending email %s failed: %r", email.reference, exc)
        error = f"{type(exc).__name__}: {exc}"
    return _record(email, subject=subject, message_id=message_id, error=error)


def emails_send_due(*, limit: int = 100) -> int:
    """The sweep: retries that are due, lost tasks, expired leases."""
    due = EmailLog.objects.filter(_due(timezone.now())).order_by("next_attempt_at")
    ids = list(due.values_list("pk", flat=True)[:limit])
    return sum(email_send(email_id=email_id) is not None for email_id in ids)
