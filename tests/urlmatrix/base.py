"""Shared parts of the URL × role matrix: the seven roles, the rule of a row, the world.

Each area keeps its rows in ``tests/urlmatrix/rows_<area>.py``: a ``ROWS`` dict from URL
name to :class:`Rule`, and optionally ``world(ctx) -> dict`` that creates the area's objects
and returns names for URL keyword arguments (``"pk:event"`` looks up ``objects["event"]``).
``tests/test_url_matrix.py`` collects every ``rows_*`` module of this package.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ANON, PA, PB, COORD_OTHER, COORD, TEAM, ADMIN = (
    "anonymous", "participant_a", "participant_b", "coordinator_other_region", "coordinator_of_region",
    "matching_team", "administrator")
ROLES = [ANON, PA, PB, COORD_OTHER, COORD, TEAM, ADMIN]
EVERYONE = frozenset(ROLES)
USERS = EVERYONE - {ANON}
STAFF = frozenset({COORD_OTHER, COORD, TEAM, ADMIN})
NOBODY = frozenset()
POST_ONLY = "post only"  # GET answers 405 (or is denied before)
GET_ONLY = "get only"    # POST answers 405 (or is denied before)


@dataclass(frozen=True)
class Rule:
    get: frozenset | str
    post: frozenset | str
    kwargs: tuple = ()              # names of world objects for the URL's keyword arguments
    data: dict = field(default_factory=dict)
    also_ok: frozenset = frozenset()  # declared answers to the probe's input, e.g. 400
    login_after: bool = False       # success sends to the login page (e.g. after confirming an address)
    denied_also: frozenset = frozenset()  # further denied answers, e.g. the API's 401 for no credentials


def r(get, post=None, kwargs=(), data=None, also_ok=(), login_after=False, denied_also=()):
    return Rule(get=get, post=get if post is None else post, kwargs=tuple(kwargs), data=data or {},
                also_ok=frozenset(also_ok), login_after=login_after, denied_also=frozenset(denied_also))


@dataclass
class World:
    """What every area's ``world(ctx)`` may use: organisations A (hidden from the directory)
    and B (listed) in region R, programme P (region R) with a suggestion A → B and a
    proposed match A × B, the users of the seven roles, and the objects made so far."""

    users: dict
    objects: dict
    region: object
    other_region: object
    programme: object
    org_a: object
    org_b: object
    suggestion: object
    match: object
    side_a: object
