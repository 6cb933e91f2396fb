"""Brokerage day at scale: "create plan" for 2,500 participants and 12,000 accepted
requests, then the personal agenda and the staff plan page with 10,000+ meetings stored.

Sets up one brokerage event in the database (participants, availability, booths and
accepted requests shaped by the engine's generator ``scheduling.generate.brokerage``:
12 slots of 20 minutes, tables for 35 % of the participants (the generator's default is 23 %;
35 % leaves room for about 10,000 meetings), skewed popularity,
half the people with an absence block, priorities must/would like), then

* "create plan": ``services.plan_start`` (the button) and ``services.plan_execute`` (what
  the worker runs: input from the database, the engine's ``schedule``, the preliminary
  version stored): wall seconds from button to stored version, split into input, solve
  and store; the objective against the scheduler's proven bound;
* releases the version and starts gunicorn (3 workers, 127.0.0.1) to measure over HTTP,
  sequentially: the personal agenda (``/mein-bereich/veranstaltungen/``), the meetings
  page of a participant, the staff plan page (first page, a person filter, page 100 of
  the meetings), each p50/p95, with the start page as the baseline in the same run, and
  the database queries per request (counted in process).

Prints one JSON document. Uses the database of MATCHWERK_DATABASE_URL (a scratch database
the script fills and empties; ``scripts/with-postgres.sh``), else a throw-away SQLite file.

    scripts/with-postgres.sh .venv/bin/python bench/web_meetings.py [--people 2500 --requests 12000]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import socket
import subprocess
import sys
import time
from datetime import datetime, timedelta
from datetime import time as clock
from pathlib import Path

from benchsetup import django_setup
from web_events import Client, free_port, percentile, queries_per_request, summary


def session_of(user) -> str:
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    store = SessionStore()
    store[SESSION_KEY], store[BACKEND_SESSION_KEY] = str(user.pk), "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key


def setup_data(people: int, requests: int, table_share: float):
    from django.utils import timezone

    from matchwerk.accounts.enums import Role
    from matchwerk.accounts.models import User
    from matchwerk.engine.scheduling.generate import brokerage as generate
    from matchwerk.events.enums import EventFormat, EventStatus, RegistrationStatus
    from matchwerk.events.models import Event, Registration
    from matchwerk.meetings.enums import Priority, RequestStatus
    from matchwerk.meetings.models import Absence, Booth, Brokerage, MeetingRequest, Session, Slot

    instance = generate(people, seed=1, meetings_per_person=requests / people, table_share=table_share)
    staff = User.objects.create(email="bench-staff@example.org", full_name="Bench Staff", role=Role.ADMIN,
                                email_confirmed_at=timezone.now())
    day = timezone.localdate() + timedelta(days=3)
    start = timezone.make_aware(datetime.combine(day, clock(9)))
    event = Event.objects.create(title="Benchmark-Kooperationsbörse", format=EventFormat.BROKERAGE,
                                 venue_name="Messe", starts_at=start, ends_at=start + timedelta(hours=8),
                                 capacity=people + 10, status=EventStatus.PUBLISHED)
    brokerage = Brokerage.objects.create(event=event, meeting_minutes=20, tables=instance["tables"])
    slot_count = len(instance["slots"])
    Session.objects.create(brokerage=brokerage, starts_at=start, ends_at=start + timedelta(minutes=20 * slot_count))
    slots = Slot.objects.bulk_create([Slot(brokerage=brokerage, starts_at=start + timedelta(minutes=20 * k),
                                           ends_at=start + timedelta(minutes=20 * (k + 1)))
                                      for k in range(slot_count)])
    slot_of = dict(zip(instance["slots"], slots))
    users = User.objects.bulk_create([
        User(email=f"person{n}@example.org", full_name=f"Person {n}", password="!",
             email_confirmed_at=timezone.now()) for n in range(people)], batch_size=1000)
    registrations = Registration.objects.bulk_create([
        Registration(event=event, user=user, name=user.full_name, email=user.email,
                     status=RegistrationStatus.CONFIRMED) for user in users], batch_size=1000)
    by_id = {row["id"]: registration for row, registration in zip(instance["participants"], registrations)}
    absences, booths = [], []
    for row in instance["participants"]:
        if "available" in row:
            absences += [Absence(registration=by_id[row["id"]], slot=slot_of[name])
                         for name in instance["slots"] if name not in row["available"]]
        if "table" in row:
            booths.append(Booth(brokerage=brokerage, registration=by_id[row["id"]], table=row["table"]))
    Absence.objects.bulk_create(absences, batch_size=5000)
    Booth.objects.bulk_create(booths)
    MeetingRequest.objects.bulk_create([
        MeetingRequest(event=event, requester=by_id[m["a"]], receiver=by_id[m["b"]], status=RequestStatus.ACCEPTED,
                       priority=Priority.WOULD_LIKE if m["weight"] == 1 else Priority.MUST,
                       answered_at=timezone.now()) for m in instance["meetings"]], batch_size=5000)

    sample = random.Random(1).sample(users, 50)
    return event, staff, session_of(staff), [(user, session_of(user)) for user in sample]


def reuse_data():
    """The event, staff and 50 sampled participants (with fresh sessions) a run with --keep left."""
    from matchwerk.accounts.models import User
    from matchwerk.events.models import Event

    event = Event.objects.get(title="Benchmark-Kooperationsbörse")
    staff = User.objects.get(email="bench-staff@example.org")
    users = list(User.objects.filter(email__startswith="person", email__endswith="@example.org").order_by("pk"))
    sample = random.Random(1).sample(users, 50)
    return event, staff, session_of(staff), [(user, session_of(user)) for user in sample]


def create_plan(event, staff, plan_seconds: float | None = None) -> dict:
    from django.db import transaction

    from matchwerk.meetings import planning, services
    from matchwerk.meetings.models import Brokerage, PlanRun
    from matchwerk.meetings.services.plan import plan_execute, working_version

    started = time.perf_counter()
    with transaction.atomic():
        run = services.plan_start(actor=staff, event=event)  # the button (the task is queued in the database)
    times = {}
    real_input = planning.plan_input

    def timed_input(**kwargs):
        begin = time.perf_counter()
        out = real_input(**kwargs)
        times["input_seconds"] = round(time.perf_counter() - begin, 2)
        return out

    def timed_solve(data, progress):
        from matchwerk.engine.schedule import run as schedule_run

        if plan_seconds is not None:
            data = {**data, "time_limit": plan_seconds}
        begin = time.perf_counter()
        out = schedule_run(data, progress)
        times["solve_seconds"] = round(time.perf_counter() - begin, 2)
        times["time_limit"] = data["time_limit"]
        times["solve_done"] = time.perf_counter()
        return out

    planning.plan_input = timed_input
    try:
        run = plan_execute(run_id=run.pk, solve=timed_solve)  # what the worker runs
    finally:
        planning.plan_input = real_input
    total = time.perf_counter() - started
    assert run.status == "done", (run.status, run.message, run.error)
    figures = working_version(event).figures
    return {"button_to_stored_seconds": round(total, 2), **{k: v for k, v in times.items() if k != "solve_done"},
            "store_seconds": round(time.perf_counter() - times["solve_done"], 2) if "solve_done" in times else None,
            "requests": figures["requested"], "placed": figures["placed"], "objective": figures["objective"],
            "bound": figures["bound"], "ratio_to_bound": figures["ratio"], "gaps": figures["gaps"],
            "breaks": figures["breaks"], "unplaced": len(figures["unplaced"]),
            "revision": Brokerage.objects.get(event=event).revision, "run_id": PlanRun.objects.get(pk=run.pk).pk}


def workers_cpu_seconds(server_pid: int) -> float:
    """User + system CPU seconds of gunicorn's workers (Linux /proc): the server's own work
    per request, which a loaded machine does not inflate the way it inflates wall time."""
    ticks = os.sysconf("SC_CLK_TCK")
    try:
        children = Path(f"/proc/{server_pid}/task/{server_pid}/children").read_text().split()
    except OSError:
        return float("nan")
    total = 0
    for child in children:
        try:
            fields = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def measure(port, event, staff_session, participants, count, server_pid: int) -> dict:
    staff = Client(port, staff_session)
    plan = f"/backoffice/veranstaltungen/{event.pk}/gespraeche/plan/"
    # Warm up every worker (the first request of a worker imports the URLconf, views and
    # the engine; on a loaded machine that takes seconds): not measured.
    for _ in range(4):
        for path, session in ((plan, staff_session), ("/mein-bereich/veranstaltungen/", participants[0][1]),
                              (f"/veranstaltungen/{event.pk}/gespraeche/", participants[0][1]), ("/", "")):
            warm = Client(port, session)
            warm.connection.timeout = 180
            warm.request("GET", path)
    cpu = workers_cpu_seconds(server_pid)
    baseline = [Client(port).request("GET", "/")[2] for _ in range(count)]
    out = {"baseline_start_page": {**summary(baseline), "server_cpu_ms_per_request": round(
        1000 * (workers_cpu_seconds(server_pid) - cpu) / count, 1), "load_average_1min": round(os.getloadavg()[0], 1)}}
    pages = {
        "agenda": lambda n: (Client(port, participants[n % len(participants)][1]), "/mein-bereich/veranstaltungen/"),
        "meetings_page": lambda n: (Client(port, participants[n % len(participants)][1]),
                                    f"/veranstaltungen/{event.pk}/gespraeche/"),
        "staff_plan": lambda n: (staff, plan),
        "staff_plan_person_filter": lambda n: (staff, f"{plan}?person=Person+{n * 37 % 2500}"),
        "staff_plan_page_100": lambda n: (staff, f"{plan}?seite={100 + n % 50}"),
    }
    for name, make in pages.items():
        timings = []
        cpu = workers_cpu_seconds(server_pid)
        for n in range(count):
            client, path = make(n)
            status, text, seconds = client.request("GET", path)
            assert status == 200, (name, status)
            timings.append(seconds)
        out[name] = {**summary(timings),
                     "server_cpu_ms_per_request": round(1000 * (workers_cpu_seconds(server_pid) - cpu) / count, 1),
                     "load_average_1min": round(os.getloadavg()[0], 1)}
        out[f"ratio_{name}_p95_to_baseline"] = round(percentile(timings, .95) / percentile(baseline, .95), 2)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=2500)
    parser.add_argument("--requests", type=int, default=12000)
    parser.add_argument("--http", type=int, default=100, help="requests per page measured")
    parser.add_argument("--keep", action="store_true", help="leave the data in the database (a throw-away one)")
    parser.add_argument("--plan-seconds", type=float, default=None,
                        help="the scheduler's time limit (default: the adapter's, 75 s at this size); a short limit "
                             "stores a plan of about the same size quickly, to measure the pages")
    parser.add_argument("--pages-only", action="store_true",
                        help="measure the pages on the data a run with --keep left (no setup, no plan run)")
    parser.add_argument("--table-share", type=float, default=0.35,
                        help="tables per participant (0.35: room for about 10,000 of the 12,000 meetings)")
    args = parser.parse_args()

    django_setup()
    from django.core.management import call_command
    from django.db import connection
    from django_tasks_db.models import DBTaskResult

    from matchwerk.accounts.models import User
    from matchwerk.events.models import Event
    from matchwerk.meetings import services
    from matchwerk.meetings.models import Meeting

    call_command("migrate", verbosity=0, interactive=False)
    call_command("createcachetable", verbosity=0)
    if args.pages_only:
        event, staff, staff_session, participants = reuse_data()
        result = {"bench": "web_meetings", "database": connection.vendor, "pages_only": True,
                  "people": event.registrations.count(),
                  "accepted_requests": event.meeting_requests.filter(status="accepted").count()}
    else:
        Event.objects.all().delete()
        User.objects.filter(email__endswith="@example.org").delete()
        began = time.perf_counter()
        event, staff, staff_session, participants = setup_data(args.people, args.requests, args.table_share)
        setup_seconds = round(time.perf_counter() - began, 1)
        result = {"bench": "web_meetings", "database": connection.vendor, "people": args.people,
                  "accepted_requests": args.requests, "table_share": args.table_share, "setup_seconds": setup_seconds}
        result["create_plan"] = create_plan(event, staff, args.plan_seconds)
        print(json.dumps(result), file=sys.stderr, flush=True)  # the expensive part, in case the rest fails
        services.version_release(actor=staff, event=event)
        DBTaskResult.objects.all().delete()  # the queued run and change mails (no worker in the benchmark)
    result["meetings_stored"] = Meeting.objects.filter(version__event=event).count()
    result["load_average_1min_before_pages"] = round(os.getloadavg()[0], 1)
    plan = f"/backoffice/veranstaltungen/{event.pk}/gespraeche/plan/"
    result["queries_per_request"] = queries_per_request([
        ("agenda", "/mein-bereich/veranstaltungen/", participants[0][0]),
        ("meetings_page", f"/veranstaltungen/{event.pk}/gespraeche/", participants[0][0]),
        ("staff_plan", plan, staff)])
    port = free_port()
    env = {**os.environ, "MATCHWERK_ALLOWED_HOSTS": "127.0.0.1",
           "MATCHWERK_EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend"}
    server = subprocess.Popen([str(Path(sys.executable).parent / "gunicorn"), "matchwerk.wsgi:application",
                               "--bind", f"127.0.0.1:{port}", "--workers", "3", "--log-level", "warning", "--timeout", "120"], env=env)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.2)
        result.update(measure(port, event, staff_session, participants, args.http, server.pid))
        print(json.dumps(result), file=sys.stderr, flush=True)  # before the shutdown, in case it hangs
    finally:
        server.terminate()
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:  # a worker busy with a slow request under load
            server.kill()
            server.wait()
    result.update({"load_average_1min_after": round(os.getloadavg()[0], 1), "cores": os.cpu_count()})
    json.dump(result, sys.stdout, indent=2)
    print(flush=True)
    if not (args.keep or args.pages_only):
        Event.objects.all().delete()
        User.objects.filter(email__endswith="@example.org").delete()


if __name__ == "__main__":
    main()
