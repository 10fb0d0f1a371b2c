"""A Django test client that signs requests the way the official SDK does."""

import json
import time

from django.test import Client

from core.signing import canonical_request, sign


class FreshStamps:
    """Each call is a new request, signed for the current second. The server refuses a
    signature it has seen (a replay), and two identical calls inside one second would carry
    the same one, so such a call is signed a second earlier instead, as a client that
    called a moment before would have. A test that means to replay passes a timestamp."""

    def __init__(self):
        self._signed: set[bytes] = set()

    def canonical(self, method: str, path: str, data: bytes) -> tuple[str, bytes]:
        stamp = int(time.time())
        message = canonical_request(method, path, str(stamp), data)
        while message in self._signed:
            stamp -= 1
            message = canonical_request(method, path, str(stamp), data)
        self._signed.add(message)
        return str(stamp), message


class SignedClient:
    def __init__(self, merchant_id: str, private_pem: str, client: Client | None = None):
        self.merchant_id = merchant_id
        self.private_pem = private_pem
        self.client = client or Client()
        self._stamps = FreshStamps()

    def post(
        self,
        path: str,
        body: object = None,
        *,
        raw: bytes | None = None,
        timestamp: int | None = None,
        headers: dict | None = None,
        idempotency_key: str | None = None,
        method: str = "POST",
    ):
        data = raw if raw is not None else json.dumps(body if body is not None else {}).encode()
        if timestamp is None:
            stamp, message = self._stamps.canonical(method, path, data)
        else:
            stamp = str(timestamp)
            message = canonical_request(method, path, stamp, data)
        signature = sign(self.private_pem, message)
        all_headers = {
            "X-Merchant-Id": self.merchant_id,
            "X-Timestamp": stamp,
            "X-Signature": signature,
            **(headers or {}),
        }
        if idempotency_key is not None:
            all_headers["X-Idempotency-Key"] = idempotency_key
        return self.client.generic(
            method, path, data, content_type="application/json", headers=all_headers
        )
