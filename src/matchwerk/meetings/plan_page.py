"""The rows of the staff plan page, read so that the page costs the same at 50 meetings
and at 10,000 (issue #10: p95 ≤ 150 ms with 10,000 meetings stored).

- The page of meetings is chosen on the meeting table alone (ordered by the slots' time
  through their position, filtered by slot, or by person through the seats), then only
  its 50 rows are read with the two names and the time. Sorting the whole joined plan by
  the slot's time to show 50 rows took 120 ms at 7,800 meetings.
- Only the columns shown are read (a registration's answers are a JSON document decoded
  per row).
- One list at a time (meetings, unplaced requests, people below the minimum), each
  paginated.
- The rows of meetings are built as HTML here, with their form URLs reversed once and
  their <option> lists built once, so that the template does no work per row.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from matchwerk.events.models import Event, Registration
from matchwerk.meetings.enums import RequestStatus
from matchwerk.meetings.models import Brokerage, Meeting, MeetingRequest, PlanVersion, Seat, Slot

# The page's lists (``?liste=``): one at a time, each paginated (at 12,000 requests
# thousands stay out; the three lists on one page made it render 1,500 values).
LISTS = ("gespraeche", "offen", "mindestzahl")
NAME_COLUMNS = ("requester__name", "receiver__name")
_PLACEHOLDER = 987654321


@dataclass(frozen=True)
class SlotChoice:
    pk: int
    label: str


@dataclass
class Row:
    pk: int
    time: str
    table: int
    names: str
    locked: bool
    lock_url: str
    move_url: str
    slot_options: SafeString

    def html(self, *, editable: bool, csrf: SafeString, labels: dict) -> SafeString:
        """The table row (what the template's loop rendered, built here: 50 rows of two
        forms each went through the template language value by value)."""
        if not editable:
            return format_html("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>", self.time, self.table,
                               self.names, labels["yes"] if self.locked else "")
        return format_html(
            '<tr><td>{time}</td><td>{table}</td><td>{names}</td>'
            '<td><form method="post" action="{lock_url}">{csrf}<input type="hidden" name="locked" value="{value}">'
            '<button type="submit" class="secondary">{lock}</button></form></td>'
            '<td><form method="post" action="{move_url}">{csrf}\n'
            '<label for="move-slot-{pk}" class="visually-hidden">{l_time}</label>'
            '<select name="slot" id="move-slot-{pk}">{options}</select>\n'
            '<label for="move-table-{pk}" class="visually-hidden">{l_table}</label>'
            '<input type="number" min="1" name="table" id="move-table-{pk}" placeholder="{l_table}">\n'
            '<button type="submit" class="secondary">{l_move}</button></form></td></tr>',
            time=self.time, table=self.table, names=self.names, lock_url=self.lock_url, csrf=csrf,
            value="0" if self.locked else "1", lock=labels["unlock"] if self.locked else labels["lock"],
            move_url=self.move_url, pk=self.pk, l_time=labels["time"], options=self.slot_options,
            l_table=labels["table"], l_move=labels["move"])


def rows_html(rows: list[Row], *, editable: bool, csrf_token: str) -> SafeString:
    labels = {"yes": _("ja"), "unlock": _("lösen"), "lock": _("festsetzen"), "time": _("Zeit"),
              "table": _("Tisch"), "move": _("Verschieben")}
    csrf = format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', csrf_token)
    return mark_safe("\n".join(row.html(editable=editable, csrf=csrf, labels=labels) for row in rows))


def slot_choices(brokerage: Brokerage | None) -> list[SlotChoice]:
    if brokerage is None:
        return []
    return [SlotChoice(pk, timezone.localtime(at).strftime("%H:%M")) for pk, at in
            Slot.objects.filter(brokerage=brokerage).order_by("starts_at", "pk").values_list("pk", "starts_at")]


def slot_options(slots: list[SlotChoice]) -> tuple[SafeString, dict[int, SafeString]]:
    """The <option>s of the move and add forms, built once: plain, and per chosen slot."""
    plain = format_html_join("", '<option value="{}">{}</option>', ((s.pk, s.label) for s in slots))
    chosen = {choice.pk: format_html_join("", '<option value="{}"{}>{}</option>', (
        (s.pk, mark_safe(" selected") if s.pk == choice.pk else "", s.label) for s in slots)) for choice in slots}
    return plain, chosen


def _url_maker(name: str):
    """``pk -> URL`` of a URL with one integer argument, reversed once."""
    pattern = reverse(name, args=[_PLACEHOLDER])
    return lambda pk: pattern.replace(str(_PLACEHOLDER), str(pk))


def meeting_ids(*, event: Event, version: PlanVersion, slots: list[SlotChoice], slot: int | None = None,
                person: str = ""):
    """The ids of the version's meetings in the order of the page (time, table), filtered
    by slot and by a part of a person's name; a query set to paginate."""
    rows = Meeting.objects.filter(version=version)
    if slot is not None:
        rows = rows.filter(slot_id=slot)
    if person:
        people = Registration.objects.filter(event=event, name__icontains=person).values("pk")
        rows = rows.filter(pk__in=Seat.objects.filter(version=version, registration__in=people).values("meeting_id"))
    position = Case(*[When(slot_id=choice.pk, then=Value(n)) for n, choice in enumerate(slots)],
                    default=Value(len(slots)), output_field=IntegerField())
    return rows.annotate(position=position).order_by("position", "table", "pk").values_list("pk", flat=True)


