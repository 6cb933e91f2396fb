"""Event day under load: check-in search, personal agenda and 20 concurrent scanners.

Sets up one event with 2,000 confirmed registrations (every person also registered for
four more events, so agendas are not trivial), starts the WSGI server of the README's
deployment section (gunicorn, 3 workers, on 127.0.0.1 only) and measures over HTTP:

* the staff check-in search (GET, a name fragment) and the personal agenda page:
  p50/p95 over sequential requests, and the queries per request (counted in process);
* 20 scanner threads checking in all 2,000 codes (POST, each code once), then scanning
  400 already used codes again at the same time: errors, double check-ins (the arrival
  times must not change on a repeated scan), p50/p95.

The baseline in the same run is the start page ``/`` served by the same server.
Prints one JSON document. Uses the database named by MATCHWERK_DATABASE_URL (a scratch
database that the script fills and empties; run it with ``scripts/with-postgres.sh``),
else a throw-away SQLite file.

    scripts/with-postgres.sh .venv/bin/python bench/web_events.py [--people 2000]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode

from benchsetup import django_setup

SCANNERS = 20


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def summary(seconds: list[float]) -> dict:
    ms = [s * 1000 for s in seconds]
    return {"requests": len(ms), "p50_ms": round(statistics.median(ms), 1), "p95_ms": round(percentile(ms, 0.95), 1)}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Client:
    """One keep-alive HTTP connection with a session cookie (and the CSRF token)."""

    def __init__(self, port: int, session: str = ""):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.cookies = {"sessionid": session} if session else {}

    def request(self, method: str, path: str, body: dict | None = None) -> tuple[int, str, float]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()), "Accept-Language": "de"}
        data = None
        if body is not None:
            data = urlencode(body)
            headers.update({"Content-Type": "application/x-www-form-urlencoded",
                            "X-CSRFToken": self.cookies.get("csrftoken", ""), "Referer": "http://127.0.0.1/"})
        started = time.perf_counter()
        self.connection.request(method, path, body=data, headers=headers)
        response = self.connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        elapsed = time.perf_counter() - started
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, text, elapsed


def setup_data(people: int):
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils import timezone

    from matchwerk.accounts.enums import Role
    from matchwerk.accounts.models import User
    from matchwerk.events.enums import EventFormat, EventStatus, RegistrationStatus
    from matchwerk.events.models import Event, Registration

    staff = User.objects.create(email="bench-staff@example.org", full_name="Bench Staff", role=Role.ADMIN,
                                email_confirmed_at=timezone.now())
    start = timezone.now() + timedelta(days=1)
    events = Event.objects.bulk_create([
        Event(title=f"Benchmark-Veranstaltung {n}", format=EventFormat.CONFERENCE, venue_name="Messe",
              starts_at=start + timedelta(days=n), ends_at=start + timedelta(days=n, hours=8),
              capacity=people + 100, status=EventStatus.PUBLISHED) for n in range(5)])
    first, last = ["Anna", "Bernd", "Clara", "Dirk", "Eva", "Frank", "Gerda", "Hans"], \
        ["Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Hoffmann"]
    users = User.objects.bulk_create([
        User(email=f"person{n}@example.org", full_name=f"{first[n % 8]} {last[n % 9]} {n}", password="!",
             email_confirmed_at=timezone.now()) for n in range(people)], batch_size=1000)
    registrations = [Registration(event=event, user=user, name=user.full_name, email=user.email,
                                  status=RegistrationStatus.CONFIRMED) for event in events for user in users]
    Registration.objects.bulk_create(registrations, batch_size=2000)

    def session_of(user) -> str:
        store = SessionStore()
        store[SESSION_KEY], store[BACKEND_SESSION_KEY] = str(user.pk), "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        return store.session_key

    main = events[0]
    codes = list(Registration.objects.filter(event=main).values_list("code", flat=True))
    participants = [(user, session_of(user)) for user in random.Random(1).sample(users, 50)]
    return main, staff, session_of(staff), participants, codes


def queries_per_request(paths_with_users) -> dict:
    from django.db import connection
    from django.test import Client as DjangoClient
    from django.test.utils import CaptureQueriesContext

    counts = {}
    for name, path, user in paths_with_users:
        client = DjangoClient()
        client.force_login(user)
        client.get(path)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200, path
        counts[name] = len(captured.captured_queries)
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()

    django_setup()
    from django.core.management import call_command
    from django.db import connection

    from matchwerk.accounts.models import User
    from matchwerk.events.models import Event, Registration

    call_command("migrate", verbosity=0, interactive=False)
    call_command("createcachetable", verbosity=0)
    Event.objects.all().delete()
    User.objects.filter(email__endswith="@example.org").delete()
    event, staff, staff_session, participants, codes = setup_data(args.people)
    search_path = f"/backoffice/veranstaltungen/{event.pk}/check-in/"
    queries = queries_per_request([("checkin_search", f"{search_path}?q=Clara", staff),
                                   ("agenda", "/mein-bereich/veranstaltungen/", participants[0][0])])

    port = free_port()
    env = {**os.environ, "MATCHWERK_ALLOWED_HOSTS": "127.0.0.1", "MATCHWERK_TASKS": "immediate",
           "MATCHWERK_EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend"}
    server = subprocess.Popen([str(Path(sys.executable).parent / "gunicorn"), "matchwerk.wsgi:application",
                               "--bind", f"127.0.0.1:{port}", "--workers", "3",
                               "--log-level", "warning"], env=env)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.2)
        result = measure(port, event, staff_session, participants, codes, args.requests)
    finally:
        server.terminate()
        server.wait(10)
    result.update({"bench": "web_events", "database": connection.vendor, "people": args.people,
                   "scanners": SCANNERS, "queries_per_request": queries,
                   "load_average_1min_after": round(os.getloadavg()[0], 1), "cores": os.cpu_count()})
    Event.objects.all().delete()
    User.objects.filter(email__endswith="@example.org").delete()
    json.dump(result, sys.stdout, indent=2)
    print()


def measure(port, event, staff_session, participants, codes, requests) -> dict:
    from matchwerk.events.models import Registration

    staff = Client(port, staff_session)
    checkin = f"/backoffice/veranstaltungen/{event.pk}/check-in/"
    staff.request("GET", checkin)  # warm up, CSRF cookie
    baseline = [Client(port).request("GET", "/")[2] for _ in range(requests)]
    fragments = ["Clara", "Müller", "Weber 1", "Hans", "person12", "Anna Schmidt"]
    search = []
    for n in range(requests):
        status, text, seconds = staff.request("GET", f"{checkin}?{urlencode({'q': fragments[n % len(fragments)]})}")
        assert status == 200, status
        search.append(seconds)
    agenda = []
    for n in range(requests):
        status, text, seconds = Client(port, participants[n % len(participants)][1]).request(
            "GET", "/mein-bereich/veranstaltungen/")
        assert status == 200 and "Benchmark-Veranstaltung" in text, status
        agenda.append(seconds)

    def scan(batch: list[str], timings: list, errors: list) -> None:
        client = Client(port, staff_session)
        client.request("GET", checkin)
        for code in batch:
            status, _text, seconds = client.request("POST", f"{checkin}code/", {"code": code})
            timings.append(seconds)
            if status != 302:
                errors.append(status)

    def run_scanners(batches) -> tuple[list, list, float]:
        timings, errors = [], []
        threads = [threading.Thread(target=scan, args=(batch, timings, errors)) for batch in batches]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return timings, errors, time.perf_counter() - started

    shuffled = random.Random(2).sample(codes, len(codes))
    first_timings, first_errors, first_seconds = run_scanners([shuffled[i::SCANNERS] for i in range(SCANNERS)])
    arrivals = dict(Registration.objects.filter(event=event).values_list("code", "checked_in_at"))
    repeated = random.Random(3).sample(codes, 20)  # each scanned again by every scanner at once
    again_timings, again_errors, _ = run_scanners([repeated for _ in range(SCANNERS)])
    after = dict(Registration.objects.filter(event=event).values_list("code", "checked_in_at"))
    return {
        "baseline_start_page": summary(baseline),
        "checkin_search": summary(search), "agenda": summary(agenda),
        "ratio_search_p95_to_baseline": round(percentile(search, .95) / percentile(baseline, .95), 2),
        "ratio_agenda_p95_to_baseline": round(percentile(agenda, .95) / percentile(baseline, .95), 2),
        "scanning": {**summary(first_timings + again_timings), "first_scans": len(first_timings),
                     "repeated_scans": len(again_timings), "errors": len(first_errors) + len(again_errors),
                     "checked_in": sum(1 for value in arrivals.values() if value is not None),
                     "arrival_changed_by_repeat": sum(1 for code in codes if after[code] != arrivals[code]),
                     "first_pass_seconds": round(first_seconds, 1)},
        "targets": {"search_and_agenda_p95_ms": 150, "scanning_p95_ms": 250},
    }


if __name__ == "__main__":
    main()
