"""The checkout page and paying: ``/store/<slug>/checkout/<session>`` (GET), its ``/pay``
(POST) and ``/token`` (the page script's token refresh).

Thin views over the services: they read the posted form, call ``checkout_pay``, and choose
an answer (by the error's ``code``, never its wording). A refused or declined payment is a
303 back to the checkout page, which shows why (``checkout.web.pay_outcome``), so Back and
reload never re-post; a payment under way keeps its processing page (409, 202). A session
with a line that ships gets a shipping step first (``checkout.web.shipping_pages``); each
step posts the page's own form and gets the whole page back, so it all works without
JavaScript.
"""

from django.http import JsonResponse
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from checkout.billing import stored_billing
from checkout.models import CheckoutSession
from checkout.selectors import SessionState, session_state
from checkout.web import payment_form as forms
from checkout.web.error_text import buyer_message, decline_message
from checkout.web.locale import locale_for_request
from checkout.web.pages import SeeOther, card_page, not_found, receipt_path
from checkout.web.pages import after_payment as _after_payment
from checkout.web.pages import checkout_form as _checkout_form
from checkout.web.pages import checkout_path as _checkout_path
from checkout.web.pages import expired as _expired
from checkout.web.pages import page as _page
from checkout.web.pages import page_session as _session
from checkout.web.pay_outcome import forget_outcome, read_outcome, see_checkout
from checkout.web.shipping_outcome import forget_shipping_outcome, read_shipping_outcome
from checkout.web.shipping_pages import shipping_page
from core import tokens
from core.errors import AppError
from core.rate_limits import client_address
from core.timefmt import iso_utc
from orders.selectors import payment_under_way
from orders.trials import TRIAL_USED
from payments.selectors import payment_of_session, pending_payment_of_session
from payments.services import PaymentOutcome, checkout_pay, payment_refresh
from payments.velocity import TooManyPayments

TOKEN_INVALID = (
    "Your secure checkout link has expired or is not valid. "
    "Please go back to the merchant's site and open the checkout link again."
)
TOKEN_OTHER_STORE = (
    "This checkout link was issued for another store. "
    "Please go back to the merchant's site and open the checkout link again."
)


@require_safe
def checkout_page(request, slug: str, session_id: str):
    session = _session(slug, session_id)
    if session is None:
        return not_found(request)
    response = forget_outcome(request, _checkout_page(request, session), session)
    return forget_shipping_outcome(request, response, session)


def _checkout_page(request, session: CheckoutSession):
    state = session_state(session)
    if state == SessionState.COMPLETED:
        return _page(
            request,
            "checkout/already_paid.html",
            {"receipt_url": receipt_path(session)},
            session=session,
        )
    if payment_under_way(session_id=session.pk):  # it may have charged: say so, offer no form
        return _resume_or_processing(request, session)
    if state == SessionState.EXPIRED:
        return _expired(request, session)
    outcome = read_outcome(request, session)
    if outcome is not None:  # the answer to the pay form just posted (POST-redirect-GET)
        values = {**outcome["values"], "token": ""}
        return _checkout_form(
            request,
            session,
            values=values,
            errors=outcome["errors"],
            message=outcome["message"],
            billing=forms.parse_submission_billing(values),
            retry_hint=outcome["retry"],
        )
    locale = locale_for_request(request, session)
    values = forms.initial_values(session, default_country=locale.territory)
    shipped = read_shipping_outcome(request, session)
    if shipped is not None:  # the answer to a shipping step just posted
        return shipping_page(
            request, session, shipped, values=values, billing=stored_billing(session=session)
        )
    return _checkout_form(request, session, values=values, billing=stored_billing(session=session))


def _buyer_identity(session: CheckoutSession, token: str) -> str:
    """The token's buyer, when it is a valid token of this session's store."""
    try:
        claims = tokens.read_customer_token(token)
    except tokens.InvalidToken:
        raise AppError(TOKEN_INVALID, status=400, code="invalid_token") from None
    if claims.store_id != str(session.store_id):
        raise AppError(TOKEN_OTHER_STORE, status=400, code="token_of_other_store")
    return claims.buyer_identity


@sensitive_post_parameters("card_number", "card_cvc", "card_expiry", "token")
@require_http_methods(["GET", "HEAD", "POST"])
def pay(request, slug: str, session_id: str):
    session = _session(slug, session_id)
    if session is None:
        return not_found(request)
    if request.method in ("GET", "HEAD"):
        return SeeOther(_checkout_path(session))
    state = session_state(session)
    if state == SessionState.COMPLETED:
        return _after_payment(session)  # a second tab or a double submit: already paid
    if state == SessionState.EXPIRED:
        return _expired(request, session)
    submission = forms.parse_submission(
        request.POST,
        browser_method=card_page(session) is not None,
        shipping_address=session.shipping_address if session.requires_shipping else None,
    )
    if request.POST.get("trial_shown") and session.trial_forfeited:
        # A page still showing the trial price (another tab): never charge it the full one.
        return see_checkout(session, values=submission.values, message=TRIAL_USED)
    if submission.errors:
        return see_checkout(
            session,
            values=submission.values,
            errors=submission.errors,
            message=submission.errors.get("billing", ""),
        )
    try:
        outcome = _checkout_pay(request, session, submission)
    except AppError as exc:
        return _refused(request, session, submission, exc)
    return _after_outcome(request, session, submission, outcome)


