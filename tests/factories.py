"""factory-boy factories for the domain; products go through the real service so every
product has a proper first version."""

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from catalog import services as catalog_services
from catalog.models import Product, ProductType
from core import signing
from stores.models import ApiKey, Environment, Merchant, Store, StoreMembership, StoreRole
from tests.keys import TEST_KEY_PAIR


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"merchant{n}@example.com")
    email = factory.SelfAttribute("username")
    is_staff = True
    password = factory.django.Password("correct horse battery staple")


class MerchantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Merchant

    user = factory.SubFactory(UserFactory)


class ApiKeyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ApiKey

    merchant = factory.SubFactory(MerchantFactory)
    environment = Environment.TEST
    public_key = factory.LazyFunction(lambda: TEST_KEY_PAIR[1])
    fingerprint = factory.LazyAttribute(lambda key: signing.fingerprint(key.public_key))
    last_used_at = factory.LazyFunction(timezone.now)


class StoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Store
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Store {n}")
    slug = factory.Sequence(lambda n: f"store-{n}")

    @factory.post_generation
    def owner(store, create, merchant, **kwargs):
        if create and merchant is not None:
            StoreMembership.objects.create(store=store, merchant=merchant, role=StoreRole.OWNER)


class ProductFactory(factory.Factory):
    """Builds through ``catalog.services.product_create``: versions are never hand-made."""

    class Meta:
        model = Product

    store = factory.SubFactory(StoreFactory)
    product_type = ProductType.ONETIME
    name = factory.Sequence(lambda n: f"Product {n}")
    prices = factory.LazyFunction(
        lambda: {
            "USD": {"amount": "29.00", "taxCategory": "digital_goods"},
            "EUR": {"amount": "27.00", "taxCategory": "digital_goods"},
            "JPY": {"amount": "4500", "taxCategory": "digital_goods"},
        }
    )
    billing_period = None
    publish = False

    @classmethod
    def _create(cls, model_class, *, publish, **kwargs):
        if kwargs["product_type"] == ProductType.SUBSCRIPTION and not kwargs["billing_period"]:
            kwargs["billing_period"] = "monthly"
        product = catalog_services.product_create(**kwargs)
        if publish:
            product = catalog_services.product_publish(product=product)
        return product

    _build = _create
