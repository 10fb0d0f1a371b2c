from catalog.models import TaxCategory
from checkout.tax import TAX_CATEGORIES

SDK_CATEGORIES = (
    "digital_goods",
    "saas",
    "software",
    "ebook",
    "online_course",
    "consulting",
    "professional_service",
)


def test_catalog_and_tax_engine_agree_on_the_sdk_categories_and_physical_goods():
    assert tuple(TaxCategory.values) == TAX_CATEGORIES
    assert (*SDK_CATEGORIES, "physical_goods") == TAX_CATEGORIES
