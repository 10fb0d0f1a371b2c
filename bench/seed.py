"""A large database for the bench (``make bench-large``): by default 1,000,000 checkout
sessions, 200,000 paid orders with their lines and payments, and 10,000 products, all in
the bench's store (the hardest case for its lists). ``--scale 0.1`` seeds a tenth.

Rows are cloned on the server from one real row of each kind made through the services
(``INSERT … SELECT`` over ``generate_series``, in batches, one transaction each), so a
million rows take a minute or two instead of hours and every row is one the application
itself could have written. Seeded rows carry ``order_merchant_external_id = 'seed'`` (or,
for products, ``seed`` in their version's metadata); a second run adds only what is
missing.
"""

from django.db import connection, transaction

from bench import fixtures
from checkout.billing import parse_billing_detail
from payments.cards import parse_card
from payments.services import checkout_pay

SESSIONS, ORDERS, PRODUCTS = 1_000_000, 200_000, 10_000
BATCH = 100_000
MARK = "seed"


def _columns(table: str) -> list[str]:
    with connection.cursor() as cursor:
        return [c.name for c in connection.introspection.get_table_description(cursor, table)]


def _clone(table: str, *, source: str, where: str, overrides: dict, params: list) -> int:
    """Copy the template row ``t`` of ``table`` once per row of ``source`` (aliased ``s``),
    with ``overrides`` (SQL expressions by column) in place of its values. An identity
    column left out of ``overrides`` as None gets its default."""
    columns = [c for c in _columns(table) if overrides.get(c, "") is not None]
    values = ", ".join(overrides.get(c, f't."{c}"') for c in columns)
    names = ", ".join(f'"{c}"' for c in columns)
    sql = f"INSERT INTO {table} ({names}) SELECT {values} FROM {table} t, {source} WHERE {where}"
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def _count(sql: str, params: list) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def _template_order(fixture: fixtures.Fixture):
    """A session paid through the services: the order, line and payment rows to clone."""
    session = fixtures.open_sessions(fixture, 1)[0]
    outcome = checkout_pay(
        session=session,
        billing=parse_billing_detail({"country": "FR", "isBusiness": False}),
        card=parse_card(number="4242424242424242", expiry="12/40", cvc="123"),
        buyer_email="seed@example.com",
    )
    return session, outcome.order, outcome.payment


def seed_sessions(fixture, template, *, total: int, paid: int) -> None:
    """Sessions, newest first, 20 s apart; the oldest ``paid`` are completed, the rest
    expired (an open session of the past would be expired by the sweep anyway)."""
    have = _count(
        "SELECT count(*) FROM checkout_checkoutsession WHERE order_merchant_external_id = %s",
        [MARK],
    )
    while have < total:
        count = min(BATCH, total - have)
        age = f"(({have} + g) * interval '20 seconds')"
        completed = f"({have} + g) > {total - paid}"
        _clone(
            "checkout_checkoutsession",
            source="generate_series(1, %s) g",
            where="t.id = %s",
            params=[count, template.pk],
            overrides={
                "id": "gen_random_uuid()",
                "order_merchant_external_id": f"'{MARK}'",
                "created_at": f"now() - {age}",
                "expires_at": f"now() - {age} + interval '1 day'",
                "status": f"CASE WHEN {completed} THEN 'completed' ELSE 'expired' END",
                "completed_at": f"CASE WHEN {completed} THEN now() - {age} END",
            },
        )
        have += count
        print(f"  sessions: {have:,}", flush=True)


def seed_orders(order, payment, *, total: int) -> None:
    """One paid order per completed seeded session, with its line and its payment."""
    while True:
        have = _count(
            "SELECT count(*) FROM orders_order WHERE order_merchant_external_id = %s", [MARK]
        )
        if have >= total:
            break
        source = (
            "(SELECT s.id, s.created_at FROM checkout_checkoutsession s"
            " WHERE s.order_merchant_external_id = %s AND s.status = 'completed'"
            " AND NOT EXISTS (SELECT 1 FROM orders_order o WHERE o.checkout_session_id = s.id)"
            " LIMIT %s) s"
        )
        _clone(
            "orders_order",
            source=source,
            where="t.id = %s",
            params=[MARK, min(BATCH, total - have), order.pk],
            overrides={
                "id": "gen_random_uuid()",
                "checkout_session_id": "s.id",
                "order_merchant_external_id": f"'{MARK}'",
                "created_at": "s.created_at",
                "updated_at": "s.created_at",
                "completed_at": "s.created_at",
            },
        )
        print(f"  orders: {min(total, have + BATCH):,}", flush=True)
    _children(order, payment)


def _children(order, payment) -> None:
    lonely = (
        "(SELECT o.id, o.created_at FROM orders_order o WHERE o.order_merchant_external_id = %s"
        " AND NOT EXISTS (SELECT 1 FROM {table} c WHERE c.order_id = o.id)) s"
    )
    line = order.lines.get()
    _clone(
        "orders_orderline",
        source=lonely.format(table="orders_orderline"),
        where="t.id = %s",
        params=[MARK, line.pk],
        overrides={"id": None, "order_id": "s.id"},
    )
    _clone(
        "payments_payment",
        source=lonely.format(table="payments_payment"),
        where="t.id = %s",
        params=[MARK, payment.pk],
        overrides={
            "id": "gen_random_uuid()",
            "order_id": "s.id",
            "created_at": "s.created_at",
            "updated_at": "s.created_at",
            "resolved_at": "s.created_at",
        },
    )


def seed_products(fixture, *, total: int) -> None:
    """Products of the bench's store, each with its test version and a USD price."""
    have = _count("SELECT count(*) FROM catalog_productversion WHERE metadata ? %s", [MARK])
    if have >= total:
        return
    version = fixture.product.test_version
    price = version.prices.get()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                "CREATE TEMP TABLE seed_ids ON COMMIT DROP AS SELECT gen_random_uuid() AS pid,"
                " gen_random_uuid() AS vid, g FROM generate_series(1, %s) g",
                [total - have],
            )
        age = "(s.g * interval '1 minute')"
        _clone(
            "catalog_product",
            source="seed_ids s",
            where="t.id = %s",
            params=[fixture.product.pk],
            overrides={
                "id": "s.pid",
                "test_version_id": "s.vid",
                "prod_version_id": "NULL",
                "created_at": f"now() - {age}",
                "updated_at": f"now() - {age}",
            },
        )
        _clone(
            "catalog_productversion",
            source="seed_ids s",
            where="t.id = %s",
            params=[version.pk],
            overrides={
                "id": "s.vid",
                "product_id": "s.pid",
                "name": "'Seed product ' || s.g",
                "metadata": f"jsonb_build_object('{MARK}', s.g)",
                "created_at": f"now() - {age}",
            },
        )
        _clone(
            "catalog_productprice",
            source="seed_ids s",
            where="t.id = %s",
            params=[price.pk],
            overrides={"id": None, "version_id": "s.vid"},
        )
    print(f"  products: {total:,}", flush=True)


def seed_large(fixture, *, scale: float = 1.0) -> dict:
    sessions, orders = int(SESSIONS * scale), int(ORDERS * scale)
    products = int(PRODUCTS * scale)
    template_session, order, payment = _template_order(fixture)
    seed_sessions(fixture, template_session, total=sessions, paid=orders)
    seed_orders(order, payment, total=orders)
    seed_products(fixture, total=products)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {"sessions": sessions, "orders": orders, "products": products}
