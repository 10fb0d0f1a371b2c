"""A local webhook receiver (a real HTTP server on loopback) and paid orders to deliver."""

import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from catalog.models import ProductType
from payments.services import checkout_pay
from tests.checkout_factories import billing, declined_card, make_session, success_card
from tests.factories import ProductFactory
from webhooks.models import WebhookEndpoint


@dataclass
class Received:
    path: str
    headers: dict
    body: str


@dataclass
class Receiver:
    """Answers each POST with the next planned reply (status, or ("sleep", seconds)), then
    with ``default``; keeps every request it got."""

    default: int = 200
    plan: list = field(default_factory=list)
    received: list[Received] = field(default_factory=list)
    server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/hooks"

    def reply(self) -> int | tuple:
        return self.plan.pop(0) if self.plan else self.default


def _handler(receiver: Receiver):
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode()
            receiver.received.append(Received(self.path, dict(self.headers), body))
            reply = receiver.reply()
            if isinstance(reply, tuple):
                time.sleep(reply[1])
                reply = 200
            self.send_response(reply)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            self.wfile.write(b"ok" if reply < 300 else b"x" * 5000)

        def log_message(self, *args):
            pass

    return Handler


def start_receiver(receiver: Receiver) -> Receiver:
    receiver.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(receiver))
    threading.Thread(target=receiver.server.serve_forever, daemon=True).start()
    return receiver


def endpoint_for(store, url: str, *, test_mode=True, channel="http", events=None, **extra):
    return WebhookEndpoint.objects.create(
        store=store,
        channel=channel,
        url=url,
        events=events
        or ["order.completed", "subscription.activated", "subscription.payment_succeeded"],
        test_mode=test_mode,
        **extra,
    )


def pay(product, *, card=None, **session):
    session = make_session(product=product, buyerEmail="buyer@example.com", **session)
    return checkout_pay(session=session, billing=billing("DE"), card=card or success_card())


def subscription_product(store):
    return ProductFactory(store=store, product_type=ProductType.SUBSCRIPTION)


__all__ = ["declined_card"]
