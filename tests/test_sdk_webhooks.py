"""The official SDK manages webhooks on a live server (client.webhooks.add/update/remove) and
verifies what the real worker delivers (verifyWebhook, client.webhooks.verify) in a node
receiver; tampered body, signature and timestamp are refused by it."""

import json
import os
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest
from django.utils import timezone

from tests.factories import MerchantFactory, ProductFactory, StoreFactory
from tests.keys import TEST_KEY_PAIR
from tests.sdk_support import SDK_DIR
from tests.webhook_support import pay
from tests.worker_support import run_worker
from webhooks.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from webhooks.signing import public_key_pem

pytestmark = pytest.mark.sdk


@pytest.fixture
def store(live_merchant):
    return StoreFactory(owner=live_merchant)


@pytest.fixture
def node_receiver():
    """Start ``webhook_receiver.mjs``; ``(url, results())`` where results() waits for it."""
    processes = []

    def start(*, expected: int, fail_first: int = 0):
        env = {
            "PATH": os.environ.get("PATH", ""),
            "WEBHOOK_PUBLIC_KEY": public_key_pem("test"),
            "OTHER_PUBLIC_KEY": public_key_pem("prod"),
            "MERCHANT_PRIVATE_KEY": TEST_KEY_PAIR[0],
            "EXPECTED": str(expected),
            "FAIL_FIRST": str(fail_first),
        }
        process = subprocess.Popen(
            [shutil.which("node") or "node", str(Path(SDK_DIR) / "webhook_receiver.mjs")],
            cwd=SDK_DIR,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        processes.append(process)
        url = process.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:"), process.stderr.read()

        def results() -> list[dict]:
            out, err = process.communicate(timeout=60)
            assert process.returncode == 0, err
            return json.loads(out.strip().splitlines()[-1])

        return url, results

    yield start
    for process in processes:
        if process.poll() is None:
            process.kill()


def test_sdk_manages_webhooks(live_sdk, store):
    other = StoreFactory(owner=MerchantFactory())

    out = live_sdk(
        "webhooks.mjs",
        STORE_ID=store.public_id,
        OTHER_STORE_ID=other.public_id,
        RECEIVER_URL="http://127.0.0.1:9/webhooks",
    )

    added = out["added"]["webhook"]
    assert uuid.UUID(added["id"])
    assert (added["storeId"], added["url"], added["testMode"]) == (
        store.public_id,
        "http://127.0.0.1:9/webhooks",
        True,
    )
    assert out["updated"]["webhook"]["events"] == ["order.completed", "refund.succeeded"]
    assert out["updated"]["webhook"]["secret"] == "rotated"
    assert out["removed"]["webhook"]["channel"] == "slack"
    assert out["unknownEvent"]["status"] == 400
    assert out["unknownEvent"]["message"] == "Unknown event type: nope"
    assert out["badChannel"]["message"] == "Invalid channel: fax"
    assert (out["otherStore"]["status"], out["removedAgain"]["status"]) == (404, 404)
    assert list(WebhookEndpoint.objects.values_list("id", flat=True)) == [uuid.UUID(added["id"])]


def test_sdk_verifies_deliveries_and_refuses_tampered_ones(live_sdk, store, node_receiver):
    url, results = node_receiver(expected=2, fail_first=1)
    live_sdk(
        "webhooks.mjs",
        STORE_ID=store.public_id,
        OTHER_STORE_ID=StoreFactory().public_id,
        RECEIVER_URL=url,
    )
    outcome = pay(ProductFactory(store=store), orderMerchantExternalId="EXT-9")

    run_worker()  # dispatches order.completed, first attempt: the receiver answers 500
    WebhookDelivery.objects.update(next_attempt_at=timezone.now())
    run_worker()  # the retry: 200

    first, retry = results()
    assert first["signature"] == retry["signature"] and first["body"] == retry["body"]
    for seen in (first, retry):
        assert (seen["method"], seen["contentType"]) == ("POST", "application/json")
        assert seen["verified"]["ok"], seen["verified"]
        assert seen["viaClient"]["ok"] and seen["autoDetected"]["ok"]
        assert seen["wrongEnvironment"] == {
            "ok": False,
            "error": "Invalid webhook signature (prod key)",
        }
        for tampered in ("tamperedBody", "tamperedSignature", "tamperedTimestamp"):
            assert seen[tampered] == {
                "ok": False,
                "error": "Invalid webhook signature (custom key)",
            }
        assert seen["staleTimestamp"]["ok"] is False
        assert "tolerance" in seen["staleTimestamp"]["error"]
    event = first["verified"]["event"]
    delivery = WebhookDelivery.objects.get()
    assert (event["id"], event["eventType"], event["eventId"]) == (
        str(delivery.id),
        "order.completed",
        outcome.payment.public_id,
    )
    assert event["data"]["orderMerchantExternalId"] == "EXT-9"
    assert event["mode"] == "test"
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.SUCCESS, 2)