def _refused(request, session: CheckoutSession, submission, exc: AppError):
    """What a refused payment shows, by the refusal's code."""
    if exc.code == "session_expired":
        return _expired(request, session)
    if exc.code == "payment_in_progress":
        return _processing(request, session, status=409)
    if exc.status != 429:
        return see_checkout(session, values=submission.values, message=buyer_message(exc))
    # A limit (card testing, too many declines) answers 429 itself, not a redirect.
    response = _checkout_form(
        request,
        session,
        values=submission.values,
        message=buyer_message(exc),
        billing=submission.billing,
        status=exc.status,
    )
    if isinstance(exc, TooManyPayments):
        response["Retry-After"] = str(exc.retry_after)
    return response


def _after_outcome(request, session: CheckoutSession, submission, outcome: PaymentOutcome):
    if outcome.succeeded:
        return _after_payment(session)
    if outcome.pending and outcome.client_secret:  # 3-D Secure: the buyer confirms at Stripe
        return _authenticate(request, session, outcome)
    if outcome.pending:  # the processor has not answered: the worker records the outcome
        return _processing(request, session, status=202)
    payment = outcome.payment
    message = decline_message(
        payment.failure_code if payment else "", payment.failure_message if payment else ""
    )
    return see_checkout(session, values=submission.values, message=message, retry=True)


def _authenticate(request, session: CheckoutSession, outcome: PaymentOutcome):
    """The page whose script lets the buyer authenticate with their bank (Stripe.js), then
    comes back to ``payment_return``, which reads the outcome from Stripe itself."""
    return_url = reverse("checkout:payment-return", args=[session.store.slug, session.public_id])
    return _page(
        request,
        "checkout/authenticate.html",
        {
            "client_secret": outcome.client_secret,
            "return_url": f"{return_url}?payment={outcome.payment.public_id}",
            "stripe_page": card_page(session),
        },
        session=session,
    )


@require_safe
def payment_return(request, slug: str, session_id: str):
    """Where the browser comes back after confirming at the processor: the outcome is read
    back server-side (``payment_refresh``, as the webhook and the reconciler read it)."""
    session = _session(slug, session_id)
    if session is None:
        return not_found(request)
    payment = payment_of_session(session_id=session.pk, public_id=request.GET.get("payment", ""))
    if payment is None:
        return SeeOther(_checkout_path(session))
    outcome = payment_refresh(payment=payment)
    if outcome.succeeded:
        return _after_payment(session)
    if outcome.pending:
        return _processing(request, session, status=202)
    order = outcome.order
    values = forms.initial_values(
        session,
        default_country=locale_for_request(request, session).territory,
        billing_detail=order.billing_detail,
        email=order.buyer_email,
    )
    message = decline_message(outcome.payment.failure_code, outcome.payment.failure_message)
    billing = forms.parse_submission_billing(values)
    return _checkout_form(
        request, session, values=values, billing=billing, message=message, status=402
    )


def _checkout_pay(request, session: CheckoutSession, submission) -> PaymentOutcome:
    try:
        buyer_identity = _buyer_identity(session, submission.token) if submission.token else ""
    except AppError:
        # Never send a dead token back into the form: every retry would fail the same way.
        submission.values["token"] = ""
        raise
    return checkout_pay(
        session=session,
        billing=submission.billing,
        card=submission.card,
        buyer_email=submission.email,
        buyer_identity=buyer_identity,
        client_ip=client_address(request),
        language=locale_for_request(request, session).tag,
    )


def _resume_or_processing(request, session: CheckoutSession):
    """A buyer back on the page while their payment waits for 3-D Secure is offered the
    bank's step again (the processor says so); any other pending payment is "processing"."""
    payment = pending_payment_of_session(session_id=session.pk)
    if payment is not None and card_page(session) is not None:
        outcome = payment_refresh(payment=payment)
        if outcome.succeeded:
            return _after_payment(session)
        if outcome.pending and outcome.client_secret:
            return _authenticate(request, session, outcome)
    return _processing(request, session, status=200)


def _processing(request, session: CheckoutSession, *, status: int):
    """A payment of this checkout is pending (it may have charged): say so, take no card."""
    return _page(
        request,
        "checkout/processing.html",
        {"checkout_url": _checkout_path(session)},
        status=status,
        session=session,
    )


@require_POST
def refresh_token(request, slug: str, session_id: str):
    """Swap a still-valid customer token of this store for a fresh one (page script, JSON),
    while the checkout is open and never past its expiry."""
    session = _session(slug, session_id)
    if session is None:
        return JsonResponse({"error": "not_found"}, status=404)
    try:
        if session_state(session) != SessionState.OPEN:
            raise tokens.InvalidToken("the checkout is no longer open")
        _buyer_identity(session, request.POST.get("token", ""))
        token, expires_at = tokens.refresh_customer_token(
            request.POST["token"], not_after=session.expires_at
        )
    except (AppError, tokens.InvalidToken):
        return JsonResponse({"error": "invalid_token"}, status=401)
    response = JsonResponse({"token": token, "expiresAt": iso_utc(expires_at)})
    add_never_cache_headers(response)
    return response
