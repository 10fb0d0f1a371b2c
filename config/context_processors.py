"""What every page may say about the platform itself: the merchant of record's legal name
and its terms and privacy links, from settings."""

from django.conf import settings


def platform(request) -> dict:
    return {
        "platform": {
            "legal_name": settings.PLATFORM_LEGAL_NAME,
            "terms_url": settings.PLATFORM_TERMS_URL,
            "privacy_url": settings.PLATFORM_PRIVACY_URL,
        }
    }
