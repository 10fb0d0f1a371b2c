import pytest

from catalog.models import Product, ProductPrice, ProductVersion, VersionStatus
from tests.admin_factories import (
    AdminMerchantFactory,
    SuperuserFactory,
    action_data,
    add_url,
    admin_url,
    change_url,
    changelist_url,
    form_errors,
    media_rows,
    metadata_rows,
    price_rows,
    product_form_data,
)
from tests.factories import ProductFactory, StoreFactory

pytestmark = pytest.mark.django_db

USD = {"USD": {"amount": "29.00", "taxCategory": "digital_goods", "taxIncluded": False}}


@pytest.fixture
def product(store):
    return ProductFactory(store=store, name="Ebook")


def add_data(store, *, prices=USD, media=(), metadata=None, **overrides):
    data = {
        "store": str(store.pk),
        "type": "onetime",
        "name": "Course",
        "description": "",
        "success_url": "",
        "billing_period": "",
        "_save": "Save",
        **price_rows(prices),
        **media_rows(list(media)),
        **metadata_rows(metadata or {}),
    }
    data.update(overrides)
    return data


def test_changelist_shows_own_products_with_exact_amounts(merchant_client, product):
    ProductFactory(store=StoreFactory(owner=AdminMerchantFactory()), name="Not yours")

    response = merchant_client.get(changelist_url(Product))

    assert response.status_code == 200
    assert [row.pk for row in response.context["cl"].result_list] == [product.pk]
    assert "Not yours" not in response.text
    assert "EUR 27.00, JPY 4500, USD 29.00" in response.text
    assert "Not published" in response.text
    assert "Selling v1" in response.text  # in test
    for column in ("Name", "Type", "Store", "Test", "Prod", "Updated at"):
        assert f">{column}</a>" in response.text or f">{column}</span>" in response.text
    assert "Test status" not in response.text and "Prod status" not in response.text


def test_prod_column_tells_whether_prod_is_up_to_date(merchant_client, store):
    from catalog import services

    ProductFactory(store=store, name="Published", publish=True)
    behind = ProductFactory(store=store, name="Behind", publish=True)
    services.product_update(product=behind, name="Behind v2")

    response = merchant_client.get(changelist_url(Product))

    assert '<td class="field-prod_state">Selling v1</td>' in response.text
    assert "Selling v1, test has v2" in response.text


def test_one_state_per_environment_on_the_product_page(merchant_client, store):
    from catalog import services

    product = ProductFactory(store=store, name="Mug", publish=True)
    services.product_set_status(product=product, environment="prod", status="inactive")

    text = merchant_client.get(change_url(product)).text

    assert "Selling v1" in text  # test
    assert "Inactive (v1)" in text  # prod
    assert "Prod status" not in text and "Not published" not in text


def test_another_merchants_product_is_404(merchant_client):
    theirs = ProductFactory(store=StoreFactory(owner=AdminMerchantFactory()))

    assert merchant_client.get(change_url(theirs)).status_code == 404
    response = merchant_client.post(change_url(theirs), product_form_data(theirs, name="Mine!"))
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.version_count == 1


def test_add_product_goes_through_the_service(merchant_client, store):
    response = merchant_client.post(
        add_url(Product),
        add_data(store, prices={"JPY": {"amount": "4500", "taxCategory": "ebook"}}),
    )

    assert response.status_code == 302, form_errors(response)
    product = Product.objects.get()
    assert (product.store, product.type, product.version_count) == (store, "onetime", 1)
    assert product.test_version.name == "Course"
    assert product.prod_version is None
    price = product.test_version.prices.get()
    assert (price.currency, price.amount_minor, price.tax_category) == ("JPY", 4500, "ebook")


def test_store_choices_are_only_the_merchants_own(merchant_client, store):
    theirs = StoreFactory(owner=AdminMerchantFactory(), name="Their store")

    response = merchant_client.get(add_url(Product))

    choices = response.context["adminform"].form.fields["store"].queryset
    assert list(choices) == [store]
    assert "Their store" not in response.text
    assert str(theirs.pk) not in response.text


