"""The buyer's subscription and plan-change notices (the SDK's platform-managed
``emailSubscriptionCanceled``, ``emailSubscriptionRevoked``, ``emailSubscriptionPastDue`` and
``emailSubscriptionPlanChanged``), against a real SMTP server through the real worker: what
happened, what is charged or credited, and the day it takes effect; once per event, in the
buyer's language, a change's charge with its invoice attached."""

from email.message import EmailMessage

import pytest
from babel.dates import format_date

from core.events import event_dispatch
from core.models import DomainEvent, HandledEvent
from notifications.models import EmailKind, EmailLog, EmailStatus
from orders.models import Invoice
from payments.models import Payment
from subscriptions.models import Subscription
from subscriptions.plan_change_apply import plan_change_confirm
from subscriptions.services import subscription_cancel
from tests.email_support import pdf_attachment, running_smtp_server
from tests.plan_change_support import SESSION, change_body, change_of
from tests.subscription_support import DECLINES_RENEWALS, advance, subscribe
from tests.worker_support import run_worker

pytestmark = pytest.mark.django_db


@pytest.fixture
def smtp_server(settings):
    yield from running_smtp_server(settings)


def notice(smtp_server, kind: str) -> EmailMessage:
    """The one message of ``kind`` the server received (matched by the log's Message-ID)."""
    email = EmailLog.objects.get(kind=kind)
    assert email.status == EmailStatus.SENT
    # A long Message-ID arrives folded onto a line of its own.
    [message] = [m for m in smtp_server.messages if m["Message-ID"].strip() == email.message_id]
    return message


def text(message: EmailMessage) -> str:
    return message.get_body(("plain",)).get_content()


def long_date(moment, locale: str = "en") -> str:
    return format_date(moment.date(), format="long", locale=locale)


def subscribed(product, **fields) -> Subscription:
    subscription = subscribe(product, **fields)
    run_worker()  # the first receipt
    return subscription


def change(api, subscription, target, **fields) -> Payment | None:
    planned = change_of(api.post(SESSION, change_body(subscription, target, **fields)))
    plan_change_confirm(change_id=planned.pk)
    run_worker()
    return Payment.objects.filter(order=subscription.order, period=0).first()


def test_a_cancellation_says_until_when_the_subscription_stays_active(store, basic, smtp_server):
    subscription = subscribed(basic)

    subscription_cancel(order=subscription.order)
    run_worker()

    message = notice(smtp_server, EmailKind.CANCELED)
    assert message["Subject"] == f"Your subscription to {store.name} is canceled"
    ends = long_date(Subscription.objects.get().current_period_end)
    assert f"It stays active until {ends}, and nothing more will be charged." in text(message)
    assert subscription.order.public_id in text(message)


def test_the_end_of_a_subscription_is_announced(store, basic, smtp_server):
    subscription = subscribed(basic)
    subscription_cancel(order=subscription.order)

    advance(subscription)
    run_worker()

    message = notice(smtp_server, EmailKind.ENDED)
    assert message["Subject"] == f"Your subscription to {store.name} has ended"
    assert '"Basic" has ended. Nothing more will be charged.' in text(message)


def test_a_declined_renewal_says_what_failed_and_when_it_is_tried_again(store, basic, smtp_server):
    subscription = subscribed(basic, number=DECLINES_RENEWALS)

    advance(subscription)
    run_worker()

    message = notice(smtp_server, EmailKind.PAST_DUE)
    assert message["Subject"] == f"Your payment to {store.name} did not go through"
    retry = long_date(Subscription.objects.get().next_retry_at)
    assert (
        f'We could not charge $11.90 for your subscription "Basic". We will try again on {retry}'
        in text(message)
    )
    assert not EmailLog.objects.filter(kind=EmailKind.RENEWAL).exists()


