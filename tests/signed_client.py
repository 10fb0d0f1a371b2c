"""A Django test client that signs requests the way the official SDK does."""

import json
import time

from django.test import Client

from core.signing import canonical_request, sign


class SignedClient:
    def __init__(self, merchant_id: str, private_pem: str, client: Client | None = None):
        self.merchant_id = merchant_id
        self.private_pem = private_pem
        self.client = client or Client()

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
        stamp = str(timestamp if timestamp is not None else int(time.time()))
        signature = sign(self.private_pem, canonical_request(method, path, stamp, data))
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
