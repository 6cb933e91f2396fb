"""The personal agenda offline: a service worker scoped to ``/mein-bereich/veranstaltungen/``.

It answers every GET of a page it controls from the network and keeps a copy; when the
network fails it answers from that copy. So the agenda (and the stylesheet it uses) stays
readable when the connection drops after it was loaded — on a train, in a hall without
Wi-Fi. Only the agenda's own scope is controlled; nothing is sent anywhere else. The copy
lives in the browser's cache storage of this site until the next successful load
replaces it (documented in docs/events.md, "Agenda offline").
"""

from __future__ import annotations

from django.http import HttpResponse
from django.views.decorators.cache import never_cache

CACHE_NAME = "matchwerk-agenda-v1"

WORKER = """\
"use strict";
const CACHE = "%(cache)s";
self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));
self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || new URL(request.url).origin !== self.location.origin) {
    return;
  }
  event.respondWith(
    fetch(request).then((response) => {
      if (response.ok && !response.redirected) {
        const copy = response.clone();
        caches.open(CACHE).then((cache) => cache.put(request, copy));
      }
      return response;
    }).catch(() => caches.match(request).then((hit) => hit || Response.error()))
  );
});
"""


@never_cache
def agenda_worker(request):
    response = HttpResponse(WORKER % {"cache": CACHE_NAME}, content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/mein-bereich/veranstaltungen/"
    return response
