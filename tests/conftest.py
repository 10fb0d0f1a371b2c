import pytest

from tests.factories import ApiKeyFactory, MerchantFactory, StoreFactory
from tests.keys import TEST_KEY_PAIR
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
