"""``refund-ticket/*``: a buyer (customer session token) or the merchant (signed API key)
asks for money back. A store slug is shared by every anonymous buyer of a store, so it
reaches no one's payments: only the two credentials that name who is asking are taken."""

from checkout.api.authentication import CustomerTokenAuthentication
from core.api.access import StoreOf
from core.api.openapi import action
from core.api.views import ActionView
from core.errors import BadRequest
from core.ids import InvalidShortId, format_error, from_short_id, to_short_id
from payments import refund_selectors as selectors
from payments.api import schema
from payments.api.representations import ticket_json
from payments.models import Payment
from payments.refund_tickets import (
    LAYER,
    Request,
    Submitter,
    refund_ticket_create,
    refund_ticket_resubmit,
)
from stores.api.authentication import SignedApiKeyAuthentication
from stores.roles import Capability

MAX_EXTERNAL_ID = 128


def _id_field(payload: dict, name: str, prefix: str) -> str:
    text = payload.get(name)
    if text in (None, ""):
        raise BadRequest(f"Missing required field: {name}", layer=LAYER)
    if not isinstance(text, str):
        raise BadRequest(f"{name} must be a string", layer=LAYER)
    try:
        from_short_id(prefix, text)
    except InvalidShortId:
        raise BadRequest(format_error(prefix, text), layer=LAYER) from None
    return text


def _request(payload: dict) -> Request:
    requested = payload.get("requestedAmount")
    if requested is None:
        raise BadRequest("Missing required field: requestedAmount", layer=LAYER)
    if not isinstance(requested, dict) or set(requested) - {"amount", "currency"}:
        raise BadRequest("requestedAmount must be an object with amount and currency", layer=LAYER)
    for name in ("amount", "currency"):
        if not isinstance(requested.get(name), str):
            raise BadRequest(f"Missing required field: requestedAmount.{name}", layer=LAYER)
    return Request(payload.get("reason"), requested["amount"], requested["currency"])


def _metadata(payload: dict) -> dict:
    metadata = payload.get("metadata")
    if metadata is None:
        return {}
    if not isinstance(metadata, dict):
        raise BadRequest("metadata must be an object", layer=LAYER)
    return metadata


def _external_id(payload: dict) -> str:
    text = payload.get("refundTicketMerchantExternalId")
    if text is None:
        return ""
    if not isinstance(text, str) or len(text) > MAX_EXTERNAL_ID:
        raise BadRequest(
            f"refundTicketMerchantExternalId must be a string of at most {MAX_EXTERNAL_ID} "
            "characters",
            layer=LAYER,
        )
    return text


@action(
    tag="refund",
    summary="Ask for a refund (a buyer's ticket waits for review; a merchant's is approved)",
    request=schema.CREATE,
    data=schema.TICKET_ANSWER,
)
class CreateRefundTicket(ActionView):
    authentication_classes = (SignedApiKeyAuthentication, CustomerTokenAuthentication)
    allowed_credentials = ("api_key", "customer_token")
    capability = Capability.REFUNDS
    store_of = StoreOf("paymentId", "PAY", Payment, "order__store_id")

    def perform(self, request, payload):
        credential = request.auth
        payment_id = _id_field(payload, "paymentId", "PAY")
        refund_request = _request(payload)
        metadata, external_id = _metadata(payload), _external_id(payload)
        if credential.kind == "api_key":
            payment = selectors.payment_for_merchant(
                public_id=payment_id,
                merchant_id=credential.merchant_id,
                environment=credential.environment,
            )
            submitter = Submitter("merchant", to_short_id("MER", credential.merchant_id))
        else:
            payment = selectors.payment_for_customer(
                public_id=payment_id,
                store_id=credential.store_id,
                buyer_identity=credential.buyer_identity,
                environment=credential.environment,
            )
            submitter = Submitter("customer", credential.buyer_identity)
        ticket = refund_ticket_create(
            payment=payment,
            submitter=submitter,
            request=refund_request,
            metadata=metadata,
            merchant_external_id=external_id,
        )
        return {"ticket": ticket_json(ticket)}


@action(
    tag="refund",
    summary="Resubmit a rejected refund ticket as a new version",
    request=schema.RESUBMIT,
    data=schema.TICKET_ANSWER,
)
class ResubmitRefundTicket(ActionView):
    authentication_classes = (CustomerTokenAuthentication,)
    allowed_credentials = ("customer_token",)

    def perform(self, request, payload):
        credential = request.auth
        ticket_id = _id_field(payload, "ticketId", "TKT")
        payment_id = _id_field(payload, "paymentId", "PAY")
        refund_request = _request(payload)
        ticket = selectors.ticket_for_customer(
            public_id=ticket_id,
            store_id=credential.store_id,
            buyer_identity=credential.buyer_identity,
            environment=credential.environment,
        )
        if ticket.payment.public_id != payment_id:
            raise BadRequest("paymentId is not the payment of this refund ticket", layer=LAYER)
        return {
            "ticket": ticket_json(refund_ticket_resubmit(ticket=ticket, request=refund_request))
        }
