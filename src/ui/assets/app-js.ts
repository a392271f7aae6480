/**
 * The web UI's one script, progressive: every page works without it. It asks before destructive
 * forms (data-confirm); makes inbox quick actions instant (the card changes at once, a refusal,
 * 409 when someone changed the item meanwhile, puts it back and says so); previews a template as
 * it is typed; counts a segment as its criteria change; and imports a CSV in parts with a progress
 * bar, the rejected rows listed by their line in the file; copies a DNS record's value (data-copy);
 * and re-renders a builder when a select changes its shape (data-refresh).
 */
export const APP_JS = `
(function () {
  var debounce = function (fn, ms) { var t; return function () { clearTimeout(t); t = setTimeout(fn, ms); }; };
  var say = function (text) { var live = document.getElementById("live"); if (live) live.textContent = text; };
  var post = function (form, data) {
    // getAttribute: a control named "action" shadows form.action.
    return fetch(form.getAttribute("action"), { method: "POST", body: new URLSearchParams(data), headers: { accept: "application/json" }, credentials: "same-origin" });
  };

  function quick(form, submitter) {
    var card = form.closest("[data-item]");
    if (!card) return;
    var before = card.innerHTML, hidden = card.hidden;
    var data = new FormData(form);
    if (submitter && submitter.name) data.append(submitter.name, submitter.value);
    var done = data.get("action") === "done";
    if (done) card.hidden = true;
    else { var due = card.querySelector("[data-due]"); if (due) due.textContent = submitter ? submitter.textContent : ""; }
    var restore = function (message) { card.innerHTML = before; card.hidden = hidden; say(message); };
    post(form, data).then(function (res) {
      return res.json().catch(function () { return {}; }).then(function (j) {
        if (!res.ok) return restore((j && j.message) || form.getAttribute("data-conflict") || String(res.status));
        if (!done && j.due_label) { var d = card.querySelector("[data-due]"); if (d) d.textContent = j.due_label; }
        var v = form.querySelector("input[name=updated_at]"); if (v && j.updated_at) v.value = j.updated_at;
      });
    }).catch(function () { restore(form.getAttribute("data-conflict") || "network error"); });
  }

  var CHUNK_LINES = 2000;
  function importCsv(form) {
    var file = form.querySelector("input[type=file]").files[0];
    var bar = document.getElementById("import-progress");
    var out = document.getElementById("import-live");
    var labels = JSON.parse(form.getAttribute("data-labels") || "{}");
    var csrf = form.querySelector("input[name=_csrf]").value;
    return file.text().then(function (text) {
      // Quoted fields may hold line breaks: such a file goes up whole, as without the script.
      if (text.indexOf('"') >= 0) return false;
      var lines = text.replace(/\\r\\n?/g, "\\n").split("\\n");
      var header = lines.shift();
      while (lines.length && lines[lines.length - 1] === "") lines.pop();
      var total = lines.length, created = 0, updated = 0, rejected = [], at = 0;
      var next = function () {
        if (at >= total) {
          bar.value = 100;
          var rows = rejected.map(function (r) { return "<tr><td>" + r.line + "</td><td>" + esc(r.email) + "</td><td>" + esc(r.reason) + "</td></tr>"; }).join("");
          out.innerHTML = '<p class="notice ok" role="status">' + esc(labels.imported + ": " + created + " + " + updated) + "</p>" +
            (rejected.length ? '<section class="table-wrap" tabindex="0" aria-label="' + esc(labels.rejected) + '"><table><caption class="muted">' + esc(labels.rejected) + "</caption><thead><tr><th scope=col>" + esc(labels.line) + "</th><th scope=col>" + esc(labels.email) + "</th><th scope=col>" + esc(labels.reason) + "</th></tr></thead><tbody>" + rows + "</tbody></table></section>" : "");
          return true;
        }
        var part = lines.slice(at, at + CHUNK_LINES);
        var offset = at;
        at += part.length;
        return post(form, { _csrf: csrf, csv: header + "\\n" + part.join("\\n") }).then(function (res) {
          if (!res.ok) throw new Error(String(res.status));
          return res.json();
        }).then(function (j) {
          created += j.created; updated += j.updated;
          // Lines of a part count from its header (line 1): in the file they come after the parts before.
          j.rejected.forEach(function (r) { rejected.push({ line: r.line === 1 ? 1 : r.line + offset, email: r.email, reason: r.reason }); });
          bar.value = Math.round((at / total) * 100);
          return next();
        });
      };
      bar.value = 0;
      return next();
    });
  }
  var esc = function (s) { return String(s == null ? "" : s).replace(/[&<>"']/g, function (c) { return "&#" + c.charCodeAt(0) + ";"; }); };

  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (!(form instanceof HTMLFormElement)) return;
    var ask = form.getAttribute("data-confirm");
    if (ask && !window.confirm(ask)) { e.preventDefault(); return; }
    if (form.hasAttribute("data-quick")) { e.preventDefault(); quick(form, e.submitter); return; }
    if (form.hasAttribute("data-import") && form.querySelector("input[type=file]").files.length && !form.dataset.whole) {
      e.preventDefault();
      importCsv(form).then(function (handled) {
        if (!handled) { form.dataset.whole = "1"; form.requestSubmit(); }
      }).catch(function (err) { say(String(err)); form.dataset.whole = "1"; });
    }
  });

  var preview = document.querySelector("form[data-live-preview]");
  if (preview) {
    var button = preview.querySelector("[data-preview]");
    var run = debounce(function () { if (button) preview.requestSubmit(button); }, 700);
    preview.addEventListener("input", run);
    preview.addEventListener("change", run);
  }

  var counted = document.querySelector("form[data-live-count]");
  if (counted) {
    var count = document.getElementById("segment-count"), sample = document.getElementById("segment-sample");
    var recount = debounce(function () {
      var data = new FormData(counted);
      data.set("do", "count");
      post(counted, data).then(function (res) { return res.json().then(function (j) { return { ok: res.ok, j: j }; }); }).then(function (r) {
        if (!r.ok) return say((r.j.errors || []).map(function (x) { return (x.field || "") + ": " + x.message; }).join("; "));
        say("");
        count.textContent = r.j.count;
        sample.textContent = r.j.sample.join(", ");
        count.closest("section").hidden = false;
      }).catch(function () {});
    }, 500);
    counted.addEventListener("input", recount);
    counted.addEventListener("change", recount);
  }

  // Builders: another trigger or action type shows its own fields at once (the button does it without the script).
  document.querySelectorAll("button[data-refresh-button]").forEach(function (b) { b.hidden = true; });
  document.addEventListener("change", function (e) {
    var sel = e.target;
    if (!(sel instanceof HTMLSelectElement) || !sel.hasAttribute("data-refresh") || !sel.form) return;
    var form = sel.form, button = document.createElement("button");
    button.type = "submit"; button.name = "do"; button.value = "refresh"; button.hidden = true;
    form.appendChild(button);
    form.requestSubmit(button);
  });

  // Copy buttons exist only with the script (without it the value sits in a read-only field to select).
  document.querySelectorAll("button[data-copy][hidden]").forEach(function (b) { b.hidden = false; });
  document.addEventListener("click", function (e) {
    var b = e.target instanceof Element ? e.target.closest("button[data-copy]") : null;
    var src = b && document.getElementById(b.getAttribute("data-copy"));
    if (!src) return;
    var done = function () { say(b.getAttribute("data-copied") || ""); };
    if (navigator.clipboard) navigator.clipboard.writeText(src.value).then(done, function () { src.select(); });
    else { src.select(); document.execCommand("copy"); done(); }
  });

  document.addEventListener("change", function (e) {
    var all = e.target;
    if (!(all instanceof HTMLInputElement) || !all.hasAttribute("data-select-all")) return;
    document.querySelectorAll("input[name=ids]").forEach(function (box) { box.checked = all.checked; });
  });
})();
`;
