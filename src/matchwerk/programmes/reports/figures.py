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
  matches with origin "event meeting"; **meeting satisfaction**: the ratings (1–5) the
  participants gave those meetings in their feedback (each side rates; no rating, no count);
- **follow-ups**: check-ins at 3/6/12 months sent in the period (skipped rounds not
  counted), those answered, and the answers "still working together" / "not any more".

Personal data never enters a figure, so erasing people (retention) changes none.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal

from django.db.models import Case, Count, IntegerField, Max, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce, Greatest
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from matchwerk.matching.enums import STAGE_FLOW, MatchOrigin, MatchStage
from matchwerk.matching.models import MatchSide, StageChange, Suggestion
from matchwerk.profiles.enums import OrganisationKind
from matchwerk.programmes.grants.enums import GrantStatus
from matchwerk.programmes.grants.models import Grant, Payment

ZERO = Decimal("0.00")
RATINGS = range(5, 0, -1)  # the rows of the satisfaction tables


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
    meeting_satisfaction: Table
    followups: Table

    @property
    def tables(self) -> list[Table]:
        return [self.funnel, self.by_stage, self.by_region, self.by_kind_pair, self.budget, self.grants,
                self.events, self.meetings, self.satisfaction, self.meeting_satisfaction, self.followups]

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


def _match_counts(programme, start, end) -> tuple[Counter, Counter, int]:
    """One grouped read of the period's matches: how many have reached each stage of the
    flow as their highest (the higher of the stage log's and the current stage), how many
    are at each current stage, and how many came from an event meeting."""
    flow_index = Case(*[When(to_stage=stage, then=i) for i, stage in enumerate(STAGE_FLOW)], default=-1,
                      output_field=IntegerField())
    current_index = Case(*[When(stage=stage, then=i) for i, stage in enumerate(STAGE_FLOW)], default=0,
                         output_field=IntegerField())
    logged_top = (StageChange.objects.filter(match=OuterRef("pk")).values("match")
                  .annotate(top=Max(flow_index)).values("top"))
    grouped = (programme.matches.filter(_in_period("created_at", start, end))
               .annotate(top=Greatest(Coalesce(Subquery(logged_top), Value(-1)), current_index))
               .values("stage", "top").order_by()
               .annotate(n=Count("pk"), from_meetings=Count("pk", filter=Q(origin=MatchOrigin.EVENT_MEETING))))
    tops, stages, from_meetings = Counter(), Counter(), 0
    for row in grouped:
        tops[row["top"]] += row["n"]
        stages[row["stage"]] += row["n"]
        from_meetings += row["from_meetings"]
    return tops, stages, from_meetings


def _funnel(programme, tops: Counter, start, end) -> Table:
    """The funnel from the pairs suggested to the stages reached (``tops``: matches by the
    index in ``STAGE_FLOW`` of the highest stage they reached)."""
    pairs = Suggestion.objects.filter(programme=programme).filter(_in_period("computed_at", start, end))
    pair_count = len({tuple(sorted(pair)) for pair in pairs.values_list("organisation_id", "partner_id")})
    rows = [[_("Paare vorgeschlagen"), pair_count]]
    for i, stage in enumerate(STAGE_FLOW):
        if stage == MatchStage.GRANT_APPROVED and not programme.funds_matches:
            continue
        rows.append([MatchStage(stage).label, sum(n for top, n in tops.items() if top >= i)])
    return Table("funnel", _("Vom Vorschlag zur dauerhaften Zusammenarbeit"), [_("Stufe"), _("Anzahl")], rows)


def _sides(programme, matches_q: Q) -> tuple[Counter, Counter]:
    """Matches by the region of their first side and by the sorted kinds of their sides
    (counted by key; labelled once per distinct key, not once per match)."""
    sides = (MatchSide.objects.filter(match__programme=programme).filter(matches_q)
             .values_list("match_id", "organisation__kind", "organisation__region__name").order_by("match_id", "pk"))
    per_match: dict[int, tuple[list[str], str]] = {}
    for match_id, kind, region in sides:
        entry = per_match.get(match_id)
        if entry is None:
            per_match[match_id] = ([kind], region)
        else:
            entry[0].append(kind)
    regions = Counter(region for _kinds, region in per_match.values())
    kind_keys = Counter(tuple(sorted(kinds)) for kinds, _region in per_match.values())
    labels = {value: str(label) for value, label in OrganisationKind.choices}
    pairs = Counter()
    for kinds, n in kind_keys.items():
        pairs[" × ".join(labels.get(kind, kind) for kind in kinds)] += n
    return regions, pairs


