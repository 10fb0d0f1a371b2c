"""Deliveries: made from business events (database only), then attempted by the worker.

An attempt is claimed with a row lock and a lease, so two workers never send the same
delivery at once; the HTTP call runs outside any transaction; its outcome is recorded under
the row lock. The body and (for http) the ``X-Waffo-Signature`` header are stamped once,
before the first attempt, and every retry sends them unchanged; a re-send stamps a new
signature over the same body (same ``id``).
"""

import logging
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from webhooks import sender
from webhooks.event_types import HTTP
from webhooks.messages import chat_body
from webhooks.models import DeliveryStatus, WebhookAttempt, WebhookDelivery, WebhookEndpoint
from webhooks.signing import signature_header

logger = logging.getLogger(__name__)
LEASE_MARGIN_SECONDS = 30


@dataclass(frozen=True)
class Claimed:
    delivery: WebhookDelivery
    url: str
    body: str
    headers: dict


def _enqueue(delivery_id) -> None:
    from webhooks.tasks import deliver_webhook  # the task module imports this one

    try:
        deliver_webhook.enqueue(str(delivery_id))
    except Exception:
        logger.exception("Could not enqueue delivery %s; the sweep will send it", delivery_id)


def endpoints_for(*, store_id, environment: str, event_type: str) -> list[WebhookEndpoint]:
    endpoints = WebhookEndpoint.objects.filter(
        store_id=store_id, test_mode=environment == "test", disabled_at__isnull=True
    )
    return [endpoint for endpoint in endpoints if event_type in endpoint.events]


def delivery_create(
    *, endpoint: WebhookEndpoint, event_type: str, event_id: str, build_body, now: datetime
) -> WebhookDelivery | None:
    """One delivery per (endpoint, event type, business object); None when it exists.
    ``build_body(delivery_id)`` returns the envelope text. Sent on commit."""
    if WebhookDelivery.objects.filter(
        endpoint=endpoint, event_type=event_type, event_id=event_id
    ).exists():
        return None
    delivery_id = uuid.uuid4()
    delivery = WebhookDelivery.objects.create(
        id=delivery_id,
        endpoint=endpoint,
        store_id=endpoint.store_id,
        environment=endpoint.environment,
        channel=endpoint.channel,
        url=endpoint.url,
        event_type=event_type,
        event_id=event_id,
        body=build_body(str(delivery_id)),
        next_attempt_at=now,
    )
    transaction.on_commit(partial(_enqueue, delivery.pk))
    return delivery


def _stamp(delivery: WebhookDelivery, now: datetime) -> None:
    delivery.signature = signature_header(
        environment=delivery.environment,
        body=delivery.body,
        timestamp_ms=int(now.timestamp() * 1000),
    )
    delivery.signed_at = now


def _wire(delivery: WebhookDelivery, endpoint: WebhookEndpoint) -> tuple[str, dict]:
    if delivery.channel == HTTP:
        return delivery.body, {"X-Waffo-Signature": delivery.signature}
    return chat_body(
        channel=delivery.channel, envelope_text=delivery.body, secret=endpoint.secret
    ), {}


def _claim(delivery_id) -> Claimed | None:
    now = timezone.now()
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update(skip_locked=True)
            .filter(pk=delivery_id, status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
            .first()
        )
        if delivery is None or (delivery.lease_until and delivery.lease_until > now):
            return None
        endpoint = WebhookEndpoint.objects.filter(pk=delivery.endpoint_id).first()
        if endpoint is None:
            delivery.status = DeliveryStatus.FAILED
            delivery.last_error = "The webhook was removed"
            delivery.next_attempt_at = None
            delivery.save()
            return None
        if delivery.channel == HTTP and not delivery.signature:
            _stamp(delivery, now)
        lease = settings.WEBHOOK_TIMEOUT_SECONDS + LEASE_MARGIN_SECONDS
        delivery.lease_until = now + timedelta(seconds=lease)
        delivery.url = endpoint.url
        delivery.save()
        body, headers = _wire(delivery, endpoint)
        return Claimed(delivery, endpoint.url, body, headers)


