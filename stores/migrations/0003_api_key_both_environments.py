from django.db import migrations, models


def flag_keys_registered_twice(apps, schema_editor):
    """Keys registered in test and prod before the opt-in existed were registered so on
    purpose (create_merchant --environment both): they keep working in both, now as an
    explicit opt-in, and their requests must name the environment from here on."""
    ApiKey = apps.get_model("stores", "ApiKey")
    twice = (
        ApiKey.objects.values("merchant_id", "fingerprint")
        .annotate(environments=models.Count("environment", distinct=True))
        .filter(environments__gt=1)
    )
    for pair in twice:
        ApiKey.objects.filter(
            merchant_id=pair["merchant_id"], fingerprint=pair["fingerprint"]
        ).update(both_environments=True)


class Migration(migrations.Migration):
    dependencies = [
        ("stores", "0002_secretkey"),
    ]

    operations = [
        migrations.AddField(
            model_name="apikey",
            name="both_environments",
            field=models.BooleanField(
                default=False,
                help_text="Registered in test and prod: requests must send X-Environment.",
            ),
        ),
        migrations.RunPython(flag_keys_registered_twice, migrations.RunPython.noop),
    ]
