"""Partner checkout (seed 003), mounted at ``/partner/``: the OAuth 2.0 token endpoint and
the basket API. Anything else under ``/partner/`` is the dialect's 404."""

from django.urls import path, re_path

from partners import api
from partners.token_view import PartnerTokenView

urlpatterns = [
    path("oauth/token", PartnerTokenView.as_view(), name="partner_oauth_token"),
    path("checkout/initiate", api.InitiateBasket.as_view()),
    path("checkout/update", api.UpdateBasket.as_view()),
    path("checkout/validate", api.ValidateBasket.as_view()),
    path("checkout/handover", api.HandOverBasket.as_view()),
    re_path(r"^.*$", api.UnknownPartnerRoute.as_view()),
]
