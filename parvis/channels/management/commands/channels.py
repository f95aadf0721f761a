"""`parvis channels rotate-keys`: re-encrypt every stored secret with the newest key."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from parvis.channels.crypto import SecretUnreadable, rotate
from parvis.channels.models import Channel, MastodonApp


class Command(BaseCommand):
    help = (
        "Channel maintenance: rotate-keys re-encrypts secrets with ENCRYPTION_KEYS[0]."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser(
            "rotate-keys", help="Re-encrypt every token with the newest key."
        )

    def handle(self, *args, action, **options):
        if action == "rotate-keys":
            self.rotate_keys()

    @transaction.atomic
    def rotate_keys(self) -> None:
        count = 0
        try:
            for channel in Channel.objects.select_for_update():
                channel.credentials_encrypted = rotate(channel.credentials_encrypted)
                channel.save(update_fields=["credentials_encrypted"])
                count += 1
            for app in MastodonApp.objects.select_for_update():
                app.client_secret_encrypted = rotate(app.client_secret_encrypted)
                app.save(update_fields=["client_secret_encrypted"])
                count += 1
        except SecretUnreadable as exc:
            raise CommandError(
                "A secret cannot be decrypted with any key of ENCRYPTION_KEYS: keep the "
                "old key in the list (after the new one) until rotation has run."
            ) from exc
        self.stdout.write(f"{count} secrets re-encrypted with the newest key.")
