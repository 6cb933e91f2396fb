import pytest
from factories import make_need, make_offer, make_organisation, make_team_member, make_user

from matchwerk.matching.services import programme_default


@pytest.fixture
def network(db):
    """A small network: a tourism SME needing online booking, a startup offering it,
    a creative studio, an SME that did not consent to matching; a matching-team member on
    the team of the default programme (which covers all regions)."""
    owner_sme, owner_startup = make_user(), make_user()
    sme = make_organisation(owner=owner_sme, kind="sme", name="Radreisen Elbland")
    make_need(sme, title="Online-Buchung für Radtouren",
              description="Wir beantworten jede Buchungsanfrage per Telefon und E-Mail und suchen ein Buchungssystem.")
    make_offer(sme, title="Geführte Radtouren im Elbtal", description="Touren für Gruppen und Firmen.")
    startup = make_organisation(owner=owner_startup, kind="startup", name="Buchbar Digital")
    make_offer(startup, title="Online-Buchungssysteme für Touristik",
               description="Wir richten Online-Buchung, Kalender und Bezahlung für kleine Anbieter ein.")
    make_need(startup, title="Pilotkunden im Tourismus", description="Wir suchen Anbieter von Touren für einen Piloten.")
    creative = make_organisation(kind="creative", name="Atelier Lausitz")
    make_offer(creative, title="Markenauftritt und Fotografie", description="Logos, Fotos und Texte für Handwerk.")
    make_need(creative, title="Aufträge aus dem Mittelstand", description="Wir suchen Firmen, die ihre Marke erneuern.")
    hidden = make_organisation(kind="sme", name="Verschlossen GmbH", matching=False)
    make_need(hidden, title="Online-Buchung", description="Buchungssystem gesucht.")
    other_sme = make_organisation(kind="sme", name="Zweite Radstation")
    make_need(other_sme, title="Online-Buchung", description="Buchungsanfragen kommen per Telefon; wir brauchen Online-Buchung.")
    return {"sme": sme, "startup": startup, "creative": creative, "hidden": hidden, "other_sme": other_sme,
            "owner_sme": owner_sme, "owner_startup": owner_startup,
            "team": make_team_member(programme=programme_default()), "outsider": make_user()}
