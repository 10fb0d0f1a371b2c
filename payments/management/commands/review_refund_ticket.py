"""The merchant of record's decision on a refund ticket, for operations.

Prints the reviewed ticket as one JSON object in the SDK's ``RefundTicket`` shape; exits
non-zero for an unknown ticket, one already decided, or a rejection without a reason.
"""

import getpass
import json

from django.core.management.base import BaseCommand, CommandError

from core.errors import AppError
from payments.api.representations import ticket_json
from payments.refund_selectors import ticket_by_public_id
from payments.refund_tickets import refund_ticket_decide


class Command(BaseCommand):
    help = "Approve (and execute) or reject a pending refund ticket."

    def add_arguments(self, parser):
        parser.add_argument("--ticket", required=True, help="TKT_… ID")
        parser.add_argument("--decision", required=True, choices=("approve", "reject"))
        parser.add_argument("--reason", default="", help="Why it is rejected (required then)")
        parser.add_argument("--note", default="", help="A note kept with the review")

    def handle(self, *args, ticket, decision, reason, note, **options):
        found = ticket_by_public_id(public_id=ticket)
        if found is None:
            raise CommandError(f"Refund ticket not found: {ticket}")
        try:
            reviewed = refund_ticket_decide(
                ticket_id=found.pk,
                decision=decision,
                reviewer_id=f"operator:{getpass.getuser()}",
                reason=reason,
                note=note,
            )
        except AppError as error:
            raise CommandError(error.message) from None
        self.stdout.write(json.dumps(ticket_json(reviewed), ensure_ascii=False))
