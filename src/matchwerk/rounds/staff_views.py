"""Staff pages of the rounds app: settings and plan per kind, sides and pairs, engine runs,
the projector page with the round clock, and the PDFs. Every view asks ``rules`` again."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _, ngettext
from django.views.decorators.http import require_POST, require_safe

from matchwerk.core.audit import log_event
from matchwerk.core.pdf import pdf_response, render_pdf
from matchwerk.core.staff import staff_view
from matchwerk.events.models import Event, Registration
from matchwerk.events.rules import can_manage_events
from matchwerk.rounds import planning, selectors, services
from matchwerk.rounds.enums import KIND_SLUGS, SLUG_OF_KIND, PlanKind, Side
from matchwerk.rounds.forms import SeatMoveForm, setup_form
from matchwerk.rounds.models import PlanRun
from matchwerk.rounds.rules import can_plan_rounds

guard = staff_view(can_manage_events)


def _event(request, pk: int) -> Event:
    event = get_object_or_404(Event.objects.select_related("region"), pk=pk)
    if not can_plan_rounds(request.user, event):
        raise PermissionDenied
    return event


def _kind(kind: str) -> str:
    if kind not in KIND_SLUGS:
        raise Http404
    return KIND_SLUGS[kind]


def _context(event, kind: str, **extra) -> dict:
    setup = services.round_setup_get(event=event, kind=kind)
    plan = selectors.current_plan(event, kind)
    people = planning.participants(event)
    return {"event": event, "kind": kind, "slug": SLUG_OF_KIND[kind], "setup": setup, "plan": plan,
            "rounds": selectors.plan_rounds(plan, setup, people if kind == PlanKind.SPEED else None) if plan else [],
            "run": selectors.last_run(event, kind), "people": people, **extra}


@guard
def setup(request, pk: int, kind: str):
    """Settings (GET shows, POST saves), the current plan and the button to compute a new one."""
    event, kind = _event(request, pk), _kind(kind)
    current = services.round_setup_get(event=event, kind=kind)
    form = setup_form(kind, request.POST or None, initial=setup_form(kind).initial_from(current))
    if request.method == "POST" and form.is_valid():
        try:
            services.round_setup_save(actor=request.user, event=event, kind=kind, **form.service_fields())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Einstellungen gespeichert."))
            return redirect("rounds:setup", pk=event.pk, kind=SLUG_OF_KIND[kind])
    context = _context(event, kind, form=form)
    if kind == PlanKind.SPEED:
        context["sides"] = planning.sides(context["setup"], context["people"])
    log_event("matchwerk.rounds.plan.viewed", event, {"kind": kind}, actor=request.user)
    return render(request, "rounds/staff/setup.html", context, status=400 if form.errors else 200)


@guard
def pairs(request, pk: int):
    """Speed-dating: sides by hand and the team's selection of pairs (best suggestions first)."""
    event = _event(request, pk)
    setup = services.round_setup_get(event=event, kind=PlanKind.SPEED)
    people = planning.participants(event)
    if request.method == "POST":
        try:
            choices = {}
            for person in people:
                value = request.POST.get(f"side-{person.pk}")
                if value is not None:
                    choices[person.pk] = value if value in Side.values else ""
            services.speed_sides_set(actor=request.user, setup=setup, choices=choices)
            chosen = []
            for value in request.POST.getlist("pair"):
                a, _sep, b = value.partition("-")
                if not (a.isdigit() and b.isdigit()):
                    raise ValidationError(_("Unbekanntes Paar."))
                chosen.append((int(a), int(b)))
            if "save_pairs" in request.POST:
                services.speed_pairs_select(actor=request.user, setup=setup, pairs=chosen)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Gespeichert."))
            return redirect("rounds:pairs", pk=event.pk)
    side_of = planning.sides(setup, people)
    chosen_sides = dict(setup.side_choices.values_list("registration_id", "side")) if setup.pk else {}
    for person in people:
        person.chosen_side = chosen_sides.get(person.pk, "")
    side_a = [p for p in people if side_of[p.pk] == Side.A]
    side_b = [p for p in people if side_of[p.pk] == Side.B]
    scores = planning.suggestion_scores({p.organisation_id for p in people if p.organisation_id})
    selected = set(setup.selected_pairs.values_list("side_a_id", "side_b_id")) if setup.pk else set()
    candidates = sorted(
        ({"a": a, "b": b, "score": scores.get(frozenset((a.organisation_id, b.organisation_id))),
          "selected": (a.pk, b.pk) in selected} for a in side_a for b in side_b),
        key=lambda c: (-(c["score"] or 0), c["a"].name, c["b"].name))
    return render(request, "rounds/staff/pairs.html", {
        "event": event, "setup": setup, "people": people, "sides": side_of, "candidates": candidates,
        "side_choices": Side.choices})


@guard
@require_POST
def run_start(request, pk: int, kind: str):
    event, kind = _event(request, pk), _kind(kind)
    try:
        run = services.plan_run_start(actor=request.user, event=event, kind=kind)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("rounds:setup", pk=event.pk, kind=SLUG_OF_KIND[kind])
    return redirect("rounds:run", pk=run.pk)


