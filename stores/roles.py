"""What each store role may do: the one table every entry point asks (API actions through
``stores.api.access``, the admin, the team services).

An action declares the capability it needs; a role either holds it or the caller gets a
403. Owners hold everything; admins everything but deleting the store and handing it to
someone else; members read and start checkouts, nothing that changes how the store sells,
who may act on it, where its events go or what is paid back.
"""

from enum import StrEnum

from core.errors import Forbidden
from stores.models import StoreRole

FORBIDDEN = "Access denied: you do not have permission to this store"
LAYER = "store"


class Capability(StrEnum):
    READ = "read"  # the GraphQL read API
    CHECKOUT = "checkout"  # checkout sessions and customer session tokens
    CREATE_STORE = "create_store"  # no store yet: the creator becomes its owner
    STORE_SETTINGS = "store_settings"  # name, status, logo, theme, notifications
    CATALOG = "catalog"  # products and their versions, template carts
    ORDERS = "orders"  # acting on buyers' orders (cancelling a subscription)
    REFUNDS = "refunds"
    WEBHOOKS = "webhooks"
    TEAM = "team"  # adding, removing, re-roling admins and members
    DELETE_STORE = "delete_store"
    OWNERSHIP = "ownership"  # changing the owner (no endpoint offers it)


MEMBER_CAPABILITIES = frozenset({Capability.READ, Capability.CHECKOUT, Capability.CREATE_STORE})
ROLE_CAPABILITIES: dict[str, frozenset[Capability]] = {
    StoreRole.OWNER: frozenset(Capability),
    StoreRole.ADMIN: frozenset(Capability) - {Capability.DELETE_STORE, Capability.OWNERSHIP},
    StoreRole.MEMBER: MEMBER_CAPABILITIES,
}
# A refusal names the rule when it is one a caller would not guess.
MESSAGES = {Capability.DELETE_STORE: "Only the store owner can delete the store"}
# Roles a team call may give: the owner is made by creating the store, never by these calls.
ASSIGNABLE_ROLES = (StoreRole.ADMIN, StoreRole.MEMBER)


def role_allows(*, role: str | None, capability: Capability) -> bool:
    return capability in ROLE_CAPABILITIES.get(role or "", frozenset())


def every_role_allows(capability: Capability) -> bool:
    """True when no role lacks it: then the store need not even be looked up."""
    return all(capability in held for held in ROLE_CAPABILITIES.values())


def require(*, role: str | None, capability: Capability) -> None:
    """The 403 for a member whose role lacks ``capability``."""
    if not role_allows(role=role, capability=capability):
        raise Forbidden(MESSAGES.get(capability, FORBIDDEN), layer=LAYER)


def roles_allowed(capability: Capability) -> tuple[str, ...]:
    """The roles that hold ``capability``, for filters (``role__in``) and the README table."""
    return tuple(role for role, held in ROLE_CAPABILITIES.items() if capability in held)
