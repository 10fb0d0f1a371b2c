"""Trials shared by a product group (``rules.sharedTrial``): a buyer who had the trial of
one plan of the group gets no trial of another; and a trial being paid in another checkout
of the same buyer counts as taken until its outcome is known."""

import pytest
from django.utils import translation

from catalog.models import ProductGroup, ProductGroupMember
from checkout.web.error_text import buyer_message
from core.errors import AppError
from orders.models import OrderStatus
from orders.trials import TRIAL_IN_PROGRESS, TRIAL_USED, TrialInProgress
from payments.models import Payment, SandboxCharge
from payments.processors.base import ChargeResult, ChargeStatus
from payments.services import payment_record
from tests.factories import MerchantFactory, StoreFactory
from tests.payment_support import lose_payment
from tests.trial_support import checkout, pay, start_trial, trial_product

pytestmark = pytest.mark.django_db


def tiers(store, *plans, shared=True, environment="test"):
    group = ProductGroup.objects.create(
        store=store, environment=environment, name="Tiers", shared_trial=shared
    )
    for position, plan in enumerate(plans):
        ProductGroupMember.objects.create(group=group, product=plan, position=position)
    return group


@pytest.fixture
def plans(store):
    """basic and pro in one group (shared or not, per case), team in a shared group of its
    own; buyer-1 had the trial of basic."""
    basic, pro, team = trial_product(store), trial_product(store), trial_product(store)
    start_trial(basic, identity="buyer-1")
    return {"basic": basic, "pro": pro, "team": team}


def _other_store_plan():
    """A plan of another store, in that store's shared group with a plan buyer-1 trialed."""
    other = StoreFactory(owner=MerchantFactory())
    had, target = trial_product(other), trial_product(other)
    tiers(other, had, target)
    return target


@pytest.mark.parametrize(
    ("case", "shared", "group_environment", "target", "used"),
    [
        ("shared, the same plan", True, "test", "basic", True),
        ("shared, another plan of the group", True, "test", "pro", True),
        ("not shared, the same plan", False, "test", "basic", True),
        ("not shared, another plan of the group", False, "test", "pro", False),
        ("shared, a plan of another group", True, "test", "team", False),
        ("shared only in the other environment", True, "prod", "pro", False),
        ("shared, another store's group", True, "test", "other store", False),
    ],
)
def test_who_gets_a_trial_of_a_group(store, plans, case, shared, group_environment, target, used):
    tiers(store, plans["basic"], plans["pro"], shared=shared, environment=group_environment)
    tiers(store, plans["team"], trial_product(store))
    product = _other_store_plan() if target == "other store" else plans[target]
    session = checkout(product)

    if used:
        with pytest.raises(AppError) as refused:
            pay(session, identity="buyer-1")
        assert (refused.value.code, refused.value.message) == ("trial_used", TRIAL_USED), case
        assert not Payment.objects.filter(order__checkout_session=session).exists()
    else:
        outcome = pay(session, identity="buyer-1")
        assert outcome.succeeded, case
        assert outcome.order.status == OrderStatus.TRIALING, case


def test_an_anonymous_buyer_is_matched_by_email_across_the_group(store):
    basic, pro = trial_product(store), trial_product(store)
    tiers(store, basic, pro)
    start_trial(basic, identity="")

    with pytest.raises(AppError, match=TRIAL_USED):
        pay(checkout(pro, email=" Buyer@Example.com"), identity="")


def test_a_trial_being_paid_elsewhere_holds_the_next_one_until_its_outcome(store):
    basic, pro = trial_product(store), trial_product(store)
    tiers(store, basic, pro)
    pending = lose_payment(session=checkout(basic), charged=False, buyer_identity="buyer-1")
    second = checkout(pro)
    charges = SandboxCharge.objects.count()

    with pytest.raises(AppError) as waiting:
        pay(second, identity="buyer-1")

    assert (waiting.value.status, waiting.value.code) == (409, "trial_in_progress")
    assert waiting.value.message == TRIAL_IN_PROGRESS
    assert SandboxCharge.objects.count() == charges
    second.refresh_from_db()
    assert not second.trial_forfeited  # the first may yet be declined
    declined = ChargeResult(status=ChargeStatus.FAILED, failure_code="card_declined")
    payment_record(payment=pending, result=declined)

    outcome = pay(second, identity="buyer-1")  # the first trial never happened

    assert outcome.succeeded
    assert outcome.order.status == OrderStatus.TRIALING


def test_a_trial_pending_for_another_buyer_or_without_trial_holds_nothing(store):
    basic = trial_product(store)
    lose_payment(session=checkout(basic), charged=False, buyer_identity="buyer-2")

    outcome = pay(checkout(basic, email="one@example.com"), identity="buyer-1")

    assert outcome.succeeded
    lose_payment(session=checkout(basic), charged=False, buyer_identity="buyer-3")
    full_price = pay(checkout(basic, withTrial=False), identity="buyer-3")
    assert full_price.succeeded and full_price.order.status == OrderStatus.ACTIVE


def test_a_hosted_page_says_in_its_language_that_the_trial_is_being_paid_elsewhere():
    with translation.override("en"):
        english = buyer_message(TrialInProgress())
    with translation.override("de"):
        german = buyer_message(TrialInProgress())

    assert english.startswith("Your trial is already being paid for in another checkout.")
    assert german.startswith("Ihr Testzeitraum wird bereits")
