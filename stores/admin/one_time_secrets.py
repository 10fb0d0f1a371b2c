"""Secrets shown once in admin (a generated API private key, a secret key, a partner's
client secret): the session keeps only ciphertext, whose key is in the URL of the one page
or download that shows it; the first view removes it and unclaimed entries expire."""

import hashlib
import time

from cryptography.fernet import Fernet, InvalidToken
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from stores.models import ApiKey

PRIVATE_KEY_SESSION_KEY = "admin_generated_private_keys"
PRIVATE_KEY_TTL_SECONDS = 15 * 60


def _private_key_entry_id(api_key: ApiKey, token: str) -> str:
    return hashlib.sha256(f"{api_key.pk}:{token}".encode()).hexdigest()


def stash_private_key(
    request, api_key, private_pem: str, *, slot: str = PRIVATE_KEY_SESSION_KEY
) -> str:
    """Keep a generated private key for one download, and return the URL token.

    The session holds only ciphertext; the token in the download URL is the key that
    decrypts it. The first download removes the entry; unclaimed entries expire.
    """
    token = Fernet.generate_key().decode()
    now = int(time.time())
    entries = {
        entry_id: entry
        for entry_id, entry in request.session.get(slot, {}).items()
        if now - entry["at"] < PRIVATE_KEY_TTL_SECONDS
    }
    entries[_private_key_entry_id(api_key, token)] = {
        "ciphertext": Fernet(token.encode()).encrypt(private_pem.encode()).decode(),
        "at": now,
    }
    request.session[slot] = entries
    return token


def private_key_available(request, api_key: ApiKey, token: str) -> bool:
    entry = request.session.get(PRIVATE_KEY_SESSION_KEY, {}).get(
        _private_key_entry_id(api_key, token)
    )
    return entry is not None and time.time() - entry["at"] < PRIVATE_KEY_TTL_SECONDS


def pop_private_key(
    request, api_key, token: str, *, slot: str = PRIVATE_KEY_SESSION_KEY
) -> str | None:
    entries = dict(request.session.get(slot, {}))
    entry = entries.pop(_private_key_entry_id(api_key, token), None)
    if entry is None:
        return None
    request.session[slot] = entries
    request.session.save()  # gone before the response leaves, whatever happens next
    if time.time() - entry["at"] >= PRIVATE_KEY_TTL_SECONDS:
        return None
    try:
        return Fernet(token.encode()).decrypt(entry["ciphertext"].encode()).decode()
    except (InvalidToken, ValueError):
        return None


class RevealOnceAdminMixin:
    """After an add that generated a secret (``obj.generated_secret``), show it on a page of
    its own, once: the session keeps only ciphertext whose key is in the page's URL."""

    reveal_slot = ""
    reveal_title = ""
    reveal_template = ""

    def _reveal_url_name(self) -> str:
        return f"{self.opts.app_label}_{self.opts.model_name}_reveal"

    def response_add(self, request, obj, post_url_continue=None):
        token = stash_private_key(request, obj, obj.generated_secret, slot=self.reveal_slot)
        return HttpResponseRedirect(
            reverse(f"admin:{self._reveal_url_name()}", args=[obj.pk, token])
        )

    def get_urls(self):
        return [
            path(
                "<str:object_id>/reveal/<str:token>/",
                self.admin_site.admin_view(self.reveal_view),
                name=self._reveal_url_name(),
            ),
            *super().get_urls(),
        ]

    def reveal_view(self, request, object_id, token):
        obj = self.get_object(request, str(object_id))  # 404 outside the admin's scope
        if obj is None or not self.has_view_permission(request, obj):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "title": self.reveal_title,
            "opts": self.opts,
            "original": obj,
            "secret": pop_private_key(request, obj, token, slot=self.reveal_slot),
        }
        response = TemplateResponse(request, self.reveal_template, context)
        response["Cache-Control"] = "no-store"
        return response
