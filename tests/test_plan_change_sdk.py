"""The official SDK's three plan change methods against a live server."""

import pytest

from subscriptions.models import PlanChange
from tests.factories import StoreFactory
from tests.plan_change_support import group, plan_at
from tests.subscription_support import subscribe

pytestmark = pytest.mark.sdk


def _change(session_id: str) -> PlanChange:
    return PlanChange.objects.get(pk=session_id.removeprefix("pcs_"))


def test_the_three_plan_change_methods_through_the_sdk(live_sdk, live_merchant, settings):
    store = StoreFactory(owner=live_merchant)
    basic, pro = plan_at(store, "10.00", "Basic"), plan_at(store, "30.00", "Pro")
    outsider = plan_at(store, "50.00", "Outsider")
    group(store, basic, pro)
    order = subscribe(basic).order

    out = live_sdk(
        "plan_changes.mjs",
        STORE_ID=store.public_id,
        ORDER_ID=order.public_id,
        PRO_ID=pro.public_id,
        OUTSIDER_ID=outsider.public_id,
    )

    base = f"{settings.PUBLIC_BASE_URL}/store/{store.slug}/change/"
    merchant = out["merchant"]
    assert merchant["checkoutUrl"] == base + merchant["sessionId"]
    assert _change(merchant["sessionId"]).due_now_minor == -100  # the merchant's credit
    authenticated = out["authenticated"]
    url, _, token = authenticated["checkoutUrl"].partition("#token=")
    assert url == base + authenticated["sessionId"] and token == authenticated["token"]
    assert _change(authenticated["sessionId"]).timing == "next_period"
    message = "changeAmount and changeCreditAmount are mutually exclusive: send one"
    assert out["bothAmounts"]["status"] == 400
    assert out["bothAmounts"]["errors"] == [{"message": message, "layer": "order"}]
    own = _change(out["own"]["sessionId"])
    assert own.timing == "immediate" and own.due_now_minor > 0
    assert out["notInGroup"]["status"] == 403
    assert out["notInGroup"]["message"] == (
        "Target plan is not in the same product group as the current plan"
    )
    assert out["notTheirs"]["status"] == 403
    assert out["notTheirs"]["message"] == "Subscription order does not belong to this credential"
    assert PlanChange.objects.count() == 3
