"""Hosted pages of the checkout: storefront, checkout with its shipping step, pay, receipt,
and the public cart link; their forms (``payment_form``, ``shipping_form``) and presentation
(``locale``, ``theme``, ``summaries``, ``choices``). Domain code never imports this package."""
