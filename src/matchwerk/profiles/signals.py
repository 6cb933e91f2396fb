"""Declared events of the profiles app (sent by its services, never by model saves)."""

from __future__ import annotations

from collections.abc import Iterable

from django.dispatch import Signal

# An organisation's matching profile changed: texts, topics, kind, region, consent, or it
# was deleted. Keyword ``organisation_ids``: the ids (list of int). Matching listens.
organisation_changed = Signal()


def announce_changed(*organisation_ids: int | None, ids: Iterable[int] = ()) -> None:
    """Tell the listeners (matching) that these organisations' profiles changed."""
    found = sorted({pk for pk in (*organisation_ids, *ids) if pk})
    if found:
        organisation_changed.send(sender=None, organisation_ids=found)
