"""What a hosted page tells a buyer about an error, in the page's language.

The APIs answer an ``AppError`` with its ``message``, the contract's English text, word for
word. A page instead looks the error up by its ``code`` (and a decline by the processor's
``failure_code``) and shows that code's sentence from the catalog: rewording or translating
a page never changes an API answer, and an API message never leaks untranslated onto a
page. The English sentences are the ones the pages showed before they were translated.
"""

from django.utils.translation import get_language, gettext, gettext_lazy, gettext_noop

from core.errors import AppError

PAYMENT_FAILED = gettext_lazy("Your payment could not be completed. Please try another card.")
_GENERIC = gettext_lazy("Something went wrong with this checkout. Please try again.")

BY_CODE = {
    "invalid_token": gettext_lazy(
        "Your secure checkout link has expired or is not valid. "
        "Please go back to the merchant's site and open the checkout link again."
    ),
    "token_of_other_store": gettext_lazy(
        "This checkout link was issued for another store. "
        "Please go back to the merchant's site and open the checkout link again."
    ),
    "too_many_attempts": gettext_lazy("Too many failed payment attempts for this checkout"),
    "trial_in_progress": gettext_lazy(
        "Your trial is already being paid for in another checkout. "
        "Please wait a moment and try again."
    ),
    "payment_velocity": gettext_lazy(
        "Too many payment attempts. Please wait a while and try again."
    ),
    "too_many_checkouts": gettext_lazy(
        "Too many checkouts were started from your network. Please wait a minute and try again."
    ),
}

# Codes of a status rather than of one refusal: an English page keeps the service's own
# sentence (the most precise one), any other language this code's.
BY_STATUS_CODE = {
    "bad_request": gettext_lazy("Please check the details you entered."),
    "forbidden": gettext_lazy("This store is not taking payments right now."),
    "not_found": gettext_lazy("This product is no longer available."),
    "conflict": gettext_lazy("This checkout has already been submitted."),
    "unprocessable_entity": gettext_lazy("This checkout can't be completed as it is."),
}

# A processor's decline codes (the sandbox's and Stripe's most common ones).
DECLINES = {
    "card_declined": gettext_lazy("Your card was declined."),
    "insufficient_funds": gettext_lazy("Your card has insufficient funds."),
    "expired_card": gettext_lazy("Your card has expired."),
    "incorrect_cvc": gettext_lazy("Your card's security code is incorrect."),
    "processing_error": gettext_lazy(
        "An error occurred while processing your card. Please try again."
    ),
}

# payments.cards.InvalidCard's sentences, for the catalog: the page shows gettext(message).
CARD_MESSAGES = (
    gettext_noop("Your card number is invalid."),
    gettext_noop("Your card's expiry date is invalid."),
    gettext_noop("Your card has expired."),
    gettext_noop("Your card's security code is invalid."),
)


def buyer_message(exc: AppError) -> str:
    """The sentence a page shows for a refused request, by the error's code."""
    if exc.code == "destination_embargoed":
        return gettext(
            "We cannot sell to %(destination)s: as merchant of record we do not accept "
            "orders to destinations under comprehensive sanctions."
        ) % {"destination": getattr(exc, "destination", "") or gettext("this destination")}
    if exc.code in BY_CODE:
        return str(BY_CODE[exc.code])
    if _english():
        return exc.message
    return str(BY_STATUS_CODE.get(exc.code, _GENERIC))


def _english() -> bool:
    return (get_language() or "en").startswith("en")


def decline_message(failure_code: str, failure_message: str = "") -> str:
    """What a page says of a declined payment, by the processor's code. A code we have no
    sentence for keeps the processor's own (English) words on an English page only."""
    if failure_code in DECLINES:
        return str(DECLINES[failure_code])
    if failure_message and _english():
        return failure_message
    return str(PAYMENT_FAILED)


# A page names the format it takes; the API keeps the contract's sentence alone.
EXPIRY_FORMAT = gettext_lazy(
    "Your card's expiry date is invalid. Enter it as MM/YY, for example 12/30."
)


def card_message(message: str) -> str:
    """An ``InvalidCard`` sentence in the page's language (English when it is a new one)."""
    if message == CARD_MESSAGES[1]:
        return str(EXPIRY_FORMAT)
    return gettext(message) if message in CARD_MESSAGES else message
