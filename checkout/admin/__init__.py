"""Template carts and shipping methods in admin, scoped to the merchant's stores like the rest
of the merchant admin (see ``stores.admin.MerchantScopedAdmin``)."""

from checkout.admin import shipping_method_admin, template_cart_admin

__all__ = ["shipping_method_admin", "template_cart_admin"]
