"""One trial per buyer per product (per group when the group shares its trial): the
eligibility rule, and where it is enforced.

The rule (``trial_used``) is the one place that decides whether a buyer already had a trial:
a paid order of this store and environment that started with a trial of any of the given
products, bought by the same buyer. The buyer is its identity when the checkout is
authenticated (the merchant's stable identifier), else its normalized email. It takes a
set of product IDs: ``check_trial`` passes the session's trial plans widened to every plan
of their ``sharedTrial`` groups (``catalog.selectors.trial_sharing_product_ids``).

Exactly once under concurrency: two sessions of one buyer paid at the same moment would
both see no paid trial (neither order is completed before its charge). So ``check_trial``
first takes a transaction-scoped lock per buyer (PostgreSQL advisory locks keyed by store,
environment and buyer; SQLite runs one writing transaction at a time anyway), and a trial
order of the same buyer whose payment is still pending counts as taken: the second payer
is told to wait (``TrialInProgress``, 409) and keeps the trial on the page, since the first
may yet be declined.

Where: orders is the lowest app that knows who buys (the email and the identity arrive
with the payment, never before: the hosted page cannot know them while it shows the
price), and every way of paying opens its order under the session lock
(``orders.services.order_open_for_payment``). There a used trial refuses the payment
before any money moves (``TrialUsed``, 409); ``forfeiting_used_trial`` then marks the
session's trial forfeited, so the page shown again, and every later quote, carries the
full price. A buyer is never charged an amount the page did not show: the refused attempt
charged nothing, and the next one is priced from what the page then shows.
"""

import hashlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.db import connection
from django.db.models import F, Q, QuerySet

from catalog.selectors import trial_sharing_product_ids
from checkout.models import CheckoutSession
from checkout.services import session_forfeit_trial
from core.errors import Conflict
from core.text import normalize_email
from orders.models import Order

TRIAL_USED = "This trial has already been used: the full price applies. Please review the total."
TRIAL_IN_PROGRESS = "A trial payment by this buyer is already in progress"


class TrialUsed(Conflict):
    default_code = "trial_used"
    default_layer = "order"

    def __init__(self):
        super().__init__(TRIAL_USED)


class TrialInProgress(Conflict):
    """Another checkout of the same buyer is paying a trial this one would share: wait for
    its outcome (a decline leaves the trial available) rather than take a second trial."""

    default_code = "trial_in_progress"
    default_layer = "order"

    def __init__(self):
        super().__init__(TRIAL_IN_PROGRESS)


def _trial_orders(
    *, store_id, environment: str, buyer_identity: str, email: str, product_ids: Iterable
) -> QuerySet[Order]:
    """The buyer's orders of this store and environment that started a trial of any of
    ``product_ids`` (paid or not): the identity when there is one, else the email."""
    orders = Order.objects.filter(
        store_id=store_id,
        environment=environment,
        with_trial=True,
        lines__product_id__in=set(product_ids),
    )
    if buyer_identity:
        return orders.filter(buyer_identity=buyer_identity)
    return orders.filter(buyer_email=normalize_email(email))


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
    return (
        _trial_orders(
            store_id=store_id,
            environment=environment,
            buyer_identity=buyer_identity,
            email=email,
            product_ids=products,
        )
        .filter(completed_at__isnull=False)
        .exists()
    )


def _buyer_lock_keys(*, session: CheckoutSession, buyer_identity: str, email: str) -> list[int]:
    """The advisory lock keys of the buyer keys ``trial_used`` may match on. An identified
    buyer also takes the email's: an anonymous checkout with that email counts its orders."""
    names = [f"email:{normalize_email(email)}"]
    if buyer_identity:
        names.append(f"identity:{buyer_identity}")
    keys = []
    for name in names:
        text = f"trial|{session.store_id}|{session.environment}|{name}"
        digest = hashlib.blake2b(text.encode(), digest_size=8).digest()
        keys.append(int.from_bytes(digest, "big", signed=True))
    return sorted(keys)  # one order for every taker: no deadlock between two buyers' keys


def _hold_buyer(*, session: CheckoutSession, buyer_identity: str, email: str) -> None:
    """Until the transaction ends, one payer per buyer gets past the trial check."""
    if connection.vendor != "postgresql":
        return  # SQLite: transactions start IMMEDIATE, one writer at a time
    with connection.cursor() as cursor:
        for key in _buyer_lock_keys(session=session, buyer_identity=buyer_identity, email=email):
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


def check_trial(*, session: CheckoutSession, buyer_identity: str, email: str) -> None:
    """Under the session lock, before an order is priced: refuse a trial already used (of
    this plan, or of any plan sharing its trial), or being paid in another checkout."""
    trial_plans = [line.product_id for line in session.line_items if line.with_trial]
    if not trial_plans:
        return
    _hold_buyer(session=session, buyer_identity=buyer_identity, email=email)
    products = trial_sharing_product_ids(product_ids=trial_plans, environment=session.environment)
    scope = {
        "store_id": session.store_id,
        "environment": session.environment,
        "buyer_identity": buyer_identity,
        "email": email,
        "product_ids": products,
    }
    # One statement, so one snapshot: asked in two, a trial payment recorded between them
    # (READ COMMITTED) would be neither completed in the first nor pending in the second.
    paying_elsewhere = Q(payments__status="pending", payments__period=1) & ~Q(
        checkout_session_id=session.pk
    )
    taken = (
        _trial_orders(**scope)
        .filter(Q(completed_at__isnull=False) | paying_elsewhere)
        .order_by(F("completed_at").desc(nulls_last=True))
        .values_list("completed_at", flat=True)[:1]
    )
    for completed_at in taken:
        raise TrialUsed() if completed_at else TrialInProgress()


@contextmanager
def forfeiting_used_trial(session_id) -> Iterator[None]:
    """Around the transaction that opens the order: when it was refused for a used trial
    (and so rolled back), the session's trial is forfeited in a transaction of its own."""
    try:
        yield
    except TrialUsed:
        session_forfeit_trial(session_id=session_id)
        raise
