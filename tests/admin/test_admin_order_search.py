"""Finding an order in admin: by every ID a merchant holds, by the buyer, by the merchant's
own external ID; status filters that fit the product type; the order page's addresses and
links to the session and webhook deliveries."""

import pytest
from django.db import transaction

from catalog.models import ProductType
from checkout.models import CheckoutSession
from core.models import DomainEvent
from orders.models import Order
from tests.admin_factories import AdminMerchantFactory, change_url, changelist_url
from tests.factories import ProductFactory, StoreFactory
from tests.order_factories import paid_order
from tests.webhook_support import endpoint_for
from webhooks.handlers import order_completed
from webhooks.models import WebhookDelivery

pytestmark = pytest.mark.django_db


@pytest.fixture
def product(store):
    return ProductFactory(store=store, name="Widget")


@pytest.fixture
def their_order():
    return paid_order(
        ProductFactory(store=StoreFactory(owner=AdminMerchantFactory())), email="x@example.com"
    )


def found(client, term: str) -> set[Order]:
    response = client.get(changelist_url(Order), {"q": term})
    assert response.status_code == 200
    return set(response.context["cl"].result_list)


def test_search_by_order_id(merchant_client, product, their_order):
    order, other = paid_order(product), paid_order(product)

    assert found(merchant_client, order.public_id) == {order}
    assert found(merchant_client, other.public_id) == {other}
    assert found(merchant_client, their_order.public_id) == set()


def test_search_by_payment_id(merchant_client, product, their_order):
    order = paid_order(product)
    paid_order(product)

    assert found(merchant_client, order.payments.get().public_id) == {order}
    assert found(merchant_client, their_order.payments.get().public_id) == set()


def test_search_by_session_id(merchant_client, product):
    order = paid_order(product)
    paid_order(product)

    assert found(merchant_client, f"cs_{order.checkout_session_id}") == {order}


@pytest.mark.parametrize("term", ["ORD_nope", "PAY_!!", "cs_not-a-uuid"])
def test_a_malformed_id_finds_nothing(merchant_client, product, term):
    paid_order(product)

    assert found(merchant_client, term) == set()


def test_search_by_email_or_part_of_it(merchant_client, product, their_order):
    ada = paid_order(product, email="ada@example.com")
    paid_order(product, email="bob@example.org")

    assert found(merchant_client, "ada@example.com") == {ada}
    assert found(merchant_client, "ADA@") == {ada}
    assert found(merchant_client, "x@example.com") == set()  # another merchant's buyer


def test_search_by_buyer_identity(merchant_client, product):
    order = paid_order(product)
    paid_order(product)
    Order.objects.filter(pk=order.pk).update(buyer_identity="customer-42")

    assert found(merchant_client, "customer-42") == {order}
    assert found(merchant_client, "customer-4") == set()  # identities match exactly


def test_search_by_order_merchant_external_id(merchant_client, product):
    order = paid_order(product, orderMerchantExternalId="inv-2026-0001")
    paid_order(product, orderMerchantExternalId="inv-2026-0002")

    assert found(merchant_client, "inv-2026-0001") == {order}


# --- filters -------------------------------------------------------------------------------


def status_choices(client, query: dict) -> list[str]:
    response = client.get(changelist_url(Order), query)
    specs = {spec.title: spec for spec in response.context["cl"].filter_specs}
    return [label for _, label in specs["status"].lookup_choices]


def test_one_time_orders_offer_only_one_time_statuses(merchant_client):
    assert status_choices(merchant_client, {"product_type": "onetime"}) == [
        "Pending",
        "Completed",
        "Canceled",
    ]


def test_subscription_orders_offer_subscription_statuses(merchant_client):
    choices = status_choices(merchant_client, {"product_type": "subscription"})

    assert choices == [
        "Pending",
        "Active",
        "Trialing",
        "Canceling",
        "Past Due",
        "Closed",
        "Canceled",
        "Expired",
    ]
    assert "Completed" not in choices


