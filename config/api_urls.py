"""Routes of the actions API (``/v1/``). Anything else under ``/v1/`` is an envelope 404."""

from django.urls import path, re_path

from catalog.api import actions as products
from catalog.api import group_actions as groups
from catalog.models import ProductType
from checkout.api import actions as checkout
from checkout.api import cart_actions
from config.openapi import OpenApiJson, docs_page
from core.api.routing import api_not_found
from graphql_api.views import GraphQLView
from orders.api import actions as orders
from payments.api import refund_actions as refunds
from stores.api import actions as stores
from stores.api import team_actions as team
from subscriptions.api import actions as subscriptions
from subscriptions.api import plan_change_actions as plan_changes
from webhooks.api import actions as webhooks


def product_routes(resource: str, product_type: str) -> list:
    verbs = {
        "create-product": products.CreateProduct,
        "update-product": products.UpdateProduct,
        "publish-product": products.PublishProduct,
        "update-status": products.UpdateProductStatus,
    }
    return [
        path(f"actions/{resource}/{verb}", view.as_view(product_type=product_type))
        for verb, view in verbs.items()
    ]


urlpatterns = [
    path("actions/store/create-store", stores.CreateStore.as_view()),
    path("actions/store/update-store", stores.UpdateStore.as_view()),
    path("actions/store/delete-store", stores.DeleteStore.as_view()),
    path("actions/store-merchant/add-merchant", team.AddMerchant.as_view()),
    path("actions/store-merchant/remove-merchant", team.RemoveMerchant.as_view()),
    path("actions/store-merchant/update-role", team.UpdateRole.as_view()),
    path("actions/store/add-webhook", webhooks.AddWebhook.as_view()),
    path("actions/store/update-webhook", webhooks.UpdateWebhook.as_view()),
    path("actions/store/remove-webhook", webhooks.RemoveWebhook.as_view()),
    *product_routes("onetime-product", ProductType.ONETIME),
    *product_routes("subscription-product", ProductType.SUBSCRIPTION),
    path("actions/subscription-product-group/create-group", groups.CreateGroup.as_view()),
    path("actions/subscription-product-group/update-group", groups.UpdateGroup.as_view()),
    path("actions/subscription-product-group/delete-group", groups.DeleteGroup.as_view()),
    path("actions/subscription-product-group/publish-group", groups.PublishGroup.as_view()),
    # Plan change mode lives in subscriptions; the view hands new purchases to checkout.
    path("actions/checkout/create-session", plan_changes.CreateSessionOrPlanChange.as_view()),
    path("actions/checkout/preview-tax", checkout.PreviewTax.as_view()),
    path("actions/auth/issue-session-token", checkout.IssueSessionToken.as_view()),
    path(
        "actions/onetime-order/create-order",
        orders.CreateOrder.as_view(product_type=ProductType.ONETIME),
    ),
    path(
        "actions/subscription-order/create-order",
        orders.CreateOrder.as_view(product_type=ProductType.SUBSCRIPTION),
    ),
    path("actions/onetime-order/cancel-order", orders.CancelOnetimeOrder.as_view()),
    path("actions/subscription-order/cancel-order", subscriptions.CancelSubscription.as_view()),
    path(
        "actions/subscription-order/reactivate-order",
        subscriptions.ReactivateSubscription.as_view(),
    ),
    path("actions/refund-ticket/create-ticket", refunds.CreateRefundTicket.as_view()),
    path("actions/refund-ticket/resubmit-ticket", refunds.ResubmitRefundTicket.as_view()),
    path("actions/template-cart/create-cart", cart_actions.CreateTemplateCart.as_view()),
    path("actions/template-cart/update-cart", cart_actions.UpdateTemplateCart.as_view()),
    path("graphql", GraphQLView.as_view()),
    path("openapi.json", OpenApiJson.as_view()),
    path("docs", docs_page),
    re_path(r"^.*$", api_not_found),
]
