"""Emails to buyers (issue 19, point 6) against a real SMTP server (aiosmtpd) through the
real worker: the receipt with its invoice on every completed order, the refund notice with
its credit note, renewal and trial reminders as the store's settings say; once per event,
retried after a failed send, never lost."""

import io
from datetime import timedelta

import pypdf
import pytest
from django.db import transaction
from django.utils import timezone

from core.events import event_dispatch, event_record
from core.models import DomainEvent, HandledEvent
from notifications.models import EmailKind, EmailStatus
from notifications.reminders import upcoming_charges_remind
from orders.models import Invoice, Order
from payments.models import RefundTicket
from payments.refund_tickets import refund_ticket_decide
from subscriptions.models import Subscription
from tests.browser_support import checkout_path
from tests.checkout_factories import make_session
from tests.email_support import buyer_emails, pay, pdf_attachment, running_smtp_server
from tests.hosted_support import form as pay_form
from tests.refund_support import CREATE, as_customer, ask
from tests.subscription_support import advance, subscribe, subscription_product
from tests.worker_support import run_worker

pytestmark = pytest.mark.django_db


@pytest.fixture
def smtp_server(settings):
    yield from running_smtp_server(settings)


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)


def test_a_completed_order_sends_the_receipt_with_its_invoice(product, smtp_server):
    order = pay(product)

    run_worker()

    [message] = smtp_server.to()
    assert message["X-Envelope-To"] == "buyer@example.com"
    assert message["From"] == "Pancake Checkout <receipts@pancake.invalid>"
    assert message["Subject"] == f"Your receipt from {product.store.name} (TEST-INV-000001)"
    text = message.get_body(("plain",)).get_content()
    assert order.public_id in text and "$34.51" in text
    session = order.checkout_session
    assert f"/store/{session.store.slug}/checkout/{session.public_id}/receipt" in text
    assert "/invoice/TEST-INV-000001" in text
    assert "Thank you for your purchase." in message.get_body(("html",)).get_content()
    name, data = pdf_attachment(message)
    assert name == "TEST-INV-000001.pdf"
    assert "Invoice TEST-INV-000001" in pdf_text(data)
    email = buyer_emails().get()
    assert (email.kind, email.status, email.attempts) == (EmailKind.RECEIPT, EmailStatus.SENT, 1)
    assert email.document == Invoice.objects.get()
    assert email.subject == message["Subject"]
    # A long ID is folded onto its own line: the header value then starts with the fold.
    assert email.message_id == message["Message-ID"].strip()


def test_each_event_sends_its_email_once(product, smtp_server):
    pay(product)
    run_worker()
    event = DomainEvent.objects.get(name="order.completed")
    DomainEvent.objects.filter(pk=event.pk).update(dispatched_at=None)  # dispatched again

    event_dispatch(event_id=event.pk)
    run_worker()
    run_worker()

    assert len(smtp_server.to()) == 1
    assert buyer_emails().count() == 1
    assert HandledEvent.objects.filter(event=event, handler="notifications.receipt").count() == 1


def test_a_refused_send_is_logged_and_retried_with_backoff(product, smtp_server, settings):
    settings.EMAIL_RETRY_BASE_SECONDS = 30
    smtp_server.refuse = 1
    pay(product)
    before = timezone.now()

    run_worker()

    email = buyer_emails().get()
    assert (email.status, email.attempts) == (EmailStatus.QUEUED, 1)
    assert "451" in email.last_error and "Mailbox busy" in email.last_error
    assert email.next_attempt_at >= before + timedelta(seconds=30)
    assert smtp_server.to() == []
    run_worker()  # not due yet
    assert smtp_server.to() == []

    buyer_emails().update(next_attempt_at=timezone.now())
    run_worker()

    email.refresh_from_db()
    assert (email.status, email.attempts, email.last_error) == (EmailStatus.SENT, 2, "")
    assert len(smtp_server.to()) == 1


def test_an_email_that_keeps_failing_is_marked_failed_not_dropped(product, smtp_server, settings):
    settings.EMAIL_MAX_ATTEMPTS = 2
    smtp_server.refuse = 5
    pay(product)
    run_worker()
    buyer_emails().update(next_attempt_at=timezone.now())
    run_worker()

    email = buyer_emails().get()
    assert (email.status, email.attempts) == (EmailStatus.FAILED, 2)
    assert "451" in email.last_error


def test_a_dead_server_is_an_error_in_the_log(product, settings):
    from config.mail_settings import parse_email_url

    settings.MAILERS = {"default": parse_email_url("smtp://127.0.0.1:9?timeout=2")}
    pay(product)
    run_worker()

    email = buyer_emails().get()
    assert email.status == EmailStatus.QUEUED
    assert "ConnectionRefusedError" in email.last_error


def test_a_sender_that_died_mid_send_is_taken_over_after_its_lease(product, smtp_server):
    pay(product)
    with transaction.atomic():  # queued, but the worker has not run yet: claim it by hand
        buyer_emails().update(
            status=EmailStatus.SENDING, lease_until=timezone.now() - timedelta(seconds=1)
        )
    run_worker()

    assert buyer_emails().get().status == EmailStatus.SENT
    assert len(smtp_server.to()) == 1


