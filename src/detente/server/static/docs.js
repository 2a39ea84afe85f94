// A small offline reader of /openapi.json: operations, parameters and a "try it" form.
"use strict";

(function () {
  const $ = (id) => document.getElementById(id);

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "text") node.textContent = v;
      else node.setAttribute(k, v === true ? "" : String(v));
    }
    for (const child of children) {
      if (child !== null && child !== undefined) {
        node.append(child instanceof Node ? child : document.createTextNode(String(child)));
      }
    }
    return node;
  }

  function resolve(spec, schema) {
    if (schema && schema.$ref) {
      return spec.components.schemas[schema.$ref.split("/").pop()] || {};
    }
    return schema || {};
  }

  function describe(spec, schema) {
    schema = resolve(spec, schema);
    if (schema.anyOf) return schema.anyOf.map((s) => describe(spec, s)).join(" | ");
    const parts = [schema.type === "array"
      ? "array of " + describe(spec, schema.items)
      : (schema.enum ? schema.enum.join(" | ") : schema.format || schema.type || "any")];
    for (const key of ["pattern", "minimum", "maximum", "minLength", "maxLength", "default"]) {
      if (schema[key] !== undefined) parts.push(key + " " + JSON.stringify(schema[key]));
    }
    return parts.join(", ");
  }

  function operation(spec, path, method, op) {
    const params = op.parameters || [];
    const box = el("section", { class: "op" });
    box.append(el("h2", {}, el("span", { class: "method " + method, text: method.toUpperCase() }),
      el("code", { text: path }), el("span", { class: "muted", text: op.summary || "" })));
    const form = el("form", {});
    if (params.length) {
      const table = el("table", {}, el("tr", {}, el("th", { text: "parameter" }),
        el("th", { text: "in" }), el("th", { text: "type" }), el("th", { text: "value" })));
      for (const p of params) {
        const name = p.name + (p.required ? " *" : "");
        const input = el("input", { name: p.name, "data-in": p.in, placeholder: p.description || "" });
        table.append(el("tr", {}, el("td", {}, el("code", { text: name })), el("td", { text: p.in }),
          el("td", { text: describe(spec, p.schema) }), el("td", {}, input)));
      }
      form.append(table);
    }
    let bodyInput = null;
    if (op.requestBody) {
      const schema = resolve(spec, op.requestBody.content["application/json"].schema);
      const rows = Object.entries(schema.properties || {}).map(([k, v]) => el("tr", {},
        el("td", {}, el("code", { text: k + ((schema.required || []).includes(k) ? " *" : "") })),
        el("td", { text: describe(spec, v) }), el("td", { text: v.description || "" })));
      form.append(el("p", { text: "JSON body:" }),
        el("table", {}, el("tr", {}, el("th", { text: "field" }), el("th", { text: "type" }),
          el("th", { text: "meaning" })), ...rows));
      bodyInput = el("textarea", { rows: 3, name: "body" });
      bodyInput.value = JSON.stringify({ text: "Japan and South Korea held talks in Seoul.", store: false });
      form.append(bodyInput);
    }
    const out = el("pre", { hidden: true });
    form.append(el("button", { type: "submit", text: "Try it" }));
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      let url = path;
      const query = new URLSearchParams();
      for (const input of form.querySelectorAll("input[data-in]")) {
        if (!input.value) continue;
        if (input.dataset.in === "path") {
          url = url.replace("{" + input.name + "}", encodeURIComponent(input.value))
            .replace("{" + input.name + ":path}", encodeURIComponent(input.value));
        } else {
          for (const v of input.value.split(",")) query.append(input.name, v.trim());
        }
      }
      if ([...query].length) url += "?" + query;
      const options = { method: method.toUpperCase() };
      if (bodyInput) {
        options.headers = { "Content-Type": "application/json" };
        options.body = bodyInput.value;
      }
      out.hidden = false;
      out.textContent = options.method + " " + url + "\n…";
      try {
        const response = await fetch(url, options);
        const text = await response.text();
        let shown = text;
        try { shown = JSON.stringify(JSON.parse(text), null, 2); } catch (err) { /* not JSON */ }
        out.textContent = options.method + " " + url + "  → " + response.status + "\n" + shown;
      } catch (err) {
        out.textContent = "request failed: " + err.message;
      }
    });
    box.append(form, out);
    return box;
  }

  document.addEventListener("DOMContentLoaded", async () => {
    try {
      const spec = await (await fetch("/openapi.json")).json();
      $("api-info").textContent = spec.info.title + " " + spec.info.version + " — " +
        (spec.info.description || "");
      const ops = $("operations");
      for (const [path, methods] of Object.entries(spec.paths)) {
        for (const [method, op] of Object.entries(methods)) ops.append(operation(spec, path, method, op));
      }
    } catch (err) {
      $("api-info").textContent = "could not read /openapi.json: " + err.message;
    }
  });
})();
