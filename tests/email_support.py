"""A real SMTP server for email tests (aiosmtpd on a free port, in its own thread), and a
paid order to send about."""

import socket
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller

from config.mail_settings import parse_email_url
from notifications.models import EmailKind, EmailLog
from payments.services import checkout_pay
from tests.checkout_factories import billing, make_session, success_card


@dataclass
class Mailbox:
    """What the server received; ``refuse`` > 0 answers that many messages with a 451."""

    messages: list[EmailMessage] = field(default_factory=list)
    refuse: int = 0

    async def handle_DATA(self, server, session, envelope):
        if self.refuse > 0:
            self.refuse -= 1
            return "451 4.3.0 Mailbox busy, try again later"
        message = message_from_bytes(envelope.content, policy=policy.default)
        message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        self.messages.append(message)
        return "250 OK"

    def to(self, address: str = "buyer@example.com") -> list[EmailMessage]:
        """What went to ``address`` (the buyer, by default): not the store's notices."""
        return [m for m in self.messages if m["X-Envelope-To"] == address]


# What production needs for email and invoices (notifications.checks), for tests that start
# the project with production settings.
PRODUCTION_MAIL_ENV = {
    "EMAIL_URL": "smtp+tls://mailer:secret@smtp.example.com",
    "EMAIL_FROM_ADDRESS": "receipts@pay.example.com",
    "PLATFORM_ADDRESS_LINES": "1 Main Street,10115 Berlin,Germany",
    "PLATFORM_VAT_ID": "DE136695976",
}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def running_smtp_server(settings):
    """For a test module's ``smtp_server`` fixture: a running SMTP server, and the default
    mailer that EMAIL_URL ``smtp://127.0.0.1:<port>`` configures pointed at it."""
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    url = f"smtp://{controller.hostname}:{controller.port}?timeout=5"
    settings.MAILERS = {"default": parse_email_url(url)}
    try:
        yield mailbox
    finally:
        controller.stop()


def buyer_emails():
    """The log without the notices to the store's owners and admins (those are
    ``tests/test_email_merchant_notices.py``'s)."""
    return EmailLog.objects.exclude(kind=EmailKind.MERCHANT)


def pay(product, *, country="DE", language="", email="buyer@example.com", **billing_fields):
    """A paid checkout of ``product``; its order (completed, invoice issued)."""
    extra = {"language": language} if language else {}
    session = make_session(product=product, buyerEmail=email, **extra)
    outcome = checkout_pay(
        session=session,
        billing=billing(country, **billing_fields),
        card=success_card(),
        buyer_identity="buyer-1",
    )
    assert outcome.succeeded
    return outcome.order


def pdf_attachment(message: EmailMessage) -> tuple[str, bytes]:
    for part in message.iter_attachments():
        if part.get_content_type() == "application/pdf":
            return part.get_filename(), part.get_content()
    raise AssertionError("no PDF attached")
