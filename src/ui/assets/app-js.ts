/**
 * The web UI's one script, progressive: every page works without it. It asks before destructive
 * forms (data-confirm) and makes inbox quick actions instant: the card changes at once, the
 * request goes out, and a refusal (409: changed meanwhile) puts the card back and says so.
 */
export const APP_JS = `
(function () {
  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (!(form instanceof HTMLFormElement)) return;
    var ask = form.getAttribute("data-confirm");
    if (ask && !window.confirm(ask)) { e.preventDefault(); return; }
    if (!form.hasAttribute("data-quick")) return;
    e.preventDefault();
    var card = form.closest("[data-item]");
    if (!card) return;
    var before = card.innerHTML, hidden = card.hidden;
    var submitter = e.submitter;
    var data = new FormData(form);
    if (submitter && submitter.name) data.append(submitter.name, submitter.value);
    var done = data.get("action") === "done";
    if (done) card.hidden = true;
    else { var due = card.querySelector("[data-due]"); if (due) due.textContent = submitter ? submitter.textContent : ""; }
    var live = document.getElementById("live");
    // getAttribute: a control named "action" shadows form.action.
    fetch(form.getAttribute("action"), { method: "POST", body: new URLSearchParams(data), headers: { accept: "application/json" }, credentials: "same-origin" })
      .then(function (res) {
        if (res.ok) return res.json().then(function (j) {
          if (!done && j && j.due_label) { var d = card.querySelector("[data-due]"); if (d) d.textContent = j.due_label; }
          if (j && j.updated_at) { var v = form.querySelector("input[name=updated_at]"); if (v) v.value = j.updated_at; }
        });
        card.innerHTML = before; card.hidden = hidden;
        return res.json().catch(function () { return {}; }).then(function (j) {
          if (live) live.textContent = (j && j.message) || form.getAttribute("data-conflict") || "error";
        });
      })
      .catch(function () { card.innerHTML = before; card.hidden = hidden; });
  });
  document.addEventListener("change", function (e) {
    var all = e.target;
    if (!(all instanceof HTMLInputElement) || !all.hasAttribute("data-select-all")) return;
    document.querySelectorAll("input[name=ids]").forEach(function (box) { box.checked = all.checked; });
  });
})();
`;
