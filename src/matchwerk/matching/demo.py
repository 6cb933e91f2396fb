"""A few demo matches for ``matchwerk demo_load``: in the programme „Kreative Lausitz“
(Görlitz, Bautzen), creatives and small firms at the early stages of a match, each moved
there through ``match_stage_change`` like in the back office, with an idea, milestones (one
overdue), journal entries (one staff-only) and Konrad Koordination as the programme's
coordinator of both regions. The later stages, grants and follow-ups belong to the
programme demo of the grants work. Loading twice adds nothing."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from matchwerk.accounts.models import User
from matchwerk.matching import services
from matchwerk.matching.enums import MatchStage
from matchwerk.matching.models import JournalEntry, Match
from matchwerk.profiles.models import Organisation
from matchwerk.programmes.models import Programme, ProgrammeCoordinator

PROGRAMME = "kreative-lausitz"
COORDINATOR = "koordination@matchwerk.example"
# (organisations by demo key, stage, idea, milestone (title, days from today) or None, journal or "")
MATCHES = (
    (("weisswasser-glasdesign", "herrnhut-sterne-werkstatt"), MatchStage.KICKOFF,
     "Gläserne Sterne: eine gemeinsame Kleinserie aus Weißwasser-Glas für den Herrnhuter Werksverkauf.",
     ("Entwürfe für drei Sternformen", -5), "Kick-off in Herrnhut: Materialtests im Januar vereinbart."),
    (("bischofswerda-webdesign", "pulsnitz-pfefferkuchen"), MatchStage.AGREED,
     "Online-Shop mit Versand für Pfefferkuchen, gestaltet im Stil der Manufaktur.",
     ("Termin für das Kick-off", 7), ""),
    (("goerlitz-filmstadt", "oberlausitzer-senf"), MatchStage.PROPOSED, "", None, ""),
    (("bischofswerda-webdesign", "radeberg-holzbau"), MatchStage.ENDED,
     "Neue Website für den Holzbau.", None, ""),
)


def load_demo_matches() -> int:
    programme = Programme.objects.filter(slug=PROGRAMME).first()
    coordinator = User.objects.filter(email=COORDINATOR).first()
    if programme is None or coordinator is None or Match.objects.filter(programme=programme).exists():
        return 0
    for region in programme.regions.all():
        ProgrammeCoordinator.objects.get_or_create(programme=programme, region=region, user=coordinator)
    organisations = {o.key: o for o in Organisation.objects.filter(key__in={k for m in MATCHES for k in m[0]})}
    created = 0
    for keys, stage, idea, milestone, journal in MATCHES:
        if not all(key in organisations for key in keys):
            continue
        match = services.match_create(actor=coordinator, programme=programme, idea=idea,
                                      organisations=[organisations[key] for key in keys])
        if stage == MatchStage.ENDED:
            services.match_stage_change(actor=coordinator, match=match, stage=stage,
                                        reason="Die Tischlerei hat keine Zeit für das Vorhaben.")
        else:
            steps = {MatchStage.PROPOSED: [], MatchStage.AGREED: [MatchStage.AGREED],
                     MatchStage.KICKOFF: [MatchStage.AGREED, MatchStage.KICKOFF]}[stage]
            for step in steps:
                services.match_stage_change(actor=coordinator, match=match, stage=step,
                                            note="beide haben beim Kick-off zugesagt")
        if milestone:
            title, days = milestone
            services.milestone_add(actor=coordinator, match=match, title=title,
                                   due_on=timezone.localdate() + timedelta(days=days))
        if journal:
            services.journal_entry_add(actor=coordinator, match=match, text=journal)
            services.journal_entry_add(actor=coordinator, match=match, visibility=JournalEntry.Visibility.STAFF,
                                       text="Intern: Glasstudio braucht Hilfe beim Kostenplan für die Förderung.")
        created += 1
    return created
