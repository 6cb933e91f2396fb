"""Suggestions in the platform at scale: a full computation, then single-organisation edits
until the stored suggestions are fresh, and the pages on that database.

Builds a throw-away SQLite database (or fills the PostgreSQL server named by
MATCHWERK_DATABASE_URL: use a scratch database) with N organisations of 5 generated texts
each (2 needs, 3 offers, the vocabulary of bench/matching_speed.py), all consenting. Then:

* the full computation (``suggestions_recompute``: index built from the database, every
  text encoded once and stored, every list of the programme stored), in seconds;
* E single-organisation edits through the profile service (a need's text changes): the
  change event queues the refresh, which runs as the worker runs it (tasks run
  immediately here); seconds from the edit until the stored suggestions are fresh
  (p50/p95), and how many lists each refresh rewrote (lists whose rows changed);
* the baseline in the same process: the time a full recompute *on the warm index* takes
  (what each edit would cost without the incremental path, encoding excluded);
* the review queue (first page, a later page, region and search filters), the directory
  and one organisation's suggestion page through Django's test client (p50/p95 ms);
* peak memory (ru_maxrss).

    OPENBLAS_NUM_THREADS=1 .venv/bin/python bench/platform_suggestions.py [--organisations 10000] [--edits 50]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from benchsetup import django_setup  # noqa: E402


def percentiles(values: list[float], scale: float = 1.0) -> dict:
    import numpy as np

    return {"p50": round(float(np.percentile(values, 50)) * scale, 3),
            "p95": round(float(np.percentile(values, 95)) * scale, 3)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--organisations", type=int, default=10_000)
    parser.add_argument("--edits", type=int, default=50)
    parser.add_argument("--page-requests", type=int, default=20)
    args = parser.parse_args()

    os.environ.setdefault("MATCHWERK_CACHE_DIR", "off")  # the database stores the embeddings
    os.environ["MATCHWERK_TASKS"] = "immediate"  # the refresh runs when the edit commits
    django_setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse
    from django.utils import timezone

    from matching_speed import KINDS, SECTORS, need, offer
    from matchwerk.accounts.enums import Role
    from matchwerk.accounts.models import User
    from matchwerk.matching import recompute
    from matchwerk.matching.models import Suggestion
    from matchwerk.profiles import services as profile_services
    from matchwerk.profiles.models import Need, Offer, Organisation, Person, Region, Topic

    setup_test_environment()  # the test client's ALLOWED_HOSTS
    call_command("migrate", verbosity=0, interactive=False)
    rng = random.Random(args.organisations)
    regions = list(Region.objects.order_by("pk"))
    topics = {t.name_de: t for t in Topic.objects.all()}
    for name in SECTORS:
        if name not in topics:
            topics[name] = Topic.objects.create(slug=f"bench-{name.lower()}", name_de=name)
    started = time.perf_counter()
    with transaction.atomic():  # model writes: no change events while generating
        Organisation.objects.bulk_create([
            Organisation(key=f"bench-{i}", kind=rng.choice(KINDS), name=f"Organisation {i}",
                         region=rng.choice(regions), listed_in_directory=True, open_for_matching=True)
            for i in range(args.organisations)], batch_size=1000)
        organisations = list(Organisation.objects.order_by("pk"))
        Need.objects.bulk_create([Need(organisation=o, title=need(rng)) for o in organisations for _ in range(2)],
                                 batch_size=2000)
        Offer.objects.bulk_create([Offer(organisation=o, title=offer(rng)) for o in organisations
                                   for _ in range(3)], batch_size=2000)
        through = Organisation.topics.through
        through.objects.bulk_create([through(organisation_id=o.pk, topic_id=topics[name].pk)
                                     for o in organisations for name in rng.sample(SECTORS, 2)], batch_size=5000)
        Person.objects.bulk_create([Person(organisation=o, name=f"Person {o.pk}", email=f"p{o.pk}@example.org")
                                    for o in organisations], batch_size=2000)
    generate_seconds = time.perf_counter() - started

    programme = recompute.programme_default()
    load_before_full = os.getloadavg()[0]
    started, started_cpu = time.perf_counter(), time.process_time()
    stored = recompute.suggestions_recompute(programme=programme, rebuild=True)
    full_seconds, full_cpu = time.perf_counter() - started, time.process_time() - started_cpu
    load_after_full = os.getloadavg()  # 1, 5, 15 minutes: other processes on the machine

    started = time.perf_counter()
    recompute.suggestions_recompute(programme=programme, rebuild=False)
    baseline_seconds = time.perf_counter() - started  # every list again, warm index, no encoding

    edits, edits_cpu, lists = [], [], []
    for n, organisation in enumerate(rng.sample(organisations, args.edits)):
        first = organisation.needs.order_by("pk").first()
        mark = timezone.now()
        started, started_cpu = time.perf_counter(), time.process_time()
        with transaction.atomic():  # commit → on_commit enqueues the refresh, which runs at once here
            profile_services.need_update(actor=None, need=first, title=need(rng), description=f"Änderung {n}")
        edits.append(time.perf_counter() - started)
        edits_cpu.append(time.process_time() - started_cpu)
        stale = Suggestion.objects.filter(is_stale=True).count()
        assert stale == 0, f"{stale} suggestions still stale after the refresh"
        lists.append(Suggestion.objects.filter(computed_at__gte=mark).values("organisation_id").distinct().count())

    staff = User.objects.create_user(email="bench-team@example.org", password="x" * 12, role=Role.MATCHING_TEAM,
                                     full_name="Bench")
    owner = User.objects.create_user(email="bench-owner@example.org", password="x" * 12, full_name="Owner")
    target = organisations[0]
    Person.objects.create(organisation=target, user=owner, name="Owner", email=owner.email, can_edit=True)
    team, member = Client(), Client()
    team.force_login(staff)
    member.force_login(owner)
    region = regions[0]
    pages = {
        "queue_first_page": (team, reverse("matching:queue"), {}),
        "queue_page_20": (team, reverse("matching:queue"), {"seite": 20}),
        "queue_region_filter": (team, reverse("matching:queue"), {"region": region.slug}),
        "queue_search": (team, reverse("matching:queue"), {"suche": "Organisation 12"}),
        "queue_kind_strength": (team, reverse("matching:queue"), {"art": "creative", "staerke": "good"}),
        "queue_one_organisation": (team, reverse("matching:queue"), {"organisation": target.pk}),
        "directory": (member, reverse("profiles:directory"), {}),
        "directory_search": (member, reverse("profiles:directory"), {"q": "Organisation 77"}),
        "suggestions_page": (member, reverse("matching:organisation_suggestions", args=[target.pk]), {}),
    }
    page_times = {}
    for name, (client, url, params) in pages.items():
        assert client.get(url, params).status_code == 200, name  # warm-up
        times, cpu = [], []
        for _ in range(args.page_requests):
            started, started_cpu = time.perf_counter(), time.process_time()
            response = client.get(url, params)
            times.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
            assert response.status_code == 200, (name, response.status_code)
        page_times[name] = {**percentiles(times, 1000.0), "cpu_p95": percentiles(cpu, 1000.0)["p95"]}

    from matchwerk.engine.matching.fusion import encoders_from_env
    from matchwerk.engine.matching.semantic import DEFAULT_E5_ENGINE

    result = {
        "bench": "platform_suggestions", "database": connection.vendor,
        "encoder": "+".join(encoders_from_env()) or "none",  # what the engine really used
        "e5_engine": os.environ.get("MATCHWERK_E5_ENGINE", DEFAULT_E5_ENGINE),
        "organisations": args.organisations, "texts": args.organisations * 5,
        "suggestions_stored": stored, "generate_seconds": round(generate_seconds, 1),
        "full_computation_seconds": round(full_seconds, 1), "full_computation_cpu_seconds": round(full_cpu, 1),
        "baseline_all_lists_warm_index_seconds": round(baseline_seconds, 1),
        "edits": args.edits, "edit_until_fresh_seconds": percentiles(edits),
        "lists_rewritten_per_edit": percentiles(lists), "edit_max_seconds": round(max(edits), 3), "edit_cpu_seconds": percentiles(edits_cpu),
        "ratio_baseline_to_edit_p50": round(baseline_seconds / max(1e-9, percentiles(edits)["p50"]), 1),
        "pages_ms": page_times,
        "peak_memory_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "cpu_count": os.cpu_count(),
        "load_average": {"before_full": round(load_before_full, 2),
                         "after_full_1_5_15": [round(v, 2) for v in load_after_full],
                         "end_1_5_15": [round(v, 2) for v in os.getloadavg()]},
    }
    json.dump(result, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
