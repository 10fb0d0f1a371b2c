from checkout.api.representations import rate_number
from core.money import format_amount
from core.timefmt import iso_utc
from orders.models import Order, OrderLine


def line_json(line: OrderLine, currency: str) -> dict:
    return {
        "kind": line.kind,
        "productId": line.product.public_id if line.product_id else None,
        "productVersionId": str(line.product_version_id) if line.product_version_id else None,
        "name": line.name,
        "quantity": line.quantity,
        "unitAmount": format_amount(line.unit_amount_minor, currency),
        "subtotal": format_amount(line.subtotal_minor, currency),
        "taxAmount": format_amount(line.tax_minor, currency),
        "total": format_amount(line.total_minor, currency),
        "taxRate": rate_number(line.tax_rate),
    }


def order_json(order: Order) -> dict:
    return {
        "orderId": order.public_id,
        "status": order.status,
        "checkoutSessionId": order.checkout_session.public_id,
        "storeId": order.store.public_id,
        "currency": order.currency,
        "subtotal": format_amount(order.subtotal_minor, order.currency),
        "taxAmount": format_amount(order.tax_minor, order.currency),
        "total": format_amount(order.total_minor, order.currency),
        "taxRate": rate_number(order.tax_rate),
        "taxName": order.tax_name or None,
        "buyerEmail": order.buyer_email,
        "billingDetail": order.billing_detail,
        "orderMerchantExternalId": order.order_merchant_external_id or None,
        "metadata": order.metadata,
        "lines": [
            line_json(line, order.currency)
            for line in order.lines.select_related("product").order_by("position")
        ],
        "createdAt": iso_utc(order.created_at),
    }
