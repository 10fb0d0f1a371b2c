from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Event handlers (the buyer's, the merchant's notices), the send task with its retry
        # sweep, and the start-up check.
        from notifications import checks, handlers, merchant_notices, tasks  # noqa: F401
