"""The platform's own pages and what every hosted page says about the platform (issue 19,
point 5): the home page at /, robots.txt, the favicon, the merchant of record's legal name
and its Terms and Privacy links from settings, the theme that follows the buyer's system
when nobody chose, and the compact test-mode banner."""

import re

import pytest

from tests.browser_support import checkout_path, make_product, make_session, make_store

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(db):
    merchant, store = make_store(name="Acme Tools", slug="acme-tools")
    return make_session(merchant=merchant, product=make_product(store, name="Widget Pro"))


def directives(response) -> dict[str, str]:
    policy = response["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())


def test_the_home_page_says_what_this_server_is(client, settings):
    settings.PLATFORM_LEGAL_NAME = "Example Commerce Ltd"
    settings.PLATFORM_DOCS_URL = "https://docs.example.com/pancake"

    response = client.get("/")

    assert response.status_code == 200
    html = response.content.decode()
    assert '<h1 id="home-heading">Example Commerce Ltd</h1>' in html
    assert "merchant of record" in html
    assert '<a href="/admin/" id="home-admin">Admin</a>' in html
    assert '<a href="https://docs.example.com/pancake" id="home-docs">Documentation</a>' in html
    assert "<script" not in html


def test_the_home_page_has_a_strict_policy(client):
    policy = directives(client.get("/"))
    assert policy["default-src"] == "'none'"
    assert "script-src" not in policy  # falls back to 'none'
    assert policy["style-src"].startswith("'self' 'nonce-")
    assert policy["img-src"] == "'self'"
    assert policy["form-action"] == "'none'"
    assert policy["frame-ancestors"] == "'none'" and policy["base-uri"] == "'none'"


def test_the_home_page_answers_head_and_refuses_post(client):
    head = client.head("/")
    assert head.status_code == 200 and head.content == b""
    assert client.post("/").status_code == 405


def test_robots_txt_keeps_checkouts_receipts_and_cart_links_out(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    rules = response.content.decode().splitlines()
    assert rules[0] == "User-agent: *"
    assert "Disallow: /store/*/checkout/" in rules  # checkouts and their receipts
    assert "Disallow: /c/" in rules and "Disallow: /admin/" in rules
    assert "Disallow: /" not in rules  # the home page and storefronts stay crawlable
    assert client.head("/robots.txt").status_code == 200


def test_the_favicon_is_served_locally(client, session):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == "/static/favicon.svg"
    html = client.get(checkout_path(session)).content.decode()
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in html


def test_the_legal_name_and_legal_links_come_from_settings(client, settings, session):
    settings.PLATFORM_LEGAL_NAME = "Example Commerce Ltd"
    settings.PLATFORM_TERMS_URL = "https://example.com/terms"
    settings.PLATFORM_PRIVACY_URL = "/privacy"

    html = client.get(checkout_path(session)).content.decode()

    assert "Payments are processed by Example Commerce Ltd, the merchant of record." in html
    assert '<a href="https://example.com/terms">Terms</a>' in html
    assert '<a href="/privacy">Privacy</a>' in html


def test_legal_links_are_left_out_until_configured(client, session):
    html = client.get(checkout_path(session)).content.decode()
    assert "Payments are processed by Pancake Checkout, the merchant of record." in html
    assert 'class="legal-links"' not in html


def test_a_page_nobody_chose_a_mode_for_follows_the_system(client, session):
    html = client.get(checkout_path(session)).content.decode()
    assert '<html lang="en-US" class="theme-auto">' in html
    assert '<meta name="color-scheme" content="light dark">' in html
    dark = re.search(r"@media \(prefers-color-scheme: dark\) \{\s*:root \{([^}]*)\}", html)
    assert dark and "--color-background: #0f1115;" in dark.group(1)


@pytest.mark.parametrize(
    ("stored", "session_dark", "mode"),
    [
        ({"defaultDarkMode": False}, None, "light"),
        ({"defaultDarkMode": True}, None, "dark"),
        ({}, True, "dark"),
        ({}, False, "light"),
        ({"defaultDarkMode": True}, False, "light"),
    ],
)
def test_a_chosen_mode_is_kept(client, stored, session_dark, mode):
    merchant, store = make_store(checkout_settings=stored)
    payload = {} if session_dark is None else {"darkMode": session_dark}
    session = make_session(merchant=merchant, product=make_product(store), **payload)

    html = client.get(checkout_path(session)).content.decode()

    assert f'class="theme-{mode}"' in html
    assert f'<meta name="color-scheme" content="{mode}">' in html
    assert "prefers-color-scheme" not in html


def test_the_test_banner_has_a_short_text_for_phones(client, session):
    html = client.get(checkout_path(session)).content.decode()
    banner = re.search(r'<div class="test-banner"[^>]*>(.*?)</div>', html, re.S).group(1)
    assert '<span class="test-banner-short"> · card 4242 4242 4242 4242</span>' in banner
    assert "no real payment is made" in banner
