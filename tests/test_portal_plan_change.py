"""Self-service plan changes in the customer portal (Django test client): "Change plan" is
offered only where the group allows it, lists the group's other plans priced in the
subscription's currency, and a choice opens the plan change session the customer API would
open (its rules hold whatever the form posts) and moves on to its confirmation page, which
leads back to the portal."""

import re

import pytest
from django.test import Client

from subscriptions.models import PlanChange
from tests.factories import MerchantFactory, StoreFactory
from tests.plan_change_support import group, plan_at
from tests.portal_support import order_url, sign_in
from tests.subscription_support import subscribe

pytestmark = pytest.mark.django_db


@pytest.fixture
def tiers(store):
    basic, pro, team = (
        plan_at(store, "10.00", "Basic"),
        plan_at(store, "30.00", "Pro"),
        plan_at(store, "50.00", "Team"),
    )
    group(store, basic, pro, team)
    return {"basic": basic, "pro": pro, "team": team}


@pytest.fixture
def subscription(tiers):
    return subscribe(tiers["basic"])


def plan_url(order) -> str:
    return order_url(order, "/plan")


def test_the_order_page_offers_a_plan_change_where_the_group_allows_it(client, store, subscription):
    sign_in(client, store)

    body = client.get(order_url(subscription.order)).content.decode()

    assert f'href="{plan_url(subscription.order)}"' in body
    assert re.search(r'id="order-plan">Basic<', body)


@pytest.mark.parametrize(
    ("case", "self_service", "in_group"),
    [
        ("self-service off", False, True),
        ("not in any group", True, False),
    ],
)
def test_no_plan_change_is_offered_where_the_group_does_not_allow_it(
    client, store, case, self_service, in_group
):
    basic, pro = plan_at(store, "10.00", "Basic"), plan_at(store, "30.00", "Pro")
    if in_group:
        group(store, basic, pro, self_service=self_service)
    subscription = subscribe(basic)
    sign_in(client, store)

    body = client.get(order_url(subscription.order)).content.decode()
    response = client.get(plan_url(subscription.order))

    assert 'id="change-plan"' not in body, case
    assert response.status_code == 303, case
    assert response["Location"].endswith("?notice=refused")
    posted = client.post(plan_url(subscription.order), {"plan": pro.public_id})
    assert posted.status_code == 303 and not PlanChange.objects.exists(), case


def test_a_canceled_subscription_is_offered_no_plan_change(client, store, subscription):
    sign_in(client, store)
    client.post(order_url(subscription.order, "/cancel"))

    body = client.get(order_url(subscription.order)).content.decode()

    assert 'id="change-plan"' not in body


def test_the_plan_page_lists_the_groups_other_plans_in_the_subscriptions_currency(
    client, store, tiers
):
    subscription = subscribe(tiers["basic"], currency="EUR")
    sign_in(client, store)

    response = client.get(plan_url(subscription.order))

    assert response.status_code == 200
    body = response.content.decode()
    options = re.findall(r'name="plan" id="plan-(PROD_\w+)"', body)
    assert options == [tiers["pro"].public_id, tiers["team"].public_id]
    assert "€35.70" in body and "€59.50" in body  # with German VAT, as the change page
    assert "$" not in body
    assert "csrfmiddlewaretoken" in body
    csp = response["Content-Security-Policy"]
    assert "'unsafe-inline'" not in csp and "default-src 'none'" in csp


def test_choosing_a_plan_opens_the_change_and_its_page_leads_back(client, store, subscription):
    sign_in(client, store)

    response = client.post(
        plan_url(subscription.order),
        {"plan": store.products.get(test_version__name="Pro").public_id},
    )

    target = PlanChange.objects.get()
    assert response.status_code == 303
    assert response["Location"] == f"/store/{store.slug}/change/{target.public_id}"
    assert target.subscription_id == subscription.pk and target.to_version.name == "Pro"
    assert target.timing == "immediate"  # an upgrade
    page = client.get(response["Location"]).content.decode()
    assert f'href="{order_url(subscription.order)}" id="back-to-portal"' in page

    confirmed = client.post(response["Location"])

    assert confirmed.status_code == 303
    assert confirmed["Location"].endswith(f"{order_url(subscription.order)}?notice=plan_changed")
    body = client.get(order_url(subscription.order) + "?notice=plan_changed").content.decode()
    assert "Your plan change is confirmed." in body
    assert re.search(r'id="order-plan">Pro<', body)


def test_a_plan_outside_the_group_is_refused(client, store, subscription):
    outside = plan_at(store, "20.00", "Elsewhere")
    other_store_plan = plan_at(StoreFactory(owner=MerchantFactory()), "20.00", "Theirs")
    sign_in(client, store)

    for posted in (outside.public_id, other_store_plan.public_id, "PROD_nope", ""):
        response = client.post(plan_url(subscription.order), {"plan": posted})
        assert response.status_code == 303, posted
        assert response["Location"] == f"{plan_url(subscription.order)}?notice=plan_unavailable"
    assert not PlanChange.objects.exists()
    page = client.get(f"{plan_url(subscription.order)}?notice=plan_unavailable").content.decode()
    assert 'role="alert"' in page and "This plan is not available" in page


def test_another_buyers_order_is_not_found(client, store, subscription, tiers):
    theirs = subscribe(tiers["basic"], identity="buyer-2")
    sign_in(client, store)

    assert client.get(plan_url(theirs.order)).status_code == 404
    assert client.post(plan_url(theirs.order), {"plan": tiers["pro"].public_id}).status_code == 404
    assert not PlanChange.objects.exists()


def test_choosing_a_plan_needs_the_csrf_token_and_a_session(store, subscription, tiers):
    strict = Client(enforce_csrf_checks=True)
    sign_in(strict, store)
    assert (
        strict.post(plan_url(subscription.order), {"plan": tiers["pro"].public_id}).status_code
        == 403
    )
    anonymous = Client().post(plan_url(subscription.order), {"plan": tiers["pro"].public_id})
    assert anonymous.status_code == 401
    assert not PlanChange.objects.exists()


def test_a_downgrade_is_scheduled_and_the_order_says_which_plan_comes_next(client, store, tiers):
    subscription = subscribe(tiers["pro"])
    sign_in(client, store)

    response = client.post(plan_url(subscription.order), {"plan": tiers["basic"].public_id})
    change = PlanChange.objects.get()
    assert change.timing == "next_period"  # a cheaper plan: at the next billing date
    client.post(response["Location"])

    body = client.get(order_url(subscription.order)).content.decode()
    date = subscription.current_period_end.strftime("%Y-%m-%d")
    assert re.search(r'id="order-plan">Pro<', body)
    assert re.search(rf'id="order-next-plan">Basic from {date}<', body)
    # The next charge is the plan that starts then: Basic with German VAT, not Pro.
    assert re.search(r'class="next-amount">\$11\.90<', body), body


def test_the_plan_page_speaks_the_buyers_language(client, store, subscription):
    sign_in(client, store)

    body = client.get(plan_url(subscription.order), HTTP_ACCEPT_LANGUAGE="de").content.decode()

    assert "Wählen Sie Ihren neuen Tarif" in body and "Änderung prüfen" in body
    assert "Choose your new plan" not in body
