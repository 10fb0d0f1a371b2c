from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "webhooks"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Event handlers, the retry sweep and the start-up check, registered once.
        from webhooks import checks, handlers, tasks  # noqa: F401
