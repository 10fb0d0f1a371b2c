"""Every hosted page in every language, and a failure on any text left in English.

Each page is rendered in English and in each other language from the same data. A sentence
of the English page (text, a user-facing attribute, the page script's texts) that comes back
unchanged in another language is untranslated, unless it is data (a product's or store's
name, an email) or the catalog translates it to the same words ("CVC", "Privacy" in
Italian). That catches a string nobody marked for translation as well as a marked one the
catalog lacks. The catalogs themselves are checked by tests/test_i18n.py.
"""

import json
import re
from html.parser import HTMLParser

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.test import Client, RequestFactory

from checkout.billing import parse_billing_detail
from checkout.web.pages import page
from orders.services import order_place
from payments.models import Payment
from tests.browser_support import expire, make_product, make_session, make_store
from tests.cart_browser_support import address_form, begin, make_cart_shop
from tests.shipping_support import pay_form, post_address, post_method

pytestmark = pytest.mark.django_db

LANGUAGES = [code for code, _ in settings.LANGUAGES]
OTHER_LANGUAGES = [code for code in LANGUAGES if code != "en"]
CATALOG_DIR = {"pt-br": "pt_BR", "zh-hans": "zh_Hans"}
USER_FACING_ATTRIBUTES = {"aria-label", "alt", "placeholder", "title"}
# Data, not text of ours: what the fixtures name things (products, the shipping method and
# its delivery estimate, the address), card brands, public IDs, the platform's own name.
DATA = (
    "Acme Tools",
    "Widget Pro",
    "Setup Guide",
    "Pancake Pro",
    "Standard",
    "3 to 5 business days",
    "Ada Lovelace",
    "1 Main St",
    "Apt 4",
    "Seattle",
    "Visa",
    "UTC",
    "Pancake Checkout",
    "1 Example Street",  # the platform's address on invoices (settings)
    "10115 Berlin",
    "Germany",
)
# Public IDs, and invoice and credit note numbers (TEST-INV-000001).
PUBLIC_ID = re.compile(r"\b[A-Z]{2,4}_[A-Za-z0-9]+|\b[A-Z]+-[A-Z]+-\d+")


class _Texts(HTMLParser):
    """Visible text nodes, user-facing attributes and the page script's JSON texts."""

    def __init__(self):
        super().__init__()
        self.texts: list[str] = []
        self._skip = 0
        self._json = False
        self._options: list[bool] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "option":  # a country or a state is CLDR's name (tests/test_i18n.py)
            self._options.append(bool(attrs.get("value")))
            self._skip += self._options[-1]
        if tag in ("script", "style"):
            self._skip += 1
            self._json = attrs.get("type") == "application/json"
        for name, value in attrs.items():
            if value and (
                name in USER_FACING_ATTRIBUTES or (name.startswith("data-") and " " in value)
            ):
                self.texts.append(value)

    def handle_endtag(self, tag):
        if tag == "option" and self._options:
            self._skip -= self._options.pop()
        if tag in ("script", "style"):
            self._skip -= 1
            self._json = False

    def handle_data(self, data):
        if self._json:
            self.texts.extend(_json_strings(json.loads(data)))
        elif not self._skip:
            self.texts.append(data)


def _json_strings(value) -> list[str]:
    if isinstance(value, dict):
        return [text for item in value.values() for text in _json_strings(item)]
    return [value] if isinstance(value, str) else []


def texts_of(html: str) -> set[str]:
    parser = _Texts()
    parser.feed(html)
    cleaned = {" ".join(text.split()) for text in parser.texts}
    return {text for text in cleaned if re.search(r"[A-Za-z]{3}", text)}


def same_in_catalog(language: str) -> set[str]:
    """Texts the catalog translates to the same words."""
    with open(f"locale/{CATALOG_DIR.get(language, language)}/LC_MESSAGES/django.po", "rb") as po:
        return {m.id for m in read_po(po) if m.id and m.string == m.id}


def _is_data(text: str, same: set[str]) -> bool:
    """Whether nothing is left of ``text`` once data and the catalog's same-as-English
    words ("VAT" in Japanese, next to a rate) are taken out."""
    for value in sorted({*DATA, *same}, key=len, reverse=True):
        text = text.replace(value, "")
    return not re.search(r"[A-Za-z]{3}", PUBLIC_ID.sub("", text))


def untranslated(english: str, other: str, language: str) -> set[str]:
    same = same_in_catalog(language)
    left = texts_of(english) & texts_of(other)
    return {
        text for text in left if text not in same and "@" not in text and not _is_data(text, same)
    }


# --- the pages -----------------------------------------------------------------------------


