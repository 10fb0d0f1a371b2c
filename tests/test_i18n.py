"""The hosted pages' languages: complete catalogs, which language a page speaks (session,
browser, store), countries named and ordered for the locale, errors translated by their
code while the APIs keep the contract's English, and the admin untouched."""

import gettext
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.utils import translation

from checkout.web import choices
from checkout.web.locale import resolve_locale
from stores.models import StoreStatus
from tests.browser_support import (
    FUTURE_EXPIRY,
    SUCCESS_CARD,
    checkout_path,
    make_product,
    make_session,
    make_store,
    shown_after,
)
from tests.cart_browser_support import make_cart_shop, public_cart_path

pytestmark = pytest.mark.django_db

LOCALE_DIR = Path(settings.BASE_DIR) / "locale"
CATALOGS = sorted(path.parent.parent.name for path in LOCALE_DIR.glob("*/LC_MESSAGES/django.po"))
PLACEHOLDER = re.compile(r"%\([a-z_0-9]+\)s|</?strong>")
CREATE_SESSION = "/v1/actions/checkout/create-session"
UPDATE_STORE = "/v1/actions/store/update-store"


def catalog(name: str):
    with open(LOCALE_DIR / name / "LC_MESSAGES" / "django.po", "rb") as po:
        return [message for message in read_po(po) if message.id]


# --- catalogs --------------------------------------------------------------------------------


def test_there_is_a_catalog_for_every_language_but_english():
    expected = {code for code, _ in settings.LANGUAGES} - {"en"}
    assert {translation.to_language(name) for name in CATALOGS} == expected


@pytest.mark.parametrize("name", CATALOGS)
def test_every_message_is_translated_with_its_placeholders(name):
    for message in catalog(name):
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        assert not message.fuzzy, message.id
        assert all(strings), message.id
        for text in strings:
            assert sorted(PLACEHOLDER.findall(text)) == sorted(PLACEHOLDER.findall(ids[-1]))


@pytest.mark.parametrize("name", CATALOGS)
def test_the_committed_mo_is_compiled_from_the_po(name):
    with open(LOCALE_DIR / name / "LC_MESSAGES" / "django.mo", "rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    for message in catalog(name):
        if isinstance(message.id, tuple):
            assert compiled.ngettext(*message.id, 5) in message.string
        elif message.context:
            assert compiled.pgettext(message.context, message.id) == message.string
        else:
            assert compiled.gettext(message.id) == message.string, message.id


# --- which language ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("session", "browser", "store", "language", "tag"),
    [
        ("ja-JP", "de-DE,de;q=0.9", "fr", "ja", "ja-JP"),
        ("", "de-CH,de;q=0.9", "fr", "de", "de-CH"),
        ("", "sv-SE,sv;q=0.9,fr;q=0.5", "it", "fr", "fr"),
        ("", "sv-SE", "it", "it", "it"),
        ("", "", "", "en", "en-US"),
        ("zh-Hant-TW", "nl", "", "nl", "nl"),  # no traditional Chinese catalog: next one
        ("zh-Hans", "", "", "zh-hans", "zh-Hans"),
        ("", "pt", "", "pt-br", "pt"),
        ("", "ar-EG", "", "ar", "ar-EG"),
    ],
)
def test_session_then_browser_then_store(session, browser, store, language, tag):
    locale = resolve_locale(language=session, accept_language=browser, store_language=store)
    assert (locale.language, locale.tag) == (language, tag)
    assert locale.direction == ("rtl" if language == "ar" else "ltr")


@pytest.fixture
def shop(db):
    merchant, store = make_store(name="Acme Tools", slug="acme-tools")
    return merchant, store, make_product(store, name="Widget Pro")


def test_the_session_language_wins_on_the_page(client, shop):
    merchant, _, product = shop
    session = make_session(merchant=merchant, product=product, language="ja-JP")
    html = client.get(checkout_path(session), headers={"accept-language": "de"}).content.decode()
    assert '<html lang="ja-JP" class=' in html
    assert "カード番号" in html
    assert "Kartennummer" not in html


def test_the_browser_language_then_the_store_default(client, merchant, store, api):
    product = make_product(store, name="Widget Pro")
    session = make_session(merchant=merchant, product=product)
    german = client.get(checkout_path(session), headers={"accept-language": "de-DE,de;q=0.9"})
    assert "Kartennummer" in german.content.decode()
    assert "Accept-Language" in german["Vary"]

    response = api.post(
        UPDATE_STORE, {"id": store.public_id, "checkoutSettings": {"language": "fr"}}
    )
    assert response.json()["data"]["store"]["checkoutSettings"]["language"] == "fr"
    unknown = client.get(checkout_path(session), headers={"accept-language": "sv-SE"})
    assert "Numéro de carte" in unknown.content.decode()
    assert (
        "Kartennummer"
        in client.get(checkout_path(session), headers={"accept-language": "de"}).content.decode()
    )


def test_store_language_is_checked_and_cleared(api, store):
    refused = api.post(
        UPDATE_STORE, {"id": store.public_id, "checkoutSettings": {"language": "xx"}}
    )
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["message"] == "Invalid checkoutSettings.language: 'xx'"
    api.post(UPDATE_STORE, {"id": store.public_id, "checkoutSettings": {"language": "de"}})
    cleared = api.post(
        UPDATE_STORE, {"id": store.public_id, "checkoutSettings": {"language": None}}
    )
    assert "language" not in cleared.json()["data"]["store"]["checkoutSettings"]


