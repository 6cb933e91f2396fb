"""Programme reports at scale (issue #11): a programme with 5,000 matches, 20,000 journal
entries and three years of follow-up check-ins and answers, 2,000 approved grants with
payments and 40 held events with feedback.

Measures in process (Django's test client, the real views and templates):

* the dashboard ``/backoffice/berichte/<slug>/``: the first (cold: charts drawn) request,
  then p50/p95 over repeated requests (charts from the cache, figures recomputed each time);
* first what ``matchwerk.wsgi`` does when a web process starts: import WeasyPrint and
  matplotlib (seconds, reported apart), then ``gc.freeze()`` (``--no-freeze`` leaves it out);
* the funder report as PDF (WeasyPrint) and XLSX (openpyxl): seconds per file — for the PDF
  the first one, the next ones, and one with the chart cache emptied (all charts drawn);
* the baseline in the same run: the start page ``/``.

Targets: dashboard p95 ≤ 300 ms, PDF ≤ 10 s, XLSX ≤ 5 s on 2 cores. Prints one JSON
document. Uses a throw-away SQLite file unless MATCHWERK_DATABASE_URL names a scratch
database (``scripts/with-postgres.sh .venv/bin/python bench/programme_reports.py``).

    .venv/bin/python bench/programme_reports.py [--matches 5000] [--requests 30] [--profile] [--no-freeze]
"""

from __future__ import annotations

import argparse
import gc
import importlib
import json
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from decimal import Decimal

from benchsetup import django_setup


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def timed(function) -> tuple[float, object]:
    started = time.perf_counter()
    result = function()
    return time.perf_counter() - started, result


def timed_cpu(function) -> tuple[float, float]:
    """Wall-clock and CPU seconds of this process (SQLite runs in it, so its work counts;
    the CPU time hardly moves with the load of other processes on the shared machine)."""
    wall, cpu = time.perf_counter(), time.process_time()
    function()
    return time.perf_counter() - wall, time.process_time() - cpu


