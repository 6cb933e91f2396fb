"""Back office overview and the organisation and people lists (scoped to the staff
member's regions)."""

from __future__ import annotations

from django.shortcuts import render

from matchwerk.core.audit import log_event
from matchwerk.core.staff import paginate, staff_view
from matchwerk.profiles.staff import selectors
from matchwerk.profiles.staff.forms import OrganisationFilterForm, PersonFilterForm


@staff_view()
def index(request):
    return render(request, "backoffice/index.html", {"counts": selectors.backoffice_counts(user=request.user)})


@staff_view()
def organisation_list(request):
    form = OrganisationFilterForm(request.GET or None, user=request.user)
    filters = form.cleaned_data if form.is_valid() else {}
    queryset = selectors.organisations_for_backoffice(
        user=request.user, query=filters.get("q", "").strip(), kind=filters.get("art", ""),
        region=filters.get("region"), listed=filters.get("verzeichnis", ""), matching=filters.get("matching", ""))
    page, query = paginate(request, queryset)
    return render(request, "backoffice/organisation_list.html", {"form": form, "page": page, "query": query})


@staff_view()
def person_list(request):
    form = PersonFilterForm(request.GET or None, user=request.user)
    filters = form.cleaned_data if form.is_valid() else {}
    query_text = filters.get("q", "").strip()
    queryset = selectors.people_for_backoffice(user=request.user, query=query_text, region=filters.get("region"))
    page, query = paginate(request, queryset)
    log_event("matchwerk.profiles.people.listed", None,
              {"q": query_text, "region": getattr(filters.get("region"), "pk", None), "page": page.number},
              actor=request.user)
    return render(request, "backoffice/person_list.html", {"form": form, "page": page, "query": query})
