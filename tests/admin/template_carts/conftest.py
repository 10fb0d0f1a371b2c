"""A product of the merchant's store, for the template cart admin tests."""

import pytest

from tests.factories import ProductFactory


@pytest.fixture
def product(store):
    return ProductFactory(store=store, name="Widget")
