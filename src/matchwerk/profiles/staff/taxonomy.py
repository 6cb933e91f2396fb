"""Topics and regions: list, create, edit, delete (with confirmation).

Every member of staff keeps the topics; regions and their coordinators are the
administrators' (``accounts.rules.can_manage_regions``), the others see the list.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from matchwerk.accounts.rules import can_manage_regions
from matchwerk.core.staff import staff_view
from matchwerk.profiles.rules import can_manage_topics
from matchwerk.profiles.staff import selectors, services
from matchwerk.profiles.staff.forms import RegionForm, TopicForm
from matchwerk.profiles.models import Region, Topic


@staff_view(can_manage_topics)
def topic_list(request):
    return render(request, "backoffice/topic_list.html", {"topics": selectors.topics_with_usage()})


@staff_view(can_manage_topics)
def topic_edit(request, pk: int | None = None):
    topic = get_object_or_404(Topic, pk=pk) if pk else Topic()
    form = TopicForm(request.POST if request.method == "POST" else None, instance=topic)
    if request.method == "POST" and form.is_valid():
        services.topic_save(actor=request.user, topic=form.instance)
        messages.success(request, _("Thema „%(name)s“ gespeichert.") % {"name": topic.name_de})
        return redirect("backoffice:topic_list")
    return render(request, "backoffice/topic_form.html", {"form": form, "topic": topic},
                  status=400 if request.method == "POST" else 200)


@staff_view(can_manage_topics)
def topic_delete(request, pk: int):
    topic = get_object_or_404(Topic, pk=pk)
    if request.method == "POST":
        name = topic.name_de
        services.topic_delete(actor=request.user, topic=topic)
        messages.success(request, _("Thema „%(name)s“ gelöscht.") % {"name": name})
        return redirect("backoffice:topic_list")
    usage = selectors.topic_usage(topic)
    if any(usage.values()):
        consequence = _("Dieses Thema wird noch verwendet: von %(organisations)d Organisation(en), %(needs)d "
                        "Bedarf(en) und %(offers)d Angebot(en). Beim Löschen verlieren sie dieses Thema; die "
                        "Organisationen, Bedarfe und Angebote selbst bleiben erhalten.") % usage
    else:
        consequence = _("Das Thema wird nirgends verwendet.")
    return render(request, "staff/confirm_delete.html", {
        "title": _("Thema „%(name)s“ löschen?") % {"name": topic.name_de}, "consequence": consequence,
        "alert": any(usage.values()), "confirm_label": _("Trotzdem löschen") if any(usage.values()) else _("Löschen"),
        "cancel_url": reverse("backoffice:topic_list"),
        "breadcrumbs": [(_("Themen"), reverse("backoffice:topic_list"))]})


@staff_view()
def region_list(request):
    return render(request, "backoffice/region_list.html", {
        "regions": selectors.regions_with_usage(), "can_manage_regions": can_manage_regions.test(request.user)})


@staff_view(can_manage_regions)
def region_edit(request, pk: int | None = None):
    region = get_object_or_404(Region, pk=pk) if pk else Region()
    form = RegionForm(request.POST if request.method == "POST" else None, instance=region)
    if request.method == "POST" and form.is_valid():
        services.region_save(actor=request.user, region=form.instance,
                             coordinators=list(form.cleaned_data["coordinators"]))
        messages.success(request, _("Region „%(name)s“ gespeichert.") % {"name": region.name})
        return redirect("backoffice:region_list")
    return render(request, "backoffice/region_form.html", {"form": form, "region": region},
                  status=400 if request.method == "POST" else 200)


@staff_view(can_manage_regions)
def region_delete(request, pk: int):
    region = get_object_or_404(Region, pk=pk)
    if request.method == "POST":
        try:
            services.region_delete(actor=request.user, region=region)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("backoffice:region_list")
        messages.success(request, _("Region „%(name)s“ gelöscht.") % {"name": region.name})
        return redirect("backoffice:region_list")
    organisation_count = region.organisations.count()
    context = {"title": _("Region „%(name)s“ löschen?") % {"name": region.name},
               "cancel_url": reverse("backoffice:region_list"),
               "breadcrumbs": [(_("Regionen"), reverse("backoffice:region_list"))]}
    if organisation_count:
        context.update(blocked=True, alert=True, consequence=ngettext(
            "Der Region ist noch %(count)d Organisation zugeordnet; sie kann erst gelöscht werden, wenn diese einer "
            "anderen Region zugeordnet ist.",
            "Der Region sind noch %(count)d Organisationen zugeordnet; sie kann erst gelöscht werden, wenn diese "
            "einer anderen Region zugeordnet sind.", organisation_count) % {"count": organisation_count})
    return render(request, "staff/confirm_delete.html", context)
