"""A product of the merchant's store, another merchant's store and a partner, for the partner
admin tests."""

import pytest

from tests.admin_factories import AdminMerchantFactory
from tests.factories import ProductFactory, StoreFactory
from tests.partner_factories import PartnerFactory


@pytest.fixture
def product(store):
    return ProductFactory(store=store, name="Widget")


@pytest.fixture
def theirs():
    """Another merchant's store with one product."""
    store = StoreFactory(owner=AdminMerchantFactory(), name="Theirs")
    ProductFactory(store=store, name="Their widget")
    return store


@pytest.fixture
def partner():
    return PartnerFactory(name="Acme Resellers")
