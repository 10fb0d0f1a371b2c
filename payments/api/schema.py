"""OpenAPI shapes of the refund-ticket actions (``payments.api.representations``)."""

from core.api.openapi_shapes import AMOUNT, CURRENCY, OBJECT, STRING, TIME, nullable, obj

REQUESTED_AMOUNT = obj({"amount": AMOUNT, "currency": CURRENCY}, closed=True)
PAYMENT_ID = {"type": "string", "pattern": "^PAY_[0-7][0-9A-Za-z]{21}$"}
TICKET_ID = {"type": "string", "pattern": "^TKT_[0-7][0-9A-Za-z]{21}$"}
REASON = {"type": "string", "minLength": 1, "maxLength": 2000}
CREATE = obj(
    {
        "paymentId": PAYMENT_ID,
        "reason": REASON,
        "requestedAmount": REQUESTED_AMOUNT,
        "metadata": OBJECT,
        "refundTicketMerchantExternalId": {"type": "string", "maxLength": 128},
    },
    optional=("metadata", "refundTicketMerchantExternalId"),
)
RESUBMIT = obj(
    {
        "ticketId": TICKET_ID,
        "paymentId": PAYMENT_ID,
        "reason": REASON,
        "requestedAmount": REQUESTED_AMOUNT,
    }
)
TICKET = obj(
    {
        "id": {"type": "string", "pattern": "^TKT_"},
        "type": STRING,
        "status": {
            "enum": [
                "pending",
                "under_review",
                "approved",
                "rejected",
                "returned",
                "processing",
                "succeeded",
                "failed",
                "cancelled",
            ]
        },
        "subjectId": STRING,
        "submitterId": STRING,
        "submitterType": {"enum": ["customer", "merchant"]},
        "currentVersionId": nullable(STRING),
        "reviewerId": nullable(STRING),
        "reviewedAt": nullable(TIME),
        "reviewNote": nullable(STRING),
        "rejectReason": nullable(STRING),
        "executedAt": nullable(TIME),
        "metadata": OBJECT,
        "refundTicketMerchantExternalId": nullable(STRING),
        "versionNumber": nullable({"type": "integer"}),
        "versionData": nullable(
            obj({"reason": STRING, "requestedAmount": nullable(REQUESTED_AMOUNT)})
        ),
        "createdAt": TIME,
        "updatedAt": TIME,
    }
)
TICKET_ANSWER = obj({"ticket": TICKET})
