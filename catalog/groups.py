"""Writes for subscription product groups: create, update, hard delete, publish test → prod.

A group lists plans of its own store only, and only subscription plans: a group is what
plan changes and shared trials move within, and a one-time product or another store's
plan there would let a change (or a trial) cross a boundary it must not. ``rules`` is
merged switch by switch on update and ``productIds`` replaced whole, as the SDK documents.
"""

from typing import Any

from django.db import transaction

from catalog import content
from catalog.models import Product, ProductGroup, ProductGroupMember, ProductType
from core import ids
from core.errors import BadRequest
from core.types import UNSET
from stores.models import Environment, Store

RULES = {"sharedTrial": "shared_trial", "selfServicePlanChange": "self_service_plan_change"}
MAX_PRODUCTS = 100


def _bad(message: str) -> BadRequest:
    return BadRequest(message, layer="product")


def clean_rules(value: Any) -> dict[str, bool]:
    """The switches sent, as model fields; the ones left out are not in the answer."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise _bad("Invalid rules: expected an object")
    cleaned = {}
    for name, switch in value.items():
        if name not in RULES:
            raise _bad(f"Unknown rule: {name} (expected sharedTrial or selfServicePlanChange)")
        if not isinstance(switch, bool):
            raise _bad(f"Invalid rules.{name}: expected boolean")
        cleaned[RULES[name]] = switch
    return cleaned


def clean_product_ids(value: Any, *, store: Store) -> list[Product]:
    """The store's own subscription products, in the order given, each once."""
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise _bad("Invalid productIds: expected an array of product IDs")
    if len(value) > MAX_PRODUCTS:
        raise _bad(f"productIds must list at most {MAX_PRODUCTS} products")
    keys = []
    for text in dict.fromkeys(value):
        try:
            keys.append(ids.from_short_id("PROD", text))
        except ids.InvalidShortId:
            raise _bad(ids.format_error("PROD", text)) from None
    found = Product.objects.filter(pk__in=keys, store=store).in_bulk()
    for key, text in zip(keys, dict.fromkeys(value), strict=True):
        product = found.get(key)
        if product is None:
            raise _bad(f"Product {text} is not a product of this store")
        if product.type != ProductType.SUBSCRIPTION:
            raise _bad(f"Product {text} is not a subscription product")
    return [found[key] for key in keys]


def _set_products(group: ProductGroup, products: list[Product]) -> None:
    ProductGroupMember.objects.filter(group=group).delete()
    ProductGroupMember.objects.bulk_create(
        ProductGroupMember(group=group, product=product, position=index)
        for index, product in enumerate(products)
    )


def group_create(
    *,
    store: Store,
    environment: str,
    name: Any,
    description: Any = None,
    rules: Any = None,
    product_ids: Any = None,
) -> ProductGroup:
    """A new group; a switch left out is created off."""
    fields = {
        "name": content.clean_name(name),
        "description": content.clean_description(description),
        **clean_rules(rules),
    }
    products = clean_product_ids(product_ids, store=store)
    with transaction.atomic():
        group = ProductGroup.objects.create(store=store, environment=environment, **fields)
        _set_products(group, products)
    return group


def group_update(
    *,
    group: ProductGroup,
    name: Any = UNSET,
    description: Any = UNSET,
    rules: Any = UNSET,
    product_ids: Any = UNSET,
) -> ProductGroup:
    """Inside a transaction, ``group`` locked: the fields sent, and only those."""
    if name is not UNSET:
        group.name = content.clean_name(name)
    if description is not UNSET:
        group.description = content.clean_description(description)
    if rules is not UNSET:
        for field, switch in clean_rules(rules).items():
            setattr(group, field, switch)
    if product_ids is not UNSET:
        _set_products(group, clean_product_ids(product_ids, store=group.store))
    group.save()
    return group


def group_delete(*, group: ProductGroup) -> ProductGroup:
    """Hard delete (its members go with it; a prod copy stays, no longer linked). The
    returned object keeps its ID, so the answer can show what was deleted."""
    key = group.pk
    group.delete()
    group.pk = key
    return group


def group_publish(*, group: ProductGroup) -> ProductGroup:
    """Inside a transaction, ``group`` locked: write its prod copy (the same name, rules and
    plans), creating it on the first publish."""
    if group.environment != Environment.TEST:
        raise _bad("Only a test-environment group can be published")
    fields = {
        "store": group.store,
        "name": group.name,
        "description": group.description,
        "shared_trial": group.shared_trial,
        "self_service_plan_change": group.self_service_plan_change,
    }
    copy = (
        ProductGroup.objects.select_for_update(of=("self",))
        .filter(published_from=group, environment=Environment.PROD)
        .first()
    )
    if copy is None:
        copy = ProductGroup.objects.create(
            environment=Environment.PROD, published_from=group, **fields
        )
    else:
        for field, value in fields.items():
            setattr(copy, field, value)
        copy.save()
    products = [member.product for member in group.members.select_related("product")]
    _set_products(copy, products)
    return copy
