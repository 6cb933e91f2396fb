"""Validation of the engine's JSON inputs.

Every verb reads a plain JSON document; anything wrong with it (a missing required
field, a wrong type, a duplicate or dangling id) raises :class:`InputError` with a
one-line message naming the place, e.g. ``participants[3].id: missing``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

_MISSING = object()

# Hard caps on free texts before anything is encoded: one text is cut after
# MAX_TEXT_CHARS characters, a list of texts (needs, offers, topics) after MAX_TEXTS
# entries. The platform's own limits are far lower (docs/profiles.md, "Limits"); these
# only make sure that no input can make the encoders grow without bound.
MAX_TEXT_CHARS = 20_000
MAX_TEXTS = 200

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


def number(obj: dict, key: str, where: str, default: Any = _MISSING, *, minimum: float | None = None) -> float:
    value = field(obj, key, (int, float), where, default)
    if value is not None and minimum is not None and value < minimum:
        raise InputError(f"{_join(where, key)}: must be at least {minimum}, got {value}")
    return value


def integer(obj: dict, key: str, where: str, default: Any = _MISSING, *, minimum: int | None = None) -> int:
    value = field(obj, key, int, where, default)
    if value is not None and minimum is not None and value < minimum:
        raise InputError(f"{_join(where, key)}: must be at least {minimum}, got {value}")
    return value


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