def programme_figures(*, programme, date_from: date | None = None, date_to: date | None = None,
                      now: datetime | None = None) -> ProgrammeFigures:
    now = now or timezone.now()
    start, end = _bounds(date_from, date_to)
    tops, stage_counts, from_meetings = _match_counts(programme, start, end)
    funnel = _funnel(programme, tops, start, end)
    by_stage = Table("stages", _("Matches nach aktueller Stufe"), [_("Stufe"), _("Anzahl")],
                     [[stage.label, stage_counts.get(stage.value, 0)] for stage in MatchStage
                      if stage != MatchStage.GRANT_APPROVED or programme.funds_matches])

    regions, pairs = _sides(programme, _in_period("match__created_at", start, end))
    by_region = Table("regions", _("Matches nach Region"), [_("Region"), _("Matches")],
                      [[name, n] for name, n in sorted(regions.items(), key=lambda item: (-item[1], item[0]))])
    by_kind_pair = Table("kind_pairs", _("Matches nach Paarung"), [_("Paarung"), _("Matches")],
                         [[name, n] for name, n in sorted(pairs.items(), key=lambda item: (-item[1], item[0]))])
    budget, grants_table = _budget(programme, date_from, date_to, start, end)

    events, satisfaction, held = _events(programme, start, end, now)
    meetings, meeting_satisfaction = _meetings(held, from_meetings, now)
    return ProgrammeFigures(programme=programme, date_from=date_from, date_to=date_to,
                            matches=sum(stage_counts.values()),
                            funnel=funnel, by_stage=by_stage, by_region=by_region, by_kind_pair=by_kind_pair,
                            budget=budget, grants=grants_table, events=events,
                            meetings=meetings, satisfaction=satisfaction, meeting_satisfaction=meeting_satisfaction,
                            followups=_followups(programme, start, end))


def _budget(programme, date_from, date_to, start, end) -> tuple[Table, Table]:
    """Budget and grant counts: one conditional aggregate over the grants, one over the payments."""
    approved_q = Q(status=GrantStatus.APPROVED)
    sums = Grant.objects.filter(programme=programme).aggregate(
        approved=Sum("amount_approved", filter=approved_q & _in_period("decided_at", start, end)),
        approved_n=Count("pk", filter=approved_q & _in_period("decided_at", start, end)),
        approved_all=Sum("amount_approved", filter=approved_q),
        applied_n=Count("pk", filter=_in_period("applied_at", start, end)))
    payments = Payment.objects.filter(grant__programme=programme)
    if date_from:
        payments = payments.filter(paid_on__gte=date_from)
    if date_to:
        payments = payments.filter(paid_on__lte=date_to)
    paid = payments.aggregate(total=Sum("amount"), n=Count("pk"))
    budget_total = programme.budget if programme.funds_matches else ZERO
    budget = Table("budget", _("Budget (EUR)"), [_("Posten"), _("Betrag (EUR)")], [
        [_("Gesamtbudget"), budget_total],
        [_("bewilligt"), sums["approved"] or ZERO],
        [_("ausgezahlt"), paid["total"] or ZERO],
        [_("noch frei (gesamt)"), budget_total - (sums["approved_all"] or ZERO)],
    ])
    grants = Table("grants", _("Förderungen"), [_("Posten"), _("Anzahl")],
                   [[_("Anträge"), sums["applied_n"]], [_("bewilligte Förderungen"), sums["approved_n"]],
                    [_("Zahlungen"), paid["n"]]])
    return budget, grants


def _events(programme, start, end, now) -> tuple[Table, Table, object]:
    from matchwerk.events.enums import EventStatus
    from matchwerk.events.models import Event, Feedback

    held = Event.objects.filter(programme=programme, status__in=[EventStatus.PUBLISHED, EventStatus.CLOSED],
                                ends_at__lt=now).filter(_in_period("starts_at", start, end))
    rows = (held.annotate(present=Count("registrations", filter=Q(registrations__checked_in_at__isnull=False)))
            .order_by("starts_at").values_list("title", "starts_at", "present"))
    events = Table("events", _("Veranstaltungen"), [_("Veranstaltung"), _("Datum"), _("anwesend")],
                   [[title, timezone.localtime(starts).date(), present] for title, starts, present in rows])
    feedback = Feedback.objects.filter(registration__event__in=held.values("pk")).aggregate(
        **{f"r{rating}": Count("pk", filter=Q(rating=rating)) for rating in RATINGS})
    satisfaction = _rating_table("satisfaction", _("Zufriedenheit (Rückmeldungen zu Veranstaltungen)"),
                                 {rating: feedback[f"r{rating}"] for rating in RATINGS})
    return events, satisfaction, held


