"""Running functions in threads that start at the same moment (check-then-act tests on PostgreSQL)."""

from __future__ import annotations

import threading

from django.db import connection


def run_at_once(functions) -> list:
    """Call every function in its own thread, released together by a barrier; the results in
    order, an exception in place of a result where one was raised."""
    barrier = threading.Barrier(len(functions))
    results: list = [None] * len(functions)

    def run(i, function):
        try:
            barrier.wait()
            results[i] = function()
        except Exception as error:  # collected and asserted on by the caller
            results[i] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, f)) for i, f in enumerate(functions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results
