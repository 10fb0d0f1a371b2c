"""Start-up check: production never delivers webhooks it cannot sign with a real key."""

from django.conf import settings
from django.core import checks

from webhooks.signing import ENVIRONMENTS, SigningKeyMissing, private_key


@checks.register("webhooks")
def signing_keys_present(app_configs=None, **kwargs) -> list:
    if settings.WEBHOOK_GENERATE_KEYS:
        return []
    problems = []
    for environment in ENVIRONMENTS:
        try:
            private_key(environment)
        except SigningKeyMissing as exc:
            problems.append(
                checks.Error(
                    str(exc),
                    hint="Webhooks are not delivered until both signing keys are configured.",
                    id="webhooks.E001",
                )
            )
    return problems
