"""Cart checkout API (seed 002): ``/checkout/…`` and the public cart link ``/c/<cart_id>``."""

urlpatterns: list = []
