"""An API key belongs to exactly one environment unless the operator opts it into both
(issue 17, finding 2); keys registered twice before the opt-in existed become opted in."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from core import signing
from core.errors import Conflict
from stores import services
from stores.models import ApiKey
from tests.factories import MerchantFactory
from tests.keys import OTHER_KEY_PAIR, TEST_KEY_PAIR


@pytest.mark.django_db
def test_a_test_key_cannot_be_registered_in_prod_as_well_without_opting_in():
    merchant = MerchantFactory()
    services.api_key_add(merchant=merchant, environment="test", public_key=TEST_KEY_PAIR[1])

    with pytest.raises(Conflict) as refused:
        services.api_key_add(merchant=merchant, environment="prod", public_key=TEST_KEY_PAIR[1])

    assert refused.value.message == services.OTHER_ENVIRONMENT_KEY
    assert list(ApiKey.objects.values_list("environment", flat=True)) == ["test"]


@pytest.mark.django_db
def test_opting_in_registers_the_key_in_both_environments():
    merchant = MerchantFactory()

    key = services.api_key_add(
        merchant=merchant, environment="prod", public_key=TEST_KEY_PAIR[1], both_environments=True
    )

    rows = ApiKey.objects.filter(merchant=merchant).order_by("environment")
    assert key.environment == "prod"
    assert [(row.environment, row.both_environments) for row in rows] == [
        ("prod", True),
        ("test", True),
    ]


@pytest.mark.django_db
def test_other_keys_and_other_merchants_are_unaffected():
    merchant = MerchantFactory()
    services.api_key_add(merchant=merchant, environment="test", public_key=TEST_KEY_PAIR[1])

    services.api_key_add(merchant=merchant, environment="prod", public_key=OTHER_KEY_PAIR[1])
    services.api_key_add(
        merchant=MerchantFactory(), environment="prod", public_key=TEST_KEY_PAIR[1]
    )

    assert ApiKey.objects.count() == 3
    assert not ApiKey.objects.filter(both_environments=True).exists()


@pytest.mark.django_db(transaction=True)
def test_the_migration_opts_in_keys_that_were_registered_in_both_environments():
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate([("stores", "0002_secretkey")])
    try:
        old_apps = (
            MigrationExecutor(connection).loader.project_state([("stores", "0002_secretkey")]).apps
        )
        OldKey = old_apps.get_model("stores", "ApiKey")
        twice, once = MerchantFactory(), MerchantFactory()
        test_print = signing.fingerprint(TEST_KEY_PAIR[1])
        for merchant_id, environment in [(twice.pk, "test"), (twice.pk, "prod"), (once.pk, "test")]:
            OldKey.objects.create(
                merchant_id=merchant_id,
                environment=environment,
                public_key=TEST_KEY_PAIR[1],
                fingerprint=test_print,
            )
    finally:
        MigrationExecutor(connection).migrate(latest)

    flags = {
        (key.merchant_id, key.environment): key.both_environments for key in ApiKey.objects.all()
    }
    assert flags == {
        (twice.pk, "test"): True,
        (twice.pk, "prod"): True,
        (once.pk, "test"): False,
    }
