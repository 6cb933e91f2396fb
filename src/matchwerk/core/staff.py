"""The back office's shared parts: the one guard for staff pages, pagination, and the
registry of back office sections that builds the staff navigation.

Every staff page of every app is a view decorated with :func:`staff_view` and a template
extending ``staff/base.html``; object-level rules (``<app>/rules.py``) are asked inside the
view and again in the service.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.urls import reverse

from matchwerk.accounts.rules import is_network_staff

PAGE_SIZE = 50
PAGE_PARAMETER = "seite"


def staff_view(rule=None):
    """Guard a staff page: anonymous visitors go to the login page; whoever is not network
    staff, or fails ``rule`` (a predicate of the user), gets 403."""
    def decorate(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not is_network_staff.test(request.user) or (rule is not None and not _passes(rule, request.user)):
                raise PermissionDenied
            return view(request, *args, **kwargs)
        wrapped.staff_rule = rule
        return wrapped
    return decorate


def _passes(rule, user) -> bool:
    """``rule`` is a ``rules`` predicate or a plain ``can_<verb>(user)`` function."""
    return bool(rule.test(user) if hasattr(rule, "test") else rule(user))


def paginate(request, items, *, per_page: int = PAGE_SIZE) -> tuple[Page, str]:
    """The requested page of ``items`` and the query string without the page number
    (for the links of ``staff/_pagination.html``)."""
    page = Paginator(items, per_page).get_page(request.GET.get(PAGE_PARAMETER))
    query = request.GET.copy()
    query.pop(PAGE_PARAMETER, None)
    return page, query.urlencode()


@dataclass(frozen=True)
class SlicePage:
    """A page of a list whose length is not counted (a ``COUNT(*)`` over a long filtered
    list costs more than the page): read one row more than the page to know whether a
    next page exists. ``includes/pagination.html`` then shows "Seite N" without a total."""

    number: int
    has_next: bool
    paginator: None = None

    def has_previous(self) -> bool:
        return self.number > 1

    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous()

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1


@dataclass(frozen=True)
class StaffSection:
    url_name: str
    label: str
    rule: object  # a predicate of the user
    order: int = 100


_SECTIONS: list[StaffSection] = []


def register_staff_section(*, url_name: str, label, rule, order: int = 100) -> None:
    """Apps add their back office pages to the staff navigation (in ``AppConfig.ready``)."""
    if not any(section.url_name == url_name for section in _SECTIONS):
        _SECTIONS.append(StaffSection(url_name=url_name, label=label, rule=rule, order=order))
        _SECTIONS.sort(key=lambda section: section.order)


def staff_sections(user) -> list[dict]:
    """The sections this user may open, in order, with their URLs."""
    if not is_network_staff.test(user):
        return []
    return [{"url_name": section.url_name, "url": reverse(section.url_name), "label": section.label}
            for section in _SECTIONS if _passes(section.rule, user)]
