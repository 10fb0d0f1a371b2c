import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("stores", "0004_api_key_verbose_names"),
    ]

    operations = [
        migrations.AddField(
            model_name="storemembership",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, default=django.utils.timezone.now),
            preserve_default=False,
        ),
        migrations.AddConstraint(
            model_name="storemembership",
            constraint=models.UniqueConstraint(
                condition=models.Q(("role", "owner")),
                fields=("store",),
                name="membership_one_owner",
            ),
        ),
    ]
