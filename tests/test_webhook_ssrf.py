"""Production refuses webhook URLs and resolved addresses that are not public https hosts."""

import socket

import pytest
from django.test import override_settings

from tests.webhook_support import endpoint_for, pay
from tests.worker_support import run_worker
from webhooks.addresses import UrlRefused, address_allowed, check_url
from webhooks.models import WebhookDelivery

pytestmark = pytest.mark.django_db

production = override_settings(WEBHOOK_ALLOW_PRIVATE_URLS=False)
ADD = "/v1/actions/store/add-webhook"


@production
@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://example.com/hooks", "Webhook URL must use https"),
        ("https://127.0.0.1/hooks", "Webhook URL must not point at a private or local address"),
        ("https://[::1]/hooks", "Webhook URL must not point at a private or local address"),
        ("https://10.1.2.3/hooks", "Webhook URL must not point at a private or local address"),
        ("https://192.168.0.10/", "Webhook URL must not point at a private or local address"),
        (
            "https://169.254.169.254/latest",
            "Webhook URL must not point at a private or local address",
        ),
        ("https://[::ffff:10.0.0.1]/", "Webhook URL must not point at a private or local address"),
        ("https://localhost/hooks", "Webhook URL must not point at a private or local address"),
        (
            "https://metadata.google.internal/",
            "Webhook URL must not point at a private or local address",
        ),
    ],
)
def test_production_refuses_local_and_plain_http_urls_when_adding(api, store, url, message):
    response = api.post(
        ADD,
        {
            "storeId": store.public_id,
            "channel": "http",
            "url": url,
            "events": ["order.completed"],
            "testMode": True,
        },
    )

    assert response.status_code == 400
    assert response.json()["errors"][0]["message"] == message


@production
def test_production_keeps_chat_channels_on_their_hosts():
    check_url("https://hooks.slack.com/services/T/B/X", channel="slack")
    with pytest.raises(UrlRefused, match=r"hooks\.slack\.com"):
        check_url("https://example.com/services/T/B/X", channel="slack")
    check_url("https://example.com/hooks", channel="http")


@production
@pytest.mark.parametrize(
    ("address", "allowed"),
    [
        ("93.184.216.34", True),
        ("2606:2800:220:1:248:1893:25c8:1946", True),
        ("127.0.0.1", False),
        ("10.0.0.1", False),
        ("172.16.5.4", False),
        ("100.64.0.1", False),
        ("100.100.100.200", False),
        ("169.254.169.254", False),
        ("fe80::1", False),
        ("fd00:ec2::254", False),
        ("::ffff:127.0.0.1", False),
        ("0.0.0.0", False),
        ("224.0.0.1", False),
    ],
)
def test_which_addresses_production_connects_to(address, allowed):
    assert address_allowed(address) is allowed


def test_development_accepts_http_and_loopback():
    check_url("http://127.0.0.1:8123/hooks", channel="http")
    check_url("http://localhost/hooks", channel="slack")


@pytest.mark.django_db(transaction=True)
def test_a_public_name_that_resolves_to_a_private_address_is_never_contacted(
    store, product, monkeypatch
):
    endpoint_for(store, "https://hooks.merchant.example/in")
    pay(product)
    looked_up, connected = [], []
    monkeypatch.setattr(
        socket,
        "getaddrinfo",
        lambda host, port, **kw: (
            looked_up.append(host)
            or [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.7", port))]
        ),
    )
    monkeypatch.setattr(socket, "create_connection", lambda *a, **k: connected.append(a))

    with production:
        run_worker()

    delivery = WebhookDelivery.objects.get()
    assert looked_up == ["hooks.merchant.example"]
    assert connected == []
    (attempt,) = delivery.attempt_log.all()
    assert "resolves to a refused address (10.0.0.7)" in attempt.error
    assert delivery.status == "pending"  # retried later, resolved again then
