"""The product form without JSON: prices one row per currency, media as a list with
previews, metadata as key/value rows; every value validated by catalog.services, the
same rules the API applies."""

import pytest

from catalog.models import Product
from tests.admin_factories import (
    add_url,
    change_url,
    form_errors,
    media_rows,
    metadata_rows,
    price_rows,
    product_form_data,
    rows_data,
)
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db
THREE = {
    "USD": {"amount": "29.00", "taxCategory": "physical_goods"},
    "EUR": {"amount": "27.50", "taxCategory": "physical_goods", "taxIncluded": True},
    "JPY": {"amount": "4500", "taxCategory": "physical_goods"},
}
IMAGE = {"type": "image", "url": "https://cdn.example.com/shirt.png", "alt": "T-shirt"}


def add_data(store, **rows):
    data = {
        "store": str(store.pk),
        "type": rows.pop("type", "onetime"),
        "name": "T-shirt",
        "billing_period": rows.pop("billing_period", ""),
        "_save": "Save",
    }
    data.update(price_rows(rows.pop("prices", THREE)))
    data.update(media_rows(rows.pop("media", [])))
    data.update(metadata_rows(rows.pop("metadata", {})))
    data.update(rows)
    return data


def test_a_product_priced_in_three_currencies(merchant_client, store):
    response = merchant_client.post(add_url(Product), add_data(store))

    assert response.status_code == 302, form_errors(response)
    prices = Product.objects.get().test_version.prices.order_by("currency")
    assert [(p.currency, p.amount_minor, p.tax_category, p.tax_included) for p in prices] == [
        ("EUR", 2750, "physical_goods", True),
        ("JPY", 4500, "physical_goods", False),
        ("USD", 2900, "physical_goods", False),
    ]


def test_the_add_form_offers_rows_not_json(merchant_client):
    text = merchant_client.get(add_url(Product)).text

    for name in ("prices-0-currency", "prices-2-amount", "prices-0-tax_category"):
        assert f'name="{name}"' in text
    assert 'name="prices-0-tax_included"' in text and 'name="prices-0-trial_amount"' in text
    assert 'name="media-0-url"' in text and 'name="metadata-0-key"' in text
    assert '<option value="physical_goods">' in text
    assert "/static/admin_extra/rows.js" in text


def test_blank_rows_are_ignored(merchant_client, store):
    data = add_data(store)
    data.update({"prices-rows": "5", "media-rows": "3", "metadata-rows": "3"})

    response = merchant_client.post(add_url(Product), data)

    assert response.status_code == 302, form_errors(response)
    version = Product.objects.get().test_version
    assert version.prices.count() == 3
    assert (version.media, version.metadata) == ([], {})


def test_a_currency_listed_twice_is_refused(merchant_client, store):
    data = add_data(store, prices={})
    data.update(rows_data("prices", [{"currency": "USD", "amount": "1.00"}] * 2))

    response = merchant_client.post(add_url(Product), data)

    assert form_errors(response) == {"prices": ["USD is listed twice: one row per currency."]}
    assert not Product.objects.exists()


def test_an_amount_without_a_currency_is_refused(merchant_client, store):
    data = add_data(store, prices={})
    data.update(rows_data("prices", [{"amount": "1.00", "tax_category": "saas"}]))

    response = merchant_client.post(add_url(Product), data)

    assert form_errors(response) == {"prices": ["Choose a currency for every price."]}


def test_a_row_without_a_tax_category_gets_the_apis_message(merchant_client, store):
    response = merchant_client.post(
        add_url(Product), add_data(store, prices={"USD": {"amount": "5.00"}})
    )

    assert form_errors(response) == {"prices": ["Missing required field: prices.USD.taxCategory"]}


def test_a_subscription_trial_with_trial_days_in_metadata(merchant_client, store):
    prices = {"USD": {"amount": "10.00", "taxCategory": "saas", "trialAmount": "1.00"}}

    response = merchant_client.post(
        add_url(Product),
        add_data(
            store,
            type="subscription",
            billing_period="monthly",
            prices=prices,
            metadata={"trialDays": 7, "plan": "pro"},
        ),
    )

    assert response.status_code == 302, form_errors(response)
    version = Product.objects.get().test_version
    assert version.metadata == {"trialDays": 7, "plan": "pro"}  # 7 kept as a number
    assert version.prices.get().trial_amount_minor == 100


