// newsdesk: the interactive API docs. Reads /api/v1/openapi.json, builds a form per
// operation (its parameters and JSON body), and sends it to this server with the token
// typed on the page. Only textContent is written: nothing from a response becomes markup.
(function () {
  "use strict";

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function schemaOf(doc, schema) {
    var seen = 0;
    while (schema && schema.$ref && seen < 10) {
      schema = doc.components.schemas[schema.$ref.split("/").pop()];
      seen += 1;
    }
    if (schema && schema.anyOf) {
      var some = schema.anyOf.filter(function (s) { return s.type !== "null"; })[0];
      return schemaOf(doc, some) || schema;
    }
    return schema || {};
  }

  function example(doc, schema) {
    schema = schemaOf(doc, schema);
    if (schema.default !== undefined) { return schema.default; }
    if (schema.type === "object" || schema.properties) {
      var out = {};
      Object.keys(schema.properties || {}).forEach(function (name) {
        out[name] = example(doc, schema.properties[name]);
      });
      return out;
    }
    if (schema.type === "array") { return []; }
    if (schema.type === "integer" || schema.type === "number") { return schema.minimum || 1; }
    if (schema.type === "boolean") { return false; }
    return "";
  }

  function field(doc, id, param) {
    var schema = schemaOf(doc, param.schema);
    var wrap = el("p");
    var label = el("label", { "for": id }, param.name + " (" + param["in"] + ")");
    var input;
    if (schema.type === "boolean") {
      input = el("select", { id: id });
      ["", "true", "false"].forEach(function (v) { input.appendChild(el("option", { value: v }, v || "(not sent)")); });
    } else {
      input = el("input", { id: id, type: schema.type === "integer" ? "number" : "text" });
      if (schema.maxLength) { input.setAttribute("maxlength", String(schema.maxLength)); }
    }
    if (param.required) { input.required = true; }
    input.dataset.name = param.name;
    input.dataset.where = param["in"];
    wrap.appendChild(label);
    wrap.appendChild(input);
    if (param.description) { wrap.appendChild(el("span", { "class": "help" }, " " + param.description)); }
    return wrap;
  }

  function show(result, status, text, body) {
    result.status.textContent = status;
    result.body.textContent = body;
    result.box.hidden = false;
    result.box.dataset.status = text;
  }

  function send(form, method, path, result) {
    var url = path;
    var query = new URLSearchParams();
    var fields = form.querySelectorAll("[data-where]");
    for (var i = 0; i < fields.length; i += 1) {
      var f = fields[i];
      if (f.value === "") { continue; }
      if (f.dataset.where === "path") {
        url = url.replace("{" + f.dataset.name + "}", encodeURIComponent(f.value));
      } else if (f.dataset.where === "query") {
        query.append(f.dataset.name, f.value);
      }
    }
    if (query.toString()) { url += "?" + query.toString(); }
    var headers = { "Accept": "application/json" };
    var token = document.getElementById("api-token").value.trim();
    if (token) { headers.Authorization = "Bearer " + token; }
    var init = { method: method, headers: headers, credentials: "omit" };
    var bodyField = form.querySelector("textarea");
    if (bodyField) {
      try { JSON.parse(bodyField.value); } catch (e) {
        show(result, "Not sent: the body is not JSON (" + e.message + ")", "invalid", "");
        return;
      }
      headers["Content-Type"] = "application/json";
      init.body = bodyField.value;
    }
    show(result, "Sending " + method + " " + url + "…", "sending", "");
    fetch(url, init).then(function (response) {
      return response.text().then(function (text) {
        var shown = text;
        try { shown = JSON.stringify(JSON.parse(text), null, 2); } catch (e) { /* not JSON */ }
        var type = response.headers.get("Content-Type") || "";
        show(result, response.status + " " + response.statusText + " · " + type, String(response.status), shown);
      });
    }).catch(function (e) { show(result, "Failed: " + e.message, "failed", ""); });
  }

  function operation(doc, method, path, op, n) {
    var box = el("details", { "class": "api-op", "data-method": method.toUpperCase(), "data-path": path });
    var head = el("summary");
    head.appendChild(el("code", {}, method.toUpperCase()));
    head.appendChild(document.createTextNode(" "));
    head.appendChild(el("code", {}, path));
    head.appendChild(document.createTextNode(" " + (op.summary || "")));
    box.appendChild(head);
    var form = el("form", { "class": "api-form", novalidate: "" });
    (op.parameters || []).forEach(function (p, i) { form.appendChild(field(doc, "op" + n + "-p" + i, p)); });
    var content = ((op.requestBody || {}).content || {})["application/json"];
    if (content) {
      var id = "op" + n + "-body";
      form.appendChild(el("label", { "for": id }, "Request body (JSON)"));
      var area = el("textarea", { id: id, rows: "6", cols: "60", spellcheck: "false" });
      area.value = JSON.stringify(example(doc, content.schema), null, 2);
      form.appendChild(area);
    }
    var button = el("button", { type: "submit" }, "Send");
    button.appendChild(el("span", { "class": "visually-hidden" }, " " + method.toUpperCase() + " " + path));
    form.appendChild(el("p")).appendChild(button);
    var out = el("div", { "class": "api-result", role: "status" });
    out.hidden = true;
    var status = el("p", { "class": "api-status" });
    var body = el("pre", { tabindex: "0", "aria-label": "Response body" });
    out.appendChild(status);
    out.appendChild(body);
    form.appendChild(out);
    var result = { box: out, status: status, body: body };
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      send(form, method.toUpperCase(), path, result);
    });
    box.appendChild(form);
    return box;
  }

  function build(doc) {
    var list = document.getElementById("api-operations");
    var n = 0;
    Object.keys(doc.paths || {}).forEach(function (path) {
      Object.keys(doc.paths[path]).forEach(function (method) {
        list.appendChild(operation(doc, method, path, doc.paths[path][method], n));
        n += 1;
      });
    });
    document.getElementById("api-try").hidden = false;
    var table = document.getElementById("api-static");
    if (table) { table.hidden = true; }
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (!window.fetch || !document.getElementById("api-operations")) { return; }
    fetch("/api/v1/openapi.json", { headers: { "Accept": "application/json" } })
      .then(function (r) { return r.json(); })
      .then(build)
      .catch(function () { /* the table below stays: the page works without this script */ });
  });
})();
