"""Refund tickets in admin: platform staff review the queue (approve pays back, reject needs
a reason); merchants see their own stores' tickets and refunds and decide nothing; the order
shows its refunds. Ends with staff approving a ticket in Chromium."""

import pytest

from orders.models import Order
from payments.models import Refund, RefundTicket
from payments.refund_tickets import Request, Submitter, refund_ticket_create, refund_ticket_decide
from stores.services import merchant_group
from tests.admin_factories import (
    PASSWORD,
    AdminMerchantFactory,
    SuperuserFactory,
    admin_url,
    change_url,
    changelist_url,
)
from tests.factories import ProductFactory, StoreFactory
from tests.refund_support import paid_payment

pytestmark = pytest.mark.django_db


def ticket_for(product, amount: str = "10.00") -> RefundTicket:
    return refund_ticket_create(
        payment=paid_payment(product),
        submitter=Submitter("customer", "buyer-1"),
        request=Request("It never arrived", amount, "USD"),
    )


@pytest.fixture
def ticket(store):
    return ticket_for(ProductFactory(store=store))


@pytest.fixture
def their_ticket():
    return ticket_for(ProductFactory(store=StoreFactory(owner=AdminMerchantFactory())))


@pytest.fixture
def staff_client(client):
    client.force_login(SuperuserFactory())
    return client


def review_url(ticket) -> str:
    return admin_url(RefundTicket, "review", ticket.pk)


def test_staff_see_every_pending_ticket_in_the_queue(staff_client, ticket, their_ticket):
    response = staff_client.get(changelist_url(RefundTicket) + "?status__exact=pending")

    assert response.status_code == 200
    assert set(response.context["cl"].result_list) == {ticket, their_ticket}
    assert "10.00 USD" in response.text


def test_a_merchant_sees_its_own_stores_tickets_only(merchant_client, ticket, their_ticket):
    response = merchant_client.get(changelist_url(RefundTicket))

    assert set(response.context["cl"].result_list) == {ticket}
    assert merchant_client.get(change_url(their_ticket)).status_code == 404


def test_the_ticket_page_shows_order_payment_and_the_buyers_history(staff_client, ticket):
    response = staff_client.get(change_url(ticket))

    assert response.status_code == 200
    assert ticket.order.public_id in response.text
    assert "34.51 USD paid" in response.text
    assert "buyer@example.com (0 other refund tickets)" in response.text
    assert 'id="refund-review-form"' in response.text


def test_a_merchant_decides_nothing(merchant_client, ticket):
    page = merchant_client.get(change_url(ticket))
    assert page.status_code == 200 and 'id="refund-review-form"' not in page.text

    response = merchant_client.post(review_url(ticket), {"decision": "approve"})

    assert response.status_code == 403
    ticket.refresh_from_db()
    assert ticket.status == "pending" and not Refund.objects.exists()


def test_staff_approve_and_the_order_shows_the_refund(staff_client, ticket):
    response = staff_client.post(review_url(ticket), {"decision": "approve", "note": "ok"})

    assert response.status_code == 302
    ticket.refresh_from_db()
    assert (ticket.status, ticket.review_note) == ("succeeded", "ok")
    order_page = staff_client.get(change_url(ticket.order))
    assert ticket.refund.public_id in order_page.text
    assert "10.00 USD (of which tax 1.60 USD)" in order_page.text
    assert "24.51 USD" in order_page.text  # net paid
    assert 'id="refund-review-form"' not in staff_client.get(change_url(ticket)).text


def test_a_rejection_without_a_reason_is_refused(staff_client, ticket):
    response = staff_client.post(review_url(ticket), {"decision": "reject"}, follow=True)

    assert "A rejection needs a reason" in response.text
    ticket.refresh_from_db()
    assert ticket.status == "pending"


def test_a_merchant_sees_its_refunds_and_not_others(merchant_client, ticket, their_ticket):
    for each in (ticket, their_ticket):
        refund_ticket_decide(ticket_id=each.pk, decision="approve", reviewer_id="staff")

    response = merchant_client.get(changelist_url(Refund))

    assert [refund.ticket_id for refund in response.context["cl"].result_list] == [ticket.pk]
    assert merchant_client.get(change_url(their_ticket.refund)).status_code == 404


def test_the_merchant_group_may_view_tickets_and_refunds():
    codenames = set(merchant_group().permissions.values_list("codename", flat=True))

    assert {"view_refundticket", "view_refund"} <= codenames
    assert "change_refundticket" not in codenames


@pytest.mark.browser
def test_staff_approve_a_ticket_in_the_browser_and_the_order_shows_it(site, page, ticket):
    staff = SuperuserFactory()
    page.goto(f"{site}/admin/login/?next={change_url(ticket)}")
    page.fill("#id_username", staff.username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector("#refund-review-form")

    page.fill("#review-note", "Courier confirmed the loss")
    page.click("#review-approve")

    page.wait_for_selector(".messagelist")
    assert f"Ticket {ticket.public_id}: succeeded" in page.inner_text(".messagelist")
    page.goto(f"{site}{change_url(Order.objects.get(pk=ticket.order_id))}")
    refund = Refund.objects.get()
    assert refund.public_id in page.inner_text("body")
    assert "10.00 USD (of which tax 1.60 USD)" in page.inner_text("body")


def test_the_order_page_links_to_its_refund_tickets(merchant_client, ticket, store):
    other = ticket_for(ProductFactory(store=store), "2.00")

    page = merchant_client.get(change_url(ticket.order))
    url = changelist_url(RefundTicket) + f"?order__id__exact={ticket.order_id}"

    assert url.replace("&", "&amp;") in page.text or url in page.text
    listed = merchant_client.get(url)
    assert listed.status_code == 200
    assert set(listed.context["cl"].result_list) == {ticket}
    assert other.order_id != ticket.order_id