def test_a_change_charged_now_carries_its_invoice(api, store, basic, pro, smtp_server):
    subscription = subscribed(basic)

    charge = change(api, subscription, pro)

    message = notice(smtp_server, EmailKind.PLAN_CHANGED)
    assert message["Subject"] == f"Your subscription to {store.name} changed"
    body = text(message)
    assert 'Your subscription changed from "Basic" to "Pro".' in body
    amount = f"${charge.amount_minor // 100}.{charge.amount_minor % 100:02d}"
    assert f"{amount} was charged for the rest of the current period." in body
    invoice = Invoice.objects.get(payment_reference=charge.public_id)
    assert EmailLog.objects.get(kind=EmailKind.PLAN_CHANGED).document == invoice
    name, _ = pdf_attachment(message)
    assert name == f"{invoice.number}.pdf" and invoice.number in body


@pytest.mark.parametrize(
    ("language", "credited"),
    [
        ("", "$5.00 for the unused part of your previous plan is credited"),
        ("de", "5,00\xa0$ für den ungenutzten Teil Ihres bisherigen Tarifs werden"),
    ],
)
def test_a_change_credited_now_says_what_is_credited(
    api, basic, pro, smtp_server, language, credited
):
    subscription = subscribed(pro, **({"language": language} if language else {}))

    change(api, subscription, basic, changeTiming="immediate", changeCreditAmount="5.00")

    message = notice(smtp_server, EmailKind.PLAN_CHANGED)
    body = text(message)
    assert credited in body
    assert "Pro" in body and "Basic" in body
    assert not list(message.iter_attachments())


def test_a_scheduled_change_names_the_day_it_applies(api, store, basic, pro, smtp_server):
    subscription = subscribed(pro)

    assert change(api, subscription, basic) is None  # a downgrade waits for the period's end

    message = notice(smtp_server, EmailKind.PLAN_SCHEDULED)
    assert message["Subject"] == f"Your subscription to {store.name} will change"
    day = long_date(Subscription.objects.get().current_period_end)
    assert f'will change from "Pro" to "Basic" on {day}. Until then nothing changes.' in text(
        message
    )
    assert not EmailLog.objects.filter(kind=EmailKind.PLAN_CHANGED).exists()

    advance(subscription)  # the change applies with the renewal
    run_worker()

    applied = notice(smtp_server, EmailKind.PLAN_CHANGED)
    assert 'changed from "Pro" to "Basic".' in text(applied)
    assert "was charged" not in text(applied) and "credited" not in text(applied)


def test_a_declined_change_says_the_subscription_is_unchanged(api, store, basic, pro, smtp_server):
    subscription = subscribed(basic, number=DECLINES_RENEWALS)

    charge = change(api, subscription, pro)

    assert charge.status == "failed"
    message = notice(smtp_server, EmailKind.PLAN_FAILED)
    assert message["Subject"] == f"Your subscription to {store.name} was not changed"
    amount = f"${charge.amount_minor // 100}.{charge.amount_minor % 100:02d}"
    assert (
        f'could not be changed from "Basic" to "Pro": the payment of {amount} did not go '
        "through. Your subscription continues unchanged." in text(message)
    )
    assert not EmailLog.objects.filter(kind=EmailKind.PLAN_CHANGED).exists()


def test_a_notice_goes_once_however_often_its_event_is_handled(basic, smtp_server):
    subscription = subscribed(basic)
    subscription_cancel(order=subscription.order)
    run_worker()
    event = DomainEvent.objects.get(name="subscription.canceling")

    DomainEvent.objects.filter(pk=event.pk).update(dispatched_at=None)
    HandledEvent.objects.filter(event=event).delete()  # as if every receipt was lost
    event_dispatch(event_id=event.pk)
    run_worker()

    assert EmailLog.objects.filter(kind=EmailKind.CANCELED).count() == 1
    assert len([m for m in smtp_server.messages if "is canceled" in m["Subject"]]) == 1


def test_a_notice_reads_in_the_buyers_language(store, basic, smtp_server):
    subscription = subscribed(basic, language="de")

    subscription_cancel(order=subscription.order)
    run_worker()

    message = notice(smtp_server, EmailKind.CANCELED)
    assert message["Subject"] == f"Ihr Abonnement bei {store.name} ist gekündigt"
    ends = long_date(Subscription.objects.get().current_period_end, "de")
    assert f"Es bleibt bis zum {ends} aktiv" in text(message)
