"""The ``matchwerk`` command.

``matchwerk <verb> FILE`` runs an engine verb (rank, schedule, rotate, pair, compose) on a
JSON file (``-`` for standard input) and prints JSON; malformed input prints one line on
standard error and exits with status 2. Every other command is a Django management
command (``matchwerk migrate``, ``matchwerk runserver``, ``matchwerk worker`` …).
"""

from __future__ import annotations

import importlib
import json
import os
import sys

from matchwerk.engine import VERBS


def _read_json(path: str):
    from matchwerk.engine.inputs import loads

    if path == "-":
        text = sys.stdin.read()
    else:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    return loads(text)


def _stderr_progress(fraction: float, message: str) -> None:
    print(f"[{fraction * 100:5.1f} %] {message}", file=sys.stderr, flush=True)


def run_verb(verb: str, argv: list[str]) -> int:
    from matchwerk.engine.inputs import InputError

    args = [a for a in argv if not a.startswith("--")]
    flags = {a for a in argv if a.startswith("--")}
    if len(args) != 1:
        print(f"usage: matchwerk {verb} FILE.json [--progress]  (FILE may be - for standard input)",
              file=sys.stderr)
        return 2
    try:
        data = _read_json(args[0])
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"error: cannot read {args[0]}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        print(f"error: {args[0]} is not valid JSON: {exc}", file=sys.stderr)
        return 2
    module = importlib.import_module(VERBS[verb])
    progress = _stderr_progress if "--progress" in flags else None
    try:
        if not isinstance(data, dict):
            raise InputError("input: expected a JSON object at the top level")
        result = module.run(data, progress=progress)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    json.dump(result, sys.stdout, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in VERBS:
        return run_verb(argv[0], argv[1:])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "matchwerk.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["matchwerk", *argv])
    return 0


if __name__ == "__main__":
    sys.exit(main())
