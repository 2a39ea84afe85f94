// detente dashboard: every number comes from the JSON API; this file only draws.
"use strict";

(function () {
  const SVG = "http://www.w3.org/2000/svg";
  const QUADS = [
    ["verbal_cooperation", "q1", "verbal cooperation"],
    ["material_cooperation", "q2", "material cooperation"],
    ["verbal_conflict", "q3", "verbal conflict"],
    ["material_conflict", "q4", "material conflict"],
  ];
  const QUAD_NAMES = ["neutral", "verbal cooperation", "material cooperation",
    "verbal conflict", "material conflict"];

  const $ = (id) => document.getElementById(id);
  let series = null;
  let selected = null;

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "text") node.textContent = v;
      else node.setAttribute(k, v === true ? "" : String(v));
    }
    for (const child of children) {
      if (child === null || child === undefined) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function svg(tag, attrs, parent) {
    const node = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, String(v));
    if (parent) parent.appendChild(node);
    return node;
  }

  function showError(message) {
    const status = $("status");
    status.textContent = message;
    status.hidden = !message;
  }

  async function api(url, options) {
    let response;
    try {
      response = await fetch(url, options);
    } catch (err) {
      throw new Error("the server did not answer (" + err.message + ")");
    }
    let body = null;
    try {
      body = await response.json();
    } catch (err) {
      body = null;
    }
    if (!response.ok) {
      const message = body && body.error ? body.error : response.status + " " + response.statusText;
      throw new Error(message);
    }
    return body;
  }

  // -- store summary and the dyad picker -------------------------------------------

  async function loadInfo() {
    const info = await api("/api/info");
    const c = info.counts;
    $("store-info").textContent = c.stories + " stories · " + c.sentences + " sentences · " +
      c.events + " events" + (info.read_only ? " · read-only" : "");
  }

  async function loadCountries() {
    const [countries, top] = await Promise.all([
      api("/api/countries"), api("/api/dyads/top?limit=1"),
    ]);
    const codes = countries.items.map((c) => c.code);
    for (const id of ["country-a", "country-b"]) {
      const select = $(id);
      select.replaceChildren();
      for (const c of countries.items) {
        select.append(el("option", { value: c.code, text: c.name + " (" + c.code + ")" }));
      }
    }
    let a = null;
    let b = null;
    if (codes.includes("JPN") && codes.includes("KOR")) {
      a = "JPN"; b = "KOR";
    } else if (top.items.length) {
      a = top.items[0].a; b = top.items[0].b;
    } else if (codes.length >= 2) {
      a = codes[0]; b = codes[1];
    }
    if (a && b) {
      $("country-a").value = a;
      $("country-b").value = b;
      await loadSeries();
    } else {
      $("chart-title").textContent = "No dyads in this store yet";
    }
  }

  async function loadSeries() {
    const a = $("country-a").value;
    const b = $("country-b").value;
    if (!a || !b) return;
    const params = new URLSearchParams({ freq: $("freq").value, directed: $("directed").checked });
    const url = "/api/dyads/" + encodeURIComponent(a) + "/" + encodeURIComponent(b) +
      "/series?" + params;
    series = await api(url);
    selected = null;
    const arrow = series.directed ? " → " : " – ";
    $("chart-title").textContent = series.a_name + arrow + series.b_name + " by " + series.freq;
    drawChart(series);
    $("events").replaceChildren();
    $("events-title").textContent = "Events";
    $("events-note").textContent = series.points.length
      ? "Click a period in the chart."
      : "No dated events between these two countries.";
  }

  // -- the chart ---------------------------------------------------------------------

  function niceMax(value) {
    if (value <= 0) return 1;
    const p = Math.pow(10, Math.floor(Math.log10(value)));
    for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= value) return m * p;
    return 10 * p;
  }

  function label(period, freq) {
    if (freq === "year") return period.slice(0, 4);
    if (freq === "month") return period.slice(0, 7);
    return period;
  }

  function drawLegend() {
    const legend = $("legend");
    legend.replaceChildren();
    for (const [, cls, name] of QUADS) legend.append(el("span", { class: cls, text: name }));
    legend.append(el("span", { class: "q0", text: "neutral (statements)" }));
    legend.append(el("span", { class: "gs", text: "net Goldstein (+ / −), lower band" }));
  }

  function drawChart(data) {
    const box = $("chart");
    box.replaceChildren();
    const points = data.points;
    if (!points.length) return;
    const W = 960, H = 380, left = 44, right = 12, top = 10;
    const barsH = 220, gap = 28, goldH = 90;
    const innerW = W - left - right;
    const step = innerW / points.length;
    const barW = Math.max(1, Math.min(40, step * 0.72));
    const maxCount = niceMax(Math.max(...points.map((p) => p.events)));
    const maxGold = niceMax(Math.max(...points.map((p) => Math.abs(p.goldstein_sum))));
    const root = svg("svg", { viewBox: "0 0 " + W + " " + H, "data-testid": "series-chart" }, box);

    // count axis
    const y = (v) => top + barsH - (v / maxCount) * barsH;
    for (let i = 0; i <= 4; i++) {
      const v = (maxCount * i) / 4;
      svg("line", { class: "grid", x1: left, x2: W - right, y1: y(v), y2: y(v) }, root);
      const t = svg("text", { x: left - 6, y: y(v) + 4, "text-anchor": "end" }, root);
      t.textContent = Number.isInteger(v) ? v : v.toFixed(1);
    }
    // Goldstein band
    const g0 = top + barsH + gap + goldH / 2;
    const gy = (v) => g0 - (v / maxGold) * (goldH / 2);
    svg("line", { class: "axis", x1: left, x2: W - right, y1: g0, y2: g0 }, root);
    for (const v of [maxGold, -maxGold]) {
      const t = svg("text", { x: left - 6, y: gy(v) + 4, "text-anchor": "end" }, root);
      t.textContent = (v > 0 ? "+" : "") + v;
    }
    svg("line", { class: "axis", x1: left, x2: W - right, y1: y(0), y2: y(0) }, root);

    const every = Math.max(1, Math.ceil(points.length / Math.floor(innerW / 70)));
    points.forEach((p, i) => {
      const x0 = left + i * step;
      const cx = x0 + step / 2;
      const group = svg("g", { class: "period", "data-period": p.period, tabindex: 0 }, root);
      svg("rect", { class: "hit", x: x0, y: top, width: step, height: barsH + gap + goldH }, group);
      let acc = 0;
      for (const [key, cls] of QUADS) {
        const n = p[key];
        if (!n) continue;
        svg("rect", {
          class: cls, x: cx - barW / 2, y: y(acc + n), width: barW, height: y(acc) - y(acc + n),
        }, group);
        acc += n;
      }
      const neutral = p.neutral;
      if (neutral > 0) {
        svg("rect", {
          x: cx - barW / 2, y: y(acc + neutral), width: barW,
          height: y(acc) - y(acc + neutral), class: "q0",
        }, group);
      }
      if (p.goldstein_sum) {
        const gv = p.goldstein_sum;
        svg("rect", {
          class: gv > 0 ? "gpos" : "gneg", x: cx - barW / 2, y: Math.min(gy(gv), g0),
          width: barW, height: Math.abs(gy(gv) - g0),
        }, group);
      }
      const title = svg("title", {}, group);
      title.textContent = label(p.period, data.freq) + ": " + p.events + " events; " +
        QUADS.map(([k, , name]) => name + " " + p[k]).join(", ") +
        "; net Goldstein " + p.goldstein_sum;
      if (i % every === 0) {
        const t = svg("text", { x: cx, y: H - 4, "text-anchor": "middle" }, root);
        t.textContent = label(p.period, data.freq);
      }
      group.addEventListener("click", () => selectPeriod(p, group));
      group.addEventListener("keydown", (e) => {
        if (e.key === "Enter" || e.key === " ") { e.preventDefault(); selectPeriod(p, group); }
      });
    });
  }

  async function selectPeriod(point, group) {
    if (selected) selected.classList.remove("selected");
    selected = group;
    group.classList.add("selected");
    $("events-title").textContent = "Events in " + label(point.period, series.freq);
    $("events-note").textContent = "loading…";
    try {
      const page = await api(point.events_url + "&limit=200");
      $("events-note").textContent = page.total === 0
        ? "No events in this period."
        : page.total + " event" + (page.total === 1 ? "" : "s") +
          (page.total > page.items.length ? " (first " + page.items.length + " shown)" : "");
      renderEvents($("events"), page.items);
      showError("");
    } catch (err) {
      $("events-note").textContent = "";
      showError(err.message);
    }
  }

  // -- events with their evidence ------------------------------------------------------

  function highlighted(sentence, evidence) {
    // Offsets count Unicode code points (Python string indices).
    const chars = Array.from(sentence || "");
    const spans = [];
    for (const role of ["source", "predicate", "target"]) {
      const span = evidence && evidence[role];
      if (span && span[0] !== null && span[1] !== null && span[0] < span[1]) {
        spans.push([span[0], Math.min(span[1], chars.length), role]);
      }
    }
    spans.sort((x, y) => x[0] - y[0]);
    const p = el("p", { class: "sentence" });
    let at = 0;
    for (const [start, end, role] of spans) {
      if (start < at) continue; // overlapping evidence: keep the first
      if (start > at) p.append(chars.slice(at, start).join(""));
      p.append(el("mark", { class: role, title: role, text: chars.slice(start, end).join("") }));
      at = end;
    }
    if (at < chars.length) p.append(chars.slice(at).join(""));
    return p;
  }

  function safeUrl(url) {
    return typeof url === "string" && /^https?:\/\//i.test(url) ? url : null;
  }

  function renderEvents(list, items) {
    list.replaceChildren();
    for (const e of items) {
      const meta = el("div", { class: "meta" },
        el("span", { class: "code", text: e.cameo + " " + (e.cameo_name || "") }),
        el("span", { class: "badge q" + e.quad_class, text: QUAD_NAMES[e.quad_class] || "" }),
        el("span", { text: (e.source || "?") + " → " + (e.target || "?") }),
        el("span", { text: "Goldstein " + e.goldstein }),
        e.modality !== "asserted" ? el("span", { text: e.modality }) : null,
        e.date ? el("span", { text: e.date }) : null,
      );
      const item = el("li", { "data-event-id": e.event_id || null },
        highlighted(e.sentence, e.evidence), meta);
      if (e.story) {
        const title = e.story.title || e.story.id;
        const href = safeUrl(e.story.url);
        const source = el("div", { class: "meta" });
        source.append(href
          ? el("a", { href: href, rel: "noopener noreferrer", target: "_blank", text: title })
          : el("span", { class: "story-title", text: title }));
        if (e.story.source) source.append(el("span", { text: e.story.source }));
        if (e.event_id) {
          source.append(el("a", { href: "/api/events/" + encodeURIComponent(e.event_id),
            text: "provenance" }));
        }
        item.append(source);
      }
      list.append(item);
    }
  }

  // -- coding a text ---------------------------------------------------------------------

  async function codeText(event) {
    event.preventDefault();
    const button = $("code-button");
    const body = { text: $("code-text").value, store: false };
    if ($("code-date").value) body.date = $("code-date").value;
    button.disabled = true;
    $("code-note").textContent = "coding…";
    try {
      const result = await api("/api/code", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body),
      });
      $("code-note").textContent = result.events.length
        ? result.events.length + " event" + (result.events.length === 1 ? "" : "s")
        : "No events found in this text.";
      renderEvents($("code-results"), result.events);
      showError("");
    } catch (err) {
      $("code-note").textContent = "";
      $("code-results").replaceChildren();
      showError(err.message);
    } finally {
      button.disabled = false;
    }
  }

  function guard(work) {
    return () => work().catch((err) => showError(err.message));
  }

  document.addEventListener("DOMContentLoaded", () => {
    drawLegend();
    for (const id of ["country-a", "country-b", "freq", "directed"]) {
      $(id).addEventListener("change", guard(loadSeries));
    }
    $("code-form").addEventListener("submit", codeText);
    guard(loadInfo)();
    guard(loadCountries)();
  });
})();
