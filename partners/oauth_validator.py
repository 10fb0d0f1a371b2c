"""django-oauth-toolkit's validator with two changes for the partner token endpoint.

- An unknown client costs what a wrong secret costs: one secret check against a dummy
  hash, so the time an answer takes does not tell which client IDs exist.
- A secret still hashed with the password hasher (partners created before client secrets
  moved to ``core.hashers.SecretSha256Hasher``) is re-hashed with the fast hash on its
  first successful check, so every later request is cheap too.
"""

from functools import lru_cache

from django.contrib.auth.hashers import identify_hasher, make_password
from oauth2_provider.models import get_application_model
from oauth2_provider.oauth2_validators import OAuth2Validator
from oauth2_provider.settings import oauth2_settings


@lru_cache(maxsize=4)
def _dummy_hash(hasher: str) -> str:
    return make_password("unknown-client", hasher=hasher)


class PartnerOAuth2Validator(OAuth2Validator):
    def _load_application(self, client_id, request):
        application = super()._load_application(client_id, request)
        if application is None:
            super()._check_secret("", _dummy_hash(oauth2_settings.CLIENT_SECRET_HASHER))
        return application

    def _check_secret(self, provided_secret, stored_secret):
        valid = super()._check_secret(provided_secret, stored_secret)
        if valid and _hashed_slowly(stored_secret):
            get_application_model().objects.filter(client_secret=stored_secret).update(
                client_secret=make_password(
                    provided_secret, hasher=oauth2_settings.CLIENT_SECRET_HASHER
                )
            )
        return valid


def _hashed_slowly(stored_secret: str) -> bool:
    try:
        return identify_hasher(stored_secret).algorithm != oauth2_settings.CLIENT_SECRET_HASHER
    except ValueError:  # stored in clear (hash_client_secret off): nothing to upgrade
        return False
