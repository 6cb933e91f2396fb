"""User management for administrators: roles and coordinators' regions."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _

from matchwerk.accounts import selectors, services
from matchwerk.accounts.enums import Role
from matchwerk.accounts.forms import UserRoleForm
from matchwerk.accounts.models import User
from matchwerk.accounts.rules import can_manage_users
from matchwerk.core.audit import log_event
from matchwerk.core.staff import paginate, staff_view


@staff_view(can_manage_users)
def user_list(request):
    query = request.GET.get("q", "").strip()[:100]
    role = request.GET.get("rolle", "")
    role = role if role in Role.values else ""
    page, page_query = paginate(request, selectors.users_for_management(query=query, role=role))
    log_event("matchwerk.accounts.users.listed", None, {"q": query, "role": role, "page": page.number},
              actor=request.user)
    return render(request, "accounts/user_list.html", {
        "page": page, "query": page_query, "q": query, "role": role, "roles": Role.choices,
    })


@staff_view(can_manage_users)
def user_edit(request, pk: int):
    target = get_object_or_404(User, pk=pk)
    initial = {"role": target.role, "regions": list(target.coordinated_regions.all())}
    form = UserRoleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_update_role(actor=request.user, user=target, role=form.cleaned_data["role"],
                                      regions=list(form.cleaned_data["regions"]))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Rolle von %(user)s gespeichert.") % {"user": target.get_full_name()})
            return redirect("accounts:user_list")
    elif request.method == "GET":
        log_event("matchwerk.accounts.user.viewed", target, actor=request.user)
    return render(request, "accounts/user_edit.html", {"form": form, "target": target},
                  status=400 if request.method == "POST" else 200)
