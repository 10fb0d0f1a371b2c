"""The JSON shapes the cart checkout API (seed 002) answers: snake_case, amounts as exact
decimal strings in the currency's units."""

from django.conf import settings

from checkout.api.cart_params import QR_MARGIN, QR_SIZE
from checkout.billing import shipping_tax_basis
from checkout.links import hosted_checkout_url
from checkout.models import CheckoutSession, TemplateCart
from checkout.pricing import quote
from checkout.shipping import MethodOption
from core import ids
from core.money import format_amount
from core.timefmt import iso_utc


def _amount(minor: int | None, currency: str) -> str | None:
    return None if minor is None else format_amount(minor, currency)


def qr_json(cart: TemplateCart, url: str, size: int, margin: int) -> dict:
    base = f"{settings.PUBLIC_BASE_URL}/checkout/{cart.public_id}/qr"
    query = (
        "" if (size, margin) == (QR_SIZE[2], QR_MARGIN[2]) else (f"?size={size}&margin={margin}")
    )
    return {
        "cart_id": cart.public_id,
        "url": url,
        "png_url": f"{base}.png{query}",
        "svg_url": f"{base}.svg{query}",
        "size": size,
        "margin": margin,
    }


def _line_json(line, currency: str) -> dict:
    return {
        "product_id": ids.to_short_id("PROD", line.product_id),
        "name": line.name,
        "quantity": line.quantity,
        "unit_amount": format_amount(line.charged_unit_amount, currency),
        "total": format_amount(line.charged_unit_amount * line.quantity, currency),
    }


def begin_json(session: CheckoutSession, cart: TemplateCart) -> dict:
    items = session.line_items
    return {
        "checkout_session_id": session.public_id,
        "checkout_url": hosted_checkout_url(session),
        "expires_at": iso_utc(session.expires_at),
        "status": session.status,
        "template_cart_id": cart.public_id,
        "currency": session.currency,
        "requires_shipping": session.requires_shipping,
        "lines": [_line_json(line, session.currency) for line in items],
        "subtotal": format_amount(
            sum(line.charged_unit_amount * line.quantity for line in items), session.currency
        ),
    }


def totals_json(session: CheckoutSession) -> dict:
    """Goods and shipping net of tax, the tax, and the total: they always add up."""
    currency = session.currency
    result = quote(session=session, billing=shipping_tax_basis(session=session))
    goods = len(session.line_items)
    shipping = result.lines[goods].subtotal_minor if session.shipping_method else None
    return {
        "currency": currency,
        "subtotal": format_amount(
            sum(line.subtotal_minor for line in result.lines[:goods]), currency
        ),
        "shipping": _amount(shipping, currency),
        "tax": format_amount(result.tax_minor, currency),
        "total": format_amount(result.total_minor, currency),
    }


def shipping_json(session: CheckoutSession, options: list[MethodOption]) -> dict:
    currency = session.currency
    return {
        "cart_id": session.public_id,
        "buyer_info": session.shipping_address,
        "shipping_methods": [
            {
                "id": option.id,
                "name": option.name,
                "amount": format_amount(option.amount_minor, currency),
                "delivery_estimate": option.delivery_estimate,
            }
            for option in options
        ],
        "selected_shipping_method_id": (session.shipping_method or {}).get("id"),
        "totals": totals_json(session),
    }


def token_json(session: CheckoutSession, token: str, expires_at) -> dict:
    return {
        "token": token,
        "expires_at": iso_utc(expires_at),
        "checkout_url": f"{hosted_checkout_url(session)}#token={token}",
    }
