"""Driving schemathesis against a live server: credentials per operation (the signed-request
auth hook among them), seeded IDs mixed into the generated bodies, and a run that counts
requests and collects every failed check instead of stopping at the first."""

import copy
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from urllib.parse import unquote

import requests
from hypothesis import HealthCheck, given, settings
from schemathesis import checks
from schemathesis.core.failures import FailureGroup

from core.signing import canonical_request, sign

CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_headers_conformance,
    checks.response_schema_conformance,
]
CREDENTIAL_HEADERS = {
    "x-merchant-id",
    "x-timestamp",
    "x-signature",
    "x-store-slug",
    "authorization",
}
TOKEN_REFRESH_SECONDS = 120
# Operations that can take the seeded store or products out of sale run last.
DESTRUCTIVE = ("update-status", "update-store", "delete-store")


class SignedRequestAuth(requests.auth.AuthBase):
    """Signs the request as the official SDK does, over the exact bytes that are sent:
    ``METHOD\\nPATH\\nTIMESTAMP\\nbase64(sha256(body))`` with the merchant's private key."""

    def __init__(self, merchant_id: str, private_pem: str):
        self.merchant_id = merchant_id
        self.private_pem = private_pem

    def __call__(self, prepared: requests.PreparedRequest) -> requests.PreparedRequest:
        body = prepared.body or b""
        if isinstance(body, str):
            body = body.encode()
        # The server verifies the decoded path (what Django's request.path holds).
        path = unquote(prepared.path_url.split("?", 1)[0])
        stamp = str(int(time.time()))
        prepared.headers["X-Merchant-Id"] = self.merchant_id
        prepared.headers["X-Timestamp"] = stamp
        prepared.headers["X-Signature"] = sign(
            self.private_pem, canonical_request(prepared.method, path, stamp, body)
        )
        return prepared


@dataclass
class Credentials:
    """One of each credential the seeded merchant, store and partner can present."""

    base_url: str
    seeded: dict
    _tokens: dict = field(default_factory=dict)

    def __post_init__(self):
        self._local = threading.local()
        self._lock = threading.Lock()

    def _sessions(self) -> tuple[requests.Session, requests.Session]:
        """(signed, plain) of this thread: a requests session is not shared across threads."""
        if not hasattr(self._local, "sessions"):
            signed = requests.Session()
            signed.auth = SignedRequestAuth(self.seeded["merchant_id"], self.seeded["private_pem"])
            self._local.sessions = (signed, requests.Session())
        return self._local.sessions

    @property
    def signed(self) -> requests.Session:
        return self._sessions()[0]

    @property
    def plain(self) -> requests.Session:
        return self._sessions()[1]

    def _token(self, kind: str) -> str:
        with self._lock:
            issued, token = self._tokens.get(kind, (0.0, ""))
            if time.monotonic() - issued > TOKEN_REFRESH_SECONDS:
                token = self._fetch(kind)
                self._tokens[kind] = (time.monotonic(), token)
            return token

    def _fetch(self, kind: str) -> str:
        if kind == "partnerOAuth":
            answer = self.plain.post(
                f"{self.base_url}/partner/oauth/token",
                data={
                    "grant_type": "client_credentials",
                    "client_id": self.seeded["client_id"],
                    "client_secret": self.seeded["client_secret"],
                },
                timeout=30,
            )
            return answer.json()["access_token"]
        if kind == "cartCustomerToken":
            answer = self.signed.post(
                f"{self.base_url}/checkout/cst",
                json={"cart_id": self.seeded["live_session_id"], "email": "fuzz@example.com"},
                timeout=30,
            )
            return answer.json()["token"]
        answer = self.signed.post(
            f"{self.base_url}/v1/actions/auth/issue-session-token",
            json={"buyerIdentity": "fuzz@example.com", "storeId": self.seeded["store_id"]},
            timeout=30,
        )
        return answer.json()["data"]["token"]

    def apply(self, scheme: str, headers: dict) -> requests.Session:
        """The session to send with, after setting the scheme's headers."""
        if scheme == "merchantId":
            return self.signed
        if scheme == "storeSlug":
            headers["X-Store-Slug"] = self.seeded["store_slug"]
        elif scheme == "secretKey":
            headers["Authorization"] = f"Bearer {self.seeded['secret_key']}"
        else:
            headers["Authorization"] = f"Bearer {self._token(scheme)}"
        if scheme in ("storeSlug", "customerToken"):
            headers.setdefault("X-Environment", "test")
        return self.plain


