"""``matchwerk api_token create EMAIL [--read-only] [--name NAME]``: print a new personal
API token for the account (the only time it is shown); ``api_token list EMAIL`` and
``api_token revoke EMAIL PREFIX`` for the operator."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from matchwerk.accounts.models import User
from matchwerk.api.models import ApiToken
from matchwerk.api.services import api_token_create, api_token_revoke


class Command(BaseCommand):
    help = "Create, list or revoke personal API tokens."

    def add_arguments(self, parser):
        verbs = parser.add_subparsers(dest="verb", required=True)
        create = verbs.add_parser("create", help="print a new token for the account")
        create.add_argument("email")
        create.add_argument("--read-only", action="store_true", help="the token may only read")
        create.add_argument("--name", default="Kommandozeile", help="a name to recognise the token by")
        listing = verbs.add_parser("list", help="the account's tokens")
        listing.add_argument("email")
        revoke = verbs.add_parser("revoke", help="revoke a token by its prefix")
        revoke.add_argument("email")
        revoke.add_argument("prefix")

    def handle(self, *args, verb: str, email: str, **options):
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"No account with the address {email}.")
        if verb == "create":
            if not user.is_active:
                raise CommandError(f"The account {email} is deactivated.")
            _token, raw = api_token_create(user=user, name=options["name"], read_only=options["read_only"])
            self.stdout.write(raw)
        elif verb == "list":
            for token in ApiToken.objects.filter(user=user):
                state = "revoked" if token.revoked_at else ("read-only" if token.read_only else "read-write")
                self.stdout.write(f"{token.prefix}…\t{token.name}\t{state}\t{token.created_at:%Y-%m-%d %H:%M}")
        else:
            tokens = ApiToken.objects.filter(user=user, prefix=options["prefix"].rstrip("…"), revoked_at__isnull=True)
            if not tokens:
                raise CommandError("No active token with that prefix.")
            for token in tokens:
                api_token_revoke(actor=None, token=token)
            self.stdout.write(f"revoked {len(tokens)}")
