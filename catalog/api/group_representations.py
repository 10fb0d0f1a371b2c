"""The SDK's ``SubscriptionProductGroup``: both switches always present, raw UUID ids."""

from catalog.models import ProductGroup
from core.ids import to_short_id
from core.timefmt import iso_utc


def group_json(group: ProductGroup, product_ids: list) -> dict:
    return {
        "id": str(group.pk),
        "storeId": group.store.public_id,
        "name": group.name,
        "description": group.description,
        "rules": {
            "sharedTrial": group.shared_trial,
            "selfServicePlanChange": group.self_service_plan_change,
        },
        "productIds": [to_short_id("PROD", key) for key in product_ids],
        "environment": group.environment,
        "createdAt": iso_utc(group.created_at),
        "updatedAt": iso_utc(group.updated_at),
    }
