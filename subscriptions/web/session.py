"""The portal session: who is signed in to ``/store/<slug>/portal``, in one signed cookie.

Why a cookie of our own and not the customer token: the token is a five-minute bearer
JWT meant for one API call, and a URL that carries it ends up in history, access logs and
``Referer`` headers. So the token (or a receipt's portal link) is read exactly once, by the
request that brings it, and exchanged for this cookie:

- signed (``signing``, salted per store), holding only the store, environment and buyer
  identity (or the one order of a link) and an expiry of its own, ``MAX_AGE_SECONDS``
  from sign-in, never extended: the cookie is the credential, so it must not outlive the
  visit by much, and nothing on the server needs to be kept or cleaned up per visitor;
- HttpOnly (no script reads it), Secure outside development, ``SameSite=Strict`` (no other
  site can make the browser send it, so a forged cancel or card change from elsewhere
  carries no session, on top of the CSRF token every form posts) and path-scoped to the
  store's portal, so no other page of the platform, nor another store's portal, sees it.

Strict cookies are not sent with a navigation that another site started (an email, the
merchant's site), nor with the redirects that follow it. So the exchange answers a small
page of our own that moves on to the clean portal URL (meta refresh, with a link for
anyone who stops it): that navigation starts on our site and carries the cookie, and the
URL with the token is replaced in the history.
"""

import json

from django.conf import settings
from django.core import signing
from django.urls import reverse

from stores.models import Store
from subscriptions.portal_access import PortalIdentity

COOKIE = "portal_session"
MAX_AGE_SECONDS = 30 * 60
_SALT = "subscriptions.web.session"


def portal_path(store: Store) -> str:
    return reverse("portal:index", args=[store.slug])


def _salt(store: Store) -> str:
    return f"{_SALT}:{store.pk}"


def session_start(response, *, store: Store, identity: PortalIdentity):
    response.set_signed_cookie(
        COOKIE,
        json.dumps(identity.as_dict(), separators=(",", ":")),
        salt=_salt(store),
        max_age=MAX_AGE_SECONDS,
        path=portal_path(store),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Strict",
    )
    return response


def session_identity(request, *, store: Store) -> PortalIdentity | None:
    """The signed-in visitor of this store's portal; None when there is none, it expired,
    or the cookie was tampered with."""
    if COOKIE not in request.COOKIES:
        return None
    try:
        raw = request.get_signed_cookie(COOKIE, salt=_salt(store), max_age=MAX_AGE_SECONDS)
        identity = PortalIdentity.from_dict(json.loads(raw))
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    return identity if identity.store_id == store.pk else None


def session_end(response, *, store: Store):
    response.delete_cookie(COOKIE, path=portal_path(store), samesite="Strict")
    return response
