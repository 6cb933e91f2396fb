"""Participant-facing profile screens: directory, organisation pages, people, needs, offers.

Every view reads input, asks the rules (``profiles.rules``), calls one service or selector and
renders or redirects. Hidden organisations answer 404, forbidden writes 403, anonymous
visitors of write views are sent to the login page.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from matchwerk.core.audit import log_event
from matchwerk.matching.rules import can_view_suggestions
from matchwerk.profiles import selectors, services
from matchwerk.profiles.forms import DirectoryFilterForm, NeedForm, OfferForm, OrganisationForm, PersonForm
from matchwerk.profiles.models import Need, Offer, Organisation, Person
from matchwerk.profiles.rules import (
    can_create_organisation, can_delete_organisation, can_edit_organisation, can_record_organisation_consent,
    can_view_organisation, can_view_people_of_organisation, is_staff_reader,
)

DIRECTORY_PAGE_SIZE = 24


def _visible_organisation(request, pk: int) -> Organisation:
    organisation = get_object_or_404(Organisation.objects.select_related("region"), pk=pk)
    if not can_view_organisation.test(request.user, organisation):
        raise Http404
    return organisation


def _editable_organisation(request, pk: int) -> Organisation:
    organisation = _visible_organisation(request, pk)
    if not can_edit_organisation.test(request.user, organisation):
        raise PermissionDenied
    return organisation


def _log_staff_view_of_people(request, organisation: Organisation, action: str = "matchwerk.profiles.people.viewed") -> None:
    """Staff reading an organisation's personal data is logged (members reading their own is not)."""
    if is_staff_reader.test(request.user, organisation):
        log_event(action, organisation, actor=request.user)


def _show_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


# --- directory and organisation pages ------------------------------------------------------

def directory(request):
    form = DirectoryFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    page = selectors.directory_page(
        number=request.GET.get("seite"), per_page=DIRECTORY_PAGE_SIZE, kind=filters.get("kind") or "",
        region=filters.get("region"), topic=filters.get("topic"), text=filters.get("q") or "")
    query = request.GET.copy()
    query.pop("seite", None)
    return render(request, "profiles/directory.html", {
        "form": form, "page": page, "organisations": page.object_list, "query": query.urlencode(),
        "filtered": any(filters.values()) if filters else False,
    })


def organisation_detail(request, pk: int):
    try:
        organisation = selectors.organisation_for_detail(pk=pk)
    except Organisation.DoesNotExist:
        raise Http404 from None
    if not can_view_organisation.test(request.user, organisation):
        raise Http404
    people = None
    if can_view_people_of_organisation.test(request.user, organisation):
        people = selectors.people_of_organisation(organisation=organisation)
        _log_staff_view_of_people(request, organisation)
    return render(request, "profiles/organisation_detail.html", {
        "organisation": organisation, "people": people,
        "can_edit": can_edit_organisation.test(request.user, organisation),
        "can_delete": can_delete_organisation.test(request.user, organisation),
        "can_view_suggestions": can_view_suggestions.test(request.user, organisation),
    })


@login_required
def organisation_create(request):
    if not can_create_organisation.test(request.user):
        # Accounts with an unconfirmed e-mail address: say why and what to do.
        return render(request, "profiles/create_needs_confirmation.html", status=403)
    form = OrganisationForm(request.POST or None, request.FILES or None, with_consents=True)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.organisation_create(
                actor=request.user, topics=form.cleaned_data["topics"],
                consent_directory=form.cleaned_data["consent_directory"],
                consent_matching=form.cleaned_data["consent_matching"], **form.profile_data())
        except ValidationError as error:
            _show_errors(form, error)
        else:
            messages.success(request, _("Die Organisation wurde angelegt."))
            return redirect("profiles:organisation_detail", organisation.pk)
    return render(request, "profiles/organisation_form.html", {"form": form, "organisation": None})


@login_required
def organisation_edit(request, pk: int):
    organisation = _editable_organisation(request, pk)
    with_consents = can_record_organisation_consent.test(request.user, organisation)
    form = OrganisationForm(request.POST or None, request.FILES or None, instance=organisation,
                            with_consents=with_consents)
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_update(
                actor=request.user, organisation=organisation, topics=form.cleaned_data["topics"],
                consent_directory=form.cleaned_data.get("consent_directory") if with_consents else None,
                consent_matching=form.cleaned_data.get("consent_matching") if with_consents else None,
                **form.profile_data())
        except ValidationError as error:
            _show_errors(form, error)
        else:
            messages.success(request, _("Die Änderungen wurden gespeichert."))
            return redirect("profiles:organisation_detail", organisation.pk)
    return render(request, "profiles/organisation_form.html", {"form": form, "organisation": organisation})


@login_required
def organisation_delete(request, pk: int):
    organisation = _visible_organisation(request, pk)
    if not can_delete_organisation.test(request.user, organisation):
        raise PermissionDenied
    if request.method == "POST":
        services.organisation_delete(actor=request.user, organisation=organisation)
        messages.success(request, _("Die Organisation „%(name)s“ wurde gelöscht.") % {"name": organisation.name})
        return redirect("core:dashboard")
    return render(request, "profiles/confirm_delete.html", {
        "organisation": organisation, "object": organisation,
        "title": _("Organisation löschen"),
        "warning": _("Damit werden das Profil, alle Personen, Bedarfe, Angebote und Einwilligungen dieser "
                     "Organisation endgültig gelöscht."),
        "cancel_url": reverse("profiles:organisation_detail", args=[organisation.pk]),
    })


# --- people --------------------------------------------------------------------------------

