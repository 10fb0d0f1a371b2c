"""Plan changes in admin: a merchant reads its own, never another merchant's."""

import pytest

from subscriptions.models import PlanChange
from subscriptions.plan_change_request import parse_plan_change_request
from subscriptions.plan_changes import Requester, plan_change_offer
from tests.admin_factories import AdminMerchantFactory, changelist_url
from tests.factories import StoreFactory
from tests.plan_change_support import change_body, plan_at
from tests.subscription_support import subscribe

pytestmark = pytest.mark.django_db


def _offer(store) -> PlanChange:
    basic, pro = plan_at(store, "10.00", "Basic"), plan_at(store, "30.00", "Pro")
    subscription = subscribe(basic)
    request = parse_plan_change_request(change_body(subscription, pro), from_merchant=True)
    merchant_id = store.memberships.first().merchant_id
    return plan_change_offer(
        requester=Requester(environment="test", merchant_id=merchant_id), request=request
    )


def test_a_merchant_lists_its_own_plan_changes(merchant_client, store):
    mine = _offer(store)
    theirs = _offer(StoreFactory(owner=AdminMerchantFactory()))

    listing = merchant_client.get(changelist_url(PlanChange))
    detail = merchant_client.get(f"{changelist_url(PlanChange)}{mine.pk}/change/")

    assert listing.status_code == 200
    assert set(listing.context["cl"].result_list) == {mine}
    assert theirs.public_id not in listing.text
    assert detail.status_code == 200
