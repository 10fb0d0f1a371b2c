"""Shipping methods in admin: scoped to the merchant's stores, prices typed as display strings
and stored in minor units, countries checked against ISO 3166-1, constant-cost changelists."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from checkout.models import ShippingMethod
from stores.models import Store
from tests.admin_factories import (
    AdminMerchantFactory,
    SuperuserFactory,
    add_url,
    change_url,
    changelist_url,
    form_errors,
)
from tests.factories import StoreFactory

pytestmark = pytest.mark.django_db


def method_data(store=None, **overrides):
    data = {
        "name": "Standard",
        "prices": json.dumps({"USD": "5.00", "EUR": "4.50"}),
        "countries": "US, ca",
        "free_above": json.dumps({"USD": "100.00"}),
        "delivery_estimate": "3 to 5 business days",
        "active": "on",
        "position": "1",
        "_save": "Save",
    }
    if store is not None:
        data["store"] = str(store.pk)
    data.update(overrides)
    return data


def make_method(store, **fields):
    fields.setdefault("name", "Standard")
    fields.setdefault("prices", {"USD": 500})
    return ShippingMethod.objects.create(store=store, **fields)


def test_add_stores_minor_units_and_country_codes(merchant_client, store):
    response = merchant_client.post(add_url(ShippingMethod), method_data(store))

    assert response.status_code == 302, form_errors(response)
    method = ShippingMethod.objects.get()
    assert method.store == store
    assert method.prices == {"USD": 500, "EUR": 450}
    assert method.countries == ["US", "CA"]
    assert method.free_above == {"USD": 10000}
    assert (method.delivery_estimate, method.active, method.position) == (
        "3 to 5 business days",
        True,
        1,
    )


def test_amounts_typed_as_numbers_never_pass_through_float(merchant_client, store):
    data = method_data(store, prices='{"USD": 5.10, "JPY": 700}', free_above="", countries="")

    response = merchant_client.post(add_url(ShippingMethod), data)

    assert response.status_code == 302, form_errors(response)
    method = ShippingMethod.objects.get()
    assert method.prices == {"USD": 510, "JPY": 700}
    assert method.countries == [] and method.free_above == {}


def test_change_page_shows_display_strings(merchant_client, store):
    method = make_method(
        store, prices={"USD": 500, "JPY": 700}, countries=["US", "CA"], free_above={"USD": 10000}
    )

    response = merchant_client.get(change_url(method))

    assert response.status_code == 200
    form = response.context["adminform"].form
    assert json.loads(form["prices"].value()) == {"JPY": "700", "USD": "5.00"}
    assert json.loads(form["free_above"].value()) == {"USD": "100.00"}
    assert form["countries"].value() == "US, CA"

    # Saving it unchanged keeps every value.
    data = method_data(
        prices=form["prices"].value(),
        free_above=form["free_above"].value(),
        countries=form["countries"].value(),
        delivery_estimate="",
        position="0",
    )
    response = merchant_client.post(change_url(method), data)
    assert response.status_code == 302, form_errors(response)
    method.refresh_from_db()
    assert method.prices == {"USD": 500, "JPY": 700}
    assert method.free_above == {"USD": 10000}
    assert method.countries == ["US", "CA"]


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"prices": "{}"}, "prices", "This field is required."),
        ({"prices": '{"USD": "5.001"}'}, "prices", "USD price “5.001” is not a valid amount"),
        ({"prices": '{"JPY": "7.5"}'}, "prices", "JPY price “7.5” is not a valid amount"),
        ({"prices": '{"USD": "-5.00"}'}, "prices", "is not a valid amount"),
        ({"prices": '{"USD": "abc"}'}, "prices", "is not a valid amount"),
        ({"prices": '{"XYZ": "5.00"}'}, "prices", "“XYZ” is not a currency code in use"),
        ({"prices": '["USD", "5.00"]'}, "prices", "Expected a JSON object"),
        ({"prices": "{not json"}, "prices", "Enter a valid JSON."),
        ({"countries": "US, XX, Germany"}, "countries", "XX, GERMANY"),
        ({"countries": "EU"}, "countries", "Not ISO 3166-1 alpha-2 country codes: EU."),
        ({"free_above": '{"EUR": "50"}'}, "free_above", "No price in"),
        ({"free_above": '{"USD": "1e3"}'}, "free_above", "is not a valid amount"),
        ({"name": ""}, "name", "This field is required."),
    ],
)
def test_validation(merchant_client, store, overrides, field, message):
    data = method_data(store, **overrides)
    if field == "free_above" and "EUR" in overrides["free_above"]:
        data["prices"] = json.dumps({"USD": "5.00"})

    response = merchant_client.post(add_url(ShippingMethod), data)

    assert response.status_code == 200
    errors = form_errors(response)
    assert any(message in error for error in errors.get(field, [])), errors
    assert not ShippingMethod.objects.exists()


def test_changelist_shows_own_methods_with_formatted_prices(merchant_client, store):
    make_method(store, prices={"USD": 500, "EUR": 450, "JPY": 700}, free_above={"USD": 10000})
    make_method(store, name="Canada", prices={"USD": 900}, countries=["CA"])
    make_method(StoreFactory(owner=AdminMerchantFactory()), name="Not yours")

    response = merchant_client.get(changelist_url(ShippingMethod))

    assert response.status_code == 200
    assert {m.name for m in response.context["cl"].result_list} == {"Standard", "Canada"}
    assert "Not yours" not in response.text
    assert "EUR 4.50, JPY 700, USD 5.00" in response.text
    assert "USD 100.00" in response.text
    assert "Everywhere" in response.text and ">CA<" in response.text


def test_another_merchants_method_is_404(merchant_client):
    theirs = make_method(StoreFactory(owner=AdminMerchantFactory()), name="Theirs")

    assert merchant_client.get(change_url(theirs)).status_code == 404
    response = merchant_client.post(change_url(theirs), method_data(name="Mine"))
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.name == "Theirs"


def test_store_choices_are_the_merchants_own(merchant_client, store):
    theirs = StoreFactory(owner=AdminMerchantFactory(), name="Their store")

    response = merchant_client.get(add_url(ShippingMethod))
    assert list(response.context["adminform"].form.fields["store"].queryset) == [store]

    response = merchant_client.post(add_url(ShippingMethod), method_data(theirs))
    assert response.status_code == 200
    assert "Select a valid choice" in form_errors(response)["store"][0]
    assert not ShippingMethod.objects.exists()


def test_methods_are_never_hard_deleted(merchant_client, store):
    method = make_method(store)
    response = merchant_client.get(change_url(method).replace("/change/", "/delete/"))
    assert response.status_code == 403


def test_the_merchant_group_alone_reaches_shipping_methods(client):
    merchant = AdminMerchantFactory()
    client.force_login(merchant.user)
    assert client.get(changelist_url(ShippingMethod)).status_code == 200
    merchant.user.groups.clear()
    client.force_login(merchant.user)
    assert client.get(changelist_url(ShippingMethod)).status_code == 403


def add_methods(merchant, count):
    store = Store.objects.reachable_by(merchant.pk).first() or StoreFactory(owner=merchant)
    for index in range(count):
        make_method(
            store,
            name=f"Method {index}",
            prices={"USD": 100 * index, "EUR": 90 * index},
            countries=["US"] if index % 2 else [],
            free_above={"USD": 5000} if index % 3 == 0 else {},
        )


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), len(response.context["cl"].result_list)


@pytest.mark.parametrize("as_superuser", [False, True], ids=["merchant", "superuser"])
def test_changelist_query_count_does_not_grow_with_rows(client, as_superuser):
    merchant = AdminMerchantFactory()
    add_methods(AdminMerchantFactory(), 3)
    client.force_login(SuperuserFactory() if as_superuser else merchant.user)
    url = changelist_url(ShippingMethod)

    add_methods(merchant, 2)
    few, few_rows = count_queries(client, url)
    add_methods(merchant, 8)
    many, many_rows = count_queries(client, url)

    assert (few_rows, many_rows) == ((5, 13) if as_superuser else (2, 10))
    assert few == many


def test_store_cannot_move_once_created(merchant_client, merchant, store):
    method = make_method(store)
    second = StoreFactory(owner=merchant, name="Second")

    response = merchant_client.post(change_url(method), method_data(second, name="Renamed"))

    assert response.status_code == 302, form_errors(response)
    method.refresh_from_db()
    assert (method.store, method.name) == (store, "Renamed")
