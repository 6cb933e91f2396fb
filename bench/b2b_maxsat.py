"""Experiment: the B2B meeting-scheduling problem as MaxSAT / SAT with python-sat (issue #14).

python-sat is a project dependency (the verb's fewest-broken-days model uses its cardinality
encodings, solved by CP-SAT); the separate SAT/MaxSAT solvers used here are not part of the
``schedule`` verb (docs/engine-schedule.md, "Tried: a real MaxSAT / SAT solver", has the
figures and why).

Direct clause model in the spirit of Bofill et al. (JAIR 74, 2022): ``x[m, t]`` per meeting
and allowed slot (both people available, inside the meeting's own ``slots``), exactly one
per meeting (repeated listings of a pair ordered by slot); ``busy[p, t]`` <-> some x of p in
t, at most one meeting per person and slot, at most ``tables`` per slot (cardinality
encoding), busy count = meeting count per person (implied).  Breaks (the default ``gaps``
encoding): ``pre[p, t]`` / ``post[p, t]`` (a meeting at or before / at or after t, also
implied meeting by meeting), ``gap[p, t]`` >= pre and post and idle (never on a busy slot)
and a soft clause ``not bs[p, t]`` where a gap run starts, so the cost is the number of
breaks as ``../shared/datasets/README.md`` defines them (maximal runs of slots without a
meeting between a person's first and last meeting; a forbidden slot inside counts).
``--per-session`` (``holes`` encoding) counts breaks inside each session only, to see which
count the published optima use (forum-13crafb: 1, so not that one).

Modes: RC2 (default; core-guided, interrupted after ``--timeout`` with its proven bound);
``--lsu`` (solution-improving linear search with CaDiCaL, optionally from ``--start``
PLAN, in a child process killed at the timeout); ``--target K`` (one SAT call, Kissat by
default, for a plan with at most K breaks).  Every plan is validated and its breaks
recounted independently of the model.  Prints one JSON line per instance.

    python bench/b2b_maxsat.py [--timeout S] [--lsu [--start PLAN] [--save PLAN] | --target K]
                               [--per-session] [NAME ...]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import pathlib
import sys
import threading
import time

from pysat.card import CardEnc, EncType, ITotalizer
from pysat.examples.rc2 import RC2, RC2Stratified
from pysat.formula import IDPool, WCNF
from pysat.solvers import Solver

DATA = pathlib.Path(__file__).resolve().parents[2] / "shared" / "datasets" / "b2b"
if not DATA.is_dir():
    DATA = pathlib.Path("/work/shared/datasets/b2b")


def _minutes(label: str) -> int:
    h, m = label.split(":")
    return int(h) * 60 + int(m)


def sessions_of(slots: list[str]) -> list[int]:
    """Session index per slot: a new session starts where the step between slot times grows."""
    times = [_minutes(s) for s in slots]
    steps = [b - a for a, b in zip(times, times[1:])]
    usual = min(steps) if steps else 0
    out, cur = [0], 0
    for st in steps:
        if st > usual:
            cur += 1
        out.append(cur)
    return out


def load(path: pathlib.Path) -> dict:
    d = json.loads(path.read_text())
    slots = d["slots"]
    T = len(slots)
    idx = {s: i for i, s in enumerate(slots)}
    people = [p["id"] for p in d["participants"]]
    pidx = {p: i for i, p in enumerate(people)}
    avail = []
    for p in d["participants"]:
        a = p.get("available")
        avail.append(set(range(T)) if a is None else {idx[s] for s in a})
    tables = d["tables"] if isinstance(d["tables"], int) else None
    caps = [tables] * T if tables is not None else list(d["tables"])
    meetings = []
    for m in d["meetings"]:
        a, b = pidx[m["a"]], pidx[m["b"]]
        allowed = avail[a] & avail[b]
        if m.get("slots"):
            allowed &= {idx[s] for s in m["slots"]}
        meetings.append((a, b, sorted(allowed)))
    return {"T": T, "P": len(people), "caps": caps, "avail": avail, "meetings": meetings,
            "session": sessions_of(slots)}


def count_breaks(inst: dict, plan: list[int], per_session: bool = False) -> int:
    busy = [set() for _ in range(inst["P"])]
    for (a, b, _), t in zip(inst["meetings"], plan):
        busy[a].add(t)
        busy[b].add(t)
    total = 0
    sess = inst["session"]
    for ts in busy:
        if not ts:
            continue
        groups = {}
        for t in ts:
            groups.setdefault(sess[t] if per_session else 0, []).append(t)
        for g in groups.values():
            lo, hi = min(g), max(g)
            prev_busy = True
            for t in range(lo, hi + 1):
                if t in ts:
                    prev_busy = True
                else:
                    if prev_busy:
                        total += 1
                    prev_busy = False
    return total


def validate(inst: dict, plan: list[int]) -> None:
    T, caps = inst["T"], inst["caps"]
    seen = set()
    load_ = [0] * T
    for i, ((a, b, allowed), t) in enumerate(zip(inst["meetings"], plan)):
        assert t in allowed, f"meeting {i} in slot {t} not allowed"
        assert t in inst["avail"][a] and t in inst["avail"][b], f"meeting {i}: person unavailable"
        for p in (a, b):
            assert (p, t) not in seen, f"person {p} double-booked in slot {t}"
            seen.add((p, t))
        load_[t] += 1
    for t in range(T):
        assert load_[t] <= caps[t], f"slot {t} over capacity"


def build(inst: dict, per_session: bool = False, implied: bool = True, encoding: str = "gaps"):
    T, P = inst["T"], inst["P"]
    pool = IDPool()
    w = WCNF()
    x = {}
    per_pt: dict[tuple[int, int], list[int]] = {}
    per_t: dict[int, list[int]] = {t: [] for t in range(T)}
    nmeet = [0] * P
    for i, (a, b, allowed) in enumerate(inst["meetings"]):
        if not allowed:
            raise SystemExit(f"meeting {i} has no allowed slot")
        lits = []
        for t in allowed:
            v = pool.id(("x", i, t))
            x[i, t] = v
            lits.append(v)
            per_pt.setdefault((a, t), []).append(v)
            per_pt.setdefault((b, t), []).append(v)
            per_t[t].append(v)
        nmeet[a] += 1
        nmeet[b] += 1
        w.append(lits)
        for cl in CardEnc.atmost(lits, 1, vpool=pool, encoding=EncType.seqcounter).clauses:
            w.append(cl)
    # repeated pairs: the listings of one pair are interchangeable; order their slots
    first: dict[tuple[int, int], list[int]] = {}
    for i, (a, b, _) in enumerate(inst["meetings"]):
        first.setdefault((min(a, b), max(a, b)), []).append(i)
    for group in first.values():
        for i, j in zip(group, group[1:]):
            # slot(i) < slot(j): x[j, t] -> some x[i, s] with s < t
            for t in inst["meetings"][j][2]:
                w.append([-x[j, t]] + [x[i, s] for s in inst["meetings"][i][2] if s < t])
    busy = {}
    for (p, t), lits in per_pt.items():
        v = pool.id(("busy", p, t))
        busy[p, t] = v
        w.append([-v] + lits)
        for l in lits:
            w.append([-l, v])
        if len(lits) > 1:
            for cl in CardEnc.atmost(lits, 1, vpool=pool, encoding=EncType.seqcounter).clauses:
                w.append(cl)
    for t in range(T):
        if len(per_t[t]) > inst["caps"][t]:
            for cl in CardEnc.atmost(per_t[t], inst["caps"][t], vpool=pool,
                                     encoding=EncType.seqcounter).clauses:
                w.append(cl)
    if implied:
        # each person is busy in exactly as many slots as they have meetings
        for p in range(P):
            lits = [busy[p, t] for t in range(T) if (p, t) in busy]
            if nmeet[p] and len(lits) > nmeet[p]:
                for cl in CardEnc.equals(lits, nmeet[p], vpool=pool,
                                         encoding=EncType.seqcounter).clauses:
                    w.append(cl)
    if encoding == "holes":
        softs = _holes(inst, w, pool, busy, nmeet, per_session)
    else:
        softs = _gaps(inst, w, pool, x, busy, nmeet)
    return w, x, softs


def _holes(inst, w, pool, busy, nmeet, per_session):
    """Soft ``not hole[p, t]``: a break of p ends at t (pre[t-1], idle in t-1, busy in t)."""
    T, P = inst["T"], inst["P"]
    sess = inst["session"]
    softs = 0
    for p in range(P):
        if not nmeet[p]:
            continue
        pre_prev = None
        for t in range(T):
            b = busy.get((p, t))
            new_session = per_session and t > 0 and sess[t] != sess[t - 1]
            if new_session:
                pre_prev = None
            pre = pool.id(("pre", p, t))
            if b is not None:
                w.append([-b, pre])
            if pre_prev is not None:
                w.append([-pre_prev, pre])
                bprev = busy.get((p, t - 1))
                if b is not None:
                    # pre[t-1] and not busy[t-1] and busy[t] -> hole[p, t]
                    h = pool.id(("hole", p, t))
                    cl = [-pre_prev, -b, h]
                    if bprev is not None:
                        cl.append(bprev)
                    w.append(cl)
                    w.append([-h], weight=1)
                    softs += 1
            pre_prev = pre
    return softs


def _gaps(inst, w, pool, x, busy, nmeet):
    """pre/post/gap view: gap[p, t] = pre[t] and post[t] and idle; a break starts where a gap
    run starts (soft ``not bs[p, t]``).  Implied: pre[p, t] holds once any one of p's meetings
    cannot be after t, post[p, t] once any one cannot be before t (clauses over x)."""
    T, P = inst["T"], inst["P"]
    mine: dict[int, list[int]] = {}
    for i, (a, b, _) in enumerate(inst["meetings"]):
        mine.setdefault(a, []).append(i)
        mine.setdefault(b, []).append(i)
    softs = 0
    for p in range(P):
        if not nmeet[p]:
            continue
        pre = [pool.id(("pre", p, t)) for t in range(T)]
        post = [pool.id(("post", p, t)) for t in range(T)]
        gap = [pool.id(("gap", p, t)) for t in range(T)]
        for t in range(T):
            b = busy.get((p, t))
            if b is not None:
                w.append([-b, pre[t]])
                w.append([-b, post[t]])
            if t > 0:
                w.append([-pre[t - 1], pre[t]])
            if t < T - 1:
                w.append([-post[t + 1], post[t]])
            cl = [-pre[t], -post[t], gap[t]]
            if b is not None:
                cl.append(b)
                w.append([-gap[t], -b])  # a gap run never spans a meeting
            w.append(cl)
            for i in mine[p]:
                allowed = inst["meetings"][i][2]
                later = [x[i, s] for s in allowed if s > t]
                earlier = [x[i, s] for s in allowed if s < t]
                w.append([pre[t]] + later)
                w.append([post[t]] + earlier)
            if t == 0:
                w.append([-gap[0]])
                continue
            bs = pool.id(("bs", p, t))
            w.append([-gap[t], gap[t - 1], bs])
            w.append([-bs], weight=1)
            softs += 1
    return softs


def _plan_of(inst: dict, x: dict, model) -> list[int]:
    pos = {v for v in model if v > 0}
    plan = []
    for i, (_, _, allowed) in enumerate(inst["meetings"]):
        ts = [t for t in allowed if x[i, t] in pos]
        assert len(ts) == 1
        plan.append(ts[0])
    validate(inst, plan)
    return plan


def solve_rc2(inst: dict, timeout: float, per_session: bool, stratified: bool = False,
              solver: str = "g3", encoding: str = "gaps") -> dict:
    """Core-guided MaxSAT (RC2); interrupted after ``timeout`` with its proven bound."""
    t0 = time.perf_counter()
    w, x, softs = build(inst, per_session=per_session, encoding="holes" if per_session else encoding)
    built = time.perf_counter() - t0
    cls = RC2Stratified if stratified else RC2
    rc2 = cls(w, solver=solver, adapt=True, exhaust=True, incr=False, minz=True, trim=5)
    timer = threading.Timer(timeout, rc2.interrupt)
    timer.start()
    model = None
    try:
        model = rc2.compute(expect_interrupt=True)
    finally:
        timer.cancel()
    secs = time.perf_counter() - t0
    out = {"vars": w.nv, "hard": len(w.hard), "soft": softs, "build_s": round(built, 2),
           "seconds": round(secs, 2), "bound": rc2.cost}
    if model is not None:
        plan = _plan_of(inst, x, model)
        out["breaks"] = count_breaks(inst, plan, per_session)
        out["breaks_adjacent"] = count_breaks(inst, plan, False)
        out["breaks_per_session"] = count_breaks(inst, plan, True)
        out["optimal"] = True
        assert out["breaks"] == rc2.cost, (out["breaks"], rc2.cost)
    else:
        out["optimal"] = False
    rc2.delete()
    return out


def _lsu_child(inst: dict, start: list[int] | None, queue) -> None:
    """Solution-improving linear search: CaDiCaL with a totalizer over the break literals,
    ``breaks <= best - 1`` as an assumption, phases set to the best plan so far.  Sends
    ("plan", breaks, plan, seconds) per improvement and ("optimal", breaks, seconds)."""
    t0 = time.perf_counter()
    w, x, _ = build(inst)
    lits = [-cl[0] for cl in w.soft]
    sat = Solver(name="cadical195", bootstrap_with=w.hard)
    best = len(lits)
    if start is not None:
        best = count_breaks(inst, start)
        sat.set_phases([v if start[i] == t else -v for (i, t), v in x.items()] + [-v for v in lits])
    tot = ITotalizer(lits=lits, ubound=best)
    sat.append_formula(tot.cnf.clauses)
    while best > 0 and sat.solve(assumptions=[-tot.rhs[best - 1]]):
        plan = _plan_of(inst, x, sat.get_model())
        found = count_breaks(inst, plan)
        assert found < best, (found, best)
        best = found
        queue.put(("plan", best, plan, time.perf_counter() - t0))
        sat.set_phases([v if plan[i] == t else -v for (i, t), v in x.items()])
    queue.put(("optimal", best, time.perf_counter() - t0))


def _target_child(inst: dict, target: int, solver: str, queue) -> None:
    """One plain SAT call: a plan with at most ``target`` breaks (Kissat through pysat is not
    incremental, so no linear search), or the proof that none exists."""
    t0 = time.perf_counter()
    w, x, _ = build(inst)
    lits = [-cl[0] for cl in w.soft]
    tot = ITotalizer(lits=lits, ubound=target + 1)
    sat = Solver(name=solver, bootstrap_with=w.hard + tot.cnf.clauses + [[-tot.rhs[target]]])
    if sat.solve():
        plan = _plan_of(inst, x, sat.get_model())
        queue.put(("plan", count_breaks(inst, plan), plan, time.perf_counter() - t0))
    else:
        queue.put(("none", target, time.perf_counter() - t0))


def solve_lsu(inst: dict, timeout: float, start: list[int] | None = None,
              target: int | None = None, solver: str = "kissat404") -> dict:
    """Runs :func:`_lsu_child` (or, with ``target``, :func:`_target_child`) in a child
    process (neither CaDiCaL nor Kissat can be interrupted through pysat) and stops it after
    ``timeout`` seconds."""
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    if target is None:
        child = ctx.Process(target=_lsu_child, args=(inst, start, queue), daemon=True)
    else:
        child = ctx.Process(target=_target_child, args=(inst, target, solver, queue), daemon=True)
    t0 = time.perf_counter()
    child.start()
    out: dict = {"start_breaks": count_breaks(inst, start) if start else None, "trace": []}
    plan = None
    while True:
        left = timeout - (time.perf_counter() - t0)
        try:
            msg = queue.get(timeout=max(left, 0.01))
        except Exception:  # queue.Empty: time is up
            break
        if msg[0] == "plan":
            _, breaks, plan, secs = msg
            out["trace"].append([breaks, round(secs, 1)])
            if target is not None:
                break
        elif msg[0] == "none":
            out["bound"] = target + 1  # proven: no plan with at most ``target`` breaks
            out["trace"].append(["none", round(msg[2], 1)])
            break
        else:
            out["optimal"] = True
            break
    child.kill()
    child.join()
    out["seconds"] = round(time.perf_counter() - t0, 2)
    out.setdefault("optimal", False)
    if plan is not None:
        validate(inst, plan)
        out["breaks"] = count_breaks(inst, plan)
        out["plan"] = plan
    elif start is not None:
        out["breaks"] = out["start_breaks"]
    if out["optimal"]:
        out["bound"] = out["breaks"]
    return out


def _read_plan(instance: pathlib.Path, path: str) -> list[int]:
    """A plan as slot indices in listing order: a JSON list of ints, or rows ``{a, b, slot}``
    in the order of the instance's meetings (as ``--save`` writes them)."""
    raw = json.loads(pathlib.Path(path).read_text())
    if raw and isinstance(raw[0], int):
        return raw
    data = json.loads(instance.read_text())
    index = {s: k for k, s in enumerate(data["slots"])}
    assert [(r["a"], r["b"]) for r in raw] == [(m["a"], m["b"]) for m in data["meetings"]]
    return [index[r["slot"]] for r in raw]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("names", nargs="*")
    ap.add_argument("--timeout", type=float, default=60)
    ap.add_argument("--per-session", action="store_true")
    ap.add_argument("--stratified", action="store_true")
    ap.add_argument("--solver", default="g3")
    ap.add_argument("--encoding", default="gaps", choices=["gaps", "holes"])
    ap.add_argument("--lsu", action="store_true", help="linear search with CaDiCaL instead of RC2")
    ap.add_argument("--target", type=int, help="one SAT call for at most this many breaks")
    ap.add_argument("--sat", default="kissat404", help="SAT solver for --target")
    ap.add_argument("--start", help="JSON list of slot indices (listing order) to start --lsu from")
    ap.add_argument("--save", help="write the best --lsu plan here ([{a, b, slot}, ...])")
    args = ap.parse_args()
    names = args.names or sorted(p.stem for p in DATA.glob("*.json") if not p.stem.endswith(".ref"))
    for name in names:
        inst = load(DATA / f"{name}.json")
        ref = json.loads((DATA / f"{name}.ref.json").read_text())
        if args.lsu or args.target is not None:
            start = _read_plan(DATA / f"{name}.json", args.start) if args.start else None
            if start is not None:
                validate(inst, start)
            res = solve_lsu(inst, args.timeout, start, args.target, args.sat)
            plan = res.pop("plan", None)
            if args.save and plan is not None:
                data = json.loads((DATA / f"{name}.json").read_text())
                rows = [{"a": m["a"], "b": m["b"], "slot": data["slots"][t]}
                        for m, t in zip(data["meetings"], plan)]
                text = ",\n".join(json.dumps(r) for r in rows)
                pathlib.Path(args.save).write_text(f"[\n{text}\n]\n")
        else:
            res = solve_rc2(inst, args.timeout, args.per_session, args.stratified, args.solver,
                            args.encoding)
        res = {"instance": name, "published": ref["published_breaks_optimum"], **res}
        print(json.dumps(res), flush=True)


if __name__ == "__main__":
    sys.exit(main())
