"""Payments moved to their own app: the table is renamed (its rows, constraints and indexes
stay as they are) and the model leaves this app's state; ``payments.0001`` adopts it."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("orders", "0003_order_partner"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AlterModelTable(name="payment", table="payments_payment"),
            ],
            state_operations=[
                migrations.DeleteModel(name="payment"),
            ],
        ),
    ]
