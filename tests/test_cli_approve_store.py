import json

import pytest
from django.core.management import CommandError, call_command

from tests.factories import StoreFactory


@pytest.mark.django_db
def test_approve_store_sets_prod_enabled(capsys):
    store = StoreFactory()
    call_command("approve_store", store.public_id)
    assert json.loads(capsys.readouterr().out) == {"storeId": store.public_id, "prodEnabled": True}
    store.refresh_from_db()
    assert store.prod_enabled

    call_command("approve_store", store.public_id, "--revoke")
    store.refresh_from_db()
    assert not store.prod_enabled


@pytest.mark.django_db
def test_approve_store_explains_bad_ids():
    with pytest.raises(CommandError, match='Expected format: STO_xxx, got "nope"'):
        call_command("approve_store", "nope")
    with pytest.raises(CommandError, match="Store not found"):
        call_command("approve_store", StoreFactory.build().public_id)
