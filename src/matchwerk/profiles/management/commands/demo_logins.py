"""``matchwerk demo_logins``: print the demo accounts and the demo password (German)."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand

from matchwerk.accounts.models import User
from matchwerk.programmes.models import Programme
from matchwerk.profiles.management.commands.demo_load import DEMO_ACCOUNTS, DEMO_PASSWORD


class Command(BaseCommand):
    help = "Zeigt die Demo-Zugänge und das Demo-Passwort an."

    def handle(self, *args, **options):
        existing = set(User.objects.filter(email__in=[a.email for a in DEMO_ACCOUNTS])
                       .values_list("email", flat=True))
        if not existing:
            self.stdout.write("Keine Demo-Zugänge vorhanden. Laden mit: matchwerk demo_load")
            return
        width = max(len(account.email) for account in DEMO_ACCOUNTS)
        lines = ["", "Demo-Zugänge (nur zum Ausprobieren – alle Daten sind erfunden)",
                 "=" * 64]
        for account in DEMO_ACCOUNTS:
            if account.email in existing:
                lines.append(f"  {account.email.ljust(width)}  {account.description}")
        programmes = Programme.objects.filter(is_active=True).prefetch_related("regions", "team")
        if programmes:
            lines += ["", "Programme und ihre Teams"]
            for programme in programmes:
                regions = ", ".join(region.name for region in programme.regions.all()) or "alle Regionen"
                team = ", ".join(member.get_full_name() for member in programme.team.all()) or "–"
                lines.append(f"  {programme.name} ({regions}): {team}")
        lines += ["", f"  Passwort für alle Demo-Zugänge: {DEMO_PASSWORD}",
                  f"  Anmelden: {settings.SITE_URL}/", ""]
        self.stdout.write("\n".join(lines))
