// The round clock of the projector page. Everything comes from the server's data
// attributes (start of round 1, round and break lengths, the server's time when the page
// was made), so a reload shows the same clock. At each change of round (or break) the
// page flashes and, once sound is switched on, rings a short bell (Web Audio, no file).
// Without JavaScript the page refreshes itself instead (<noscript> meta refresh).
(function () {
  "use strict";
  var clock = document.getElementById("round-clock");
  if (!clock || !clock.getAttribute("data-start-ms")) {
    return;
  }
  var start = Number(clock.getAttribute("data-start-ms"));
  var offset = Number(clock.getAttribute("data-now-ms")) - Date.now();  // server minus browser
  var roundMs = Number(clock.getAttribute("data-round-ms"));
  var breakMs = Number(clock.getAttribute("data-break-ms"));
  var rounds = Number(clock.getAttribute("data-rounds"));
  var phaseText = document.getElementById("clock-phase");
  var left = document.getElementById("clock-left");
  var time = document.getElementById("clock-time");
  var audio = null;
  var last = clock.getAttribute("data-phase") + ":" + clock.getAttribute("data-round");

  function text(name, round) {
    return (clock.getAttribute("data-text-" + name) || "")
      .replace("{round}", String(round)).replace("{rounds}", String(rounds));
  }

  function state(now) {
    if (now < start) {
      return {phase: "before", round: 1, left: start - now};
    }
    var cycle = roundMs + breakMs;
    var index = Math.floor((now - start) / cycle);
    var within = now - start - index * cycle;
    if (index >= rounds || (index === rounds - 1 && within >= roundMs)) {
      return {phase: "over", round: rounds, left: 0};
    }
    if (within < roundMs) {
      return {phase: "round", round: index + 1, left: roundMs - within};
    }
    return {phase: "break", round: index + 2, left: cycle - within};
  }

  function format(ms) {
    var seconds = Math.ceil(ms / 1000);
    var minutes = Math.floor(seconds / 60);
    var rest = seconds % 60;
    return minutes + ":" + (rest < 10 ? "0" : "") + rest;
  }

  function bell() {
    document.body.classList.add("round-bell");
    window.setTimeout(function () { document.body.classList.remove("round-bell"); }, 2500);
    if (!audio) {
      return;
    }
    [0, 0.35].forEach(function (delay) {
      var oscillator = audio.createOscillator();
      var gain = audio.createGain();
      oscillator.frequency.value = 880;
      gain.gain.setValueAtTime(0.4, audio.currentTime + delay);
      gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + delay + 1.2);
      oscillator.connect(gain).connect(audio.destination);
      oscillator.start(audio.currentTime + delay);
      oscillator.stop(audio.currentTime + delay + 1.2);
    });
  }

  function tick() {
    var now = state(Date.now() + offset);
    var key = now.phase + ":" + now.round;
    phaseText.textContent = text(now.phase, now.round);
    if (left) {
      left.hidden = now.phase === "over";
      time.textContent = format(now.left);
    }
    clock.setAttribute("data-phase", now.phase);
    clock.setAttribute("data-round", String(now.round));
    document.querySelectorAll("[data-plan-round]").forEach(function (section) {
      section.hidden = Number(section.getAttribute("data-plan-round")) !== Math.min(now.round, rounds);
    });
    if (key !== last) {
      last = key;
      bell();
    }
  }

  var sound = document.createElement("button");
  sound.type = "button";
  sound.className = "secondary";
  sound.textContent = clock.getAttribute("data-text-sound") || "Ton an";
  sound.addEventListener("click", function () {
    var Context = window.AudioContext || window.webkitAudioContext;
    if (Context && !audio) {
      audio = new Context();
    }
    sound.disabled = true;
  });
  clock.appendChild(sound);
  var note = clock.querySelector(".clock-note");
  if (note) {
    note.hidden = true;
  }
  tick();
  window.setInterval(tick, 250);
}());
