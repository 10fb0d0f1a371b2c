"""The merchant's notices (the SDK's merchant-writable ``notify*`` settings, all on by
default): to each active owner and admin of the store, not to members, once per event and
recipient, as the store's settings say, in the store's language, against a real SMTP server
through the real worker."""

from email.message import EmailMessage

import pytest

from core.events import event_dispatch
from core.models import DomainEvent, HandledEvent
from notifications.models import EmailKind, EmailLog, EmailStatus
from payments.models import RefundTicket
from payments.refund_tickets import refund_ticket_decide
from stores.models import StoreMembership, StoreRole
from subscriptions.services import subscription_cancel, subscription_reactivate
from tests.email_support import pay, running_smtp_server
from tests.factories import MerchantFactory
from tests.refund_support import CREATE, as_customer, ask
from tests.subscription_support import DECLINES_RENEWALS, advance, subscribe
from tests.worker_support import run_worker

pytestmark = pytest.mark.django_db
OWNER = "owner@example.com"
ADMIN = "admin@example.com"


@pytest.fixture
def smtp_server(settings):
    yield from running_smtp_server(settings)


@pytest.fixture
def team(store):
    """The store's owner (the ``store`` fixture's merchant) renamed to ``OWNER``, an admin,
    a member and an admin whose account was switched off."""
    owner = StoreMembership.objects.get(store=store, role=StoreRole.OWNER).merchant.user
    owner.email = OWNER
    owner.save(update_fields=["email"])
    for email, role, active in [
        (ADMIN, StoreRole.ADMIN, True),
        ("member@example.com", StoreRole.MEMBER, True),
        ("former@example.com", StoreRole.ADMIN, False),
    ]:
        merchant = MerchantFactory(user__username=email, user__is_active=active)
        StoreMembership.objects.create(store=store, merchant=merchant, role=role)
    return store


def to_merchants(smtp_server) -> dict[str, list[str]]:
    """Each recipient's notice subjects, in the order they were sent."""
    seen: dict[str, list[str]] = {}
    for message in smtp_server.messages:
        if message["X-Envelope-To"] != "buyer@example.com":
            seen.setdefault(message["X-Envelope-To"], []).append(message["Subject"])
    return seen


def text(message: EmailMessage) -> str:
    return message.get_body(("plain",)).get_content()


def test_owners_and_admins_hear_of_a_new_order(team, product, smtp_server):
    order = pay(product)

    run_worker()

    subject = f"[Test] New order: {product.test_version.name}"
    assert to_merchants(smtp_server) == {ADMIN: [subject], OWNER: [subject]}
    [message] = smtp_server.to(OWNER)
    body = text(message)
    for line in (
        f"Store: {team.name}",
        f"Order: {order.public_id}",
        "Buyer: buyer@example.com",
        "Amount: $34.51",
        "Test mode: no real money was moved.",
        f"View the order: http://127.0.0.1:8000/admin/orders/order/{order.pk}/change/",
        f"You receive this email as an owner or admin of {team.name}.",
    ):
        assert line in body
    assert "merchant of record" not in message.get_body(("html",)).get_content()
    emails = EmailLog.objects.filter(kind=EmailKind.MERCHANT)
    assert {(e.to_address, e.status, e.language) for e in emails} == {
        (OWNER, EmailStatus.SENT, ""),
        (ADMIN, EmailStatus.SENT, ""),
    }


def test_a_subscription_is_followed_from_its_start_to_its_end(team, basic, smtp_server):
    subscription = subscribe(basic)
    run_worker()
    advance(subscription)  # renewed
    run_worker()
    subscription_cancel(order=subscription.order)
    run_worker()
    subscription_reactivate(order=subscription.order)
    run_worker()
    subscription_cancel(order=subscription.order)
    advance(subscription)  # ended
    run_worker()

    assert to_merchants(smtp_server)[OWNER] == [
        "[Test] New subscription: Basic",
        "[Test] Subscription renewed: Basic",
        "[Test] Subscription canceled: Basic",
        "[Test] Subscription resumed: Basic",
        "[Test] Subscription canceled: Basic",
        "[Test] Subscription ended: Basic",
    ]
    renewed = next(m for m in smtp_server.to(OWNER) if "renewed" in m["Subject"])
    assert "Amount: $11.90" in text(renewed)
    canceled = next(m for m in smtp_server.to(OWNER) if "canceled" in m["Subject"])
    assert "Amount:" not in text(canceled)


def test_a_declined_renewal_says_what_was_due(team, basic, smtp_server):
    subscription = subscribe(basic, number=DECLINES_RENEWALS)

    advance(subscription)
    run_worker()

    [declined] = [m for m in smtp_server.to(ADMIN) if "Renewal declined" in m["Subject"]]
    assert declined["Subject"] == "[Test] Renewal declined: Basic"
    assert "Amount: $11.90" in text(declined)


def test_a_completed_refund_says_how_much(client, team, product, smtp_server):
    order = pay(product)
    customer = as_customer(client, team)
    assert customer(CREATE, ask(order.payments.get(), "11.90")).status_code == 200
    refund_ticket_decide(
        ticket_id=RefundTicket.objects.get().pk, decision="approve", reviewer_id="staff"
    )

    run_worker()

    [refunded] = [m for m in smtp_server.to(OWNER) if "Refund" in m["Subject"]]
    assert refunded["Subject"] == f"[Test] Refund completed: {product.test_version.name}"
    assert "Amount: $11.90" in text(refunded)


def test_a_notice_the_store_turned_off_is_not_sent(team, product, basic, smtp_server):
    team.notification_settings = {"notifyNewOrders": False}
    team.save(update_fields=["notification_settings"])

    pay(product)
    subscribe(basic)
    run_worker()

    assert to_merchants(smtp_server)[OWNER] == ["[Test] New subscription: Basic"]
    assert len(smtp_server.to()) == 2  # the buyer still gets both receipts


def test_a_notice_is_sent_once_per_recipient_however_often_its_event_is_handled(
    team, product, smtp_server
):
    order = pay(product)
    run_worker()
    event = DomainEvent.objects.get(name="order.completed", subject=order.public_id)

    DomainEvent.objects.filter(pk=event.pk).update(dispatched_at=None)
    HandledEvent.objects.filter(event=event).delete()  # as if every receipt was lost
    event_dispatch(event_id=event.pk)
    run_worker()

    assert EmailLog.objects.filter(kind=EmailKind.MERCHANT).count() == 2
    assert {address: len(subjects) for address, subjects in to_merchants(smtp_server).items()} == {
        OWNER: 1,
        ADMIN: 1,
    }


def test_a_notice_is_written_in_the_stores_language(team, product, smtp_server):
    team.checkout_settings = {"language": "de"}
    team.save(update_fields=["checkout_settings"])

    pay(product, language="fr")  # the buyer's checkout language is the buyer's
    run_worker()

    [message] = smtp_server.to(OWNER)
    assert message["Subject"] == f"[Test] Neue Bestellung: {product.test_version.name}"
    assert "Käufer: buyer@example.com" in text(message)
    assert "Testmodus: Es wurde kein echtes Geld bewegt." in text(message)
    [receipt] = smtp_server.to()
    assert receipt["Subject"].startswith("Votre reçu")