def test_a_refund_issues_its_credit_note_and_tells_the_buyer(client, store, product, smtp_server):
    order = pay(product)
    payment = order.payments.get()
    customer = as_customer(client, store)
    assert customer(CREATE, ask(payment, "11.90", reason="Broken")).status_code == 200
    refund_ticket_decide(
        ticket_id=RefundTicket.objects.get().pk, decision="approve", reviewer_id="staff"
    )

    run_worker()

    refund = RefundTicket.objects.get().refund
    note = Invoice.objects.get(kind="credit_note")
    assert (note.number, note.refund_reference) == ("TEST-CN-000001", refund.public_id)
    assert note.total_minor == 1190 and note.tax_minor == refund.tax_minor
    _receipt, notice = sorted(smtp_server.to(), key=lambda m: "refund" in m["Subject"])
    assert notice["Subject"] == f"Your refund from {store.name}"
    assert "We have refunded $11.90" in notice.get_body(("plain",)).get_content()
    name, data = pdf_attachment(notice)
    assert name == "TEST-CN-000001.pdf"
    text = pdf_text(data)
    assert "Credit note TEST-CN-000001" in text and "TEST-INV-000001" in text
    assert set(buyer_emails().values_list("kind", flat=True)) == {"receipt", "refund"}


def _record(name: str, order, **payload):
    with transaction.atomic():
        event_record(
            name=name,
            subject=order.public_id,
            payload={"orderId": order.public_id, **payload},
            store_id=order.store_id,
            environment=order.environment,
        )


def test_a_trial_ending_reminder_follows_the_stores_setting(store, smtp_server):
    subscription = subscribe(subscription_product(store))
    run_worker()
    smtp_server.messages.clear()

    _record("subscription.trial_ending", subscription.order)
    run_worker()
    [reminder] = smtp_server.to()
    assert reminder["Subject"] == f"Your trial with {store.name} ends soon"
    assert "ends soon" in reminder.get_body(("plain",)).get_content()

    store.notification_settings = {"emailTrialEnding": False}
    store.save(update_fields=["notification_settings"])
    _record("subscription.trial_ending", subscription.order)
    run_worker()
    assert len(smtp_server.to()) == 1
    assert buyer_emails().filter(kind="trial_ending").count() == 1


def test_a_renewal_sends_its_receipt(store, smtp_server):
    subscription = subscribe(subscription_product(store))
    run_worker()
    smtp_server.messages.clear()

    advance(subscription)
    run_worker()

    [renewal] = smtp_server.to()
    assert renewal["Subject"] == f"Your subscription to {store.name} was renewed"
    assert "was renewed and $34.51 was charged" in renewal.get_body(("plain",)).get_content()
    email = buyer_emails().get(kind="renewal")
    assert email.status == EmailStatus.SENT
    invoice = Invoice.objects.get(order=subscription.order, period=2)
    assert (email.document, invoice.number, invoice.total_minor) == (
        invoice,
        "TEST-INV-000002",
        3451,
    )
    assert invoice.tax_breakdown == [
        {"rate": "19.0000", "name": "VAT", "net_minor": 2900, "tax_minor": 551}
    ]
    name, data = pdf_attachment(renewal)
    assert name == "TEST-INV-000002.pdf" and "Total $34.51" in pdf_text(data)


def test_the_email_is_written_in_the_sessions_language(product, smtp_server):
    pay(product, language="pt-BR")
    run_worker()

    [message] = smtp_server.to()
    assert buyer_emails().get().language == "pt-BR"
    assert "US$\xa034,51" in message.get_body(("plain",)).get_content()
    assert 'lang="pt-BR" dir="ltr"' in message.get_body(("html",)).get_content()


def test_an_arabic_email_reads_right_to_left(product, smtp_server):
    pay(product, language="ar")
    run_worker()

    [message] = smtp_server.to()
    assert '<html lang="ar" dir="rtl">' in message.get_body(("html",)).get_content()


def test_the_email_follows_the_language_the_buyer_paid_in(client, store, product, smtp_server):
    """No language on the session: the page spoke the browser's, and so does the receipt."""
    session = make_session(product=product)
    form = pay_form()

    paid = client.post(
        checkout_path(session) + "/pay", form, headers={"accept-language": "de-DE,de;q=0.9"}
    )
    run_worker()

    assert paid.status_code == 303
    [message] = smtp_server.to()
    assert message["Subject"].startswith(f"Ihr Beleg von {store.name}")
    assert Order.objects.get().language == buyer_emails().get().language == "de-DE"


def test_an_upcoming_renewal_is_announced_once_per_period(store, smtp_server):
    subscription = subscribe(subscription_product(store))
    run_worker()
    smtp_server.messages.clear()
    Subscription.objects.filter(pk=subscription.pk).update(
        current_period_end=timezone.now() + timedelta(days=2)
    )

    assert upcoming_charges_remind() == 1
    assert upcoming_charges_remind() == 0  # a second sweep (or worker) finds it reminded
    run_worker()

    [reminder] = smtp_server.to()
    assert reminder["Subject"] == f"Your subscription to {store.name} renews soon"
    text = reminder.get_body(("plain",)).get_content()
    ends = (timezone.now() + timedelta(days=2)).strftime("%B %-d, %Y")
    assert f"renews on {ends}: $34.51 will be charged" in text
    assert buyer_emails().get(kind="upcoming_charge").period == 1


def test_no_reminder_when_the_store_turned_it_off_or_renewal_is_far(store, smtp_server):
    subscription = subscribe(subscription_product(store))
    far = Subscription.objects.filter(pk=subscription.pk)
    far.update(current_period_end=timezone.now() + timedelta(days=10))
    assert upcoming_charges_remind() == 0

    far.update(current_period_end=timezone.now() + timedelta(days=1))
    store.notification_settings = {"emailUpcomingCharge": False}
    store.save(update_fields=["notification_settings"])
    assert upcoming_charges_remind() == 0
    assert not buyer_emails().filter(kind="upcoming_charge").exists()
