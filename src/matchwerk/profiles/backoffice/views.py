"""Back office overview and the organisation and people lists."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render

from matchwerk.core.audit import log_event
from matchwerk.profiles.backoffice import selectors
from matchwerk.profiles.backoffice.access import staff_view
from matchwerk.profiles.backoffice_forms import OrganisationFilterForm, PersonFilterForm

PAGE_SIZE = 50


@staff_view()
def index(request):
    return render(request, "backoffice/index.html", {"counts": selectors.backoffice_counts()})


@staff_view()
def organisation_list(request):
    form = OrganisationFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    queryset = selectors.organisations_for_backoffice(
        query=filters.get("q", "").strip(), kind=filters.get("art", ""), region=filters.get("region"),
        listed=filters.get("verzeichnis", ""), matching=filters.get("matching", ""))
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("seite"))
    query = request.GET.copy()
    query.pop("seite", None)
    return render(request, "backoffice/organisation_list.html", {"form": form, "page": page,
                                                                  "query": query.urlencode()})


@staff_view()
def person_list(request):
    form = PersonFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    query_text = filters.get("q", "").strip()
    queryset = selectors.people_for_backoffice(query=query_text, region=filters.get("region"))
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("seite"))
    log_event("matchwerk.profiles.people.listed", None,
              {"q": query_text, "region": getattr(filters.get("region"), "pk", None), "page": page.number},
              actor=request.user)
    query = request.GET.copy()
    query.pop("seite", None)
    return render(request, "backoffice/person_list.html", {"form": form, "page": page, "query": query.urlencode()})
