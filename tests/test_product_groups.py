"""``subscription-product-group/*``: the SDK's shape, the merge rules, who may see a group."""

import uuid

import pytest

from catalog.models import ProductGroup, ProductGroupMember, ProductType
from catalog.selectors import self_service_plan_ids, trial_sharing_product_ids
from tests.factories import ApiKeyFactory, MerchantFactory, ProductFactory, StoreFactory
from tests.graphql_support import gql
from tests.keys import OTHER_KEY_PAIR
from tests.signed_client import SignedClient

GROUPS = "/v1/actions/subscription-product-group/"


def plan(store, **fields):
    return ProductFactory(store=store, product_type=ProductType.SUBSCRIPTION, **fields)


def create(api, store, **fields):
    return api.post(GROUPS + "create-group", {"storeId": store.public_id, "name": "Pro", **fields})


def group_of(response) -> dict:
    assert response.status_code == 200, response.json()
    return response.json()["data"]["group"]


def error_of(response) -> str:
    return response.json()["errors"][0]["message"]


def test_create_answers_the_sdk_shape_with_both_switches(api, store):
    basic, pro = plan(store), plan(store)

    group = group_of(
        create(
            api,
            store,
            description="All tiers",
            rules={"sharedTrial": True},
            productIds=[pro.public_id, basic.public_id],
        )
    )

    assert uuid.UUID(group["id"]) == ProductGroup.objects.get().pk
    assert group["storeId"] == store.public_id
    assert group["name"] == "Pro" and group["description"] == "All tiers"
    assert group["rules"] == {"sharedTrial": True, "selfServicePlanChange": False}
    assert group["productIds"] == [pro.public_id, basic.public_id]
    assert group["environment"] == "test"
    assert group["createdAt"].endswith("Z") and group["updatedAt"].endswith("Z")


def test_update_merges_rules_and_replaces_products(api, store):
    first, second, third = plan(store), plan(store), plan(store)
    created = group_of(
        create(
            api,
            store,
            rules={"sharedTrial": True},
            productIds=[first.public_id, second.public_id],
        )
    )

    opened = group_of(
        api.post(
            GROUPS + "update-group", {"id": created["id"], "rules": {"selfServicePlanChange": True}}
        )
    )
    replaced = group_of(
        api.post(GROUPS + "update-group", {"id": created["id"], "productIds": [third.public_id]})
    )

    assert opened["rules"] == {"sharedTrial": True, "selfServicePlanChange": True}
    assert opened["productIds"] == [first.public_id, second.public_id]
    assert replaced["productIds"] == [third.public_id]
    assert replaced["rules"] == {"sharedTrial": True, "selfServicePlanChange": True}
    assert replaced["name"] == "Pro"


@pytest.mark.parametrize(
    ("product_ids", "message"),
    [
        ("PROD_x", "Invalid productIds: expected an array of product IDs"),
        ([42], "Invalid productIds: expected an array of product IDs"),
    ],
)
def test_malformed_product_lists_are_400(api, store, product_ids, message):
    response = create(api, store, productIds=product_ids)

    assert response.status_code == 400
    assert error_of(response) == message
    assert not ProductGroup.objects.exists()


def test_one_time_and_foreign_products_are_refused(api, store, merchant):
    onetime = ProductFactory(store=store)
    foreign = plan(StoreFactory(owner=merchant))  # the merchant's, but another store's

    refused_onetime = create(api, store, productIds=[onetime.public_id])
    refused_foreign = create(api, store, productIds=[foreign.public_id])

    assert refused_onetime.status_code == 400
    assert error_of(refused_onetime) == f"Product {onetime.public_id} is not a subscription product"
    assert refused_foreign.status_code == 400
    assert (
        error_of(refused_foreign) == f"Product {foreign.public_id} is not a product of this store"
    )
    assert not ProductGroup.objects.exists()


def test_a_refused_update_changes_nothing(api, store):
    member = plan(store)
    created = group_of(create(api, store, productIds=[member.public_id]))

    response = api.post(
        GROUPS + "update-group",
        {"id": created["id"], "name": "Renamed", "rules": {"sharedTrial": "yes"}},
    )

    assert response.status_code == 400
    assert error_of(response) == "Invalid rules.sharedTrial: expected boolean"
    group = ProductGroup.objects.get()
    assert group.name == "Pro" and not group.shared_trial
    assert ProductGroupMember.objects.filter(group=group).count() == 1


def test_delete_is_hard_and_answers_the_deleted_group(api, store):
    member = plan(store)
    created = group_of(create(api, store, productIds=[member.public_id]))

    deleted = group_of(api.post(GROUPS + "delete-group", {"id": created["id"]}))

    assert deleted["id"] == created["id"] and deleted["productIds"] == [member.public_id]
    assert not ProductGroup.objects.exists() and not ProductGroupMember.objects.exists()
    again = api.post(GROUPS + "delete-group", {"id": created["id"]})
    assert again.status_code == 404