def closed(raw: dict) -> dict:
    """The description with request objects closed to the properties they name: the actions
    API ignores other members, so generating big unknown ones would only slow the run (the
    cart and partner dialects refuse them, and their schemas say so already)."""

    def close(schema):
        if isinstance(schema, list):
            return [close(item) for item in schema]
        if not isinstance(schema, dict):
            return schema
        schema = {key: close(value) for key, value in schema.items()}
        if schema.get("type") == "object" and schema.get("properties"):
            schema.setdefault("additionalProperties", False)
        return schema

    raw = copy.deepcopy(raw)
    for item in raw["paths"].values():
        for operation in item.values():
            for media in operation.get("requestBody", {}).get("content", {}).values():
                media["schema"] = close(media["schema"])
    return raw


def seeds_of(seeded: dict) -> dict:
    """Values that get a generated request past the first check to real objects."""
    return {
        "id": [seeded["store_id"], *seeded["product_ids"], seeded["cart_id"]],
        "storeId": [seeded["store_id"]],
        "productId": seeded["product_ids"],
        "offer": seeded["product_ids"],
        "checkoutSessionId": seeded["session_ids"],
        "cart_id": [seeded["live_session_id"]],
        "basketId": [seeded["basket_id"]],
        "currency": ["USD", "EUR", "JPY"],
        "country": ["DE", "US", "FR", "GB", "JP", "CU"],
        "country_code": ["DE", "US", "GB"],
        "postal_code": ["10115", "98101"],
        "query": ["{ __typename }"],
    }


def substitute(value, seeds: dict, turn: int):
    """Every member named in ``seeds`` takes one of its seeded values (chosen by ``turn``).

    Seeds are mixed in after generation: offered as ``anyOf`` alternatives they would be
    folded into the wider schema they also match, and never drawn."""
    if isinstance(value, list):
        return [substitute(item, seeds, turn) for item in value]
    if not isinstance(value, dict):
        return value
    return {
        key: seeds[key][turn % len(seeds[key])]
        if key in seeds and isinstance(item, str)
        else substitute(item, seeds, turn)
        for key, item in value.items()
    }


def destructive(operation) -> bool:
    return operation.path.endswith(DESTRUCTIVE)


@dataclass
class Run:
    credentials: Credentials
    requests: int = 0
    failures: dict = field(default_factory=dict)
    statuses: Counter = field(default_factory=Counter)

    def __post_init__(self):
        self.seeds = seeds_of(self.credentials.seeded)
        self._lock = threading.Lock()

    def exercise_all(self, operations: list, *, examples: int, threads: int) -> None:
        """``threads`` operations at a time (one generates while the server answers another),
        then the destructive ones alone, last."""
        with ThreadPoolExecutor(max_workers=threads) as pool:
            for done in pool.map(
                lambda op: self.exercise(op, examples=examples),
                [op for op in operations if not destructive(op)],
            ):
                assert done is None
        for operation in operations:
            if destructive(operation):
                self.exercise(operation, examples=examples)

    def exercise(self, operation, *, examples: int) -> None:
        schemes = [next(iter(r), None) for r in operation.definition.raw.get("security", [])]
        calls = {"n": 0}

        @settings(
            max_examples=examples,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def one(case):
            scheme = schemes[calls["n"] % len(schemes)] if schemes else None
            calls["n"] += 1
            # Security headers the generator made up would only ever be refused (401):
            # each case carries one real credential instead, in turn.
            headers = {
                name: value
                for name, value in (case.headers or {}).items()
                if name.lower() not in CREDENTIAL_HEADERS
            }
            session = self.credentials.apply(scheme, headers) if scheme else self.credentials.plain
            case.headers = headers
            turn = calls["n"]
            if turn % 3:  # two cases in three reach seeded objects, one stays as generated
                case.body = substitute(case.body, self.seeds, turn)
                if "cart_id" in (case.path_parameters or {}):
                    case.path_parameters["cart_id"] = self.credentials.seeded["cart_id"]
            cookies = {"landing_state": self.credentials.seeded["landing_cookie"]}
            response = case.call(
                base_url=self.credentials.base_url, session=session, cookies=cookies
            )
            try:
                case.validate_response(response, checks=CHECKS)
                failure = None
            except (Exception, FailureGroup) as error:  # all are reported at the end
                failure = error
            with self._lock:
                self.requests += 1
                self.statuses[(operation.label, response.status_code)] += 1
                if failure is not None:
                    key = (operation.label, response.status_code, str(failure).splitlines()[0])
                    self.failures.setdefault(key, f"{failure}\n{case.as_curl_command()}")

        one()