def test_a_trial_on_a_one_time_product_gets_the_apis_message(merchant_client, store):
    prices = {"USD": {"amount": "10.00", "taxCategory": "saas", "trialAmount": "1.00"}}

    response = merchant_client.post(add_url(Product), add_data(store, prices=prices))

    assert form_errors(response) == {
        "prices": ["prices.USD.trialAmount is only allowed on subscription products"]
    }


def test_metadata_text_that_looks_like_a_number_can_be_quoted(merchant_client, store):
    data = add_data(store)
    data.update(
        rows_data("metadata", [{"key": "sku", "value": '"0042"'}, {"key": "n", "value": "0042"}])
    )

    response = merchant_client.post(add_url(Product), data)

    assert response.status_code == 302, form_errors(response)
    assert Product.objects.get().test_version.metadata == {"sku": "0042", "n": "0042"}


def test_metadata_values_without_a_key_are_refused(merchant_client, store):
    data = add_data(store)
    data.update(rows_data("metadata", [{"key": "", "value": "x"}]))

    assert form_errors(merchant_client.post(add_url(Product), data)) == {
        "metadata": ["Give every value a key."]
    }


def test_media_rows_with_a_preview(merchant_client, store):
    response = merchant_client.post(add_url(Product), add_data(store, media=[IMAGE]))
    assert response.status_code == 302, form_errors(response)
    product = Product.objects.get()
    assert product.test_version.media == [IMAGE]

    page = merchant_client.get(change_url(product)).text

    assert 'value="https://cdn.example.com/shirt.png"' in page
    assert (
        'class="row-editor-preview" alt="T-shirt" src="https://cdn.example.com/shirt.png"' in page
    )


def test_a_media_url_that_is_not_https_gets_the_apis_message(merchant_client, store):
    media = [{"type": "image", "url": "http://cdn.example.com/a.png"}]

    response = merchant_client.post(add_url(Product), add_data(store, media=media))

    assert form_errors(response) == {"media": ["Invalid media[0].url: expected an https URL"]}


def test_the_change_form_shows_the_current_rows(merchant_client, store):
    product = ProductFactory(store=store, metadata={"color": "blue", "size": 3})

    page = merchant_client.get(change_url(product)).text

    assert '<option value="EUR" selected>' in page
    assert 'name="prices-1-amount" value="4500"' in page  # EUR, JPY, USD
    # One row per key (PostgreSQL's jsonb keeps its own key order, so rows are matched
    # by key, not by position).
    rows = {
        page.split(f'name="metadata-{i}-key" value="')[1].split('"')[0]: page.split(
            f'name="metadata-{i}-value" value="'
        )[1].split('"')[0]
        for i in (0, 1)
    }
    assert rows == {"color": "blue", "size": "3"}


def test_editing_one_row_makes_one_new_version(merchant_client, store):
    product = ProductFactory(store=store, metadata={"size": 3})
    prices = {
        "EUR": {"amount": "27.00", "taxCategory": "digital_goods"},
        "USD": {"amount": "31.00", "taxCategory": "digital_goods"},
    }

    response = merchant_client.post(change_url(product), product_form_data(product, prices=prices))

    assert response.status_code == 302, form_errors(response)
    product.refresh_from_db()
    assert product.version_count == 2
    assert product.test_version.metadata == {"size": 3}
    amounts = dict(product.test_version.prices.values_list("currency", "amount_minor"))
    assert amounts == {"EUR": 2700, "USD": 3100}


def test_a_versions_media_and_metadata_read_as_lists(merchant_client, store):
    product = ProductFactory(store=store, media=[IMAGE], metadata={"size": "L"})

    text = merchant_client.get(change_url(product.test_version)).text

    assert '<img class="row-editor-preview" src="https://cdn.example.com/shirt.png"' in text
    assert '<th scope="row">size</th><td>L</td>' in text
