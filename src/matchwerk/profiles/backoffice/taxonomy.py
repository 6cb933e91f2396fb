"""Topics and regions: list, create, edit, delete (with confirmation)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from matchwerk import permissions
from matchwerk.profiles.backoffice import selectors, services
from matchwerk.profiles.backoffice.access import staff_view
from matchwerk.profiles.backoffice_forms import RegionForm, TopicForm
from matchwerk.profiles.models import Region, Topic

taxonomy_view = staff_view(permissions.can_manage_taxonomy)


@taxonomy_view
def topic_list(request):
    return render(request, "backoffice/topic_list.html", {"topics": selectors.topics_with_usage()})


@taxonomy_view
def topic_edit(request, pk: int | None = None):
    topic = get_object_or_404(Topic, pk=pk) if pk else Topic()
    form = TopicForm(request.POST if request.method == "POST" else None, instance=topic)
    if request.method == "POST" and form.is_valid():
        services.topic_save(actor=request.user, topic=form.instance)
        messages.success(request, _("Thema „%(name)s“ gespeichert.") % {"name": topic.name_de})
        return redirect("backoffice:topic_list")
    return render(request, "backoffice/topic_form.html", {"form": form, "topic": topic},
                  status=400 if request.method == "POST" else 200)


@taxonomy_view
def topic_delete(request, pk: int):
    topic = get_object_or_404(Topic, pk=pk)
    usage = selectors.topic_usage(topic)
    if request.method == "POST":
        name = topic.name_de
        services.topic_delete(actor=request.user, topic=topic)
        messages.success(request, _("Thema „%(name)s“ gelöscht.") % {"name": name})
        return redirect("backoffice:topic_list")
    return render(request, "backoffice/topic_delete.html", {
        "topic": topic, "usage": usage, "in_use": any(usage.values())})


@taxonomy_view
def region_list(request):
    return render(request, "backoffice/region_list.html", {"regions": selectors.regions_with_usage()})


@taxonomy_view
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


@taxonomy_view
def region_delete(request, pk: int):
    region = get_object_or_404(Region, pk=pk)
    organisation_count = region.organisations.count()
    if request.method == "POST":
        try:
            services.region_delete(actor=request.user, region=region)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("backoffice:region_list")
        messages.success(request, _("Region „%(name)s“ gelöscht.") % {"name": region.name})
        return redirect("backoffice:region_list")
    return render(request, "backoffice/region_delete.html", {"region": region,
                                                             "organisation_count": organisation_count})
