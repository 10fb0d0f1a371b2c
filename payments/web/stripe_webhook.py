"""``POST /payments/stripe/webhook``: Stripe's events about PaymentIntents.

A request whose Stripe-Signature no configured endpoint secret verifies is a 400 and
changes nothing. A verified payment event records the payment's outcome as read back from
Stripe, exactly once however often Stripe delivers it (``payment_refresh``).
"""

from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from payments.processors.stripe_webhook import verified_event
from payments.selectors import payment_by_reference
from payments.services import payment_refresh


@csrf_exempt
@require_POST
def stripe_webhook(request):
    event = verified_event(
        payload=request.body, signature=request.headers.get("Stripe-Signature", "")
    )
    if event is None:
        return HttpResponse("Invalid signature", status=400, content_type="text/plain")
    payment = None
    if event.intent_id:
        payment = payment_by_reference(
            environment=event.environment,
            processor="stripe",
            reference=event.intent_id,
            public_id=event.payment_id,
        )
    if payment is not None:
        payment_refresh(payment=payment)
    return HttpResponse(status=200)
