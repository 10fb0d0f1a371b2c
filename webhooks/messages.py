"""The short text a chat channel (Slack, Discord, Feishu, Telegram) receives instead of the
signed envelope: each platform's own incoming-webhook body, unsigned (the URL is the secret)."""

import json

TITLES = {
    "order.completed": "Order completed",
    "subscription.activated": "Subscription activated",
    "subscription.payment_succeeded": "Subscription payment succeeded",
}


def text_of(envelope: dict) -> str:
    data = envelope["data"]
    amount = data.get("chargedAmount") or data.get("amount") or ""
    title = TITLES.get(envelope["eventType"], envelope["eventType"])
    mode = " [test]" if envelope["mode"] == "test" else ""
    return (
        f"{title}{mode} · {envelope['storeName']}: {data.get('productName', '')} "
        f"{amount} {data.get('currency', '')} from {data.get('buyerEmail', '')} "
        f"({data.get('orderId', '')})"
    )


def chat_body(*, channel: str, envelope_text: str, secret: str | None) -> str:
    text = text_of(json.loads(envelope_text))
    if channel == "slack":
        body = {"text": text}
    elif channel == "discord":
        body = {"content": text}
    elif channel == "feishu":
        body = {"msg_type": "text", "content": {"text": text}}
    else:  # telegram: the chat ID travels as the webhook's secret
        body = {"chat_id": secret or "", "text": text}
    return json.dumps(body, ensure_ascii=False)