def meeting_rows(ids: list[int], slots: list[SlotChoice]) -> list[Row]:
    """The page's meetings (``ids`` in page order) as rows ready to print."""
    label = {choice.pk: choice.label for choice in slots}
    plain, chosen = slot_options(slots)
    lock_url, move_url = _url_maker("meetings:staff_meeting_lock"), _url_maker("meetings:staff_meeting_move")
    found = {pk: (slot_id, table, locked, a, b) for pk, slot_id, table, locked, a, b in Meeting.objects.filter(
        pk__in=ids).values_list("pk", "slot_id", "table", "locked", *(f"request__{c}" for c in NAME_COLUMNS))}
    out = []
    for pk in ids:
        if pk not in found:
            continue
        slot_id, table, locked, requester, receiver = found[pk]
        out.append(Row(pk=pk, time=label.get(slot_id, "?"), table=table, names=f"{requester} × {receiver}",
                       locked=locked, lock_url=lock_url(pk), move_url=move_url(pk),
                       slot_options=chosen.get(slot_id, plain)))
    return out


def unplaced_rows(version: PlanVersion, rows: list[dict], reason_text) -> list[dict]:
    """``rows`` (a page of the version's unplaced requests) with the requests, their reason
    in words, and ``placed`` when a hand placement has put them in the version since."""
    if not rows:
        return []
    requests = (MeetingRequest.objects.filter(pk__in=[r["request"] for r in rows])
                .select_related("requester", "receiver").only("pk", *NAME_COLUMNS).in_bulk())
    names = dict(Registration.objects.filter(pk__in=[r["person"] for r in rows if r["person"]])
                 .values_list("pk", "name"))
    placed = set(version.meetings.filter(request_id__in=list(requests)).order_by().values_list("request_id",
                                                                                             flat=True))
    return [{"request": requests[r["request"]], "reason": reason_text(r, names), "placed": r["request"] in placed}
            for r in rows if r["request"] in requests]


def below_minimum_rows(rows: list[dict], reason_text) -> list[dict]:
    """``rows`` (a page of the version's people below the minimum) with their registrations."""
    if not rows:
        return []
    names = (Registration.objects.select_related("organisation")
             .only("pk", "name", "organisation_id", "organisation_name", "organisation__name")
             .in_bulk([r["person"] for r in rows]))
    return [{"registration": names[r["person"]], "placed": r["placed"], "reason": reason_text(r)}
            for r in rows if r["person"] in names]


def request_counts(event: Event) -> dict:
    return MeetingRequest.objects.filter(event=event).aggregate(
        total=Count("pk"), accepted=Count("pk", filter=Q(status=RequestStatus.ACCEPTED)))
