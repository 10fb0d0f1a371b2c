"""Template carts and their admin form data, for the template cart admin tests."""

from checkout.models import TemplateCart, TemplateCartItem
from stores.models import Environment

USD = {"USD": {"amount": "29.00", "taxCategory": "digital_goods", "taxIncluded": False}}


def make_cart(store, *items, **fields):
    fields.setdefault("environment", Environment.TEST)
    fields.setdefault("name", "Kit")
    fields.setdefault("currency", "USD")
    cart = TemplateCart.objects.create(store=store, **fields)
    for position, (product, quantity) in enumerate(items):
        TemplateCartItem.objects.create(
            cart=cart, product=product, quantity=quantity, position=position
        )
    return cart


def cart_data(store=None, items=(), *, initial=0, **overrides):
    """What the cart add/change form posts; ``items`` are (product, quantity[, item]) rows."""
    data = {
        "environment": "test",
        "name": "Starter kit",
        "currency": "USD",
        "success_url": "",
        "active": "on",
        "items-TOTAL_FORMS": str(len(items)),
        "items-INITIAL_FORMS": str(initial),
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "1000",
        "_save": "Save",
    }
    if store is not None:
        data["store"] = str(store.pk)
    for index, row in enumerate(items):
        product, quantity = row[0], row[1]
        data[f"items-{index}-product"] = str(product.pk)
        data[f"items-{index}-quantity"] = str(quantity)
        data[f"items-{index}-position"] = str(index)
        if len(row) > 2:
            data[f"items-{index}-id"] = str(row[2].pk)
            data[f"items-{index}-cart"] = str(row[2].cart_id)
    data.update(overrides)
    return data


def formset_errors(response) -> list:
    return [dict(errors) for errors in response.context["inline_admin_formsets"][0].formset.errors]


def non_form_errors(response) -> list[str]:
    return list(response.context["inline_admin_formsets"][0].formset.non_form_errors())
