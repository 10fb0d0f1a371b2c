"""Plans in a group and plan change sessions, as a merchant or a buyer asks for them."""

import json

from django.test import Client

from catalog.models import ProductGroup, ProductGroupMember
from core.tokens import issue_customer_token
from subscriptions.models import PlanChange
from tests.subscription_support import subscription_product

SESSION = "/v1/actions/checkout/create-session"


def plan_at(store, amount: str, name: str, **fields):
    """A monthly plan at ``amount`` USD (EUR the same, JPY 100 times the units) plus tax."""
    usd = {"amount": amount, "taxCategory": "saas"}
    jpy = {"amount": amount.split(".")[0] + "00", "taxCategory": "saas"}
    return subscription_product(
        store, name=name, prices={"USD": usd, "EUR": usd, "JPY": jpy}, **fields
    )


def group(store, *plans, self_service=True, environment="test"):
    made = ProductGroup.objects.create(
        store=store,
        environment=environment,
        name="Tiers",
        self_service_plan_change=self_service,
    )
    for index, plan in enumerate(plans):
        ProductGroupMember.objects.create(group=made, product=plan, position=index)
    return made


def change_body(subscription, target, **fields) -> dict:
    return {
        "originOrderId": subscription.order.public_id,
        "productId": target.public_id,
        "currency": subscription.currency,
        **fields,
    }


def customer_post(store, identity: str, body: dict, environment: str = "test"):
    token, _ = issue_customer_token(buyer_identity=identity, store_id=str(store.pk))
    return Client().post(
        SESSION,
        json.dumps(body),
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}", "X-Environment": environment},
    )


def change_of(response) -> PlanChange:
    assert response.status_code == 200, response.json()
    session_id = response.json()["data"]["sessionId"]
    return PlanChange.objects.get(pk=session_id.removeprefix("pcs_"))


def page_path(change: PlanChange) -> str:
    return f"/store/{change.store.slug}/change/{change.public_id}"
