"""Adopt the payment table that ``orders.0004`` renamed: state only, nothing in the
database changes here (rows, constraints and indexes came along with the rename)."""

import uuid

import django.db.models.deletion
from django.db import migrations, models


def adopt_content_type(apps, schema_editor):
    """Keep the payment's content type (and so its permissions and admin history) instead of
    leaving a stale ``orders.payment`` beside a new ``payments.payment``."""
    content_type = apps.get_model("contenttypes", "ContentType")
    if not content_type.objects.filter(app_label="payments", model="payment").exists():
        content_type.objects.filter(app_label="orders", model="payment").update(
            app_label="payments"
        )


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("orders", "0004_move_payment_to_payments"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="Payment",
                    fields=[
                        ("id", models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                        ("status", models.CharField(choices=[("pending", "Pending"), ("succeeded", "Succeeded"), ("failed", "Failed"), ("canceled", "Canceled")], default="pending", max_length=16)),
                        ("amount_minor", models.BigIntegerField()),
                        ("currency", models.CharField(max_length=3)),
                        ("card_brand", models.CharField(blank=True, default="", max_length=16)),
                        ("card_last4", models.CharField(blank=True, default="", max_length=4)),
                        ("failure_code", models.CharField(blank=True, default="", max_length=32)),
                        ("failure_message", models.CharField(blank=True, default="", max_length=200)),
                        ("processor_reference", models.CharField(blank=True, default="", max_length=64)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        ("order", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="payments", to="orders.order")),
                    ],
                    options={"ordering": ["-created_at"]},
                ),
                migrations.AddConstraint(
                    model_name="payment",
                    constraint=models.UniqueConstraint(condition=models.Q(("status", "succeeded")), fields=("order",), name="one_succeeded_payment_per_order"),
                ),
                migrations.AddConstraint(
                    model_name="payment",
                    constraint=models.UniqueConstraint(condition=models.Q(("status", "pending")), fields=("order",), name="one_pending_payment_per_order"),
                ),
            ],
        ),
        migrations.RunPython(adopt_content_type, migrations.RunPython.noop),
    ]