def test_without_a_product_type_subscription_statuses_are_marked(merchant_client):
    choices = status_choices(merchant_client, {})

    assert choices[:3] == ["Pending", "Completed", "Canceled"]
    assert "Past Due (subscriptions)" in choices and "Active (subscriptions)" in choices


def test_product_type_and_status_filters(merchant_client, store, product):
    onetime = paid_order(product)
    subscription = paid_order(ProductFactory(store=store, product_type=ProductType.SUBSCRIPTION))
    pending = paid_order(product)
    Order.objects.filter(pk=pending.pk).update(status="pending")

    def listed(query):
        response = merchant_client.get(changelist_url(Order), query)
        return set(response.context["cl"].result_list)

    assert listed({"product_type": "onetime"}) == {onetime, pending}
    assert listed({"product_type": "subscription"}) == {subscription}
    assert listed({"product_type": "onetime", "status": "completed"}) == {onetime}
    assert listed({"status": "active"}) == {subscription}


# --- the order page ------------------------------------------------------------------------


def test_billing_details_and_shipping_address_read_as_addresses(merchant_client, product):
    order = paid_order(product)
    address = {
        "first_name": "Ada",
        "last_name": "Lovelace",
        "address1": "1 Market St",
        "city": "San Francisco",
        "province_code": "CA",
        "postal_code": "94105",
        "country_code": "US",
        "email": "ada@example.com",
    }
    Order.objects.filter(pk=order.pk).update(shipping_address=address)

    text = merchant_client.get(change_url(order)).text

    assert "<address>Consumer<br>Germany (DE)</address>" in text
    assert (
        "<address>Ada Lovelace<br>1 Market St<br>94105 San Francisco<br>CA<br>"
        "United States (US)<br>ada@example.com</address>"
    ) in text
    assert "&quot;country&quot;" not in text and "country_code" not in text  # no JSON


def test_order_page_links_to_its_session(merchant_client, product):
    order = paid_order(product)
    session_url = change_url(CheckoutSession.objects.get(pk=order.checkout_session_id))

    page = merchant_client.get(change_url(order)).text
    assert f'href="{session_url}"' in page
    session_page = merchant_client.get(session_url)
    assert session_page.status_code == 200
    assert order.public_id in session_page.text  # and back to the order


def test_another_merchants_session_is_404(merchant_client, their_order):
    session = CheckoutSession.objects.get(pk=their_order.checkout_session_id)

    assert merchant_client.get(change_url(session)).status_code == 404
    listing = merchant_client.get(changelist_url(CheckoutSession))
    assert list(listing.context["cl"].result_list) == []


def test_order_page_links_to_its_webhook_deliveries(merchant_client, store, product):
    endpoint_for(store, "http://127.0.0.1:9/hook")
    order = paid_order(product)
    with transaction.atomic():
        order_completed(DomainEvent.objects.get(name="order.completed", subject=order.public_id))
    other = paid_order(product)
    with transaction.atomic():
        order_completed(DomainEvent.objects.get(name="order.completed", subject=other.public_id))
    assert WebhookDelivery.objects.count() == 2

    page = merchant_client.get(change_url(order)).text
    assert "1 delivery(ies)" in page
    assert "#payments-group" in page
    listing = merchant_client.get(changelist_url(WebhookDelivery), {"order": order.public_id})
    delivery = WebhookDelivery.objects.get(event_id=order.payments.get().public_id)
    assert list(listing.context["cl"].result_list) == [delivery]


def test_another_merchants_order_shows_no_deliveries(merchant_client, their_order):
    listing = merchant_client.get(changelist_url(WebhookDelivery), {"order": their_order.public_id})

    assert listing.status_code == 200
    assert list(listing.context["cl"].result_list) == []


def test_order_metadata_reads_as_key_value_rows(merchant_client, product):
    order = paid_order(product, metadata={"campaign": "spring", "seats": 3})

    text = merchant_client.get(change_url(order)).text

    assert '<th scope="row">campaign</th><td>spring</td>' in text
    assert '<th scope="row">seats</th><td>3</td>' in text
