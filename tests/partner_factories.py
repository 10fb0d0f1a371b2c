"""Partners through the real service (hashed OAuth client secret), grants, baskets built
and paid through the services, and a helper that fetches a bearer token from the token
endpoint."""

import factory
from django.http import HttpResponse

from orders.models import Order
from partners import services
from partners.api import LANDING_COOKIE, set_landing_cookie
from partners.models import Basket, Partner, PartnerGrant
from payments.services import checkout_pay
from stores.models import Environment
from tests.checkout_factories import billing, success_card
from tests.worker_support import run_worker

TOKEN_URL = "/partner/oauth/token"


class PartnerFactory(factory.Factory):
    """``partner.client_secret`` is the plaintext secret (the database holds its hash)."""

    class Meta:
        model = Partner

    name = factory.Sequence(lambda n: f"Reseller {n}")
    environment = Environment.TEST

    @classmethod
    def _create(cls, model_class, *, name, environment):
        partner, secret = services.partner_create(name=name, environment=environment)
        partner.client_secret = secret
        return partner

    _build = _create


class PartnerGrantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnerGrant
        skip_postgeneration_save = True

    partner = factory.SubFactory(PartnerFactory)

    @factory.post_generation
    def products(grant, create, products, **kwargs):
        if create and products:
            grant.products.set(products)


def fetch_token(client, partner, secret=None) -> dict:
    response = client.post(
        TOKEN_URL,
        {
            "grant_type": "client_credentials",
            "client_id": partner.client_id,
            "client_secret": secret or partner.client_secret,
        },
    )
    return response


def bearer(client, partner) -> dict:
    token = fetch_token(client, partner).json()["access_token"]
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def make_basket(partner, product, *, quantity: int = 1) -> Basket:
    """A basket the partner builds through the service (granting the store if needed)."""
    PartnerGrant.objects.get_or_create(partner=partner, store=product.store)
    return services.basket_initiate(
        partner=partner,
        environment="test",
        items=[{"offer": product.public_id, "quantity": quantity, "type": "offer"}],
        currency="USD",
    )


def pay_basket(basket: Basket, *, email: str = "end@example.com") -> Order:
    """Hand the basket over and pay its checkout (German buyer, test card); the order."""
    session = services.basket_checkout(basket=basket)
    outcome = checkout_pay(
        session=session, billing=billing("DE"), card=success_card(), buyer_email=email
    )
    assert outcome.succeeded
    run_worker()  # the worker completes the basket (checkout.session.completed)
    return outcome.order


def landing_cookie(basket: Basket) -> str:
    """The ``landing_state`` value initiate sets for this basket, made by the same code."""
    response = HttpResponse()
    set_landing_cookie(response, basket.public_id)
    return response.cookies[LANDING_COOKIE].value