def test_posting_another_merchants_store_id_is_refused(merchant_client):
    theirs = StoreFactory(owner=AdminMerchantFactory())

    response = merchant_client.post(add_url(Product), add_data(theirs))

    assert response.status_code == 200
    assert list(form_errors(response)) == ["store"]
    assert "Select a valid choice" in form_errors(response)["store"][0]
    assert not Product.objects.exists()


def test_service_errors_become_form_errors_and_nothing_is_written(merchant_client, store):
    bad = {"USD": {"amount": "29.999", "taxCategory": "digital_goods"}}

    response = merchant_client.post(add_url(Product), add_data(store, prices=bad))

    assert response.status_code == 200
    assert form_errors(response) == {
        "prices": [
            'Invalid prices.USD.amount: "29.999" is not a valid USD amount '
            "(a non-negative number with at most 2 decimal places)"
        ]
    }
    assert not Product.objects.exists()
    assert not ProductVersion.objects.exists()


def test_subscription_needs_a_billing_period(merchant_client, store):
    response = merchant_client.post(add_url(Product), add_data(store, type="subscription"))

    assert form_errors(response) == {"billing_period": ["Missing required field: billingPeriod"]}

    response = merchant_client.post(
        add_url(Product), add_data(store, type="subscription", billing_period="monthly")
    )
    assert response.status_code == 302
    assert Product.objects.get().test_version.billing_period == "monthly"


def test_amounts_are_read_exactly_as_typed(merchant_client, store):
    prices = {"USD": {"amount": "19.90", "taxCategory": "saas"}}

    response = merchant_client.post(add_url(Product), add_data(store, prices=prices))

    assert response.status_code == 302, form_errors(response)
    assert Product.objects.get().test_version.prices.get().amount_minor == 1990


def test_an_amount_is_validated_in_its_own_currency(merchant_client, store):
    prices = {"JPY": {"amount": "4500.50", "taxCategory": "saas"}}

    response = merchant_client.post(add_url(Product), add_data(store, prices=prices))

    assert form_errors(response) == {
        "prices": [
            'Invalid prices.JPY.amount: "4500.50" is not a valid JPY amount '
            "(a non-negative number with at most 0 decimal places)"
        ]
    }
    assert not Product.objects.exists()


def test_change_form_is_prefilled_from_the_test_version(merchant_client, product):
    response = merchant_client.get(change_url(product))

    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.initial["name"] == "Ebook"
    assert form.initial["prices"]["USD"] == {
        "amount": "29.00",
        "taxCategory": "digital_goods",
        "taxIncluded": False,
    }
    assert form.initial["prices"]["JPY"]["amount"] == "4500"
    assert "billing_period" not in form.fields  # one-time product


def test_editing_makes_a_new_immutable_version(merchant_client, product):
    first = product.test_version
    first_prices = list(first.prices.values_list("currency", "amount_minor"))
    new_prices = {"USD": {"amount": "35.00", "taxCategory": "digital_goods"}}

    response = merchant_client.post(
        change_url(product),
        product_form_data(product, name="Ebook 2nd ed.", prices=new_prices),
    )

    assert response.status_code == 302, form_errors(response)
    product.refresh_from_db()
    assert product.version_count == 2
    assert product.test_version.number == 2
    assert product.test_version.name == "Ebook 2nd ed."
    assert list(product.test_version.prices.values_list("currency", "amount_minor")) == [
        ("USD", 3500)
    ]
    first.refresh_from_db()
    assert first.name == "Ebook"
    assert list(first.prices.values_list("currency", "amount_minor")) == first_prices


def test_saving_without_changes_writes_no_version(merchant_client, product):
    updated_at = product.updated_at

    response = merchant_client.post(change_url(product), product_form_data(product))

    assert response.status_code == 302, form_errors(response)
    product.refresh_from_db()
    assert product.version_count == 1
    assert product.updated_at == updated_at
    assert ProductVersion.objects.count() == 1


def test_invalid_edit_is_a_form_error_and_writes_nothing(merchant_client, product):
    response = merchant_client.post(
        change_url(product), product_form_data(product, name="Renamed", success_url="ftp://x")
    )

    assert response.status_code == 200
    assert form_errors(response) == {"success_url": ["Invalid successUrl: expected an https URL"]}
    product.refresh_from_db()
    assert product.version_count == 1
    assert ProductVersion.objects.count() == 1
    assert ProductPrice.objects.count() == 3


