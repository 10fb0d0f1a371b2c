"""Reads for products, scoped to the merchant asking: anyone else's product is a 404."""

import uuid

from django.db.models import Case, F, QuerySet, Value, When
from django.db.models.functions import Coalesce

from catalog.models import (
    Product,
    ProductGroup,
    ProductGroupMember,
    ProductPrice,
    ProductVersion,
    VersionStatus,
)
from core.errors import NotFound
from stores.models import Environment, Store


def product_for_merchant(
    *, merchant_id: uuid.UUID, product_id: uuid.UUID, product_type: str, for_update: bool = False
) -> Product:
    queryset = Product.objects.reachable_by(merchant_id).filter(type=product_type)
    if for_update:
        # The versions are read once the lock is held, never joined into the locking query:
        # a waiter's join would still show the versions from before the winner's update
        # (PostgreSQL re-checks only the locked row), so it would build on a stale version.
        queryset = queryset.select_for_update(of=("self",)).select_related("store")
    else:
        queryset = queryset.select_related("store", "test_version", "prod_version")
    try:
        return queryset.get(pk=product_id)
    except Product.DoesNotExist:
        raise NotFound("Product not found", layer="product") from None


def version_prices(*, version_id: uuid.UUID) -> list[ProductPrice]:
    return list(ProductPrice.objects.filter(version_id=version_id).order_by("currency"))


def storefront_listing(
    *, store: Store, environment: str
) -> list[tuple[Product, ProductVersion, list[ProductPrice]]]:
    """The store's products on sale in ``environment``, oldest first, each with the version
    sold there and that version's prices: two queries, whatever the number of products."""
    products = [
        product
        for product in store.products.select_related("test_version", "prod_version").order_by(
            "created_at"
        )
        if product.is_sellable_in(environment)
    ]
    versions = {product.pk: product.version_in(environment) for product in products}
    prices: dict = {}
    for price in ProductPrice.objects.filter(version__in=versions.values()):
        prices.setdefault(price.version_id, []).append(price)
    return [
        (product, versions[product.pk], prices.get(versions[product.pk].pk, []))
        for product in products
    ]


def products_for_merchant(
    *, merchant_id: uuid.UUID, product_type: str, environment: str
) -> QuerySet[Product]:
    """The merchant's products of one type as ``environment`` shows them (the rule of
    ``product_json``): ``shown_name`` and ``shown_status`` come from the version sold there;
    before a first publish, prod shows the test version as ``inactive``. Versions and their
    prices are loaded with the list, so reading a page costs a fixed number of queries."""
    prod = environment == Environment.PROD
    version = "prod_version" if prod else "test_version"
    status = "prod_status" if prod else "test_status"
    return (
        Product.objects.reachable_by(merchant_id)
        .filter(type=product_type)
        .select_related("store", "test_version", "prod_version")
        .prefetch_related("test_version__prices", "prod_version__prices")
        .annotate(
            shown_name=Coalesce(f"{version}__name", "test_version__name"),
            shown_status=Case(
                When(**{f"{version}__isnull": True}, then=Value(VersionStatus.INACTIVE)),
                default=F(status),
            ),
        )
    )


def versions_for_merchant(
    *, merchant_id: uuid.UUID, product_id: uuid.UUID, product_type: str
) -> QuerySet[ProductVersion]:
    """A product's versions, newest first, when the merchant may reach the product; an
    unreachable product has none."""
    return (
        ProductVersion.objects.filter(
            product__in=Product.objects.reachable_by(merchant_id).filter(type=product_type),
            product_id=product_id,
        )
        .select_related("product")
        .prefetch_related("prices")
        .order_by("-number")
    )


def group_for_merchant(
    *, merchant_id: uuid.UUID, group_id: uuid.UUID, environment: str, for_update: bool = False
) -> ProductGroup:
    """A group of the credential's environment in one of the merchant's stores; any other
    (another merchant's, the other environment's) is a 404."""
    queryset = ProductGroup.objects.filter(
        store__memberships__merchant_id=merchant_id,
        store__deleted_at__isnull=True,
        environment=environment,
    )
    if for_update:
        queryset = queryset.select_for_update(of=("self",))
    group = queryset.filter(pk=group_id).first()
    if group is None:
        raise NotFound("Product group not found", layer="product")
    return group


def groups_for_merchant(*, merchant_id: uuid.UUID, environment: str) -> QuerySet[ProductGroup]:
    return ProductGroup.objects.filter(
        store__memberships__merchant_id=merchant_id,
        store__deleted_at__isnull=True,
        environment=environment,
    ).select_related("store")


def group_product_ids(*, group: ProductGroup) -> list[uuid.UUID]:
    return list(group.members.order_by("position").values_list("product_id", flat=True))


def groups_with_both(
    *, product_id: uuid.UUID, other_id: uuid.UUID, environment: str
) -> list[ProductGroup]:
    """The groups of ``environment`` that hold both plans (a plan change within a group)."""
    return list(
        ProductGroup.objects.filter(environment=environment, members__product_id=product_id)
        .filter(members__product_id=other_id)
        .distinct()
    )


def trial_sharing_product_ids(*, product_ids: list[uuid.UUID], environment: str) -> set:
    """Every plan that shares a trial with one of ``product_ids``: the plans themselves, and
    the other plans of their ``sharedTrial`` groups."""
    groups = ProductGroup.objects.filter(
        environment=environment, shared_trial=True, members__product_id__in=product_ids
    )
    shared = ProductGroupMember.objects.filter(group__in=groups).values_list(
        "product_id", flat=True
    )
    return set(product_ids) | set(shared)


def self_service_plan_ids(*, product_id: uuid.UUID, environment: str) -> list[uuid.UUID]:
    """The plans a customer may move a subscription of ``product_id`` to on their own: the
    other plans of its groups with ``selfServicePlanChange`` on (what a portal offers)."""
    groups = ProductGroup.objects.filter(
        environment=environment, self_service_plan_change=True, members__product_id=product_id
    )
    members = ProductGroupMember.objects.filter(group__in=groups).exclude(product_id=product_id)
    return list(
        dict.fromkeys(members.order_by("group_id", "position").values_list("product_id", flat=True))
    )
