"""Public URLs of hosted pages, as the SDK documents them."""

from django.conf import settings

from checkout.models import CheckoutSession


def hosted_checkout_url(session: CheckoutSession) -> str:
    return f"{settings.PUBLIC_BASE_URL}/store/{session.store.slug}/checkout/{session.public_id}"


def public_cart_url(cart) -> str:
    """The link a buyer opens (and a template cart's QR code holds): ``/c/<ULID>``."""
    return f"{settings.PUBLIC_BASE_URL}/c/{cart.public_id}"
