"""The checkout theme editor: colour pickers and fields per mode, validated by the settings
schema the API's store_update applies (errors on the field they name), only what differs
from the defaults stored, a preview in light and dark, and WCAG AA contrast warnings."""

import pytest

from stores.models import StoreMembership, StoreRole
from tests.admin_factories import AdminMerchantFactory, change_url, form_errors, store_form_data
from tests.factories import StoreFactory

pytestmark = pytest.mark.django_db


def test_checkout_theme_is_validated_by_the_settings_schema(merchant_client, store):
    response = merchant_client.post(
        change_url(store), store_form_data(store, theme_light_primary="red; }")
    )

    assert response.status_code == 200
    assert form_errors(response) == {
        "theme_light_primary": ["Invalid checkoutSettings.light.checkoutColorPrimary: 'red; }'"]
    }
    store.refresh_from_db()
    assert store.checkout_settings is None


def test_a_bad_radius_is_reported_on_its_field(merchant_client, store):
    response = merchant_client.post(
        change_url(store), store_form_data(store, theme_dark_radius="8 px")
    )

    assert form_errors(response) == {
        "theme_dark_radius": ["Invalid checkoutSettings.dark.checkoutBorderRadius: '8 px'"]
    }


def test_checkout_theme_edit_stores_what_differs_from_the_defaults(merchant_client, store):
    response = merchant_client.post(
        change_url(store),
        store_form_data(store, theme_default_dark="on", theme_dark_primary="#112233"),
    )

    assert response.status_code == 302, form_errors(response)
    store.refresh_from_db()
    assert store.checkout_settings == {
        "defaultDarkMode": True,
        "dark": {"checkoutColorPrimary": "#112233"},
    }


def test_the_theme_editor_shows_pickers_and_a_preview(merchant_client, store):
    store.checkout_settings = {"light": {"checkoutColorPrimary": "#abc"}}
    store.save()

    text = merchant_client.get(change_url(store)).text

    assert 'name="theme_light_primary" value="#abc"' in text
    assert 'type="color" data-color-for="theme_light_primary"' in text
    assert 'class="theme-preview" data-mode="light" data-primary="#abc"' in text
    assert 'data-mode="dark" data-primary="#818cf8"' in text
    assert "/static/admin_extra/theme_editor.js" in text
    assert "<script>" not in text  # no inline script: the admin's CSP stays strict


def test_the_preview_warns_below_wcag_aa(merchant_client, store):
    store.checkout_settings = {"light": {"checkoutColorText": "#cccccc"}}
    store.save()

    text = merchant_client.get(change_url(store)).text

    assert "Light theme: text on the card has a contrast of 1.61:1, below WCAG AA" in text
    assert "Dark theme" not in text


def test_saving_a_low_contrast_theme_warns(merchant_client, store):
    response = merchant_client.post(
        change_url(store), store_form_data(store, theme_light_text="#eeeeee"), follow=True
    )

    messages = [str(message) for message in response.context["messages"]]
    assert any("below WCAG AA" in message for message in messages), messages
    store.refresh_from_db()
    assert store.checkout_settings["light"] == {"checkoutColorText": "#eeeeee"}


def test_a_theme_as_the_api_writes_it_reads_the_same_in_admin(merchant_client, store, merchant):
    """One rule, two doors: what store_update accepts, the editor shows and keeps."""
    from stores.services import store_update  # the API door

    membership = StoreMembership.objects.get(store=store, merchant=merchant)
    store_update(
        membership=membership,
        checkout_settings={"dark": {"checkoutColorCard": "#202020", "checkoutBorderRadius": "0"}},
    )
    store.refresh_from_db()

    response = merchant_client.post(change_url(store), store_form_data(store))

    assert response.status_code == 302, form_errors(response)
    store.refresh_from_db()
    assert store.checkout_settings == {
        "dark": {"checkoutColorCard": "#202020", "checkoutBorderRadius": "0"}
    }


def test_another_merchants_theme_cannot_be_edited(merchant_client):
    theirs = StoreFactory(owner=AdminMerchantFactory())

    assert merchant_client.get(change_url(theirs)).status_code == 404
    response = merchant_client.post(
        change_url(theirs), store_form_data(theirs, theme_light_primary="#000000")
    )
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.checkout_settings is None


def test_a_member_sees_the_preview_but_no_editor(client, store):
    member = AdminMerchantFactory()
    StoreMembership.objects.create(store=store, merchant=member, role=StoreRole.MEMBER)
    client.force_login(member.user)

    text = client.get(change_url(store)).text

    assert 'class="theme-preview" data-mode="light"' in text
    assert 'name="theme_light_primary"' not in text


def test_a_theme_edit_keeps_the_store_page_language(merchant_client, store):
    store.checkout_settings = {"language": "de", "light": {"checkoutColorPrimary": "#000000"}}
    store.save(update_fields=["checkout_settings"])

    response = merchant_client.post(
        change_url(store), store_form_data(store, theme_dark_primary="#112233")
    )

    assert response.status_code == 302, form_errors(response)
    store.refresh_from_db()
    assert store.checkout_settings["language"] == "de"  # not the editor's to drop
    assert store.checkout_settings["dark"] == {"checkoutColorPrimary": "#112233"}
