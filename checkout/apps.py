from django.apps import AppConfig


class CheckoutConfig(AppConfig):
    name = "checkout"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # A malformed tax rate table must stop the server at boot, not fail an order.
        from checkout.tax.rates import default_table

        default_table()
