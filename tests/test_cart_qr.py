"""``GET /checkout/{cart_id}/qr[.png|.svg]``: the codes decode to the public cart URL, size and
margin limits, both spellings of a cart ID, credentials and tenancy."""

import io
import os
import uuid

import pytest
import zxingcpp
from PIL import Image

from stores.models import Environment, StoreStatus
from stores.secret_keys import secret_key_revoke, secret_key_verify
from tests.browser_support import CHROMIUM, CHROMIUM_ARGS
from tests.cart_factories import (
    CartApi,
    make_cart,
    merchant_with_store,
    new_secret,
    physical_product,
)
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop():
    merchant, store, api = merchant_with_store()
    cart = make_cart(store, (physical_product(store), 2), (ProductFactory(store=store), 1))
    return merchant, store, cart, api


def decode(image: Image.Image) -> list[str]:
    return [result.text for result in zxingcpp.read_barcodes(image)]


def public_url(cart, settings) -> str:
    return f"{settings.PUBLIC_BASE_URL}/c/{cart.public_id}"


def test_png_decodes_to_the_public_cart_url(shop, settings):
    _, _, cart, api = shop
    response = api.get(f"/checkout/{cart.public_id}/qr.png")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Cache-Control"] == "private, max-age=300"
    image = Image.open(io.BytesIO(response.content))
    assert decode(image) == [public_url(cart, settings)]


def test_public_base_url_decides_the_encoded_url(shop, settings):
    _, _, cart, api = shop
    settings.PUBLIC_BASE_URL = "https://pay.example.com"
    response = api.get(f"/checkout/{cart.public_id}/qr.png")
    image = Image.open(io.BytesIO(response.content))
    assert decode(image) == [f"https://pay.example.com/c/{cart.public_id}"]


def test_json_describes_the_code(shop, settings):
    _, _, cart, api = shop
    response = api.get(f"/checkout/{cart.public_id}/qr")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, max-age=300"
    base = settings.PUBLIC_BASE_URL
    assert response.json() == {
        "cart_id": cart.public_id,
        "url": public_url(cart, settings),
        "png_url": f"{base}/checkout/{cart.public_id}/qr.png",
        "svg_url": f"{base}/checkout/{cart.public_id}/qr.svg",
        "size": 8,
        "margin": 4,
    }


def test_json_carries_non_default_size_and_margin_into_the_image_urls(shop, settings):
    _, _, cart, api = shop
    body = api.get(f"/checkout/{cart.public_id}/qr", {"size": "3", "margin": "0"}).json()
    assert (body["size"], body["margin"]) == (3, 0)
    assert body["png_url"].endswith(f"/checkout/{cart.public_id}/qr.png?size=3&margin=0")
    assert body["svg_url"].endswith(f"/checkout/{cart.public_id}/qr.svg?size=3&margin=0")


def test_size_scales_modules_and_margin_is_the_quiet_zone(shop):
    _, _, cart, api = shop
    sizes = {}
    for size, margin in [(1, 0), (2, 0), (2, 4), (40, 16)]:
        response = api.get(f"/checkout/{cart.public_id}/qr.png", {"size": size, "margin": margin})
        assert response.status_code == 200
        image = Image.open(io.BytesIO(response.content))
        assert image.width == image.height
        sizes[size, margin] = image.width
    modules = sizes[1, 0]
    assert sizes[2, 0] == 2 * modules
    assert sizes[2, 4] == 2 * (modules + 8)
    assert sizes[40, 16] == 40 * (modules + 32)
    # A URL of this length needs a full QR code (at least 21 modules), never Micro QR.
    assert modules >= 21


def test_large_code_still_decodes(shop, settings):
    _, _, cart, api = shop
    response = api.get(f"/checkout/{cart.public_id}/qr.png", {"size": 3, "margin": 2})
    assert decode(Image.open(io.BytesIO(response.content))) == [public_url(cart, settings)]


@pytest.mark.parametrize(
    "query",
    [
        {"size": "0"},
        {"size": "41"},
        {"size": "-1"},
        {"size": "abc"},
        {"size": "8.5"},
        {"size": ""},
        {"size": " 8"},
        {"size": "1e1"},
        {"margin": "17"},
        {"margin": "-1"},
        {"margin": "x"},
        {"margin": "0x1"},
    ],
)
@pytest.mark.parametrize("suffix", ["qr", "qr.png", "qr.svg"])
def test_out_of_range_or_non_integer_size_and_margin_are_400(shop, query, suffix):
    _, _, cart, api = shop
    response = api.get(f"/checkout/{cart.public_id}/{suffix}", query)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "bad_request"
    name = next(iter(query))
    assert error["message"].startswith(f"{name} must be an integer from ")


@pytest.mark.parametrize("spelling", ["ulid", "ulid-lower", "uuid", "uuid-upper"])
def test_cart_id_as_ulid_or_uuid(shop, spelling, settings):
    _, _, cart, api = shop
    cart_id = {
        "ulid": cart.public_id,
        "ulid-lower": cart.public_id.lower(),
        "uuid": str(cart.id),
        "uuid-upper": str(cart.id).upper(),
    }[spelling]
    response = api.get(f"/checkout/{cart_id}/qr")
    assert response.status_code == 200
    # Whatever spelling was asked for, the answer names the cart by its ULID.
    assert response.json()["cart_id"] == cart.public_id
    assert response.json()["url"] == public_url(cart, settings)


