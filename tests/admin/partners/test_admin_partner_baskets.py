"""Partner baskets in admin: read-only, with their items, current state and partner order."""

from datetime import timedelta

import pytest
from django.utils import timezone

from partners.models import Basket, BasketState
from tests.admin.partner_support import result_list
from tests.admin_factories import (
    SuperuserFactory,
    add_url,
    admin_url,
    change_url,
    changelist_url,
)
from tests.partner_factories import (
    make_basket,
    pay_basket,
)

pytestmark = pytest.mark.django_db


def test_baskets_are_read_only(merchant_client, product, partner):
    basket = make_basket(partner, product, quantity=2)

    assert merchant_client.get(add_url(Basket)).status_code == 403
    page = merchant_client.get(change_url(basket))
    assert page.status_code == 200
    assert 'name="_save"' not in page.text
    assert 'name="_continue"' not in page.text
    response = merchant_client.post(
        change_url(basket), {"state": "completed", "currency": "EUR", "_save": "Save"}
    )
    assert response.status_code == 403
    basket.refresh_from_db()
    assert (basket.state, basket.currency) == (BasketState.ACTIVE, "USD")
    delete = admin_url(Basket, "delete", basket.pk)
    assert merchant_client.post(delete, {"post": "yes"}).status_code == 403
    assert Basket.objects.filter(pk=basket.pk).exists()


@pytest.mark.parametrize("as_superuser", [False, True], ids=["merchant", "superuser"])
def test_basket_page_shows_its_items(client, merchant, product, partner, as_superuser):
    basket = make_basket(partner, product, quantity=3)
    client.force_login(SuperuserFactory() if as_superuser else merchant.user)

    response = client.get(change_url(basket))

    assert response.status_code == 200
    formsets = response.context["inline_admin_formsets"]
    assert len(formsets) == 1, "the basket's items are not shown"
    assert [form.instance.quantity for form in formsets[0].formset.forms] == [3]
    assert "Widget" in response.text


def test_basket_list_shows_current_state_and_partner_order(
    merchant_client, store, product, partner
):
    paid = make_basket(partner, product)
    order = pay_basket(paid)
    expired = make_basket(partner, product, quantity=2)
    Basket.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    active = make_basket(partner, product, quantity=3)

    response = merchant_client.get(changelist_url(Basket))

    rows = result_list(response)
    admin = response.context["cl"].model_admin
    shown = {basket.pk: (admin.current_state(basket), admin.order(basket)) for basket in rows}
    assert shown == {
        paid.pk: ("completed", f"{order.public_id} (completed)"),
        expired.pk: ("expired", "—"),
        active.pk: ("active", "—"),
    }
    assert Basket.objects.get(pk=expired.pk).state == BasketState.ACTIVE  # stored row unchanged
    assert f"{order.public_id} (completed)" in response.text
    assert "expired" in response.text and "completed" in response.text


def test_basket_state_filter_follows_the_current_state(merchant_client, product, partner):
    paid = make_basket(partner, product)
    pay_basket(paid)
    lapsed = make_basket(partner, product, quantity=2)
    Basket.objects.filter(pk=lapsed.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    active = make_basket(partner, product, quantity=3)

    def listed(state):
        response = merchant_client.get(changelist_url(Basket), {"state": state})
        return {basket.pk for basket in result_list(response)}

    assert listed("active") == {active.pk}
    assert listed("expired") == {lapsed.pk}
    assert listed("completed") == {paid.pk}


def test_basket_page_shows_current_state_and_partner_order(merchant_client, product, partner):
    basket = make_basket(partner, product)
    order = pay_basket(basket)

    response = merchant_client.get(change_url(basket))

    assert response.status_code == 200
    assert f"{order.public_id} (completed)" in response.text
