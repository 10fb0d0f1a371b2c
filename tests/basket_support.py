"""Talking to the partner basket endpoints (seed 003) from tests."""

import json
import re

INITIATE = "/partner/checkout/initiate"
UPDATE = "/partner/checkout/update"
VALIDATE = "/partner/checkout/validate"
HANDOVER = "/partner/checkout/handover"
BASKET_ID = re.compile(r"^basket-[A-Za-z0-9\-_]{32,36}$")


def post(client, url, body, auth):
    return client.post(url, json.dumps(body), content_type="application/json", **auth)


def put(client, body, auth):
    return client.put(UPDATE, json.dumps(body), content_type="application/json", **auth)


def basket_order(*items, currency="USD"):
    return {"order": {"currency": currency, "orderItems": list(items)}}


def initiate(client, auth, product, **extra):
    item = {"offer": product.public_id, "quantity": 1, "type": "offer", **extra}
    return post(client, INITIATE, basket_order(item), auth)
