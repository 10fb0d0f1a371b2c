"""A store with two products and a partner granted it, for the partner basket tests."""

import pytest

from tests.factories import ProductFactory, StoreFactory
from tests.partner_factories import PartnerFactory, PartnerGrantFactory, bearer


@pytest.fixture
def shop(db):
    store = StoreFactory()
    return store, ProductFactory(store=store), ProductFactory(store=store)


@pytest.fixture
def partner(shop):
    partner = PartnerFactory()
    PartnerGrantFactory(partner=partner, store=shop[0])
    return partner


@pytest.fixture
def auth(client, partner):
    return bearer(client, partner)