@guard
@require_safe
def run_status(request, pk: int):
    run = get_object_or_404(PlanRun.objects.select_related("event", "plan"), pk=pk)
    if not can_plan_rounds(request.user, run.event):
        raise PermissionDenied
    return render(request, "rounds/staff/run.html", {"run": run, "event": run.event, "slug": SLUG_OF_KIND[run.kind]})


@guard
@require_POST
def clock_start(request, pk: int, kind: str):
    event, kind = _event(request, pk), _kind(kind)
    try:
        services.clock_start(actor=request.user, setup=services.round_setup_get(event=event, kind=kind))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("rounds:setup", pk=event.pk, kind=SLUG_OF_KIND[kind])
    return redirect("rounds:projector", pk=event.pk, kind=SLUG_OF_KIND[kind])


@guard
@require_POST
def seat_move(request, pk: int, kind: str):
    """Move one person to another table in one round of the current plan (conflicts: a message)."""
    event, kind = _event(request, pk), _kind(kind)
    back = redirect(f"{reverse('rounds:setup', args=[event.pk, SLUG_OF_KIND[kind]])}#umsetzen")
    plan = selectors.current_plan(event, kind)
    form = SeatMoveForm(request.POST)
    person = (Registration.objects.filter(event=event, pk=form.data.get("person") or 0).first()
              if str(form.data.get("person", "")).isdigit() else None)
    if plan is None or not form.is_valid() or person is None:
        messages.error(request, _("Bitte Person, Runde und Tisch angeben."))
        return back
    try:
        notice = services.seat_move(actor=request.user, plan=plan, registration=person,
                                    round_number=form.cleaned_data["round"], table=form.cleaned_data["table"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return back
    messages.success(request, _("%(name)s ist umgesetzt (Runde %(round)s: %(where)s).") % {
        "name": person.name, "round": form.cleaned_data["round"],
        "where": (_("Tisch %(table)s") % {"table": form.cleaned_data["table"]}) if form.cleaned_data["table"]
        else _("Pause")})
    if notice:
        messages.warning(request, notice)
    return back


@guard
@require_POST
def release(request, pk: int, kind: str):
    """Release the current plan (participants see it; later hand moves make new versions)."""
    event, kind = _event(request, pk), _kind(kind)
    plan = selectors.current_plan(event, kind)
    try:
        if plan is None:
            raise ValidationError(_("Noch kein Plan."))
        plan = services.plan_release(actor=request.user, plan=plan)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, ngettext(
            "Der Plan ist veröffentlicht; %(count)s Person wird benachrichtigt.",
            "Der Plan ist veröffentlicht; %(count)s Personen werden benachrichtigt.",
            plan.figures["changed_people"]) % {"count": plan.figures["changed_people"]})
    return redirect("rounds:setup", pk=event.pk, kind=SLUG_OF_KIND[kind])


@guard
@require_safe
def projector(request, pk: int, kind: str):
    """The room's screen: the round clock and who sits where (works without JavaScript)."""
    event, kind = _event(request, pk), _kind(kind)
    setup = services.round_setup_get(event=event, kind=kind)
    plan = selectors.published_plan(event, kind)
    now = timezone.now()
    state = selectors.clock(setup, now)
    rounds = selectors.plan_rounds(plan, setup) if plan else []
    shown = state.round if state else 1
    refresh = min(15, max(1, state.seconds_left)) if state and state.phase != "over" else 60
    log_event("matchwerk.rounds.plan.viewed", event, {"kind": kind, "page": "projector"}, actor=request.user)
    return render(request, "rounds/staff/projector.html", {
        "event": event, "kind": kind, "setup": setup, "plan": plan, "rounds": rounds, "clock": state,
        "shown": shown, "refresh": refresh, "now_ms": int(now.timestamp() * 1000),
        "start_ms": int(setup.clock_starts_at.timestamp() * 1000) if setup.clock_starts_at else "",
        "slug": SLUG_OF_KIND[kind]})


@guard
@require_safe
def plan_pdf(request, pk: int, kind: str):
    """The table plan per round, one round per page."""
    event, kind = _event(request, pk), _kind(kind)
    setup = services.round_setup_get(event=event, kind=kind)
    plan = selectors.current_plan(event, kind)
    if plan is None:
        raise Http404
    log_event("matchwerk.rounds.plan.printed", event, {"kind": kind}, actor=request.user)
    content = render_pdf("rounds/pdf/plan.html", {"event": event, "setup": setup, "plan": plan,
                                                  "rounds": selectors.plan_rounds(plan, setup)}, request)
    return pdf_response(content, f"tischplan-{event.pk}.pdf", inline=True)


@guard
@require_safe
def cards_pdf(request, pk: int, kind: str):
    """Every participant's personal card (one page each) for printing."""
    event, kind = _event(request, pk), _kind(kind)
    setup = services.round_setup_get(event=event, kind=kind)
    if selectors.current_plan(event, kind) is None:
        raise Http404
    cards = [{"registration": person, "seats": selectors.my_seats(person, kind, setup)}
             for person in planning.participants(event)]
    log_event("matchwerk.rounds.cards.printed", event, {"kind": kind, "cards": len(cards)}, actor=request.user)
    content = render_pdf("rounds/pdf/cards.html", {"event": event, "setup": setup, "cards": cards, "kind": kind},
                         request)
    return pdf_response(content, f"tischkarten-{event.pk}.pdf", inline=True)
