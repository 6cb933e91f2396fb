"""Reasons of a suggestion in the reader's language, rendered from the stored reason codes
(engine/matching/reasons.py; the German wording here is the engine's ``render_de``)."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from matchwerk.profiles.models import Topic


def topic_labels() -> dict[str, str]:
    """German topic name → label in the active language (one query)."""
    english = (get_language() or "de").startswith("en")
    return {name_de: (name_en if english and name_en else name_de)
            for name_de, name_en in Topic.objects.values_list("name_de", "name_en")}


def render(code: dict, labels: dict[str, str] | None = None) -> str:
    """One reason code as a sentence in the active language (a plain string, as stored
    before reason codes, is shown as it is)."""
    if isinstance(code, str):
        return code
    kind = code.get("code")
    if kind == "need_offer":
        values = {"need": code["need_text"], "offer": code["offer_text"]}
        about = code.get("offer", 0) < 0  # the partner's "about" text met the need
        if code["direction"] == "need":
            pair = (_("Bedarf „%(need)s“ ↔ Profil „%(offer)s“") if about
                    else _("Bedarf „%(need)s“ ↔ Angebot „%(offer)s“")) % values
        else:
            pair = (_("Profil „%(offer)s“ ↔ Bedarf „%(need)s“") if about
                    else _("Angebot „%(offer)s“ ↔ Bedarf „%(need)s“")) % values
        if code.get("words"):
            carried = _("gemeinsame Begriffe: %(words)s") % {"words": ", ".join(code["words"])}
        else:
            carried = _("ähnliche Bedeutung")
        return f"{pair} ({carried})"
    if kind == "shared_topics":
        labels = labels or {}
        return _("gemeinsame Themen: %(topics)s") % {"topics": ", ".join(labels.get(t, t) for t in code["topics"])}
    if kind == "same_region":
        return _("gleiche Region")
    if kind == "distance":
        return _("Entfernung ca. %(km)s km") % {"km": code["km"]}
    if kind == "text":  # stored before reason codes existed (German as computed then)
        return code.get("text", "")
    return ""


def render_all(codes: Iterable[dict], labels: dict[str, str] | None = None) -> list[str]:
    return [line for line in (render(code, labels) for code in codes or ()) if line]


def attach_reason_lines(objects: Iterable) -> list:
    """Set ``reason_lines`` (rendered reasons) on each suggestion or match; one query for
    the topic labels, none per object."""
    objects = list(objects)
    labels = topic_labels() if any(o.reasons for o in objects) else {}
    for obj in objects:
        obj.reason_lines = render_all(obj.reasons, labels)
    return objects