def test_create_session_takes_the_page_languages(api, product):
    for language in ("de", "fr-CA", "ar", "pt-BR", "zh-Hant-TW"):
        body = {"productId": product.public_id, "currency": "USD", "language": language}
        assert api.post(CREATE_SESSION, body).status_code == 200, language
    body = {"productId": product.public_id, "currency": "USD", "language": "sv"}
    assert (
        api.post(CREATE_SESSION, body).json()["errors"][0]["message"] == "Unsupported language: sv"
    )


def test_admin_and_api_stay_english_and_no_language_leaks(client, shop, api):
    merchant, _, product = shop
    session = make_session(merchant=merchant, product=product)
    client.get(checkout_path(session), headers={"accept-language": "de"})
    assert translation.get_language() == settings.LANGUAGE_CODE
    login = client.get("/admin/login/", headers={"accept-language": "de"}).content.decode()
    assert "Log in" in login
    body = {"productId": product.public_id, "currency": "USD", "language": "xx-YY"}
    answer = api.post(CREATE_SESSION, body, headers={"Accept-Language": "de"})
    assert answer.json()["errors"][0]["message"] == "Unsupported language: xx-YY"


# --- countries --------------------------------------------------------------------------------


def names(locale: str) -> list[str]:
    return [name for _, name in choices.country_choices(locale)]


def test_countries_are_named_and_sorted_for_the_locale():
    english, german, french = names("en"), names("de"), names("fr")
    assert english[:3] == ["Afghanistan", "Åland Islands", "Albania"]
    assert english.index("Türkiye") < english.index("Tuvalu")
    assert german[:4] == ["Afghanistan", "Ägypten", "Ålandinseln", "Albanien"]
    assert german.index("Österreich") < german.index("Pakistan")
    assert french.index("Égypte") < french.index("Érythrée") < french.index("Espagne")
    assert french.index("États-Unis") < french.index("Éthiopie")


def test_kana_and_arabic_names_keep_their_alphabets_order():
    japanese, arabic = names("ja"), names("ar")
    assert japanese.index("ドイツ") > japanese.index("ツバル")  # ツ before ト (gojūon)
    assert japanese.index("アイスランド") == 0
    assert arabic[0].startswith("إ")  # alef with hamza sorts with alef


def test_the_page_lists_countries_in_its_language(client, shop):
    merchant, _, product = shop
    session = make_session(merchant=merchant, product=product)
    html = client.get(checkout_path(session), headers={"accept-language": "de"}).content.decode()
    options = re.findall(r'<option value="([A-Z]{2})"[^>]*>([^<]+)</option>', html)
    assert options[:3] == [("AF", "Afghanistan"), ("EG", "Ägypten"), ("AX", "Ålandinseln")]


# --- errors -----------------------------------------------------------------------------------


def pay_form(**fields):
    data = {"email": "buyer@example.com", "country": "DE", "card_number": SUCCESS_CARD}
    data.update(card_expiry=FUTURE_EXPIRY, card_cvc="123", **fields)
    return data


def test_errors_are_translated_by_code_on_the_page(client, shop):
    merchant, _, product = shop
    session = make_session(merchant=merchant, product=product)
    german = {"accept-language": "de"}
    response = client.post(
        checkout_path(session) + "/pay", pay_form(token="not-a-token"), headers=german
    )
    html = shown_after(client, response, session).content.decode()
    assert "Ihr sicherer Bezahllink ist abgelaufen oder ungültig." in html
    assert "has expired or is not valid" not in html

    response = client.post(
        checkout_path(session) + "/pay", pay_form(card_number="4000 0000 0000 0002"), headers=german
    )
    html = client.get(checkout_path(session), headers=german).content.decode()
    assert "Ihre Karte wurde abgelehnt." in html


def test_field_errors_are_in_the_page_language(client, shop):
    merchant, _, product = shop
    session = make_session(merchant=merchant, product=product)
    arabic = {"accept-language": "ar"}
    response = client.post(
        checkout_path(session) + "/pay",
        pay_form(email="", card_number="4242 4242 4242 4241"),
        headers=arabic,
    )
    html = client.get(checkout_path(session), headers=arabic).content.decode()
    assert "أدخل عنوان بريدك الإلكتروني." in html
    assert "رقم بطاقتك غير صالح." in html
    assert response.status_code == 303


def test_the_api_keeps_the_contract_message_in_any_language(api, product):
    body = {"productId": product.public_id, "currency": "USD", "billingDetail": {"country": 1}}
    for language in ("de", "ja", "ar"):
        answer = api.post(CREATE_SESSION, body, headers={"Accept-Language": language})
        assert answer.status_code == 400
        assert answer.json()["errors"][0]["message"].isascii()


def test_an_unavailable_cart_speaks_its_stores_default(client):
    shop = make_cart_shop(slug="cart-shop")
    shop.store.checkout_settings = {"language": "fr"}
    shop.store.status = StoreStatus.SUSPENDED  # its cart links can't be bought
    shop.store.save()
    response = client.get(public_cart_path(shop.cart), headers={"accept-language": "sv"})
    html = response.content.decode()
    assert response.status_code == 403
    assert '<html lang="fr"' in html
    assert "Cette boutique ne prend pas de commandes" in html.replace("&#x27;", "'")
