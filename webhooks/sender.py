"""One POST to a webhook URL (or one GET, for other outbound reads such as
``fx.services.rates_fetch``), safe against server-side request forgery.

The host is resolved once and the address checked (``webhooks.addresses``); the connection
goes to that address with the original Host header and TLS server name, so a second DNS
answer cannot smuggle in another address. Redirects are never followed; the whole attempt
has a deadline; only the first bytes of the answer are kept.
"""

import http.client
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from webhooks.addresses import UrlRefused, resolve

RESPONSE_BODY_CAP = 2048
USER_AGENT = "Pancake-Webhooks/1"


@dataclass(frozen=True)
class SendResult:
    http_status: int | None
    response_body: str
    error: str = ""

    @property
    def succeeded(self) -> bool:
        return self.http_status is not None and 200 <= self.http_status < 300


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host, port, *, address: str, timeout: float):
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self):
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host, port, *, address: str, timeout: float):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self):
        raw = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(raw, server_hostname=self.host)


def _remaining(connection, deadline: float) -> None:
    """Each socket operation gets what is left of the attempt's deadline, so a receiver
    that trickles its answer cannot stretch an attempt past the timeout."""
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError
    if connection.sock is not None:
        connection.sock.settimeout(left)


def _read_capped(connection, response, deadline: float, cap: int) -> bytes:
    chunks, size = [], 0
    while size < cap:
        _remaining(connection, deadline)
        chunk = response.read1(cap - size)
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def post(*, url: str, body: str, headers: dict[str, str], timeout: float) -> SendResult:
    headers = {"Content-Type": "application/json", **headers}
    return _exchange("POST", url, body.encode(), headers, timeout, RESPONSE_BODY_CAP)


def get(*, url: str, timeout: float, cap: int) -> SendResult:
    """A GET under the same rules; at most ``cap`` bytes of the answer are kept."""
    return _exchange("GET", url, None, {}, timeout, cap)


def _exchange(method, url, body, headers, timeout, cap) -> SendResult:
    parts = urlsplit(url)
    secure = parts.scheme == "https"
    port = parts.port or (443 if secure else 80)
    deadline = time.monotonic() + timeout
    try:
        address = resolve(parts.hostname or "", port)
    except UrlRefused as exc:
        return SendResult(None, "", str(exc)[:300])
    connection_class = _PinnedHTTPSConnection if secure else _PinnedHTTPConnection
    connection = connection_class(parts.hostname, port, address=address, timeout=timeout)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        connection.request(method, target, body=body, headers={"User-Agent": USER_AGENT, **headers})
        _remaining(connection, deadline)
        response = connection.getresponse()
        content = _read_capped(connection, response, deadline, cap)
        return SendResult(response.status, content.decode("utf-8", "replace"))
    except TimeoutError:
        return SendResult(None, "", f"Timed out after {timeout:g} s")
    except (OSError, http.client.HTTPException) as exc:
        return SendResult(None, "", f"{type(exc).__name__}: {exc}"[:300])
    finally:
        connection.close()
