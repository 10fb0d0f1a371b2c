"""Processor webhooks (``/payments/…``)."""

from django.urls import path

from payments.web import stripe_webhook

app_name = "payments"
urlpatterns = [
    path("stripe/webhook", stripe_webhook.stripe_webhook, name="stripe-webhook"),
]
