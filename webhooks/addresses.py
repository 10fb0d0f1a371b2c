"""Which URLs a webhook may point at, and which addresses a delivery may connect to.

Development and test accept http:// and any address (receivers on loopback). Production
demands https and refuses loopback, private, link-local, shared, multicast, reserved and
cloud metadata addresses, both in the URL and in what its host resolves to at delivery time.
"""

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings

from webhooks.event_types import CHANNEL_HOSTS, HTTP

METADATA_ADDRESSES = frozenset(
    ipaddress.ip_address(address)
    for address in ("169.254.169.254", "169.254.170.2", "100.100.100.200", "fd00:ec2::254")
)
LOCAL_NAMES = ("localhost", ".localhost", ".local", ".internal", ".localdomain")


class UrlRefused(ValueError):
    """The URL (or the address it resolves to) may not receive webhooks."""


def address_allowed(address: str) -> bool:
    if settings.WEBHOOK_ALLOW_PRIVATE_URLS:
        return True
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast and ip not in METADATA_ADDRESSES


def _literal_ip(host: str):
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def check_url(url: str, *, channel: str) -> None:
    """Refuse a malformed URL, and in production one that cannot be a public https host."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        parts.port  # noqa: B018  (raises on a malformed port)
    except ValueError:
        raise UrlRefused("Invalid webhook URL") from None
    if parts.scheme not in {"http", "https"} or not host or len(url) > 2000:
        raise UrlRefused("Invalid webhook URL")
    if settings.WEBHOOK_ALLOW_PRIVATE_URLS:
        return
    if parts.scheme != "https":
        raise UrlRefused("Webhook URL must use https")
    literal = _literal_ip(host)
    if (literal is not None and not address_allowed(str(literal))) or host.endswith(LOCAL_NAMES):
        raise UrlRefused("Webhook URL must not point at a private or local address")
    allowed_hosts = CHANNEL_HOSTS.get(channel)
    if channel != HTTP and allowed_hosts and host.lower() not in allowed_hosts:
        raise UrlRefused(f"A {channel} webhook URL must be on {', '.join(allowed_hosts)}")


def resolve(host: str, port: int) -> str:
    """The one address a delivery connects to: the host's first, if it is allowed."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise UrlRefused(f"Cannot resolve {host}: {exc}") from None
    if not infos:
        raise UrlRefused(f"Cannot resolve {host}")
    refused = [info[4][0] for info in infos if not address_allowed(info[4][0])]
    if refused:
        raise UrlRefused(f"{host} resolves to a refused address ({refused[0]})")
    return infos[0][4][0]
