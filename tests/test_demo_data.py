import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command

from catalog.demo import PARTNER_CLIENT_ID, PARTNER_CLIENT_SECRET, seed_demo
from catalog.models import Product
from checkout.models import CheckoutSession, ShippingMethod, TemplateCart
from core.signing import fingerprint, public_key_of
from partners.models import Partner, PartnerGrant
from stores.models import ApiKey, Merchant, Store
from tests.signed_client import SignedClient


@pytest.mark.django_db
def test_seed_demo_is_idempotent_and_its_key_signs(tmp_path):
    first = seed_demo(key_dir=tmp_path)
    Group.objects.get(name="Merchants").permissions.clear()  # a database from before
    second = seed_demo(key_dir=tmp_path)

    assert first.merchant == second.merchant
    assert second.merchant.user.has_perm("orders.view_order")
    assert (Merchant.objects.count(), Store.objects.count(), ApiKey.objects.count()) == (1, 1, 1)
    assert Product.objects.count() == 3
    prices = {
        product.test_version.name: sorted(p.currency for p in product.test_version.prices.all())
        for product in Product.objects.all()
    }
    assert prices == {
        "Demo E-Book: The Pancake Handbook": ["EUR", "JPY", "USD"],
        "Demo Pro Plan": ["EUR", "USD"],
        "Demo T-Shirt": ["USD"],
    }
    assert (TemplateCart.objects.count(), ShippingMethod.objects.count()) == (1, 2)
    assert first.cart.items.count() == 2
    assert first.products["t-shirt"].test_version.requires_shipping
    assert Product.objects.get(type="subscription").test_version.billing_period == "monthly"
    private_pem = first.private_key_path.read_text()
    assert first.private_key_path.stat().st_mode & 0o777 == 0o600
    assert ApiKey.objects.get().fingerprint == fingerprint(public_key_of(private_pem))
    response = SignedClient(first.merchant.public_id, private_pem).post(
        "/v1/actions/onetime-product/publish-product", {"id": first.products["ebook"].public_id}
    )
    assert response.status_code == 200


@pytest.mark.django_db
def test_the_demo_partner_signs_in_with_the_printed_credentials_and_sells_the_demo_store(
    tmp_path, client
):
    demo = seed_demo(key_dir=tmp_path)
    seed_demo(key_dir=tmp_path)
    assert (Partner.objects.count(), PartnerGrant.objects.count()) == (1, 1)
    assert demo.partner.application.client_secret != PARTNER_CLIENT_SECRET  # stored hashed

    token = client.post(
        "/partner/oauth/token",
        {
            "grant_type": "client_credentials",
            "client_id": PARTNER_CLIENT_ID,
            "client_secret": PARTNER_CLIENT_SECRET,
        },
    ).json()["access_token"]
    item = {"offer": demo.products["ebook"].public_id, "quantity": 1, "type": "offer"}
    response = client.post(
        "/partner/checkout/initiate",
        {"order": {"currency": "USD", "orderItems": [item]}},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 200
    assert response.json()["id"].startswith("basket-")


@pytest.mark.django_db
def test_seed_demo_replaces_a_lost_key(tmp_path):
    first = seed_demo(key_dir=tmp_path)
    first.private_key_path.unlink()
    second = seed_demo(key_dir=tmp_path)
    assert second.private_key_path.exists()
    assert ApiKey.objects.count() == 2


@pytest.mark.django_db
def test_seed_demo_command_prints_what_make_run_promises(tmp_path, capsys):
    call_command("seed_demo", "--key-dir", str(tmp_path))
    out = capsys.readouterr().out
    merchant = Merchant.objects.get()
    session = CheckoutSession.objects.get()
    checkout_url = f"/store/{session.store.slug}/checkout/{session.public_id}"
    for expected in (
        "/admin/",
        "demo@example.com",
        merchant.public_id,
        str(tmp_path),
        checkout_url,
        "demo-reseller / demo-reseller-secret",
    ):
        assert expected in out
    assert session.currency == "USD" and session.environment == "test"


@pytest.mark.django_db
def test_seed_demo_refuses_to_run_in_production(tmp_path, settings):
    settings.RELAXED = False
    with pytest.raises(CommandError, match="APP_ENV=development"):
        call_command("seed_demo", "--key-dir", str(tmp_path))
    assert not Merchant.objects.exists()
