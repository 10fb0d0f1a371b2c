"""The admin's small things: the login asks for an email, API keys are spelled so, "View
site" goes somewhere real, lists fit a 1440 px screen, the licence is an SPDX string."""

import tomllib
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

from stores.models import ApiKey

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def test_the_login_form_asks_for_an_email(client):
    response = client.get("/admin/login/")

    assert response.status_code == 200
    assert '<label for="id_username" class="required">Email:</label>' in response.text
    assert 'type="email" name="username"' in response.text
    assert "Username" not in response.text


def test_a_merchant_signs_in_with_the_email(client, merchant):
    response = client.post(
        "/admin/login/",
        {"username": merchant.user.email, "password": "correct horse battery staple"},
    )

    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_api_keys_are_spelled_api_keys(merchant_client):
    assert ApiKey._meta.verbose_name_plural == "API keys"

    index = merchant_client.get("/admin/").text

    assert "API keys" in index and "Api keys" not in index


def test_view_site_goes_to_a_page_that_exists(merchant_client):
    index = merchant_client.get("/admin/")

    assert index.context["site_url"] == settings.ADMIN_SITE_URL
    assert f'href="{settings.ADMIN_SITE_URL}">View site' in index.text
    assert merchant_client.get(settings.ADMIN_SITE_URL).status_code == 200


def test_every_admin_page_loads_the_local_stylesheet(merchant_client):
    page = merchant_client.get("/admin/orders/order/").text

    assert '<link rel="stylesheet" href="/static/admin_extra/admin.css">' in page
    css = Path(finders.find("admin_extra/admin.css")).read_text()
    # Lists scroll inside their box rather than cutting off their last columns.
    assert "#changelist .results { overflow-x: auto; }" in css


def test_the_licence_is_an_spdx_expression():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]

    assert project["license"] == "MIT"
    assert not any(c.startswith("License ::") for c in project.get("classifiers", []))
