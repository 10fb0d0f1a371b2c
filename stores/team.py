"""A store's team: adding a merchant account by email, removing it, changing its role.

The only writer of memberships after ``store_create``. Each change records a domain event
(``store.merchant_*``), which is the team's history. Who may change the team is
``stores.roles`` (``Capability.TEAM``), checked again here under the acting membership's
row lock, so an admin demoted a moment ago cannot still act. The owner is made by creating
the store and is never removed or demoted here.
"""

import uuid
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from core.errors import BadRequest, Conflict, Forbidden, NotFound
from core.events import event_record
from core.text import normalize_email
from stores import roles
from stores.models import Merchant, StoreMembership, StoreRole

LAYER = "store"
# Worded as the SDK's own check of the field words it (it refuses before sending).
INVALID_ROLE = 'Invalid role: expected one of [admin, member], got "{role}"'
MERCHANT_NOT_FOUND = "Merchant not found"
NOT_A_MEMBER = "Merchant is not a member of this store"
ALREADY_A_MEMBER = "Merchant is already a member of this store"
OWNER_NOT_REMOVABLE = "The store owner cannot be removed"
OWNER_ROLE_FIXED = "The store owner's role cannot be changed"
REMOVED = "Merchant removed from store"


@dataclass(frozen=True)
class Removal:
    store_id: uuid.UUID
    merchant_id: uuid.UUID
    removed_at: datetime


def _role(role: object) -> str:
    if role in (None, ""):
        raise BadRequest("Missing required field: role", layer=LAYER)
    if role not in roles.ASSIGNABLE_ROLES:
        raise BadRequest(INVALID_ROLE.format(role=role), layer=LAYER)
    return str(role)


def merchant_by_email(*, email: object) -> Merchant:
    """The active merchant account with this email (trimmed, lowercased); 404 without one."""
    if not isinstance(email, str) or not normalize_email(email):
        raise BadRequest("Missing required field: email", layer=LAYER)
    merchant = (
        Merchant.objects.select_related("user")
        .filter(user__email__iexact=normalize_email(email), user__is_active=True)
        .order_by("created_at")
        .first()
    )
    if merchant is None:
        raise NotFound(MERCHANT_NOT_FOUND, layer="user")
    return merchant


def _lock_actor(*, store_id: uuid.UUID, actor_id: uuid.UUID | None) -> None:
    """Re-read the acting merchant's role under its row lock (None: platform staff)."""
    if actor_id is None:
        return
    role = (
        StoreMembership.objects.select_for_update(of=("self",))
        .filter(store_id=store_id, merchant_id=actor_id)
        .values_list("role", flat=True)
        .first()
    )
    roles.require(role=role, capability=roles.Capability.TEAM)


def _lock_member(*, store_id: uuid.UUID, merchant_id: uuid.UUID) -> StoreMembership:
    membership = (
        StoreMembership.objects.select_for_update(of=("self",))
        .filter(store_id=store_id, merchant_id=merchant_id)
        .first()
    )
    if membership is None:
        raise NotFound(NOT_A_MEMBER, layer=LAYER)
    return membership


def _record(name: str, membership: StoreMembership, actor_id, **payload) -> None:
    event_record(
        name=name,
        subject=membership.merchant.public_id,
        store_id=membership.store_id,
        payload={
            "storeId": membership.store.public_id,
            "by": Merchant(pk=actor_id).public_id if actor_id else "platform",
            **payload,
        },
    )


def team_member_add(
    *, store_id: uuid.UUID, email: object, role: object, actor_id: uuid.UUID | None
) -> StoreMembership:
    """Give an existing merchant account a role in the store; it acts at once with its own
    keys. Adding someone twice (even at the same moment) is a 409, never two rows."""
    role = _role(role)
    merchant = merchant_by_email(email=email)
    try:
        with transaction.atomic():
            _lock_actor(store_id=store_id, actor_id=actor_id)
            membership = StoreMembership.objects.create(
                store_id=store_id, merchant=merchant, role=role
            )
            _record("store.merchant_added", membership, actor_id, role=role)
    except IntegrityError:
        raise Conflict(ALREADY_A_MEMBER, layer=LAYER) from None
    return membership


def team_member_remove(
    *, store_id: uuid.UUID, merchant_id: uuid.UUID, actor_id: uuid.UUID | None
) -> Removal:
    with transaction.atomic():
        _lock_actor(store_id=store_id, actor_id=actor_id)
        membership = _lock_member(store_id=store_id, merchant_id=merchant_id)
        if membership.role == StoreRole.OWNER:
            raise Forbidden(OWNER_NOT_REMOVABLE, layer=LAYER)
        _record("store.merchant_removed", membership, actor_id, role=membership.role)
        membership.delete()
    return Removal(store_id=store_id, merchant_id=merchant_id, removed_at=timezone.now())


def team_member_set_role(
    *, store_id: uuid.UUID, merchant_id: uuid.UUID, role: object, actor_id: uuid.UUID | None
) -> StoreMembership:
    """Change an admin's or member's role; the same role again changes nothing."""
    role = _role(role)
    with transaction.atomic():
        _lock_actor(store_id=store_id, actor_id=actor_id)
        membership = _lock_member(store_id=store_id, merchant_id=merchant_id)
        if membership.role == StoreRole.OWNER:
            raise Forbidden(OWNER_ROLE_FIXED, layer=LAYER)
        if membership.role != role:
            previous, membership.role = membership.role, role
            membership.save(update_fields=["role", "updated_at"])
            _record("store.merchant_role_changed", membership, actor_id, role=role, was=previous)
    return membership
