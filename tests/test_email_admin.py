"""The email log and the invoices in admin (issue 19): read-only, a merchant sees its own
stores' emails with their status and documents, never another merchant's; the order page
links both."""

import pytest
from django.utils import timezone

from notifications.models import EmailLog, EmailStatus
from orders.invoices import invoice_path
from tests.admin_factories import AdminMerchantFactory, change_url, changelist_url
from tests.email_support import buyer_emails, pay
from tests.factories import ProductFactory, StoreFactory
from tests.worker_support import run_worker

pytestmark = pytest.mark.django_db


@pytest.fixture
def merchant():
    return AdminMerchantFactory()


@pytest.fixture
def mine(merchant):
    return pay(ProductFactory(store=StoreFactory(owner=merchant, name="Mine")), email="me@x.com")


@pytest.fixture
def theirs():
    store = StoreFactory(owner=AdminMerchantFactory(), name="Theirs")
    return pay(ProductFactory(store=store), email="them@x.com")


def test_a_merchant_reads_its_email_log_with_status_and_not_anothers(
    client, merchant, mine, theirs
):
    run_worker()  # both receipts go out (locmem in tests)
    buyer_emails().filter(order=mine).update(
        status=EmailStatus.QUEUED, attempts=2, last_error="SMTPDataError: 451 busy"
    )
    client.force_login(merchant.user)

    page = client.get(changelist_url(EmailLog))

    assert page.status_code == 200
    html = page.content.decode()
    assert "me@x.com" in html and "them@x.com" not in html
    assert "queued" in html
    email = buyer_emails().get(order=mine)
    detail = client.get(change_url(email)).content.decode()
    assert "SMTPDataError: 451 busy" in detail and "TEST-INV-000001" in detail
    assert 'name="_save"' not in detail  # read-only
    other = buyer_emails().get(order=theirs)
    assert client.get(change_url(other)).status_code == 404


def test_the_invoice_list_is_scoped_and_links_the_buyers_copy(client, merchant, mine, theirs):
    client.force_login(merchant.user)

    html = client.get(changelist_url(mine.invoices.model)).content.decode()

    invoice = mine.invoices.get()
    assert invoice.number in html
    assert theirs.invoices.get().number not in html
    assert f'href="{invoice_path(invoice)}.pdf"' in html


def test_the_order_page_links_its_invoices_and_emails(client, merchant, mine):
    run_worker()
    client.force_login(merchant.user)

    html = client.get(change_url(mine)).content.decode()

    assert "Invoices and credit notes" in html and "TEST-INV-000001" in html
    assert f"/admin/notifications/emaillog/?order__id__exact={mine.pk}" in html
    assert "2 email(s)" in html  # the receipt, and the owner's new-order notice


def test_nobody_adds_changes_or_deletes_a_log_entry(client, merchant, mine):
    run_worker()
    client.force_login(merchant.user)
    email = buyer_emails().get()

    assert client.get(changelist_url(EmailLog) + "add/").status_code == 403
    response = client.post(change_url(email), {"to_address": "evil@x.com"})
    assert response.status_code == 403
    email.refresh_from_db()
    assert email.to_address == "me@x.com"
    assert email.sent_at <= timezone.now()