def test_trial_without_trial_days_is_reported_on_prices(merchant_client, store):
    trial = {"USD": {"amount": "10.00", "taxCategory": "saas", "trialAmount": "1.00"}}

    response = merchant_client.post(
        add_url(Product),
        add_data(store, type="subscription", billing_period="monthly", prices=trial),
    )

    assert form_errors(response) == {
        "prices": ["prices.USD.trialAmount requires metadata.trialDays (a positive integer)"]
    }


def test_version_history_is_shown_read_only(merchant_client, product):
    from catalog import services

    services.product_update(product=product, name="Ebook v2")

    response = merchant_client.get(change_url(product))

    assert "v1" in response.text and "v2" in response.text
    assert "Ebook v2" in response.text
    assert "USD 29.00" in response.text
    version = product.versions.get(number=1)
    assert merchant_client.get(change_url(version)).status_code == 200
    response = merchant_client.post(change_url(version), {"name": "Rewritten", "_save": "Save"})
    assert response.status_code == 403
    version.refresh_from_db()
    assert version.name == "Ebook"
    assert merchant_client.get(add_url(ProductVersion)).status_code == 403


def test_another_merchants_versions_are_hidden(merchant_client, product):
    theirs = ProductFactory(store=StoreFactory(owner=AdminMerchantFactory()))

    response = merchant_client.get(changelist_url(ProductVersion))

    assert [row.pk for row in response.context["cl"].result_list] == [product.test_version_id]
    assert merchant_client.get(change_url(theirs.test_version)).status_code == 404


def test_publish_action_promotes_the_test_version(merchant_client, product):
    response = merchant_client.post(
        changelist_url(Product), action_data("publish_to_prod", product)
    )

    assert response.status_code == 302
    product.refresh_from_db()
    assert product.prod_version_id == product.test_version_id


def test_publish_from_the_change_form(merchant_client, product):
    response = merchant_client.post(
        change_url(product),
        {"CHANGE_FORM-action": "publish_to_prod", "_selected_action": str(product.pk)},
    )

    assert response.status_code == 302
    product.refresh_from_db()
    assert product.prod_version_id == product.test_version_id


@pytest.mark.parametrize(
    ("action", "field", "value"),
    [
        ("deactivate_in_test", "test_status", VersionStatus.INACTIVE),
        ("deactivate_in_prod", "prod_status", VersionStatus.INACTIVE),
    ],
)
def test_status_actions_per_environment(merchant_client, product, action, field, value):
    merchant_client.post(changelist_url(Product), action_data(action, product))

    product.refresh_from_db()
    assert getattr(product, field) == value
    other = "prod_status" if field == "test_status" else "test_status"
    assert getattr(product, other) == VersionStatus.ACTIVE

    merchant_client.post(changelist_url(Product), action_data(action.replace("de", ""), product))
    product.refresh_from_db()
    assert getattr(product, field) == VersionStatus.ACTIVE


def test_actions_never_reach_another_merchants_product(merchant_client, product):
    theirs = ProductFactory(store=StoreFactory(owner=AdminMerchantFactory()))

    merchant_client.post(changelist_url(Product), action_data("publish_to_prod", theirs, product))
    merchant_client.post(changelist_url(Product), action_data("deactivate_in_test", theirs))

    theirs.refresh_from_db()
    assert theirs.prod_version_id is None
    assert theirs.test_status == VersionStatus.ACTIVE
    product.refresh_from_db()
    assert product.prod_version_id == product.test_version_id


def test_store_filter_offers_only_own_stores(merchant_client, product):
    StoreFactory(owner=AdminMerchantFactory(), name="Their store")

    response = merchant_client.get(changelist_url(Product))

    assert "Their store" not in response.text
    assert "Mine" in response.text


def test_superuser_sees_every_product(client, product):
    theirs = ProductFactory(store=StoreFactory(owner=AdminMerchantFactory()))
    client.force_login(SuperuserFactory())

    response = client.get(changelist_url(Product))

    assert {row.pk for row in response.context["cl"].result_list} == {product.pk, theirs.pk}
    assert client.get(change_url(theirs)).status_code == 200
    assert client.get(admin_url(Product, "add")).status_code == 200
