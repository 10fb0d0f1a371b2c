from django.apps import AppConfig


class SubscriptionsConfig(AppConfig):
    name = "subscriptions"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # The renewal sweep and the handler that starts subscriptions, registered once.
        from subscriptions import handlers, tasks  # noqa: F401
