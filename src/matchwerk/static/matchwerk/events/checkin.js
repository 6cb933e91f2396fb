// The staff check-in page as a door device (templates/events/staff/checkin.html).
//
// - Keeps the event's valid tickets (code, name, organisation, check-in time) in
//   localStorage, loaded from the tickets URL whenever the network is there.
// - Every scan (camera, handheld scanner typing into the code field, or a tap in the
//   offline search) goes through scan(text): checked against the list at once, then queued
//   in localStorage and sent to the sync URL. Without network the queue waits and is sent
//   when the network returns; the server applies a check-in once however often it arrives,
//   so a batch whose answer got lost is simply sent again.
// - The camera: getUserMedia frames decoded with jsQR (npm package, our static files).
// Without JavaScript the page's plain forms work as before.
(function () {
  "use strict";
  var door = document.getElementById("checkin-door");
  if (!door || !window.localStorage || !window.fetch) {
    return;
  }
  var data = door.dataset;
  var eventId = data.event;
  var ticketsKey = "matchwerk.checkin." + eventId + ".tickets";
  var queueKey = "matchwerk.checkin." + eventId + ".queue";
  var resultEl = document.getElementById("checkin-result");
  var networkEl = document.getElementById("checkin-network");
  var logEl = document.getElementById("checkin-log");
  var countsEl = document.getElementById("checkin-counts");
  var codeForm = document.getElementById("checkin-code-form");
  var codeInput = document.getElementById("checkin-code");
  var searchForm = document.getElementById("checkin-search-form");
  var searchInput = document.getElementById("checkin-search");
  var offlineResults = document.getElementById("checkin-offline-results");
  var csrf = codeForm.querySelector("[name=csrfmiddlewaretoken]").value;
  var online = navigator.onLine;
  var flushing = null;

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (match, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : match;
    });
  }

  function read(key, fallback) {
    try {
      var value = JSON.parse(window.localStorage.getItem(key));
      return value === null ? fallback : value;
    } catch (error) {
      return fallback;
    }
  }

  function write(key, value) {
    window.localStorage.setItem(key, JSON.stringify(value));
  }

  function normalCode(text) {
    return String(text || "").toUpperCase().replace(/[^A-Z0-9]/g, "");
  }

  function hhmm(iso) {
    var date = new Date(iso);
    return ("0" + date.getHours()).slice(-2) + ":" + ("0" + date.getMinutes()).slice(-2);
  }

  function tickets() {
    return read(ticketsKey, {loaded_at: null, tickets: {}});
  }

  function queue() {
    return read(queueKey, []);
  }

  function show(message, kind) {
    resultEl.textContent = message;
    resultEl.className = "checkin-result " + (kind || "");
    var item = document.createElement("li");
    item.textContent = hhmm(new Date().toISOString()) + " · " + message;
    logEl.insertBefore(item, logEl.firstChild);
    while (logEl.children.length > 10) {
      logEl.removeChild(logEl.lastChild);
    }
  }

  function renderCounts(counts) {
    if (counts && countsEl.dataset.template) {
      countsEl.textContent = fill(countsEl.dataset.template, counts);
    }
  }

  function localCounts() {
    var list = tickets().tickets;
    var codes = Object.keys(list);
    var present = codes.filter(function (code) { return list[code].checked_in_at; }).length;
    var text = countsEl.textContent.match(/\d+/g) || [];
    renderCounts({present: present, registered: codes.length, walk_ins: text.length > 2 ? text[2] : 0});
  }

  function renderNetwork() {
    var values = {tickets: Object.keys(tickets().tickets).length, queued: queue().length};
    networkEl.textContent = fill(online ? data.msgOnline : data.msgOffline, values);
    networkEl.className = online ? "" : "checkin-offline";
  }

  function setOnline(value) {
    online = value;
    renderNetwork();
  }

  function post(items) {
    return fetch(data.syncUrl, {
      method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRFToken": csrf, "Accept": "application/json"},
      body: JSON.stringify({checkins: items})
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (!response.ok || type.indexOf("application/json") !== 0) {
        throw new Error("sync failed: " + response.status);
      }
      return response.json();
    });
  }

  function applyResults(results) {
    var store = tickets();
    results.forEach(function (result) {
      var ticket = store.tickets[result.code];
      if (result.result === "refused") {
        if (ticket) {
          delete store.tickets[result.code];
        }
        return;
      }
      store.tickets[result.code] = {
        name: result.name, organisation: ticket ? ticket.organisation : "", checked_in_at: result.checked_in_at
      };
    });
    write(ticketsKey, store);
  }

  // Sends the queued check-ins (oldest first); resolves with the server's results, or
  // with null when the network is not there (the queue stays as it was).
  function flush() {
    if (flushing) {
      return flushing;
    }
    var batch = queue().slice(0, 200);
    if (!batch.length) {
      return Promise.resolve([]);
    }
    flushing = post(batch).then(function (answer) {
      write(queueKey, queue().slice(batch.length));
      applyResults(answer.results);
      answer.results.forEach(function (result) {
        if (result.result === "refused") {
          show(result.message, "error");
        }
      });
      renderCounts(answer.counts);
      setOnline(true);
      return answer.results;
    }).catch(function () {
      setOnline(false);
      return null;
    }).then(function (results) {
      flushing = null;
      renderNetwork();
      if (results && queue().length) {
        return flush().then(function (more) { return results.concat(more || []); });
      }
      return results;
    });
    return flushing;
  }

  function loadTickets() {
    return fetch(data.ticketsUrl, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (response) {
        if (!response.ok) {
          throw new Error("tickets failed: " + response.status);
        }
        return response.json();
      }).then(function (answer) {
        var list = {};
        answer.tickets.forEach(function (ticket) {
          list[ticket.code] = {name: ticket.name, organisation: ticket.organisation,
            checked_in_at: ticket.checked_in_at};
        });
        // Check-ins still waiting in the queue stay visible as done on this device.
        var old = tickets().tickets;
        queue().forEach(function (item) {
          if (list[item.code] && !list[item.code].checked_in_at) {
            list[item.code].checked_in_at = (old[item.code] && old[item.code].checked_in_at) || item.at;
          }
        });
        write(ticketsKey, {loaded_at: answer.loaded_at, tickets: list});
        renderCounts(answer.counts);
        setOnline(true);
      }).catch(function () {
        setOnline(false);
      });
  }

  // One scanned or typed code. Resolves with the message shown.
  function scan(text) {
    var code = normalCode(text);
    if (!code) {
      show(data.msgEmpty, "error");
      return Promise.resolve(data.msgEmpty);
    }
    var store = tickets();
    var ticket = store.tickets[code];
    var message;
    if (ticket && ticket.checked_in_at) {
      message = fill(data.msgAlready, {name: ticket.name, time: hhmm(ticket.checked_in_at)});
      show(message, "warning");
      return Promise.resolve(message);
    }
    if (ticket) {
      var now = new Date().toISOString();
      ticket.checked_in_at = now;
      write(ticketsKey, store);
      var waiting = queue();
      waiting.push({code: code, at: now});
      write(queueKey, waiting);
      message = fill(data.msgCheckedIn, {name: ticket.name});
      show(online && navigator.onLine ? message : message + " " + data.msgQueued, "success");
      localCounts();
      renderNetwork();
      flush();
      return Promise.resolve(message);
    }
    // Not in the list: a walk-in registered since the list was loaded, another event's
    // ticket, a cancelled registration. The server decides when it can be asked.
    var unknown = fill(data.msgUnknown, {code: String(text).trim().slice(0, 40)});
    if (!navigator.onLine) {
      show(unknown, "error");
      return Promise.resolve(unknown);
    }
    return post([{code: code, at: new Date().toISOString()}]).then(function (answer) {
      var result = answer.results[0];
      applyResults(answer.results);
      renderCounts(answer.counts);
      show(result.message, result.result === "refused" ? "error" : (result.result === "already" ? "warning" : "success"));
      return result.message;
    }).catch(function () {
      setOnline(false);
      show(unknown, "error");
      return unknown;
    });
  }

  function searchOffline(query) {
    var needle = query.trim().toLowerCase();
    var list = tickets().tickets;
    offlineResults.textContent = "";
    offlineResults.hidden = false;
    var found = Object.keys(list).filter(function (code) {
      var ticket = list[code];
      return needle && ((ticket.name || "").toLowerCase().indexOf(needle) >= 0
        || (ticket.organisation || "").toLowerCase().indexOf(needle) >= 0);
    }).slice(0, 30);
    if (!found.length) {
      var none = document.createElement("li");
      none.textContent = data.msgNone;
      offlineResults.appendChild(none);
    }
    found.forEach(function (code) {
      var ticket = list[code];
      var item = document.createElement("li");
      item.className = "card";
      var line = document.createElement("p");
      var strong = document.createElement("strong");
      strong.textContent = ticket.name;
      line.appendChild(strong);
      if (ticket.organisation) {
        line.appendChild(document.createTextNode(" · " + ticket.organisation));
      }
      item.appendChild(line);
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = fill(data.msgCheckIn, {name: ticket.name});
      button.addEventListener("click", function () {
        scan(code).then(function () { searchOffline(query); });
      });
      item.appendChild(button);
      offlineResults.appendChild(item);
    });
  }

  // The camera: frames decoded with jsQR; the same code is taken again after 3 s at most.
  var video = document.getElementById("checkin-video");
  var cameraButton = document.getElementById("checkin-camera");
  var stream = null;
  var canvas = document.createElement("canvas");
  var lastText = "";
  var lastAt = 0;

  function decodeFrame() {
    if (!stream) {
      return;
    }
    if (video.readyState >= 2 && video.videoWidth) {
      var scale = Math.min(1, 640 / video.videoWidth);
      canvas.width = Math.round(video.videoWidth * scale);
      canvas.height = Math.round(video.videoHeight * scale);
      var context = canvas.getContext("2d", {willReadFrequently: true});
      context.drawImage(video, 0, 0, canvas.width, canvas.height);
      var image = context.getImageData(0, 0, canvas.width, canvas.height);
      var found = window.jsQR(image.data, image.width, image.height, {inversionAttempts: "dontInvert"});
      if (found && found.data && (found.data !== lastText || Date.now() - lastAt > 3000)) {
        lastText = found.data;
        lastAt = Date.now();
        scan(found.data);
      }
    }
    window.setTimeout(decodeFrame, 150);
  }

  function stopCamera() {
    if (stream) {
      stream.getTracks().forEach(function (track) { track.stop(); });
    }
    stream = null;
    video.hidden = true;
    cameraButton.textContent = data.msgCameraStart;
  }

  if (cameraButton && window.jsQR) {
    cameraButton.addEventListener("click", function () {
      if (stream) {
        stopCamera();
        return;
      }
      if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
        show(data.msgCameraError, "error");
        return;
      }
      navigator.mediaDevices.getUserMedia({video: {facingMode: "environment"}, audio: false})
        .then(function (media) {
          stream = media;
          video.srcObject = media;
          video.hidden = false;
          cameraButton.textContent = data.msgCameraStop;
          return video.play();
        }).then(decodeFrame).catch(function () {
          stopCamera();
          show(data.msgCameraError, "error");
        });
    });
  } else if (cameraButton) {
    cameraButton.hidden = true;
  }

  codeForm.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = codeInput.value;
    codeInput.value = "";
    codeInput.focus();
    scan(text);
  });

  searchForm.addEventListener("submit", function (event) {
    if (!navigator.onLine) {
      event.preventDefault();
      searchOffline(searchInput.value);
    }
  });

  var forgetRow = document.getElementById("checkin-forget-row");
  document.getElementById("checkin-forget").addEventListener("click", function () {
    if (queue().length) {
      show(data.msgNotForgotten, "error");
      return;
    }
    window.localStorage.removeItem(ticketsKey);
    window.localStorage.removeItem(queueKey);
    renderNetwork();
    show(data.msgForgotten, "");
  });

  window.addEventListener("online", function () {
    setOnline(true);
    flush().then(loadTickets);
  });
  window.addEventListener("offline", function () { setOnline(false); });
  window.setInterval(function () {
    if (queue().length && navigator.onLine) {
      flush();
    }
  }, 15000);

  door.hidden = false;
  forgetRow.hidden = false;
  renderNetwork();
  var ready = navigator.onLine ? flush().then(loadTickets) : Promise.resolve();
  // For the browser journey and the curious: the camera calls exactly this scan().
  window.MatchwerkCheckin = {scan: scan, flush: flush, ready: ready};
}());
