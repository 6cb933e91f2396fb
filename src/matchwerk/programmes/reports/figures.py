"""The numbers of a programme's reports, read with a handful of aggregate queries.

Every table of the dashboard and of the funder report comes from :func:`programme_figures`;
the charts are drawn from the same tables. Definitions (also in
``docs/programme-grants-and-reports.md``):

- **funnel**: pairs suggested (unordered pairs with a suggestion in the programme), then
  matches that ever reached each stage of ``STAGE_FLOW`` (read from the stage log, so an
  ended match counts for the stages it had reached);
- **region** of a match: the region of its first organisation (the side created first);
- **kind pair**: the sorted kinds of its organisations;
- **budget**: approved grants (status approved) and payments; with a period, the grants
  decided and the payments paid within it;
- **events held**: the programme's events (published or closed) that ended before now,
  with the registrations checked in; **satisfaction**: the feedback given on them;
- **meetings**: 1:1 meetings of the latest released plan of each held event whose slot
  has ended, no-shows reported, pairs who both want to continue, and the programme's
  matches with origin "event meeting";
- **follow-ups**: check-ins at 3/6/12 months sent in the period (skipped rounds not
  counted), those answered, and the answers "still working together" / "not any more".

Personal data never enters a figure, so erasing people (retention) changes none.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal

from django.db.models import Avg, Case, Count, IntegerField, Max, Q, Sum, When
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from matchwerk.matching.enums import STAGE_FLOW, MatchOrigin, MatchStage
from matchwerk.matching.models import MatchSide, StageChange, Suggestion
from matchwerk.profiles.enums import OrganisationKind
from matchwerk.programmes.grants.enums import GrantStatus
from matchwerk.programmes.grants.models import Grant, Payment

ZERO = Decimal("0.00")


@dataclass
class Table:
    """One table of a report: a title, column headings and rows (the text alternative
    of its chart, and one sheet of the XLSX)."""

    key: str
    title: str
    columns: list[str]
    rows: list[list] = field(default_factory=list)

    def column(self, index: int) -> list:
        return [row[index] for row in self.rows]

    @property
    def display_rows(self) -> list[list[str]]:
        """The rows as text in the current language (amounts with two places)."""
        return [[_display(value) for value in row] for row in self.rows]


def _display(value) -> str:
    if isinstance(value, Decimal):
        return formats.number_format(value, 2, use_l10n=True, force_grouping=True)
    if isinstance(value, date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, int):
        return formats.number_format(value, 0, use_l10n=True, force_grouping=True)
    return str(value)


@dataclass
class ProgrammeFigures:
    programme: object
    date_from: date | None
    date_to: date | None
    matches: int
    funnel: Table
    by_stage: Table
    by_region: Table
    by_kind_pair: Table
    budget: Table
    grants: Table
    events: Table
    meetings: Table
    satisfaction: Table
    followups: Table

    @property
    def tables(self) -> list[Table]:
        return [self.funnel, self.by_stage, self.by_region, self.by_kind_pair, self.budget, self.grants,
                self.events, self.meetings, self.satisfaction, self.followups]

    def value(self, table_key: str, label) -> object:
        """The second column of the row labelled ``label`` (tests and the template)."""
        table = next(t for t in self.tables if t.key == table_key)
        return next(row[1] for row in table.rows if row[0] == label)


def _bounds(date_from: date | None, date_to: date | None):
    tz = timezone.get_current_timezone()
    start = timezone.make_aware(datetime.combine(date_from, time.min), tz) if date_from else None
    end = timezone.make_aware(datetime.combine(date_to, time.max), tz) if date_to else None
    return start, end


def _in_period(prefix: str, start, end) -> Q:
    q = Q()
    if start is not None:
        q &= Q(**{f"{prefix}__gte": start})
    if end is not None:
        q &= Q(**{f"{prefix}__lte": end})
    return q


def _funnel(programme, matches_q: Q, start, end) -> tuple[Table, int]:
    pairs = Suggestion.objects.filter(programme=programme).filter(_in_period("computed_at", start, end))
    pair_count = len({tuple(sorted(pair)) for pair in pairs.values_list("organisation_id", "partner_id")})
    index = Case(*[When(to_stage=stage, then=i) for i, stage in enumerate(STAGE_FLOW)], default=-1,
                 output_field=IntegerField())
    logged = dict(StageChange.objects.filter(match__programme=programme).filter(matches_q)
                  .values("match_id").annotate(top=Max(index)).values_list("match_id", "top"))
    flow = {stage: i for i, stage in enumerate(STAGE_FLOW)}
    current = programme.matches.filter(_in_period("created_at", start, end)).values_list("pk", "stage")
    tops = Counter(max(logged.get(pk, -1), flow.get(stage, 0)) for pk, stage in current)
    funded = programme.funds_matches
    rows = [[_("Paare vorgeschlagen"), pair_count]]
    for i, stage in enumerate(STAGE_FLOW):
        if stage == MatchStage.GRANT_APPROVED and not funded:
            continue
        rows.append([MatchStage(stage).label, sum(n for top, n in tops.items() if top >= i)])
    table = Table("funnel", _("Vom Vorschlag zur dauerhaften Zusammenarbeit"), [_("Stufe"), _("Anzahl")], rows)
    return table, sum(tops.values())  # every match of the period


def _sides(programme, matches_q: Q):
    """(match id, kinds, region name of the first side) per match."""
    sides = (MatchSide.objects.filter(match__programme=programme).filter(matches_q)
             .values_list("match_id", "organisation__kind", "organisation__region__name").order_by("match_id", "pk"))
    per_match: dict[int, tuple[list[str], str]] = {}
    for match_id, kind, region in sides:
        kinds, first_region = per_match.get(match_id, ([], region))
        kinds.append(kind)
        per_match[match_id] = (kinds, first_region)
    return per_match


def _kind_label(kind: str) -> str:
    return str(OrganisationKind(kind).label) if kind in OrganisationKind.values else kind


def programme_figures(*, programme, date_from: date | None = None, date_to: date | None = None,
                      now: datetime | None = None) -> ProgrammeFigures:
    now = now or timezone.now()
    start, end = _bounds(date_from, date_to)
    matches_q = _in_period("created_at", start, end)
    funnel, match_count = _funnel(programme, _in_period("match__created_at", start, end), start, end)

    stage_counts = dict(programme.matches.filter(matches_q).values_list("stage").annotate(n=Count("pk")))
    by_stage = Table("stages", _("Matches nach aktueller Stufe"), [_("Stufe"), _("Anzahl")],
                     [[stage.label, stage_counts.get(stage.value, 0)] for stage in MatchStage
                      if stage != MatchStage.GRANT_APPROVED or programme.funds_matches])

    per_match = _sides(programme, _in_period("match__created_at", start, end))
    regions = Counter(region for _kinds, region in per_match.values())
    pairs = Counter(" × ".join(_kind_label(k) for k in sorted(kinds)) for kinds, _region in per_match.values())
    by_region = Table("regions", _("Matches nach Region"), [_("Region"), _("Matches")],
                      [[name, n] for name, n in sorted(regions.items(), key=lambda item: (-item[1], item[0]))])
    by_kind_pair = Table("kind_pairs", _("Matches nach Paarung"), [_("Paarung"), _("Matches")],
                         [[name, n] for name, n in sorted(pairs.items(), key=lambda item: (-item[1], item[0]))])

    grants = Grant.objects.filter(programme=programme)
    approved = grants.filter(status=GrantStatus.APPROVED).filter(_in_period("decided_at", start, end)).aggregate(
        total=Sum("amount_approved"), n=Count("pk"))
    payments = Payment.objects.filter(grant__programme=programme)
    if date_from:
        payments = payments.filter(paid_on__gte=date_from)
    if date_to:
        payments = payments.filter(paid_on__lte=date_to)
    paid = payments.aggregate(total=Sum("amount"), n=Count("pk"))
    approved_all = grants.filter(status=GrantStatus.APPROVED).aggregate(total=Sum("amount_approved"))["total"] or ZERO
    budget_total = programme.budget if programme.funds_matches else ZERO
    budget = Table("budget", _("Budget (EUR)"), [_("Posten"), _("Betrag (EUR)")], [
        [_("Gesamtbudget"), budget_total],
        [_("bewilligt"), approved["total"] or ZERO],
        [_("ausgezahlt"), paid["total"] or ZERO],
        [_("noch frei (gesamt)"), budget_total - approved_all],
    ])
    grant_rows = [[_("Anträge"), grants.filter(_in_period("applied_at", start, end)).count()],
                  [_("bewilligte Förderungen"), approved["n"]],
                  [_("Zahlungen"), paid["n"]]]
    grants_table = Table("grants", _("Förderungen"), [_("Posten"), _("Anzahl")], grant_rows)

    events, satisfaction, held = _events(programme, start, end, now)
    return ProgrammeFigures(programme=programme, date_from=date_from, date_to=date_to, matches=match_count,
                            funnel=funnel, by_stage=by_stage, by_region=by_region, by_kind_pair=by_kind_pair,
                            budget=budget, grants=grants_table, events=events,
                            meetings=_meetings(programme, held, start, end, now), satisfaction=satisfaction,
                            followups=_followups(programme, start, end))


def _events(programme, start, end, now) -> tuple[Table, Table, object]:
    from matchwerk.events.enums import EventStatus
    from matchwerk.events.models import Event, Feedback

    held = Event.objects.filter(programme=programme, status__in=[EventStatus.PUBLISHED, EventStatus.CLOSED],
                                ends_at__lt=now).filter(_in_period("starts_at", start, end))
    rows = (held.annotate(present=Count("registrations", filter=Q(registrations__checked_in_at__isnull=False)))
            .order_by("starts_at").values_list("title", "starts_at", "present"))
    events = Table("events", _("Veranstaltungen"), [_("Veranstaltung"), _("Datum"), _("anwesend")],
                   [[title, timezone.localtime(starts).date(), present] for title, starts, present in rows])
    feedback = Feedback.objects.filter(registration__event__in=held.values("pk"))
    counts = dict(feedback.values_list("rating").annotate(n=Count("pk")))
    average = feedback.aggregate(avg=Avg("rating"))["avg"]
    satisfaction = Table("satisfaction", _("Zufriedenheit (Rückmeldungen zu Veranstaltungen)"),
                         [_("Bewertung"), _("Rückmeldungen")],
                         [[f"{rating} / 5", counts.get(rating, 0)] for rating in range(5, 0, -1)])
    satisfaction.average = None if average is None else round(float(average), 2)
    return events, satisfaction, held


def _meetings(programme, held, start, end, now) -> Table:
    """1:1 meetings at the programme's held events (the latest released plan of each) whose
    slot has ended, the no-shows reported, the pairs who both want to continue, and the
    programme's matches that came from an event meeting (origin, created in the period)."""
    from matchwerk.meetings.enums import VersionStatus
    from matchwerk.meetings.models import Meeting, MeetingFeedback, PlanVersion

    latest = (PlanVersion.objects.filter(event__in=held.values("pk"), status=VersionStatus.RELEASED)
              .values("event_id").annotate(number=Max("number")).values_list("event_id", "number"))
    plans = Q(pk__in=[])
    for event_id, number in latest:
        plans |= Q(version__event_id=event_id, version__number=number)
    meetings = Meeting.objects.filter(plans, slot__ends_at__lt=now)
    requests = meetings.values("request_id")
    feedback = MeetingFeedback.objects.filter(request_id__in=requests)
    no_shows = feedback.filter(no_show=True).values("request_id").distinct().count()
    both_continue = (feedback.filter(wants_to_continue=True).values("request_id")
                     .annotate(n=Count("pk")).filter(n__gte=2).count())
    from_meetings = programme.matches.filter(origin=MatchOrigin.EVENT_MEETING).filter(
        _in_period("created_at", start, end)).count()
    return Table("meetings", _("Gespräche auf Veranstaltungen"), [_("Posten"), _("Anzahl")], [
        [_("Gespräche gehalten"), meetings.count()],
        [_("davon „nicht erschienen“ gemeldet"), no_shows],
        [_("beide möchten weitermachen"), both_continue],
        [_("Matches aus Gesprächen"), from_meetings],
    ])


