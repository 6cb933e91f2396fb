"""Following an invitation link: log in or sign up, then confirm the account link; and
the back office's action that invites imported contacts."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from matchwerk.core.staff import staff_view
from matchwerk.profiles import services
from matchwerk.profiles.invitations import InvitationInvalid, invitation_person
from matchwerk.profiles.models import Person
from matchwerk.profiles.rules import can_import_organisations, region_q

# Contacts shown at once on the invitation page.
INVITE_PAGE_SIZE = 500


def invitation(request, token: str):
    try:
        person = invitation_person(token)
    except InvitationInvalid as error:
        return render(request, "profiles/invitation_invalid.html", {"reason": error.reason}, status=400)
    context = {"person": person, "organisation": person.organisation, "next": request.path}
    if not request.user.is_authenticated:
        return render(request, "profiles/invitation.html", context)
    matches = request.user.email.strip().lower() == person.email.strip().lower()
    if request.method == "POST" and matches:
        try:
            services.person_invitation_accept(user=request.user, person=person)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Ihr Konto ist jetzt mit %(name)s verknüpft.")
                             % {"name": person.organisation.name})
            return redirect("profiles:organisation_detail", person.organisation_id)
    return render(request, "profiles/invitation.html", {**context, "matches": matches,
                                                        "linked": person.user_id == request.user.pk})


@staff_view(can_import_organisations)
def contacts_invite(request):
    """Contacts with an address but no account who were never invited, e.g. after an import;
    the coordinator picks whom to invite ("claim your organisation's profile")."""
    candidates = (Person.objects.filter(user__isnull=True, invited_at__isnull=True, is_contact=True)
                  .exclude(email="").select_related("organisation").order_by("organisation__name", "name"))
    if (scope := region_q(request.user, field="organisation__region_id")) is not None:
        candidates = candidates.filter(scope)  # a coordinator invites the contacts of her regions
    if request.method == "POST":
        chosen = candidates.filter(pk__in=[int(pk) for pk in request.POST.getlist("person") if pk.isdigit()])
        count = services.people_invite(actor=request.user, people=chosen)
        messages.success(request, _("%(count)d Einladung(en) verschickt.") % {"count": count})
        return redirect("backoffice:contacts_invite")
    return render(request, "backoffice/contacts_invite.html", {
        "people": candidates[:INVITE_PAGE_SIZE], "total": candidates.count(), "page_size": INVITE_PAGE_SIZE})
