"""Template carts, shipping methods and (read-only) checkout sessions in admin, scoped to
the merchant's stores like the rest of the merchant admin
(see ``stores.admin.MerchantScopedAdmin``)."""

from checkout.admin import session_admin, shipping_method_admin, template_cart_admin

__all__ = ["session_admin", "shipping_method_admin", "template_cart_admin"]
