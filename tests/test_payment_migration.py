"""Payments moved from ``orders`` to ``payments`` with their rows: the table is renamed,
never copied, so every payment (and its exactly-once constraints) survives the upgrade."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from payments.models import Payment, PaymentStatus
from tests.checkout_factories import billing, make_session, success_card
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE_THE_MOVE = [("orders", "0003_order_partner")]


def migrate(targets) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


def tables() -> set[str]:
    return set(connection.introspection.table_names())


def test_payments_keep_their_rows_across_the_move(store):
    from payments.services import checkout_pay

    session = make_session(product=ProductFactory(store=store), buyerEmail="old@example.com")
    paid = checkout_pay(session=session, billing=billing(), card=success_card()).payment
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        migrate(BEFORE_THE_MOVE)
        assert "orders_payment" in tables() and "payments_payment" not in tables()
        with connection.cursor() as cursor:
            cursor.execute("SELECT id, status, amount_minor FROM orders_payment")
            rows = cursor.fetchall()
        assert [(str(row[0]).replace("-", ""), row[1], row[2]) for row in rows] == [
            (paid.pk.hex, "succeeded", paid.amount_minor)
        ]
    finally:
        migrate(latest)

    assert "payments_payment" in tables() and "orders_payment" not in tables()
    moved = Payment.objects.get()
    assert (moved.pk, moved.status, moved.order_id) == (paid.pk, "succeeded", paid.order_id)
    assert ContentType.objects.filter(app_label="payments", model="payment").count() == 1
    assert not ContentType.objects.filter(app_label="orders", model="payment").exists()
    with pytest.raises(IntegrityError), transaction.atomic():
        Payment.objects.create(  # the constraint came along: still one success per order
            order_id=paid.order_id,
            status=PaymentStatus.SUCCEEDED,
            amount_minor=1,
            currency="USD",
        )