def profile_request(client, url: str) -> None:
    """cProfile and the SQL queries (with their seconds) of one request, to stderr."""
    import cProfile
    import pstats

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    profiler = cProfile.Profile()
    with CaptureQueriesContext(connection) as queries:
        profiler.enable()
        client.get(url)
        profiler.disable()
    pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(40)
    print(f"{len(queries)} queries, {sum(float(q['time']) for q in queries):.3f} s in the database:", file=sys.stderr)
    for query in queries:
        print(f"  {float(query['time']) * 1000:8.1f} ms  {query['sql'][:240]}", file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--matches", type=int, default=5000)
    parser.add_argument("--journal", type=int, default=20000)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--profile", action="store_true",
                        help="also print (to stderr) a cProfile of one warm dashboard request and its queries")
    parser.add_argument("--no-freeze", action="store_true",
                        help="leave out the gc.freeze() that matchwerk.wsgi does at start (for comparison)")
    args = parser.parse_args()

    django_setup()
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import transaction
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.utils import timezone

    from matchwerk.accounts.enums import Role
    from matchwerk.accounts.models import User
    from matchwerk.events.models import Event, Feedback, Registration
    from matchwerk.matching.enums import STAGE_FLOW, MatchStage
    from matchwerk.matching.models import FollowUp, FollowUpAnswer, JournalEntry, Match, MatchSide, StageChange
    from matchwerk.profiles.models import Organisation, Region
    from matchwerk.programmes.grants.enums import GrantStatus
    from matchwerk.programmes.grants.models import Grant, Payment
    from matchwerk.programmes.models import Programme

    setup_test_environment()
    call_command("migrate", verbosity=0, interactive=False)
    call_command("createcachetable", verbosity=0)
    rng = random.Random(11)
    now = timezone.now()
    regions = list(Region.objects.order_by("pk")[:3])
    started = time.perf_counter()
    with transaction.atomic():
        programme = Programme.objects.create(
            name="Bench-Programm", slug="bench", budget=Decimal(args.matches) * Decimal("2500.00"),
            funder="Freistaat Sachsen", funding_reference="BENCH-1", starts_on=(now - timedelta(days=3 * 365)).date(),
            ends_on=now.date())
        programme.regions.set(regions)
        organisations = Organisation.objects.bulk_create([
            Organisation(key=f"bench-{i}", kind="creative" if i % 2 == 0 else "sme", name=f"Organisation {i}",
                         region=regions[i % 3]) for i in range(2 * args.matches)])
        stages = STAGE_FLOW + [MatchStage.ENDED]
        matches = Match.objects.bulk_create([
            Match(programme=programme, status="active", stage=stages[i % len(stages)],
                  created_at=now - timedelta(days=rng.randint(30, 3 * 365))) for i in range(args.matches)])
        MatchSide.objects.bulk_create([MatchSide(match=m, organisation=organisations[2 * i + k])
                                       for i, m in enumerate(matches) for k in (0, 1)])
        StageChange.objects.bulk_create([
            StageChange(match=m, from_stage="", to_stage=stage, changed_at=m.created_at + timedelta(days=10 * j))
            for m in matches for j, stage in enumerate(STAGE_FLOW[:STAGE_FLOW.index(m.stage) + 1]
                                                        if m.stage in STAGE_FLOW else STAGE_FLOW[:2])])
        JournalEntry.objects.bulk_create([
            JournalEntry(match=matches[i % len(matches)], text=f"Notiz {i}", written_at=now - timedelta(hours=i))
            for i in range(args.journal)])
        funded = [m for m in matches if m.stage in STAGE_FLOW[3:]]
        grants = Grant.objects.bulk_create([
            Grant(programme=programme, match=m, purpose="Idee", amount_requested=Decimal("2500.00"),
                  amount_approved=Decimal("2500.00"), status=GrantStatus.APPROVED, decided_at=m.created_at)
            for m in funded])
        Payment.objects.bulk_create([Payment(grant=g, paid_on=(g.decided_at + timedelta(days=10)).date(),
                                             amount=Decimal("2500.00"), reference=f"B-{g.pk}") for g in grants])
        followups = FollowUp.objects.bulk_create([
            FollowUp(match=m, month=month, due_at=m.created_at + timedelta(days=30 * month),
                     sent_at=m.created_at + timedelta(days=30 * month), recipients=2)
            for m in matches if m.stage in STAGE_FLOW[5:] for month in (3, 6, 12)])
        FollowUpAnswer.objects.bulk_create([
            FollowUpAnswer(followup=f, still_cooperating=rng.random() < 0.7, answered_at=f.sent_at)
            for f in followups if rng.random() < 0.6])
        for e in range(40):
            start = now - timedelta(days=20 * e + 1)
            event = Event.objects.create(title=f"Veranstaltung {e}", format="workshop", starts_at=start,
                                         ends_at=start + timedelta(hours=2), capacity=60, programme=programme,
                                         status="published")
            registrations = Registration.objects.bulk_create([
                Registration(event=event, name=f"Gast {e}-{i}", email=f"g{e}-{i}@example.org", code=f"B{e:03d}{i:04d}",
                             checked_in_at=start if i % 4 else None) for i in range(40)])
            Feedback.objects.bulk_create([Feedback(registration=r, rating=rng.randint(3, 5)) for r in registrations[:15]])
        admin = User.objects.create_user(email="bench-admin@example.org", password="bench-pass-2026", role=Role.ADMIN)
    setup_seconds = time.perf_counter() - started
    sizes = {"matches": args.matches, "journal_entries": JournalEntry.objects.count(),
             "stage_changes": StageChange.objects.count(), "grants": len(grants), "payments": len(grants),
             "followups": len(followups), "followup_answers": FollowUpAnswer.objects.count(), "events": 40, "years": 3}
    # A web process does not carry the set-up's ~50,000 model objects.
    del organisations, matches, funded, grants, followups, registrations
    gc.collect()

    load_before = os.getloadavg()[0]
    # What matchwerk.wsgi does when a web process starts: import WeasyPrint and matplotlib,
    # then freeze the start-up objects out of the garbage collector's full passes.
    import_seconds, _modules = timed(lambda: [importlib.import_module(name)
                                              for name in ("weasyprint", "matplotlib.figure")])
    if not args.no_freeze:
        gc.collect()
        gc.freeze()
    client = Client()
    client.force_login(admin)
    url = "/backoffice/berichte/bench/"
    cold, response = timed(lambda: client.get(url))
    assert response.status_code == 200, response.status_code
    dashboard_runs = [timed_cpu(lambda: client.get(url)) for _ in range(args.requests)]
    dashboard = [wall for wall, _cpu in dashboard_runs]
    cpu_ms = [cpu * 1000 for _wall, cpu in dashboard_runs]
    if args.profile:
        profile_request(client, url)
    baseline = [timed(lambda: client.get("/"))[0] for _ in range(args.requests)]
    pdf_url = url + "foerderbericht.pdf"
    pdf_seconds, pdf = timed(lambda: client.get(pdf_url))  # the first PDF (charts cached by the dashboard)
    pdf_again = [timed(lambda: client.get(pdf_url))[0] for _ in range(3)]
    cache.clear()
    pdf_cold_charts, _response = timed(lambda: client.get(pdf_url))  # all 8 charts drawn first
    xlsx_seconds, xlsx = timed(lambda: client.get(url + "foerderbericht.xlsx"))
    assert pdf.status_code == 200 and xlsx.status_code == 200

    ms = [s * 1000 for s in dashboard]
    result = {
        "benchmark": "programme_reports",
        "sizes": sizes,
        "database": "postgresql" if "postgres" in os.environ["MATCHWERK_DATABASE_URL"] else "sqlite",
        "setup_seconds": round(setup_seconds, 1),
        "dashboard": {"cold_ms": round(cold * 1000, 1), "requests": len(ms), "p50_ms": round(statistics.median(ms), 1),
                      "p95_ms": round(percentile(ms, 0.95), 1), "target_p95_ms": 300,
                      "cpu_p50_ms": round(statistics.median(cpu_ms), 1), "cpu_p95_ms": round(percentile(cpu_ms, 0.95), 1)},
        "start_up_imports_seconds": round(import_seconds, 2), "gc_freeze": not args.no_freeze,
        "funder_pdf": {"first_seconds": round(pdf_seconds, 2),
                       "again_median_seconds": round(statistics.median(pdf_again), 2),
                       "charts_not_cached_seconds": round(pdf_cold_charts, 2),
                       "first_plus_start_up_imports_seconds": round(import_seconds + pdf_seconds, 2),
                       "bytes": len(pdf.content), "target_seconds": 10},
        "funder_xlsx": {"seconds": round(xlsx_seconds, 2), "bytes": len(xlsx.content), "target_seconds": 5},
        "baseline_start_page_p50_ms": round(statistics.median(baseline) * 1000, 1),
        "ratio_dashboard_p50_to_start_page": round(statistics.median(dashboard) / statistics.median(baseline), 1),
        "load_average_before": load_before,
        "load_average": os.getloadavg()[0],
    }
    json.dump(result, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