def _endpoint_after(endpoint_id, *, succeeded: bool, now: datetime) -> None:
    endpoint = WebhookEndpoint.objects.select_for_update().filter(pk=endpoint_id).first()
    if endpoint is None:
        return
    if succeeded:
        endpoint.failing_since = None
    else:
        endpoint.failing_since = endpoint.failing_since or now
        limit = timedelta(days=settings.WEBHOOK_DISABLE_AFTER_DAYS)
        if endpoint.disabled_at is None and now - endpoint.failing_since >= limit:
            endpoint.disabled_at = now
            endpoint.disabled_reason = (
                f"Every delivery failed for {settings.WEBHOOK_DISABLE_AFTER_DAYS} days "
                f"(since {endpoint.failing_since:%Y-%m-%d %H:%M} UTC); edit the webhook "
                "to enable it again"
            )
    endpoint.save(update_fields=["failing_since", "disabled_at", "disabled_reason", "updated_at"])


def _record(claimed: Claimed, result: sender.SendResult, started: datetime) -> WebhookDelivery:
    now = timezone.now()
    delays = settings.WEBHOOK_RETRY_DELAYS
    with transaction.atomic():
        delivery = WebhookDelivery.objects.select_for_update().get(pk=claimed.delivery.pk)
        delivery.attempts += 1
        delivery.round_attempts += 1
        WebhookAttempt.objects.create(
            delivery=delivery,
            number=delivery.attempts,
            started_at=started,
            finished_at=now,
            succeeded=result.succeeded,
            http_status=result.http_status,
            response_body=result.response_body,
            error=result.error,
        )
        delivery.last_http_status = result.http_status
        delivery.last_response_body = result.response_body
        delivery.last_error = result.error
        delivery.lease_until = None
        if result.succeeded:
            delivery.status, delivery.next_attempt_at = DeliveryStatus.SUCCESS, None
            delivery.completed_at = now
        elif delivery.round_attempts > len(delays):
            delivery.status, delivery.next_attempt_at = DeliveryStatus.FAILED, None
            delivery.completed_at = now
        else:
            delay = delays[delivery.round_attempts - 1]
            delivery.next_attempt_at = now + timedelta(seconds=delay)
        delivery.save()
        _endpoint_after(delivery.endpoint_id, succeeded=result.succeeded, now=now)
    return delivery


def delivery_attempt(*, delivery_id) -> WebhookDelivery | None:
    """One attempt if the delivery is due and free; None when there was nothing to do."""
    claimed = _claim(delivery_id)
    if claimed is None:
        return None
    started = timezone.now()
    clock = time.monotonic()
    result = sender.post(
        url=claimed.url,
        body=claimed.body,
        headers=claimed.headers,
        timeout=settings.WEBHOOK_TIMEOUT_SECONDS,
    )
    logger.info(
        "Webhook %s → %s: %s in %.2f s",
        claimed.delivery.pk,
        claimed.url,
        result.http_status or result.error,
        time.monotonic() - clock,
    )
    return _record(claimed, result, started)


def deliveries_due(*, limit: int = 50) -> int:
    """The sweep: attempt deliveries whose first attempt was lost or whose retry is due."""
    now = timezone.now()
    due = list(
        WebhookDelivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(delivery_attempt(delivery_id=pk) is not None for pk in due)


def delivery_resend(*, delivery: WebhookDelivery) -> WebhookDelivery:
    """Send a delivery again: same id and body, a new signature, a new retry schedule."""
    now = timezone.now()
    with transaction.atomic():
        delivery = WebhookDelivery.objects.select_for_update().get(pk=delivery.pk)
        delivery.status = DeliveryStatus.PENDING
        delivery.round_attempts = 0
        delivery.next_attempt_at = now
        delivery.lease_until = None
        delivery.completed_at = None
        if delivery.channel == HTTP:
            _stamp(delivery, now)
        delivery.save()
        transaction.on_commit(partial(_enqueue, delivery.pk))
    return delivery