def test_publish_copies_test_to_prod_and_upserts(api, prod_api, store):
    first, second = plan(store), plan(store)
    created = group_of(create(api, store, productIds=[first.public_id]))

    published = group_of(api.post(GROUPS + "publish-group", {"id": created["id"]}))
    api.post(
        GROUPS + "update-group",
        {"id": created["id"], "name": "Pro 2", "productIds": [second.public_id]},
    )
    republished = group_of(api.post(GROUPS + "publish-group", {"id": created["id"]}))

    assert published["environment"] == "prod" and published["id"] != created["id"]
    assert published["productIds"] == [first.public_id]
    assert republished["id"] == published["id"]
    assert republished["name"] == "Pro 2" and republished["productIds"] == [second.public_id]
    assert ProductGroup.objects.filter(environment="prod").count() == 1
    # the prod copy is the prod key's; the test key does not see it
    seen = group_of(prod_api.post(GROUPS + "update-group", {"id": published["id"]}))
    assert seen["name"] == "Pro 2"
    assert api.post(GROUPS + "update-group", {"id": published["id"]}).status_code == 404
    refused = prod_api.post(GROUPS + "publish-group", {"id": published["id"]})
    assert refused.status_code == 400
    assert error_of(refused) == "Only a test-environment group can be published"


def test_another_merchants_group_is_404(api, store):
    created = group_of(create(api, store))
    stranger = MerchantFactory()
    ApiKeyFactory(merchant=stranger, public_key=OTHER_KEY_PAIR[1])
    other = SignedClient(stranger.public_id, OTHER_KEY_PAIR[0])

    for verb in ("update-group", "delete-group", "publish-group"):
        response = other.post(GROUPS + verb, {"id": created["id"], "name": "Mine"})
        assert response.status_code == 404, verb
        assert error_of(response) == "Product group not found"
    assert (
        other.post(GROUPS + "create-group", {"storeId": store.public_id, "name": "x"}).status_code
        == 404
    )
    assert ProductGroup.objects.get().name == "Pro"


def test_ids_must_be_uuids(api):
    response = api.post(GROUPS + "update-group", {"id": "spg_xxx"})

    assert response.status_code == 400
    assert error_of(response) == 'Invalid id: "spg_xxx" is not a group ID (a UUID)'


def test_shared_trial_groups_widen_trial_eligibility(api, store):
    basic, pro, alone = plan(store), plan(store), plan(store)
    create(api, store, rules={"sharedTrial": True}, productIds=[basic.public_id, pro.public_id])
    create(api, store, productIds=[alone.public_id, basic.public_id])  # not shared

    shared = trial_sharing_product_ids(product_ids=[basic.pk], environment="test")

    assert shared == {basic.pk, pro.pk}
    assert trial_sharing_product_ids(product_ids=[alone.pk], environment="test") == {alone.pk}
    assert trial_sharing_product_ids(product_ids=[basic.pk], environment="prod") == {basic.pk}


GROUPS_QUERY = """query ($storeId: String!) {
  subscriptionProductGroups(storeId: $storeId) {
    id name description
    rules { sharedTrial selfServicePlanChange }
    environment productIds
    products { id name billingPeriod prices { currency priceInfo { amount taxCategory } } }
  }
  subscriptionProductGroupsCount(storeId: $storeId)
}"""


def test_graphql_lists_the_environments_groups_with_their_plans(api, store):
    basic = plan(store, name="Basic")
    created = group_of(
        create(api, store, rules={"sharedTrial": True}, productIds=[basic.public_id])
    )
    group_of(api.post(GROUPS + "publish-group", {"id": created["id"]}))
    other = StoreFactory()  # another merchant's store: not listed, not counted
    ProductGroup.objects.create(store=other, environment="test", name="Theirs")

    status, body = gql(api, GROUPS_QUERY, storeId=store.public_id)

    assert status == 200 and "errors" not in body, body
    [group] = body["data"]["subscriptionProductGroups"]
    assert group["id"] == created["id"] and group["environment"] == "test"
    assert group["rules"] == {"sharedTrial": True, "selfServicePlanChange": False}
    assert group["productIds"] == [basic.public_id]
    assert group["products"][0]["name"] == "Basic"
    assert group["products"][0]["billingPeriod"] == "monthly"
    assert {
        "currency": "USD",
        "priceInfo": {"amount": "29.00", "taxCategory": "digital_goods"},
    } in (group["products"][0]["prices"])
    assert body["data"]["subscriptionProductGroupsCount"] == 1


def test_self_service_plans_are_the_open_groups_other_plans(api, store):
    basic, pro, team, hidden = plan(store), plan(store), plan(store), plan(store)
    open_rules = {"selfServicePlanChange": True}
    create(
        api, store, rules=open_rules, productIds=[basic.public_id, pro.public_id, team.public_id]
    )
    create(api, store, productIds=[basic.public_id, hidden.public_id])  # closed

    plans = self_service_plan_ids(product_id=basic.pk, environment="test")

    assert plans == [pro.pk, team.pk]
    assert self_service_plan_ids(product_id=hidden.pk, environment="test") == []
