import pytest

from stores.models import Environment
from tests.factories import ApiKeyFactory, MerchantFactory, StoreFactory
from tests.keys import OTHER_KEY_PAIR, TEST_KEY_PAIR
from tests.signed_client import SignedClient


@pytest.fixture
def merchant(db):
    merchant = MerchantFactory()
    ApiKeyFactory(merchant=merchant)
    return merchant


@pytest.fixture
def api(merchant):
    """A signed client for ``merchant``'s test-environment key."""
    return SignedClient(merchant.public_id, TEST_KEY_PAIR[0])


@pytest.fixture
def store(merchant):
    return StoreFactory(owner=merchant)


@pytest.fixture
def prod_api(merchant):
    """A signed client for ``merchant``'s prod-environment key."""
    ApiKeyFactory(merchant=merchant, environment=Environment.PROD, public_key=OTHER_KEY_PAIR[1])
    return SignedClient(merchant.public_id, OTHER_KEY_PAIR[0])
