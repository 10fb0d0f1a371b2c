from django.apps import AppConfig


class FxConfig(AppConfig):
    name = "fx"
    verbose_name = "Exchange rates"
    default_auto_field = "django.db.models.BigAutoField"