def _store_sessions() -> dict:
    """Sessions of a one-product store: open, with a trial, expired, a payment under way."""
    merchant, store = make_store(name="Acme Tools", slug="acme-tools")
    product = make_product(store, name="Widget Pro")
    plan = make_product(
        store,
        name="Pancake Pro",
        product_type="subscription",
        billing_period="monthly",
        metadata={"trialDays": 14},
        prices={"USD": {"amount": "10.00", "taxCategory": "saas", "trialAmount": "1.00"}},
    )
    processing = make_session(merchant=merchant, product=product)
    order = order_place(
        session=processing,
        billing=parse_billing_detail({"country": "DE", "isBusiness": False}),
        buyer_email="buyer@example.com",
    )
    Payment.objects.create(order=order, amount_minor=order.total_minor, currency="USD")
    return {
        "open": make_session(merchant=merchant, product=product),
        "trial": make_session(merchant=merchant, product=plan, withTrial=True),
        "expired": expire(make_session(merchant=merchant, product=product)),
        "processing": processing,
    }


def _cart_sessions() -> dict:
    """Cart sessions with shipping: at the method step, paid, and not yet addressed."""
    shop = make_cart_shop(slug="cart-shop", method_countries=("US", "CA"))
    shipping, paid = begin(shop), begin(shop)
    setup = Client()
    for session in (shipping, paid):
        assert post_address(setup, session).status_code == 200
        assert post_method(setup, session, shop.standard.pk).status_code == 200
    assert setup.post(path(paid, "/pay"), pay_form()).status_code == 303
    return {"shipping": shipping, "paid": paid, "no method": begin(shop)}


def path(session, tail=""):
    return f"/store/{session.store.slug}/checkout/{session.public_id}{tail}"


def get(url):
    return lambda client, lang: client.get(url, headers={"accept-language": lang})


@pytest.fixture
def pages(db, settings):
    """Every hosted page, as a function of the test client and the Accept-Language header."""
    settings.PLATFORM_TERMS_URL = "https://example.com/terms"
    settings.PLATFORM_PRIVACY_URL = "https://example.com/privacy"
    one, cart = _store_sessions(), _cart_sessions()

    def refused(client, lang):
        bad_card = {"email": "x", "country": "US", "card_number": "4242 4242 4242 4241"}
        client.post(path(one["open"], "/pay"), bad_card, headers={"accept-language": lang})
        return client.get(path(one["open"]), headers={"accept-language": lang})

    def not_shipped(client, lang):
        germany = address_form(country_code="DE", province_code="", postal_code="10115")
        url = path(cart["no method"], "/shipping")
        client.post(url, germany, headers={"accept-language": lang})  # 303 to the page
        return client.get(path(cart["no method"]), headers={"accept-language": lang})

    def authenticate(client, lang):
        request = RequestFactory().get("/", headers={"accept-language": lang})
        request.csp_nonce = "n"
        context = {"client_secret": "pi_x", "return_url": "/r", "stripe_page": None}
        return page(request, "checkout/authenticate.html", context, session=one["open"])

    return {
        "checkout": get(path(one["open"])),
        "checkout with errors": refused,
        "subscription with trial": get(path(one["trial"])),
        "shipping step": get(path(cart["shipping"])),
        "no shipping method": not_shipped,
        "already paid": get(path(cart["paid"])),
        "receipt": get(path(cart["paid"], "/receipt")),
        "processing": get(path(one["processing"])),
        "expired": get(path(one["expired"])),
        "not found": get("/store/acme-tools/checkout/cs_nope"),
        "authenticate": authenticate,
        "storefront": get("/store/acme-tools/"),
        "cart unavailable": get("/c/cart_nope"),
        "home": get("/"),
    }


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_every_page_is_translated(client, pages, language):
    failures = {}
    for name, render in pages.items():
        english = render(client, "en").content.decode()
        other = render(client, language).content.decode()
        tag = language if "-" not in language else None
        assert '<html lang="en' in english, name
        assert f'<html lang="{tag or ""}' in other or tag is None, name
        left = untranslated(english, other, language)
        if left:
            failures[name] = sorted(left)
    assert failures == {}, json.dumps(failures, indent=1, ensure_ascii=False)


def test_arabic_pages_read_right_to_left(client, pages):
    for name, render in pages.items():
        html = render(client, "ar").content.decode()
        assert re.search(r'<html lang="ar[^"]*" dir="rtl"', html), name
        assert " dir=" not in render(client, "de").content.decode().split(">")[1], name


def test_the_check_finds_an_untranslated_sentence():
    english = "<p>Card number</p><p>Widget Pro</p><button aria-label='Buy it now'>Buy</button>"
    german = "<p>Kartennummer</p><p>Widget Pro</p><button aria-label='Buy it now'>Kaufen</button>"
    assert untranslated(english, german, "de") == {"Buy it now"}