FOLLOWUP_MONTHS = (3, 6, 12)


def _followups(programme, start, end) -> Table:
    """The follow-up check-ins at 3, 6 and 12 months sent in the period (skipped rounds do not
    count), how many were answered (at least one member answered), and the answers: still
    working together or not. Counts only: the answers' texts never enter a report."""
    from matchwerk.matching.models import FollowUp, FollowUpAnswer

    checkins = FollowUp.objects.filter(match__programme=programme, kind=FollowUp.Kind.CHECKIN, skipped=False,
                                       sent_at__isnull=False).filter(_in_period("sent_at", start, end))
    sent = dict(checkins.values_list("month").annotate(n=Count("pk")))
    answered = dict(checkins.filter(answers__isnull=False).values_list("month").annotate(n=Count("pk", distinct=True)))
    answers = FollowUpAnswer.objects.filter(followup__in=checkins.values("pk"))
    yes = dict(answers.filter(still_cooperating=True).values_list("followup__month").annotate(n=Count("pk")))
    no = dict(answers.filter(still_cooperating=False).values_list("followup__month").annotate(n=Count("pk")))
    rows = [[_("nach %(months)d Monaten") % {"months": month}, sent.get(month, 0), answered.get(month, 0),
             yes.get(month, 0), no.get(month, 0)] for month in FOLLOWUP_MONTHS]
    return Table("followups", _("Nachfragen nach 3, 6 und 12 Monaten"),
                 [_("Nachfrage"), _("verschickt"), _("beantwortet"), _("Antworten: arbeiten noch zusammen"),
                  _("Antworten: nicht mehr")], rows)
