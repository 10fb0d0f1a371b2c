"""What every admin test starts from: a merchant made by the real service (staff, in the
"Merchants" group), one store of its own, and a test client logged in as it."""

import pytest

from tests.admin_factories import AdminMerchantFactory
from tests.factories import StoreFactory


@pytest.fixture
def merchant(db):
    return AdminMerchantFactory()


@pytest.fixture
def store(merchant):
    return StoreFactory(owner=merchant, name="Mine")


@pytest.fixture
def merchant_client(client, merchant):
    client.force_login(merchant.user)
    return client
