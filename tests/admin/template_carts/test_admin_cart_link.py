"""A template cart's public link and its QR code on the admin change page."""

import base64
import io
import re

import pytest
import zxingcpp
from PIL import Image

from checkout.models import TemplateCart
from tests.admin.cart_admin_support import (
    make_cart,
)
from tests.admin_factories import (
    add_url,
    change_url,
)

pytestmark = pytest.mark.django_db


# --- public link and QR code ---------------------------------------------------------------


def decode_png_data_uri(uri: str) -> str:
    assert uri.startswith("data:image/png;base64,")
    image = Image.open(io.BytesIO(base64.b64decode(uri.split(",", 1)[1])))
    results = zxingcpp.read_barcodes(image)
    assert len(results) == 1
    return results[0].text


def test_change_page_shows_the_public_link_and_a_qr_code_of_it(
    merchant_client, settings, store, product
):
    settings.PUBLIC_BASE_URL = "https://pay.example.com"
    cart = make_cart(store, (product, 1))
    public_url = f"https://pay.example.com/c/{cart.public_id}"

    response = merchant_client.get(change_url(cart))

    assert response.status_code == 200
    html = response.text
    assert f"<code>{cart.public_id}</code>" in html
    assert f'<a href="{public_url}" id="cart-public-url">{public_url}</a>' in html
    image = re.search(
        r'<img src="(data:image/png;base64,[^"]+)" alt="QR code of ([^"]+)"[^>]*id="cart-qr-code"',
        html,
    )
    assert image is not None
    assert image.group(2) == public_url
    assert decode_png_data_uri(image.group(1)) == public_url
    assert f'download="cart-{cart.public_id}.png"' in html
    # The CSP allows data: images and nothing inline is needed.
    assert "data:" in response["Content-Security-Policy"].split("img-src", 1)[1].split(";")[0]


def test_add_page_has_no_qr_code_yet(merchant_client, store):
    response = merchant_client.get(add_url(TemplateCart))
    assert "cart-qr-code" not in response.text