@login_required
def people_list(request, pk: int):
    organisation = _visible_organisation(request, pk)
    if not can_view_people_of_organisation.test(request.user, organisation):
        raise PermissionDenied
    _log_staff_view_of_people(request, organisation)
    return render(request, "profiles/people.html", {
        "organisation": organisation, "people": selectors.people_of_organisation(organisation=organisation),
        "can_edit": can_edit_organisation.test(request.user, organisation),
    })


@login_required
def person_add(request, pk: int):
    organisation = _editable_organisation(request, pk)
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_add(organisation=organisation, actor=request.user, **form.link_data(),
                                **form.person_data())
        except ValidationError as error:
            _show_errors(form, error)
        else:
            messages.success(request, _("Die Person wurde hinzugefügt."))
            _say_invited(request, form)
            return redirect("profiles:people", organisation.pk)
    return render(request, "profiles/person_form.html", {"form": form, "organisation": organisation})


def _say_invited(request, form) -> None:
    """The same words whether or not the address has an account."""
    if form.cleaned_data.get("invite"):
        messages.info(request, _("Wir haben eine Einladung an %(email)s geschickt. Sobald die Person sie bestätigt, "
                                 "ist ihr Konto verknüpft.") % {"email": form.cleaned_data["email"]})


def _person_of(request, pk: int, person_pk: int) -> tuple[Organisation, Person]:
    organisation = _editable_organisation(request, pk)
    person = get_object_or_404(Person.objects.select_related("user"), pk=person_pk, organisation=organisation)
    return organisation, person


@login_required
def person_edit(request, pk: int, person_pk: int):
    organisation, person = _person_of(request, pk, person_pk)
    _log_staff_view_of_people(request, organisation, action="matchwerk.profiles.person.viewed")
    form = PersonForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update(actor=request.user, person=person, **form.link_data(), **form.person_data())
        except ValidationError as error:
            _show_errors(form, error)
        else:
            messages.success(request, _("Die Änderungen wurden gespeichert."))
            _say_invited(request, form)
            return redirect("profiles:people", organisation.pk)
    return render(request, "profiles/person_form.html", {"form": form, "organisation": organisation,
                                                         "person": person})


@login_required
def person_remove(request, pk: int, person_pk: int):
    organisation, person = _person_of(request, pk, person_pk)
    if request.method == "POST":
        try:
            services.person_remove(actor=request.user, person=person)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("%(name)s wurde entfernt.") % {"name": person.name})
        return redirect("profiles:people", organisation.pk)
    return render(request, "profiles/confirm_delete.html", {
        "organisation": organisation, "object": person, "title": _("Person entfernen"),
        "warning": _("Die Person wird aus dieser Organisation entfernt; ihr Konto bleibt bestehen."),
        "cancel_url": reverse("profiles:people", args=[organisation.pk]),
    })


# --- needs and offers ----------------------------------------------------------------------

STATEMENTS = {
    "need": {"model": Need, "form": NeedForm, "create": services.need_create, "update": services.need_update,
             "delete": services.need_delete, "label": gettext_lazy("Bedarf")},
    "offer": {"model": Offer, "form": OfferForm, "create": services.offer_create, "update": services.offer_update,
              "delete": services.offer_delete, "label": gettext_lazy("Angebot")},
}


def _statement_form_page(request, organisation, kind, form, item=None):
    return render(request, "profiles/statement_form.html", {
        "form": form, "organisation": organisation, "kind": kind, "item": item,
        "label": STATEMENTS[kind]["label"],
    })


@login_required
def statement_create(request, pk: int, kind: str):
    config = STATEMENTS[kind]
    organisation = _editable_organisation(request, pk)
    form = config["form"](request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            config["create"](actor=request.user, organisation=organisation, **form.cleaned_data)
        except ValidationError as error:
            _show_errors(form, error)
        else:
            messages.success(request, _("%(kind)s gespeichert.") % {"kind": config["label"]})
            return redirect(reverse("profiles:organisation_detail", args=[organisation.pk]) + f"#{kind}s")
    return _statement_form_page(request, organisation, kind, form)


@login_required
def statement_edit(request, pk: int, kind: str, item_pk: int):
    config = STATEMENTS[kind]
    organisation = _editable_organisation(request, pk)
    item = get_object_or_404(config["model"], pk=item_pk, organisation=organisation)
    form = config["form"](request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        try:
            config["update"](actor=request.user, **{kind: item}, **form.cleaned_data)
        except ValidationError as error:
            _show_errors(form, error)
        else:
            messages.success(request, _("%(kind)s gespeichert.") % {"kind": config["label"]})
            return redirect(reverse("profiles:organisation_detail", args=[organisation.pk]) + f"#{kind}s")
    return _statement_form_page(request, organisation, kind, form, item)


@login_required
def statement_delete(request, pk: int, kind: str, item_pk: int):
    config = STATEMENTS[kind]
    organisation = _editable_organisation(request, pk)
    item = get_object_or_404(config["model"], pk=item_pk, organisation=organisation)
    if request.method == "POST":
        config["delete"](actor=request.user, **{kind: item})
        messages.success(request, _("%(kind)s gelöscht.") % {"kind": config["label"]})
        return redirect(reverse("profiles:organisation_detail", args=[organisation.pk]) + f"#{kind}s")
    return render(request, "profiles/confirm_delete.html", {
        "organisation": organisation, "object": item,
        "title": _("%(kind)s löschen") % {"kind": config["label"]},
        "warning": _("Der Eintrag wird endgültig gelöscht."),
        "cancel_url": reverse("profiles:organisation_detail", args=[organisation.pk]),
    })
