from catalog.models import TaxCategory
from checkout.tax import TAX_CATEGORIES


def test_catalog_and_tax_engine_agree_on_the_seven_sdk_categories():
    assert tuple(TaxCategory.values) == TAX_CATEGORIES
    assert len(TAX_CATEGORIES) == 7
