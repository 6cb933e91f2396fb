"""The Matchwerk engine: pure Python (numpy, scipy, OR-Tools), no Django.

Each capability is reachable as a ``matchwerk <verb> FILE.json`` command with the
formats of FORMATS.md; every verb module exposes ``run(data, progress=None) -> dict``.
"""

VERBS = {
    "rank": "matchwerk.engine.rank",
    "schedule": "matchwerk.engine.schedule",
    "rotate": "matchwerk.engine.rotate",
    "pair": "matchwerk.engine.pair",
    "compose": "matchwerk.engine.compose",
}
