"""A store's webhook endpoints, the log of deliveries made to them, and the email log.

Signing secrets never leave: an endpoint says only whether it has one (``hasSecret``), and a
delivery shows the body that was sent, which carries none."""

import strawberry

from core.timefmt import iso_utc
from notifications.models import EmailLog as EmailRow
from webhooks.models import WebhookAttempt as AttemptRow
from webhooks.models import WebhookDelivery as DeliveryRow
from webhooks.models import WebhookEndpoint


@strawberry.type(description="One of a store's webhooks (the SDK's StoreWebhook, no secret).")
class StoreWebhook:
    row: strawberry.Private[WebhookEndpoint]

    @strawberry.field
    def id(self) -> strawberry.ID:
        return strawberry.ID(str(self.row.id))

    @strawberry.field
    def store_id(self) -> str:
        return self.row.store.public_id

    @strawberry.field(description="webhook | slack | discord | telegram …")
    def channel(self) -> str:
        return self.row.channel

    @strawberry.field
    def url(self) -> str:
        return self.row.url

    @strawberry.field
    def events(self) -> list[str]:
        return list(self.row.events)

    @strawberry.field
    def test_mode(self) -> bool:
        return self.row.test_mode

    @strawberry.field(description="Whether a secret is set; the secret itself is never shown.")
    def has_secret(self) -> bool:
        return bool(self.row.secret)

    @strawberry.field(description="Set when repeated failures disabled it.")
    def disabled_at(self) -> str | None:
        return iso_utc(self.row.disabled_at)

    @strawberry.field
    def created_at(self) -> str:
        return iso_utc(self.row.created_at)

    @strawberry.field
    def updated_at(self) -> str:
        return iso_utc(self.row.updated_at)


@strawberry.type
class WebhookAttempt:
    row: strawberry.Private[AttemptRow]

    @strawberry.field
    def number(self) -> int:
        return self.row.number

    @strawberry.field
    def succeeded(self) -> bool:
        return self.row.succeeded

    @strawberry.field
    def http_status(self) -> int | None:
        return self.row.http_status

    @strawberry.field
    def response_body(self) -> str | None:
        return self.row.response_body or None

    @strawberry.field
    def error(self) -> str | None:
        return self.row.error or None

    @strawberry.field
    def started_at(self) -> str:
        return iso_utc(self.row.started_at)

    @strawberry.field
    def finished_at(self) -> str:
        return iso_utc(self.row.finished_at)


@strawberry.type(description="One event sent (or being sent) to one endpoint.")
class WebhookDelivery:
    row: strawberry.Private[DeliveryRow]

    @strawberry.field(description="The envelope's id.")
    def id(self) -> strawberry.ID:
        return strawberry.ID(str(self.row.id))

    @strawberry.field
    def store_id(self) -> str:
        return self.row.store.public_id

    @strawberry.field
    def store_webhook_id(self) -> str | None:
        return str(self.row.endpoint_id) if self.row.endpoint_id else None

    @strawberry.field
    def event_type(self) -> str:
        return self.row.event_type

    @strawberry.field(description="The business object's public ID.")
    def event_id(self) -> str:
        return self.row.event_id

    @strawberry.field(description="The JSON text sent on every attempt.")
    def payload(self) -> str:
        return self.row.body

    @strawberry.field
    def webhook_url(self) -> str:
        return self.row.url

    @strawberry.field(description="pending | success | failed")
    def status(self) -> str:
        return self.row.status

    @strawberry.field(description="The last attempt's HTTP status.")
    def http_status(self) -> int | None:
        return self.row.last_http_status

    @strawberry.field(description="The last attempt's response body.")
    def response_body(self) -> str | None:
        return self.row.last_response_body or None

    @strawberry.field
    def error_message(self) -> str | None:
        return self.row.last_error or None

    @strawberry.field
    def attempt_count(self) -> int:
        return self.row.attempts

    @strawberry.field
    def last_attempted_at(self) -> str | None:
        return iso_utc(getattr(self.row, "last_attempted_at", None))

    @strawberry.field
    def attempts(self) -> list[WebhookAttempt]:
        return [WebhookAttempt(row=row) for row in self.row.attempt_log.all()]

    @strawberry.field
    def test_mode(self) -> bool:
        return self.row.environment == "test"

    @strawberry.field
    def created_at(self) -> str:
        return iso_utc(self.row.created_at)


@strawberry.type(description="One email to a buyer, from queued to sent.")
class EmailDelivery:
    row: strawberry.Private[EmailRow]

    @strawberry.field
    def id(self) -> strawberry.ID:
        return strawberry.ID(str(self.row.pk))

    @strawberry.field
    def store_id(self) -> str:
        return self.row.store.public_id

    @strawberry.field(description="The event that called for it, else the email's kind.")
    def event_type(self) -> str:
        return self.row.event.name if self.row.event_id else self.row.kind

    @strawberry.field(description="The order the email is about.")
    def event_id(self) -> str:
        return self.row.order.public_id

    @strawberry.field(description="receipt | renewal | refund | trial_ending | upcoming_charge")
    def kind(self) -> str:
        return self.row.kind

    @strawberry.field
    def recipient_type(self) -> str:
        return "buyer"

    @strawberry.field
    def to_address(self) -> str:
        return self.row.to_address

    @strawberry.field
    def subject(self) -> str:
        return self.row.subject

    @strawberry.field
    def test_mode(self) -> bool:
        return self.row.environment == "test"

    @strawberry.field(description="queued | sending | sent | failed")
    def status(self) -> str:
        return self.row.status

    @strawberry.field
    def attempt_count(self) -> int:
        return self.row.attempts

    @strawberry.field(description="When it was sent (the log keeps no other attempt time).")
    def last_attempted_at(self) -> str | None:
        return iso_utc(self.row.sent_at)

    @strawberry.field
    def error_message(self) -> str | None:
        return self.row.last_error or None

    @strawberry.field
    def created_at(self) -> str:
        return iso_utc(self.row.created_at)
