"""The SDK's ``OnetimeProductDetail`` / ``SubscriptionProductDetail`` shapes."""

from catalog.models import Product, ProductPrice, ProductType, ProductVersion, VersionStatus
from core.money import format_amount
from core.timefmt import iso_utc


def price_json(price: ProductPrice) -> dict:
    data = {
        "amount": format_amount(price.amount_minor, price.currency),
        "taxCategory": price.tax_category,
        "taxIncluded": price.tax_included,
    }
    if price.trial_amount_minor is not None:
        data["trialAmount"] = format_amount(price.trial_amount_minor, price.currency)
    return data


def product_json(
    product: Product, version: ProductVersion, prices: list[ProductPrice], environment: str
) -> dict:
    """``version`` is the one the environment sells; before a first publish, prod shows the
    test version (what publishing would promote) with status ``inactive``."""
    status = (
        product.status_in(environment)
        if product.version_in(environment) is not None
        else VersionStatus.INACTIVE
    )
    data = {
        "id": product.public_id,
        "storeId": product.store.public_id,
        "name": version.name,
        "description": version.description,
        "prices": {price.currency: price_json(price) for price in prices},
        "media": version.media,
        "successUrl": version.success_url,
        "metadata": version.metadata,
        "status": status,
        "createdAt": iso_utc(product.created_at),
        "updatedAt": iso_utc(product.updated_at),
    }
    if product.type == ProductType.SUBSCRIPTION:
        data["billingPeriod"] = version.billing_period
    if version.requires_shipping:  # our extension; absent for digital goods, as in the SDK
        data["requiresShipping"] = True
    return data
