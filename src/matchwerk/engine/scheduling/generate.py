"""Brokerage-like ``matchwerk schedule`` instances for tests and benchmarks (seeded).

Shaped like ../shared/datasets/sched-dev-m.json: 12 slots of 20 minutes, tables for about
23 % of the participants (scarce), about 4.2 requested meetings per participant with
popularity skewed (Zipf-like: a few people are asked for by dozens), half the participants
with an absence block, priorities 1/2/3. A few exhibitors hold a booth table and a few
people cap their meetings.
"""

from __future__ import annotations

import random
from itertools import accumulate


def brokerage(n: int, *, seed: int = 1, slots: int = 12, table_share: float = 0.233,
              meetings_per_person: float = 4.24, booth_share: float = 0.04,
              cap_share: float = 0.05, time_limit: float = 10) -> dict:
    rng = random.Random(seed)
    slot_names = [f"{9 + (20 * i) // 60:02d}:{(20 * i) % 60:02d}" for i in range(slots)]
    ids = [f"p{i:04d}" for i in range(n)]
    people = []
    booths = rng.sample(range(n), int(booth_share * n))
    booth_table = {p: t + 1 for t, p in enumerate(booths)}
    for i, pid in enumerate(ids):
        person: dict = {"id": pid}
        if rng.random() < 0.5:
            length = rng.randint(2, 4)
            start = rng.randrange(0, slots - length + 1)
            person["available"] = [s for k, s in enumerate(slot_names) if not start <= k < start + length]
        if i in booth_table:
            person["table"] = booth_table[i]
        elif rng.random() < cap_share:
            person["max_meetings"] = rng.randint(3, 6)
        people.append(person)
    popularity = list(range(n))
    rng.shuffle(popularity)
    cumulative = list(accumulate(1.0 / (rank + 1) ** 0.9 for rank in popularity))
    target = int(meetings_per_person * n)
    pairs: set[tuple[int, int]] = set()
    meetings = []
    while len(meetings) < target:
        a = rng.randrange(n)
        b = rng.choices(range(n), cum_weights=cumulative)[0] if rng.random() < 0.7 else rng.randrange(n)
        if a == b or (min(a, b), max(a, b)) in pairs:
            continue
        pairs.add((min(a, b), max(a, b)))
        weight = rng.choices((1, 2, 3), weights=(59, 20.5, 20.5))[0]
        meetings.append({"a": ids[a], "b": ids[b], "weight": weight})
    return {"slots": slot_names, "tables": max(1, round(table_share * n)),
            "participants": people, "meetings": meetings, "time_limit": time_limit}
