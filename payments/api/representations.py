"""The SDK's ``RefundTicket`` shape."""

from core.money import format_amount
from core.timefmt import iso_utc
from payments.models import RefundTicket


def _nullable(text: str) -> str | None:
    return text or None


def ticket_json(ticket: RefundTicket) -> dict:
    version = ticket.current_version
    version_data = None
    if version is not None:
        version_data = {
            "reason": version.reason,
            "requestedAmount": {
                "amount": format_amount(version.amount_minor, version.currency),
                "currency": version.currency,
            },
        }
    return {
        "id": ticket.public_id,
        "type": ticket.type,
        "status": ticket.status,
        "subjectId": ticket.payment.public_id,
        "submitterId": ticket.submitter_id,
        "submitterType": ticket.submitter_type,
        "currentVersionId": version.public_id if version else None,
        "reviewerId": _nullable(ticket.reviewer_id),
        "reviewedAt": iso_utc(ticket.reviewed_at),
        "reviewNote": _nullable(ticket.review_note),
        "rejectReason": _nullable(ticket.reject_reason),
        "executedAt": iso_utc(ticket.executed_at),
        "metadata": ticket.metadata,
        "refundTicketMerchantExternalId": _nullable(ticket.merchant_external_id),
        "versionNumber": version.number if version else None,
        "versionData": version_data,
        "createdAt": iso_utc(ticket.created_at),
        "updatedAt": iso_utc(ticket.updated_at),
    }
