"""The theme editor in a real browser (Debian's Chromium through Playwright): the preview
follows the colour fields and pickers live, in light and dark, warns below WCAG AA, and the
admin page raises no Content-Security-Policy violation (see ``CspWatcher``)."""

import pytest

from stores.models import Store
from tests.admin_factories import PASSWORD, AdminMerchantFactory
from tests.factories import StoreFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def editor(page, site):
    merchant = AdminMerchantFactory()
    store = StoreFactory(owner=merchant, name="Acme Tools")
    page.goto(f"{site}/admin/login/")
    page.get_by_label("Email").fill(merchant.user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{site}/admin/")
    page.goto(f"{site}/admin/stores/store/{store.pk}/change/")
    return page, store


def css_var(page, mode: str, name: str) -> str:
    return page.eval_on_selector(
        f".theme-preview[data-mode='{mode}']",
        f"(el) => getComputedStyle(el).getPropertyValue('--tp-{name}').trim()",
    )


def background_of(page, mode: str, selector: str) -> str:
    return page.eval_on_selector(
        f".theme-preview[data-mode='{mode}'] {selector}",
        "(el) => getComputedStyle(el).backgroundColor",
    )


def test_the_preview_follows_the_fields_live(editor):
    page, _ = editor
    assert background_of(page, "light", ".tp-card") == "rgb(255, 255, 255)"
    assert background_of(page, "dark", ".tp-card") == "rgb(26, 29, 36)"

    page.fill("[name='theme_light_card']", "#ffeedd")
    page.fill("[name='theme_dark_primary']", "#22aa44")

    assert background_of(page, "light", ".tp-card") == "rgb(255, 238, 221)"
    assert background_of(page, "dark", ".tp-button") == "rgb(34, 170, 68)"
    assert css_var(page, "dark", "on-primary") == "#111827"  # dark text on a light green
    # The picker beside the field follows it.
    assert page.input_value("[data-color-for='theme_light_card']") == "#ffeedd"


def test_the_picker_fills_the_field_and_the_preview(editor):
    page, _ = editor

    page.fill("[data-color-for='theme_light_background']", "#336699")

    assert page.input_value("[name='theme_light_background']") == "#336699"
    assert background_of(page, "light", "") == "rgb(51, 102, 153)"


def test_low_contrast_is_warned_while_typing(editor):
    page, _ = editor
    warning = page.locator("[data-contrast-warning='light']")
    assert warning.is_hidden()

    page.fill("[name='theme_light_text']", "#dddddd")

    assert warning.is_visible()
    assert "Below WCAG AA (4.5:1): text on the card 1.36:1" in warning.inner_text()
    assert page.locator("[data-contrast-warning='dark']").is_hidden()

    page.fill("[name='theme_light_text']", "#111827")
    assert warning.is_hidden()


def test_saving_the_edited_theme(editor):
    page, store = editor

    page.fill("[name='theme_dark_card']", "#202020")
    page.check("[name='theme_default_dark']")
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url("**/admin/stores/store/")

    store = Store.objects.get(pk=store.pk)
    assert store.checkout_settings == {
        "defaultDarkMode": True,
        "dark": {"checkoutColorCard": "#202020"},
    }
