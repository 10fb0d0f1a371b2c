"""The product form's "requires shipping": on a new product, and as a new version."""

import re

import pytest

from catalog.models import Product
from tests.admin.cart_admin_support import (
    USD,
)
from tests.admin_factories import (
    add_url,
    change_url,
    form_errors,
    price_rows,
    product_form_data,
)

pytestmark = pytest.mark.django_db


# --- product form: requires shipping -------------------------------------------------------


def product_add_data(store, **overrides):
    data = {
        "store": str(store.pk),
        "type": "onetime",
        "name": "Mug",
        "description": "",
        "success_url": "",
        "billing_period": "",
        "_save": "Save",
        **price_rows(USD),
    }
    data.update(overrides)
    return data


def test_new_product_can_require_shipping(merchant_client, store):
    response = merchant_client.post(
        add_url(Product), product_add_data(store, requires_shipping="on")
    )

    assert response.status_code == 302, form_errors(response)
    product = Product.objects.get()
    assert product.test_version.requires_shipping is True

    response = merchant_client.post(add_url(Product), product_add_data(store, name="Ebook"))
    assert response.status_code == 302
    assert Product.objects.get(test_version__name="Ebook").test_version.requires_shipping is False


def test_ticking_requires_shipping_makes_a_new_version(merchant_client, product):
    first = product.test_version
    assert first.requires_shipping is False
    response = merchant_client.get(change_url(product))
    assert 'name="requires_shipping"' in response.text
    assert "Requires shipping" in response.text

    response = merchant_client.post(
        change_url(product), product_form_data(product, requires_shipping="on")
    )

    assert response.status_code == 302, form_errors(response)
    product.refresh_from_db()
    assert product.version_count == 2
    assert product.test_version.requires_shipping is True
    assert product.test_version.name == first.name
    first.refresh_from_db()
    assert first.requires_shipping is False  # versions are never edited

    # The form shows the flag, and unticking it is a change again.
    assert re.search(
        r'name="requires_shipping"[^>]*checked', merchant_client.get(change_url(product)).text
    )
    response = merchant_client.post(change_url(product), product_form_data(product))
    product.refresh_from_db()
    assert (product.version_count, product.test_version.requires_shipping) == (3, False)


def test_saving_without_changes_keeps_the_version(merchant_client, product):
    response = merchant_client.post(change_url(product), product_form_data(product))
    assert response.status_code == 302
    product.refresh_from_db()
    assert product.version_count == 1
