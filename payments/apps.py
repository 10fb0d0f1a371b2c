from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "payments"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Sweeps and event handlers are registered explicitly, once, at start-up.
        from payments import tasks  # noqa: F401
