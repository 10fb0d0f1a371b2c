"""What partners do when the rest of the platform changes (domain events)."""

import uuid

from checkout.models import CreatedVia
from core.events import handles
from core.models import DomainEvent
from partners.services import basket_complete


@handles("checkout.session.completed", name="partners.complete_basket")
def complete_basket(event: DomainEvent) -> None:
    """A paid partner checkout completes the basket handed over to it."""
    if event.payload.get("createdVia") != CreatedVia.PARTNER_BASKET:
        return
    basket_complete(session_id=uuid.UUID(event.subject.removeprefix("cs_")))
