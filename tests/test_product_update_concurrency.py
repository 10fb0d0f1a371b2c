"""Simultaneous updates of one product over the signed API, on real threads against
PostgreSQL: each builds on the version the one before it wrote, so none is lost and none
fails."""

import threading
from collections import Counter

import pytest
from django.db import connection

from tests.factories import ApiKeyFactory, MerchantFactory, ProductFactory, StoreFactory
from tests.keys import TEST_KEY_PAIR
from tests.signed_client import SignedClient

THREADS = 8


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_updates_of_one_product_each_build_on_the_last_version():
    merchant = MerchantFactory()
    ApiKeyFactory(merchant=merchant)
    product = ProductFactory(store=StoreFactory(owner=merchant))
    barrier = threading.Barrier(THREADS)
    statuses: list[int] = []
    lock = threading.Lock()

    def fire(index: int):
        client = SignedClient(merchant.public_id, TEST_KEY_PAIR[0])
        # Half change the name, half the description: a lost update would drop one of them.
        change = {"name": f"Name {index}"} if index % 2 else {"description": f"Text {index}"}
        try:
            barrier.wait(timeout=30)
            response = client.post(
                "/v1/actions/onetime-product/update-product", {"id": product.public_id, **change}
            )
            with lock:
                statuses.append(response.status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=fire, args=(index,)) for index in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert Counter(statuses) == {200: THREADS}
    product.refresh_from_db()
    assert product.version_count == THREADS + 1
    latest = product.test_version
    assert latest.name.startswith("Name ") and latest.description.startswith("Text ")
