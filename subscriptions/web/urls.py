"""The customer portal: ``/store/<slug>/portal`` (see ``subscriptions.web.views``).

Slugs and order IDs are matched as plain strings so that anything malformed reaches the
views and gets our own "not found" page."""

from django.urls import path

from subscriptions.web import views

app_name = "portal"
urlpatterns = [
    path("<str:slug>/portal", views.index, name="index"),
    path("<str:slug>/portal/enter", views.enter, name="enter"),
    path("<str:slug>/portal/sign-out", views.sign_out, name="sign-out"),
    path("<str:slug>/portal/signed-out", views.signed_out, name="signed-out"),
    path("<str:slug>/portal/orders/<str:order_id>", views.order_page, name="order"),
    path("<str:slug>/portal/orders/<str:order_id>/cancel", views.cancel, name="cancel"),
    path("<str:slug>/portal/orders/<str:order_id>/reactivate", views.reactivate, name="reactivate"),
    path("<str:slug>/portal/orders/<str:order_id>/card", views.card, name="card"),
    path("<str:slug>/portal/orders/<str:order_id>/plan", views.plan, name="plan"),
]
