"""The SDK's names: webhook event types (``WebhookEventType``) and channels
(``WebhookChannel``). Event types are the SDK's, not the domain events' names."""

EVENT_TYPES = (
    "order.completed",
    "subscription.activated",
    "subscription.payment_succeeded",
    "subscription.renewed",
    "subscription.recovered",
    "subscription.plan_changed",
    "subscription.plan_change_scheduled",
    "subscription.plan_change_failed",
    "subscription.canceling",
    "subscription.uncanceled",
    "subscription.canceled",
    "subscription.past_due",
    "refund.succeeded",
    "refund.failed",
)
# What the platform emits (every event type the SDK names).
EMITTED_EVENT_TYPES = (
    "order.completed",
    "subscription.activated",
    "subscription.payment_succeeded",
    "subscription.renewed",
    "subscription.recovered",
    "subscription.plan_changed",
    "subscription.plan_change_scheduled",
    "subscription.plan_change_failed",
    "subscription.canceling",
    "subscription.uncanceled",
    "subscription.canceled",
    "subscription.past_due",
    "refund.succeeded",
    "refund.failed",
)

HTTP = "http"
CHANNELS = (HTTP, "slack", "discord", "feishu", "telegram")
# Chat channels post to their platform's webhook hosts only (production).
CHANNEL_HOSTS = {
    "slack": ("hooks.slack.com",),
    "discord": ("discord.com", "discordapp.com"),
    "feishu": ("open.feishu.cn", "open.larksuite.com"),
    "telegram": ("api.telegram.org",),
}
