"""Orders in admin, as a merchant: scoped to the merchant's stores, read-only pages with the
order's lines, payments and partner, the "sold through" and partner filters, the merchant
group's view permission, constant-cost changelists."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.money import format_amount
from orders.models import Order
from payments.models import Payment
from payments.services import checkout_pay
from tests.admin_factories import (
    AdminMerchantFactory,
    SuperuserFactory,
    add_url,
    admin_url,
    change_url,
    changelist_url,
)
from tests.checkout_factories import billing, make_session, success_card
from tests.factories import ProductFactory, StoreFactory, UserFactory
from tests.partner_factories import PartnerFactory, make_basket, pay_basket

pytestmark = pytest.mark.django_db


@pytest.fixture
def product(store):
    return ProductFactory(store=store, name="Widget")


@pytest.fixture
def their_product():
    """A product of another merchant's store."""
    return ProductFactory(store=StoreFactory(owner=AdminMerchantFactory(), name="Theirs"))


@pytest.fixture
def partner():
    return PartnerFactory(name="Acme Resellers")


def _pay(session, email: str) -> Order:
    outcome = checkout_pay(
        session=session, billing=billing("DE"), card=success_card(), buyer_email=email
    )
    assert outcome.succeeded
    return outcome.order


def direct_order(product, *, email: str = "direct@example.com") -> Order:
    """A paid order of a session the merchant created through its API key."""
    return _pay(make_session(product=product), email)


def partner_order(partner, product, *, quantity: int = 1, email: str = "end@example.com"):
    """A paid order of a basket the partner built and handed over."""
    return pay_basket(make_basket(partner, product, quantity=quantity), email=email)


def listed(client, query: str = "") -> set[Order]:
    response = client.get(changelist_url(Order) + query)
    assert response.status_code == 200
    return set(response.context["cl"].result_list)


# --- scope ---------------------------------------------------------------------------------


def test_changelist_lists_the_merchants_orders_only(
    merchant_client, product, their_product, partner
):
    mine = direct_order(product, email="mine@example.com")
    sold = partner_order(partner, product, email="sold@example.com")
    direct_order(their_product, email="theirs@example.com")
    partner_order(PartnerFactory(name="Stranger Co"), their_product, email="stranger@example.com")

    response = merchant_client.get(changelist_url(Order))

    assert response.status_code == 200
    assert set(response.context["cl"].result_list) == {mine, sold}
    assert "mine@example.com" in response.text and "sold@example.com" in response.text
    assert "theirs@example.com" not in response.text
    assert "stranger@example.com" not in response.text
    assert "Stranger Co" not in response.text
    assert format_amount(mine.total_minor, "USD") + " USD" in response.text
    assert "Acme Resellers" in response.text  # the partner column


def test_another_merchants_order_is_404(merchant_client, their_product):
    order = direct_order(their_product)

    assert merchant_client.get(change_url(order)).status_code == 404
    response = merchant_client.post(
        change_url(order), {"buyer_email": "me@example.com", "_save": "Save"}
    )
    assert response.status_code == 404
    order.refresh_from_db()
    assert order.buyer_email == "direct@example.com"


def test_orders_of_a_deleted_store_stay_on_record(merchant_client, store, product):
    from django.utils import timezone

    order = direct_order(product)
    store.deleted_at = timezone.now()
    store.save()

    assert merchant_client.get(change_url(order)).status_code == 200
    assert listed(merchant_client) == {order}


def test_superuser_sees_every_order(client, product, their_product):
    orders = {direct_order(product), direct_order(their_product)}
    client.force_login(SuperuserFactory())

    assert listed(client) == orders


# --- the order page ------------------------------------------------------------------------


@pytest.mark.parametrize("as_superuser", [False, True], ids=["merchant", "superuser"])
def test_order_page_shows_lines_payments_and_partner(
    client, merchant, product, partner, as_superuser
):
    order = partner_order(partner, product, quantity=2)
    line, payment = order.lines.get(), Payment.objects.get(order=order)
    # 2 x 29.00 USD with German VAT at 19 %.
    assert (line.subtotal_minor, line.tax_minor, line.total_minor) == (5800, 1102, 6902)
    client.force_login(SuperuserFactory() if as_superuser else merchant.user)

    response = client.get(change_url(order))

    assert response.status_code == 200
    text = response.text
    assert order.public_id in text
    assert "Acme Resellers" in text  # the partner the basket came from
    if not as_superuser:  # no link to the partner admin, which is for superusers only
        assert "/admin/partners/partner/" not in text
    assert "58.00 USD" in text and "11.02 USD" in text and "69.02 USD" in text  # order amounts
    formsets = {f.opts.model.__name__: f for f in response.context["inline_admin_formsets"]}
    assert set(formsets) == {"OrderLine", "Payment", "Refund"}, "lines, payments or refunds hidden"
    assert [form.instance for form in formsets["OrderLine"].formset.forms] == [line]
    assert [form.instance for form in formsets["Payment"].formset.forms] == [payment]
    # Line amounts without the currency, the payment's with it.
    assert "Widget" in text
    for amount in ("29.00", "58.00", "11.02", "69.02"):
        assert f"<p>{amount}</p>" in text, amount
    assert payment.public_id in text
    assert f"<p>{format_amount(payment.amount_minor, 'USD')} USD</p>" in text
    assert f"{payment.card_brand} •••• 4242" in text


def test_direct_order_page_has_no_partner(merchant_client, product):
    order = direct_order(product)

    response = merchant_client.get(change_url(order))

    assert response.status_code == 200
    assert response.context["original"].partner is None
    assert "Acme Resellers" not in response.text