def _rating_table(key: str, title: str, counts: dict[int, int]) -> Table:
    """Ratings 5 to 1 with how often each was given, and their average (None: none given)."""
    table = Table(key, title, [_("Bewertung"), _("Rückmeldungen")],
                  [[f"{rating} / 5", counts.get(rating, 0)] for rating in RATINGS])
    given = sum(counts.values())
    table.average = round(sum(rating * n for rating, n in counts.items()) / given, 2) if given else None
    return table


def _meetings(held, from_meetings: int, now) -> tuple[Table, Table]:
    """1:1 meetings at the programme's held events (the latest released plan of each) whose
    slot has ended, the no-shows reported, the pairs who both want to continue, and the
    programme's matches that came from an event meeting (origin, created in the period:
    ``from_meetings``, counted by the caller); and the ratings (1–5) the participants gave
    those meetings in their feedback (one per side; feedback without a rating not counted)."""
    from matchwerk.meetings.enums import VersionStatus
    from matchwerk.meetings.models import Meeting, MeetingFeedback, PlanVersion

    latest = (PlanVersion.objects.filter(event__in=held.values("pk"), status=VersionStatus.RELEASED)
              .values("event_id").annotate(number=Max("number")).values_list("event_id", "number"))
    plans = Q(pk__in=[])
    for event_id, number in latest:
        plans |= Q(version__event_id=event_id, version__number=number)
    meetings = Meeting.objects.filter(plans, slot__ends_at__lt=now)
    held_count = meetings.count()
    no_shows = both_continue = 0
    ratings: Counter = Counter()
    if held_count:
        # Per meeting (request): any no-show reported, how many sides want to continue, the ratings.
        per_request = (MeetingFeedback.objects.filter(request_id__in=meetings.values("request_id"))
                       .values("request_id").annotate(
                           no_show=Count("pk", filter=Q(no_show=True)),
                           continuing=Count("pk", filter=Q(wants_to_continue=True)),
                           **{f"r{rating}": Count("pk", filter=Q(rating=rating)) for rating in RATINGS}))
        for row in per_request:
            no_shows += row["no_show"] > 0
            both_continue += row["continuing"] >= 2
            ratings.update({rating: row[f"r{rating}"] for rating in RATINGS})
    table = Table("meetings", _("Gespräche auf Veranstaltungen"), [_("Posten"), _("Anzahl")], [
        [_("Gespräche gehalten"), held_count],
        [_("davon „nicht erschienen“ gemeldet"), no_shows],
        [_("beide möchten weitermachen"), both_continue],
        [_("Matches aus Gesprächen"), from_meetings],
    ])
    return table, _rating_table("meeting_satisfaction", _("Zufriedenheit mit Gesprächen"), ratings)


FOLLOWUP_MONTHS = (3, 6, 12)


def _followups(programme, start, end) -> Table:
    """The follow-up check-ins at 3, 6 and 12 months sent in the period (skipped rounds do not
    count), how many were answered (at least one member answered), and the answers: still
    working together or not. Counts only: the answers' texts never enter a report."""
    from matchwerk.matching.models import FollowUp

    checkins = FollowUp.objects.filter(match__programme=programme, kind=FollowUp.Kind.CHECKIN, skipped=False,
                                       sent_at__isnull=False).filter(_in_period("sent_at", start, end))
    # One grouped read: per round, the check-ins sent, those answered and the answers (yes/no).
    grouped = checkins.values("month").annotate(
        sent=Count("pk", distinct=True), answered=Count("pk", distinct=True, filter=Q(answers__isnull=False)),
        yes=Count("answers", filter=Q(answers__still_cooperating=True)),
        no=Count("answers", filter=Q(answers__still_cooperating=False)))
    per_month = {month: counts for month, *counts in grouped.values_list("month", "sent", "answered", "yes", "no")}
    rows = [[_("nach %(months)d Monaten") % {"months": month}, *per_month.get(month, (0, 0, 0, 0))]
            for month in FOLLOWUP_MONTHS]
    return Table("followups", _("Nachfragen nach 3, 6 und 12 Monaten"),
                 [_("Nachfrage"), _("verschickt"), _("beantwortet"), _("Antworten: arbeiten noch zusammen"),
                  _("Antworten: nicht mehr")], rows)
