"""Whether a store's buyers get an email of a kind: the store's notification setting of that
name (``stores.settings_schema``). The platform-managed ones (confirmations, refunds,
renewals, subscription and plan-change notices) cannot be turned off by a merchant, so in
practice they always go; the reminders (``emailTrialEnding``, ``emailUpcomingCharge``) are
the merchant's choice."""

from catalog.models import ProductType
from notifications.models import EmailKind
from orders.models import Order
from stores.settings_schema import effective_notification_settings

SETTING = {
    EmailKind.RECEIPT: "emailOrderConfirmation",
    EmailKind.RENEWAL: "emailSubscriptionCycled",
    EmailKind.REFUND: "emailRefundSucceeded",
    EmailKind.TRIAL_ENDING: "emailTrialEnding",
    EmailKind.UPCOMING_CHARGE: "emailUpcomingCharge",
    EmailKind.CANCELED: "emailSubscriptionCanceled",
    EmailKind.ENDED: "emailSubscriptionRevoked",
    EmailKind.PAST_DUE: "emailSubscriptionPastDue",
    # One toggle for the three plan-change emails (the SDK's NotificationSettings).
    EmailKind.PLAN_CHANGED: "emailSubscriptionPlanChanged",
    EmailKind.PLAN_SCHEDULED: "emailSubscriptionPlanChanged",
    EmailKind.PLAN_FAILED: "emailSubscriptionPlanChanged",
}


def email_wanted(order: Order, kind: str) -> bool:
    setting = SETTING[kind]
    if kind == EmailKind.RECEIPT and order.product_type == ProductType.SUBSCRIPTION:
        setting = "emailSubscriptionConfirmation"
    return bool(order.buyer_email) and effective_notification_settings(
        order.store.notification_settings
    ).get(setting, True)