@pytest.mark.parametrize(
    "cart_id", ["nonsense", "01ARZ3NDEK", "U" * 26, str(uuid.uuid4()), "0" * 27]
)
def test_unknown_or_malformed_cart_ids_are_404(shop, cart_id):
    _, _, _, api = shop
    response = api.get(f"/checkout/{cart_id}/qr.png")
    assert response.status_code == 404
    assert response.json() == {
        "error": {"status": 404, "code": "not_found", "message": "Cart not found"}
    }


def test_another_merchants_cart_is_404(shop):
    _, _, cart, _ = shop
    _, _, stranger = merchant_with_store()
    for suffix in ("qr", "qr.png", "qr.svg"):
        response = stranger.get(f"/checkout/{cart.public_id}/{suffix}")
        assert response.status_code == 404, suffix
        assert response.json()["error"]["message"] == "Cart not found"


def test_a_prod_key_does_not_see_a_test_cart(shop):
    merchant, _, cart, _ = shop
    prod = CartApi(merchant, secret=new_secret(merchant, Environment.PROD))
    assert prod.get(f"/checkout/{cart.public_id}/qr").status_code == 404


def test_without_credentials_401(shop, client):
    _, _, cart, _ = shop
    for suffix in ("qr", "qr.png", "qr.svg"):
        response = client.get(f"/checkout/{cart.public_id}/{suffix}")
        assert response.status_code == 401
        assert response.json() == {
            "error": {"status": 401, "code": "unauthorized", "message": "Unauthorized"}
        }


def test_bearer_secret_key_works(shop, settings):
    merchant, _, cart, _ = shop
    api = CartApi(merchant, secret=new_secret(merchant))
    response = api.get(f"/checkout/{cart.public_id}/qr.png")
    assert response.status_code == 200
    assert decode(Image.open(io.BytesIO(response.content))) == [public_url(cart, settings)]


def test_bearer_scheme_is_case_insensitive(shop, client):
    merchant, _, cart, _ = shop
    secret = new_secret(merchant)
    response = client.get(
        f"/checkout/{cart.public_id}/qr", headers={"Authorization": f"bearer {secret}"}
    )
    assert response.status_code == 200


def test_revoked_secret_key_401(shop):
    merchant, _, cart, _ = shop
    secret = new_secret(merchant)
    secret_key_revoke(secret_key=secret_key_verify(secret))
    response = CartApi(merchant, secret=secret).get(f"/checkout/{cart.public_id}/qr")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthorized"


@pytest.mark.parametrize(
    "authorization",
    ["Bearer sk_test_wrong", "Bearer not-a-secret", "Basic dXNlcjpwYXNz", "Bearer a.b.c"],
)
def test_bad_bearer_values_401(shop, client, authorization):
    _, _, cart, _ = shop
    response = client.get(
        f"/checkout/{cart.public_id}/qr", headers={"Authorization": authorization}
    )
    assert response.status_code == 401


def test_environment_header_must_match_the_key(shop):
    merchant, _, cart, _ = shop
    api = CartApi(merchant, secret=new_secret(merchant))
    response = api.get(f"/checkout/{cart.public_id}/qr", headers={"X-Environment": "prod"})
    assert response.status_code == 400
    ok = api.get(f"/checkout/{cart.public_id}/qr", headers={"X-Environment": "test"})
    assert ok.status_code == 200


def test_inactive_store_403(shop):
    _, store, cart, api = shop
    store.status = StoreStatus.INACTIVE
    store.save()
    response = api.get(f"/checkout/{cart.public_id}/qr.png")
    assert response.status_code == 403
    assert response.json()["error"] == {
        "status": 403,
        "code": "forbidden",
        "message": "Store is not active",
    }


def test_post_is_405_with_allow_header(shop):
    _, _, cart, api = shop
    response = api.post(f"/checkout/{cart.public_id}/qr.png")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert response.json()["error"]["code"] == "method_not_allowed"


def test_strict_accept_header_still_gets_the_image(shop):
    _, _, cart, api = shop
    response = api.get(f"/checkout/{cart.public_id}/qr.png", headers={"Accept": "image/png"})
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"


def test_svg_is_an_svg_document(shop):
    _, _, cart, api = shop
    response = api.get(f"/checkout/{cart.public_id}/qr.svg", {"size": 4, "margin": 2})
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response["Cache-Control"] == "private, max-age=300"
    assert b"<svg" in response.content
    assert b"<script" not in response.content


@pytest.mark.browser
def test_svg_decodes_when_rendered_by_chromium(shop, settings):
    _, _, cart, api = shop
    svg = api.get(f"/checkout/{cart.public_id}/qr.svg").content.decode()
    expected = public_url(cart, settings)
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make chromium`")
    from playwright.sync_api import sync_playwright

    # No ORM call happens while Playwright's event loop runs in this thread.
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        try:
            page = browser.new_page()
            page.set_content(svg)
            screenshot = page.screenshot()
        finally:
            browser.close()
    assert decode(Image.open(io.BytesIO(screenshot))) == [expected]
