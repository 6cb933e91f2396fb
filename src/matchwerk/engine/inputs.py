"""Validation of the engine's JSON inputs.

Every verb reads a plain JSON document; anything wrong with it (a missing required
field, a wrong type, a duplicate or dangling id) raises :class:`InputError` with a
one-line message naming the place, e.g. ``participants[3].id: missing``.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable
from typing import Any

_MISSING = object()

# Hard caps on free texts before anything is encoded: one text is cut after
# MAX_TEXT_CHARS characters, a list of texts (needs, offers, topics) after MAX_TEXTS
# entries. The platform's own limits are far lower (docs/profiles.md, "Limits"); these
# only make sure that no input can make the encoders grow without bound.
MAX_TEXT_CHARS = 20_000
MAX_TEXTS = 200

# Absurd numbers are refused before any solver sees them (a time limit of 1e30 crashes
# OR-Tools natively, NaN or Infinity never ends a search, a score of 1e30 overflows the
# integer scaling of `pair`). No count, score, weight or capacity of FORMATS.md comes
# anywhere near these bounds; some fields have a tighter one.
MAX_NUMBER = 1e9
MAX_INTEGER = 1_000_000
FIELD_MAXIMA: dict[str, float] = {
    "time_limit": 24 * 3600,   # seconds
    "rounds": 1000,            # table rotation
    "table_size": 10_000,
}
# JSON nested deeper than this is refused (the formats need at most five levels).
MAX_DEPTH = 64

# Progress callbacks receive (fraction done in [0, 1], short message).
Progress = Callable[[float, str], None]


class InputError(ValueError):
    """Malformed engine input; the message is one line meant for the user."""


def _type_name(expected: type | tuple[type, ...]) -> str:
    names = {str: "a string", int: "an integer", float: "a number", bool: "true or false",
             list: "a list", dict: "an object"}
    if isinstance(expected, tuple):
        return " or ".join(names.get(t, t.__name__) for t in expected)
    return names.get(expected, expected.__name__)


def check_type(value: Any, expected: type | tuple[type, ...], where: str) -> Any:
    """Return ``value`` if it has the expected JSON type, else raise InputError.

    Booleans are not accepted as numbers; integers are accepted where a float is expected.
    """
    types = expected if isinstance(expected, tuple) else (expected,)
    if float in types and int not in types:
        types = types + (int,)
    if isinstance(value, bool) and bool not in types:
        raise InputError(f"{where}: expected {_type_name(expected)}, got {value!r}")
    if not isinstance(value, types):
        raise InputError(f"{where}: expected {_type_name(expected)}, got {type(value).__name__}")
    return value


def field(obj: dict, key: str, expected: type | tuple[type, ...], where: str,
          default: Any = _MISSING) -> Any:
    """Read ``obj[key]`` with a type check; a missing key is an error unless a default is given."""
    check_type(obj, dict, where or "input")
    if key not in obj or obj[key] is None:
        if default is _MISSING:
            raise InputError(f"{_join(where, key)}: missing")
        return default
    return check_type(obj[key], expected, _join(where, key))


def _bounded(obj: dict, value, key: str, where: str, minimum, limit):
    if obj.get(key) is None:
        return value  # the caller's default, not checked
    if isinstance(value, float) and not math.isfinite(value):
        raise InputError(f"{_join(where, key)}: must be a finite number, got {value}")
    if minimum is not None and value < minimum:
        raise InputError(f"{_join(where, key)}: must be at least {minimum}, got {value}")
    limit = min(limit, FIELD_MAXIMA.get(key, limit))
    if abs(value) > limit:
        raise InputError(f"{_join(where, key)}: must be at most {limit:g}, got {value}")
    return value


def number(obj: dict, key: str, where: str, default: Any = _MISSING, *, minimum: float | None = None) -> float:
    """A finite number of at most :data:`MAX_NUMBER` (or the field's :data:`FIELD_MAXIMA`)."""
    return _bounded(obj, field(obj, key, (int, float), where, default), key, where, minimum, MAX_NUMBER)


def integer(obj: dict, key: str, where: str, default: Any = _MISSING, *, minimum: int | None = None) -> int:
    """An integer of at most :data:`MAX_INTEGER` (or the field's :data:`FIELD_MAXIMA`)."""
    return _bounded(obj, field(obj, key, int, where, default), key, where, minimum, MAX_INTEGER)


def _refuse_constant(name: str):
    raise InputError(f"input: {name} is not a number JSON allows")


def _parse_int(text: str) -> int:
    if len(text.lstrip("-")) > 18:
        raise InputError(f"input: the number {text[:20]}… is far too large")
    return int(text)


def _parse_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise InputError(f"input: the number {text[:20]} is far too large")
    return value


def loads(text: str) -> Any:
    """Parse a JSON document for the engine: NaN and Infinity are refused, so are
    integers of more than 18 digits, numbers beyond a float's range and nesting
    deeper than :data:`MAX_DEPTH`; each as an :class:`InputError` with one line."""
    try:
        data = json.loads(text, parse_constant=_refuse_constant, parse_int=_parse_int, parse_float=_parse_float)
    except RecursionError:
        raise InputError(f"input: nested deeper than {MAX_DEPTH} levels") from None
    _check_depth(data)
    return data


def _check_depth(data: Any) -> None:
    """Iteratively (no recursion): containers nested at most MAX_DEPTH deep."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise InputError(f"input: nested deeper than {MAX_DEPTH} levels")
        if isinstance(value, dict):
            stack.extend((v, depth + 1) for v in value.values() if isinstance(v, (dict, list)))
        elif isinstance(value, list):
            stack.extend((v, depth + 1) for v in value if isinstance(v, (dict, list)))


def items(obj: dict, key: str, where: str, default: Any = _MISSING) -> list:
    """A list field; each element's place is ``key[i]``."""
    return field(obj, key, list, where, default)


def capped_text(value: str) -> str:
    """A free text cut to :data:`MAX_TEXT_CHARS` characters."""
    return value[:MAX_TEXT_CHARS]


def capped_texts(values: list[str]) -> list[str]:
    """At most :data:`MAX_TEXTS` texts, each cut to :data:`MAX_TEXT_CHARS` characters."""
    return [capped_text(value) for value in values[:MAX_TEXTS]]


def unique_ids(values: Iterable[str], where: str) -> dict[str, int]:
    """Map each id to its position; a duplicate is an InputError."""
    index: dict[str, int] = {}
    for i, value in enumerate(values):
        check_type(value, str, f"{where}[{i}]")
        if value in index:
            raise InputError(f"{where}[{i}]: duplicate id {value!r}")
        index[value] = i
    return index


def known_id(value: Any, index: dict[str, int], where: str, what: str = "id") -> int:
    """Resolve a reference to an id declared elsewhere; a dangling one is an InputError."""
    check_type(value, str, where)
    try:
        return index[value]
    except KeyError:
        raise InputError(f"{where}: unknown {what} {value!r}") from None


def _join(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key
