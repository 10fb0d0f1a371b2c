"""Trials through the official SDK against a live server: ``withTrial`` on createSession
(three-state), a trial paid and managed by the buyer (cancel during the trial, undo)."""

import pytest

from checkout.models import CheckoutSession
from orders.models import Order
from subscriptions.services import subscription_start
from tests.factories import StoreFactory
from tests.trial_support import TRIAL_DAYS, pay, trial_product

pytestmark = pytest.mark.sdk


def session_of(created: dict) -> CheckoutSession:
    return CheckoutSession.objects.get(pk=created["sessionId"].removeprefix("cs_"))


def test_a_with_trial_session_through_the_sdk_starts_a_trial(live_sdk, live_merchant):
    store = StoreFactory(owner=live_merchant)
    product = trial_product(store, trial_amount="1.00")

    out = live_sdk("trials.mjs", PHASE="create", PRODUCT_ID=product.public_id)

    trial, full, default = (
        session_of(out[name]).line_items[0]
        for name in ("withTrial", "withoutTrial", "productDefault")
    )
    assert (trial.with_trial, trial.trial_days, trial.trial_amount_minor) == (True, TRIAL_DAYS, 100)
    assert (full.with_trial, full.trial_amount_minor) == (False, None)
    assert default.with_trial is True  # left out: the product's trial applies

    outcome = pay(session_of(out["withTrial"]), identity="buyer-1")
    assert outcome.order.status == "trialing"
    subscription = subscription_start(order=outcome.order)

    out = live_sdk(
        "trials.mjs", PHASE="manage", STORE_ID=store.public_id, ORDER_ID=outcome.order.public_id
    )

    order_id = outcome.order.public_id
    assert out["canceled"] == {"orderId": order_id, "status": "canceling"}
    assert out["reactivated"] == {"orderId": order_id, "status": "trialing"}
    assert Order.objects.get(pk=outcome.order.pk).status == "trialing"
    subscription.refresh_from_db()
    assert subscription.current_period_end == subscription.trial_end
