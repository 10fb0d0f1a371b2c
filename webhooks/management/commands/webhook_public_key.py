"""``python manage.py webhook_public_key --environment test|prod``: the SPKI PEM to verify with."""

from django.core.management.base import BaseCommand, CommandError

from webhooks.signing import ENVIRONMENTS, SigningKeyMissing, public_key_pem


class Command(BaseCommand):
    help = "Print an environment's webhook public key (SPKI PEM) for verifyWebhook."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--environment", choices=ENVIRONMENTS, required=True)

    def handle(self, *, environment, **options):
        try:
            self.stdout.write(public_key_pem(environment), ending="")
        except SigningKeyMissing as exc:
            raise CommandError(str(exc)) from exc
