"""One trial per buyer per product: the eligibility rule, and where it is enforced.

The rule (``trial_used``) is the one place that decides whether a buyer already had a trial:
a paid order of this store and environment that started with a trial of any of the given
products, bought by the same buyer. The buyer is its identity when the checkout is
authenticated (the merchant's stable identifier), else its normalized email. It takes a
set of product IDs so that a product group with a shared trial can pass all its products.

Where: orders is the lowest app that knows who buys (the email and the identity arrive
with the payment, never before: the hosted page cannot know them while it shows the
price), and every way of paying opens its order under the session lock
(``orders.services.order_open_for_payment``). There a used trial refuses the payment
before any money moves (``TrialUsed``, 409); ``forfeiting_used_trial`` then marks the
session's trial forfeited, so the page shown again, and every later quote, carries the
full price. A buyer is never charged an amount the page did not show: the refused attempt
charged nothing, and the next one is priced from what the page then shows.
"""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from checkout.models import CheckoutSession
from checkout.services import session_forfeit_trial
from core.errors import Conflict
from core.text import normalize_email
from orders.models import Order

TRIAL_USED = "This trial has already been used: the full price applies. Please review the total."


class TrialUsed(Conflict):
    default_code = "trial_used"
    default_layer = "order"

    def __init__(self):
        super().__init__(TRIAL_USED)


def trial_used(
    *,
    store_id,
    environment: str,
    buyer_identity: str,
    email: str,
    product_ids: Iterable,
) -> bool:
    """Did this buyer already have a trial of any of ``product_ids`` in this store and
    environment? Only paid orders count: an abandoned checkout used nothing."""
    products = set(product_ids)
    if not products:
        return False
    orders = Order.objects.filter(
        store_id=store_id,
        environment=environment,
        with_trial=True,
        completed_at__isnull=False,
        lines__product_id__in=products,
    )
    if buyer_identity:
        orders = orders.filter(buyer_identity=buyer_identity)
    else:
        orders = orders.filter(buyer_email=normalize_email(email))
    return orders.exists()


def check_trial(*, session: CheckoutSession, buyer_identity: str, email: str) -> None:
    """Under the session lock, before an order is priced: refuse a trial already used."""
    products = {line.product_id for line in session.line_items if line.with_trial}
    if products and trial_used(
        store_id=session.store_id,
        environment=session.environment,
        buyer_identity=buyer_identity,
        email=email,
        product_ids=products,
    ):
        raise TrialUsed()


@contextmanager
def forfeiting_used_trial(session_id) -> Iterator[None]:
    """Around the transaction that opens the order: when it was refused for a used trial
    (and so rolled back), the session's trial is forfeited in a transaction of its own."""
    try:
        yield
    except TrialUsed:
        session_forfeit_trial(session_id=session_id)
        raise