def test_orders_are_read_only(merchant_client, product, partner):
    order = partner_order(partner, product)
    before = (order.buyer_email, order.status, order.total_minor, order.partner_id)

    assert merchant_client.get(add_url(Order)).status_code == 403
    page = merchant_client.get(change_url(order))
    assert page.status_code == 200
    assert 'name="_save"' not in page.text
    assert 'name="_continue"' not in page.text
    assert "deletelink" not in page.text
    response = merchant_client.post(
        change_url(order),
        {"buyer_email": "changed@example.com", "status": "canceled", "_save": "Save"},
    )
    assert response.status_code == 403
    delete = admin_url(Order, "delete", order.pk)
    assert merchant_client.get(delete).status_code == 403
    assert merchant_client.post(delete, {"post": "yes"}).status_code == 403
    listing = merchant_client.get(changelist_url(Order))
    assert "delete_selected" not in listing.text
    order.refresh_from_db()
    assert (order.buyer_email, order.status, order.total_minor, order.partner_id) == before
    assert Order.objects.filter(pk=order.pk).exists()


# --- filters -------------------------------------------------------------------------------


def test_sold_through_filter(merchant_client, product, their_product, partner):
    direct = direct_order(product)
    sold = partner_order(partner, product)
    partner_order(partner, their_product)  # the same partner, another merchant's store
    direct_order(their_product)

    assert listed(merchant_client, "?sold_through=partner") == {sold}
    assert listed(merchant_client, "?sold_through=direct") == {direct}
    assert listed(merchant_client) == {direct, sold}


def test_partner_filter_lists_this_merchants_partner_orders(
    merchant_client, product, their_product, partner
):
    other = PartnerFactory(name="Beta Sellers")
    sold = partner_order(partner, product)
    by_other = partner_order(other, product)
    partner_order(partner, their_product)
    direct_order(product)

    assert listed(merchant_client, f"?partner__id__exact={partner.pk}") == {sold}
    assert listed(merchant_client, f"?partner__id__exact={other.pk}") == {by_other}


def test_partner_filter_offers_only_partners_of_the_merchants_orders(
    merchant_client, merchant, product, their_product, partner
):
    partner_order(partner, product)
    direct_order(ProductFactory(store=StoreFactory(owner=merchant, name="Mine too")))
    partner_order(PartnerFactory(name="Stranger Co"), their_product)
    PartnerFactory(name="Idle Partner")  # no orders anywhere

    response = merchant_client.get(changelist_url(Order))

    assert response.status_code == 200
    specs = {spec.title: spec for spec in response.context["cl"].filter_specs}
    assert {"sold through", "partner", "store"} <= set(specs)
    assert [label for _, label in specs["partner"].lookup_choices] == [str(partner)]
    assert sorted(label for _, label in specs["store"].lookup_choices) == ["Mine", "Mine too"]
    assert "Stranger Co" not in response.text
    assert "Idle Partner" not in response.text


# --- permissions ---------------------------------------------------------------------------


def test_a_fresh_merchant_can_open_orders(client):
    merchant = AdminMerchantFactory()  # merchant_create: the Merchants group, nothing else
    order = direct_order(ProductFactory(store=StoreFactory(owner=merchant)))
    client.force_login(merchant.user)

    assert client.get(changelist_url(Order)).status_code == 200
    assert client.get(change_url(order)).status_code == 200
    assert merchant.user.has_perm("orders.view_order")
    assert not {"orders.add_order", "orders.change_order", "orders.delete_order"} & set(
        merchant.user.get_all_permissions()
    )
    index = client.get("/admin/")
    assert "Order" in {m["object_name"] for app in index.context["app_list"] for m in app["models"]}


def test_staff_without_the_merchant_group_cannot_open_orders(client, merchant, product):
    order = direct_order(product)
    merchant.user.groups.clear()
    client.force_login(merchant.user)

    assert client.get(changelist_url(Order)).status_code == 403
    assert client.get(change_url(order)).status_code == 403

    client.force_login(UserFactory())  # is_staff, no merchant, no permissions
    assert client.get(changelist_url(Order)).status_code == 403


# --- query counts --------------------------------------------------------------------------


def count_queries(client, url) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), len(response.context["cl"].result_list)


def add_orders(merchant, count):
    """``count`` paid orders of a new store of ``merchant``: direct and partner ones."""
    product = ProductFactory(store=StoreFactory(owner=merchant))
    partners = [PartnerFactory(), PartnerFactory()]
    for index in range(count):
        if index % 2:
            partner_order(partners[index % 4 // 2], product)
        else:
            direct_order(product)


@pytest.mark.parametrize("as_superuser", [False, True], ids=["merchant", "superuser"])
@pytest.mark.parametrize("query", ["", "?sold_through=partner"], ids=["all", "partner"])
def test_changelist_query_count_does_not_grow_with_rows(client, as_superuser, query):
    merchant = AdminMerchantFactory()
    add_orders(AdminMerchantFactory(), 3)  # another merchant's orders, hidden from the merchant
    client.force_login(SuperuserFactory() if as_superuser else merchant.user)
    url = changelist_url(Order) + query

    add_orders(merchant, 2)
    few, few_rows = count_queries(client, url)
    add_orders(merchant, 8)
    many, many_rows = count_queries(client, url)

    assert few_rows < many_rows
    assert few == many, f"{few} queries for {few_rows} rows, {many} for {many_rows}"
