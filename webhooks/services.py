"""Managing a store's webhook endpoints (the SDK's store/add-, update-, remove-webhook)."""

import uuid

from django.db import transaction

from core.errors import BadRequest, NotFound
from core.types import UNSET
from stores import roles
from stores.models import Store, StoreMembership
from webhooks.addresses import UrlRefused, check_url
from webhooks.event_types import CHANNELS, EVENT_TYPES
from webhooks.models import WebhookEndpoint

MAX_WEBHOOKS_PER_STORE = 20
LAYER = "store"
NOT_FOUND = "Webhook not found"


def _check_manager(membership: StoreMembership) -> None:
    roles.require(role=membership.role, capability=roles.Capability.WEBHOOKS)


def _events(events: object) -> list[str]:
    if not isinstance(events, list) or not events:
        raise BadRequest("events must be a non-empty list of event types", layer=LAYER)
    for event in events:
        if not isinstance(event, str) or event not in EVENT_TYPES:
            raise BadRequest(f"Unknown event type: {event}", layer=LAYER)
    return list(dict.fromkeys(events))


def _url(url: object, channel: str) -> str:
    if not isinstance(url, str) or not url.strip():
        raise BadRequest("Missing required field: url", layer=LAYER)
    try:
        check_url(url.strip(), channel=channel)
    except UrlRefused as exc:
        raise BadRequest(str(exc), layer=LAYER) from None
    return url.strip()


def _secret(secret: object) -> str | None:
    if secret is None:
        return None
    if not isinstance(secret, str) or len(secret) > 256:
        raise BadRequest("secret must be a string of at most 256 characters", layer=LAYER)
    return secret


def webhook_add(
    *,
    membership: StoreMembership,
    channel: object,
    url: object,
    events: object,
    test_mode: object,
    secret: object = None,
) -> WebhookEndpoint:
    _check_manager(membership)
    if channel not in CHANNELS:
        raise BadRequest(f"Invalid channel: {channel}", layer=LAYER)
    if not isinstance(test_mode, bool):
        raise BadRequest("testMode must be true or false", layer=LAYER)
    clean = {
        "url": _url(url, channel),
        "events": _events(events),
        "secret": _secret(secret),
    }
    with transaction.atomic():
        store = Store.objects.select_for_update().get(pk=membership.store_id)
        if WebhookEndpoint.objects.filter(store=store).count() >= MAX_WEBHOOKS_PER_STORE:
            raise BadRequest(
                f"A store can have at most {MAX_WEBHOOKS_PER_STORE} webhooks", layer=LAYER
            )
        return WebhookEndpoint.objects.create(
            store=store, channel=channel, test_mode=test_mode, **clean
        )


def webhook_for_manager(*, merchant_id: uuid.UUID, webhook_id: object) -> WebhookEndpoint:
    """The webhook if the merchant may manage it: another merchant's is a 404, a member's 403."""
    try:
        pk = uuid.UUID(str(webhook_id))
    except ValueError:
        raise NotFound(NOT_FOUND, layer=LAYER) from None
    endpoint = (
        WebhookEndpoint.objects.select_related("store")
        .filter(pk=pk, store__deleted_at__isnull=True, store__memberships__merchant_id=merchant_id)
        .first()
    )
    if endpoint is None:
        raise NotFound(NOT_FOUND, layer=LAYER)
    membership = StoreMembership.objects.get(store_id=endpoint.store_id, merchant_id=merchant_id)
    _check_manager(membership)
    return endpoint


def webhook_update(
    *, endpoint: WebhookEndpoint, url: object = UNSET, events: object = UNSET, secret=UNSET
) -> WebhookEndpoint:
    """Only url, events and secret change. Any edit re-enables a disabled endpoint."""
    changes = {}
    if url is not UNSET:
        changes["url"] = _url(url, endpoint.channel)
    if events is not UNSET:
        changes["events"] = _events(events)
    if secret is not UNSET:
        changes["secret"] = _secret(secret)
    with transaction.atomic():
        endpoint = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
        for field, value in changes.items():
            setattr(endpoint, field, value)
        endpoint.disabled_at = None
        endpoint.disabled_reason = ""
        endpoint.failing_since = None
        endpoint.save()
    return endpoint


def webhook_remove(*, endpoint: WebhookEndpoint) -> WebhookEndpoint:
    """Hard delete; its deliveries stay in the log (their endpoint becomes null)."""
    snapshot = WebhookEndpoint.objects.select_related("store").get(pk=endpoint.pk)
    WebhookEndpoint.objects.filter(pk=endpoint.pk).delete()
    return snapshot


def may_manage(*, merchant_id: uuid.UUID, store_id: uuid.UUID) -> bool:
    """Owners and admins of a live store manage its webhooks and re-send its deliveries."""
    return StoreMembership.objects.filter(
        merchant_id=merchant_id,
        store_id=store_id,
        store__deleted_at__isnull=True,
        role__in=roles.roles_allowed(roles.Capability.WEBHOOKS),
    ).exists()
