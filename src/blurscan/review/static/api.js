// blurscan review page: talking to the server (JSON requests, writes with the CSRF header; why a picture did
// not load) and telling the person what happened (toasts).
"use strict";

const CSRF = document.querySelector('meta[name="blurscan-csrf"]').content;

// this tab's writes (decisions, keeper choices, undos): how many were sent, and those not answered yet, so that
// an answer to GET /api/decisions that may predate one of them is not taken for the decisions now (app.js);
// overlapped: one was sent while another was unanswered, so their answers may come in another order than the
// server stored them, and the header's figures of the last to come be older than another's (d d, the first
// answer slow: "1 discarded" stayed, with 2 in the database, until 2026-12-05): read again once all are answered
const writes = { sent: 0, pending: new Set(), overlapped: false };

// the last write on each photo (its id -> that request), and on each burst group ("group N"): a write is sent once
// the one before it on the same photo (or group) is answered, so that the server stores them in the order of
// their keys. Sent at once, two requests could be stored the other way round (a server busy, its database locked
// by a scan): d, Left back to the photo, then k left it discarded until 2026-12-05, the k stored first; and two
// keeper choices in one group (Space, Right, Space) left the first shot chosen the keeper
const lastWrite = new Map();

// ``on``: the id of the photo a write decides on (or undoes a decision of), or a list of such keys (a keeper
// choice: the shot and its group)
function api(path, body, on) {
  const request = on === undefined ? send(path, body) : afterLastWrite([].concat(on), () => send(path, body));
  if (body !== undefined) {
    if (writes.pending.size) writes.overlapped = true;
    writes.sent++;
    writes.pending.add(request);
    const done = () => {
      writes.pending.delete(request);
      if (!writes.pending.size && writes.overlapped) summaryAgain();
    };
    request.then(done, done);
  }
  return request;
}

function summaryAgain() {
  writes.overlapped = false;
  readFresh("/api/summary").then((summary) => { if (summary) { state.summary = summary; renderSummary(); } })
    .catch(() => {});  // (the figures stay as the last answer gave them)
}

// GET ``path`` once this tab's writes are answered, and again when one was sent meanwhile: an answer read by the
// server before one of them and arriving after it would show the photo as it was before (its mark gone, while
// the database has it decided, for `blurscan move` to take). null when five answers in a row may predate one
async function readFresh(path) {
  for (let tries = 0; tries < 5; tries++) {
    while (writes.pending.size) await Promise.allSettled([...writes.pending]);
    const sent = writes.sent;
    const answer = await api(path);
    if (writes.sent === sent) return answer;
  }
  return null;
}

// a place kept in the order of the writes on ``keys`` for a write sent later (an undo, once its decision is
// answered): the writes on them pressed after it wait until release() is called (once it is answered). Taking
// its place when sent, an undo went after a k pressed after the u (d slow, u, back to the photo, k): the undo was
// refused, "changed since", and a keeper choice undone stayed marked keep (until 2026-12-05)
function keepPlace(keys) {
  let release;
  const held = new Promise((ok) => { release = ok; });
  afterLastWrite(keys, () => held);
  return release;
}

// (sent whether the writes before were stored or refused: each is the person's own key)
function afterLastWrite(keys, write) {
  const before = keys.map((key) => lastWrite.get(key)).filter(Boolean);
  const request = before.length ? Promise.allSettled(before).then(write) : write();
  for (const key of keys) lastWrite.set(key, request);
  const done = () => { for (const key of keys) if (lastWrite.get(key) === request) lastWrite.delete(key); };
  request.then(done, done);
  return request;
}

async function send(path, body) {
  const opts = body === undefined ? {} : {
    method: "POST", body: JSON.stringify(body),
    headers: { "Content-Type": "application/json", "X-Blurscan-CSRF": CSRF } };
  let res;
  try {
    res = await fetch(path, opts);
  } catch (e) {  // no answer at all ("Failed to fetch"): say what that means, and what to do (a reload cannot
    // work: each run has a new token, and maybe another port)
    throw new Error("the review server does not answer (stopped?): run `blurscan review` again and open the URL it prints");
  }
  if (!res.ok) {
    const { message, data } = await reason(res);
    // status: the server answered (a refusal), unlike a server that has stopped; data: a JSON answer's fields
    throw Object.assign(new Error(message), { status: res.status, data });
  }
  return res.json();
}

// the server's refusal ``res``: its one line (``message``) and its fields (``data``, null when it is not JSON).
// The server answers every refusal {"error": LINE, ...} (review/replies.py); one line of plain text (what a server
// older than 2026-12-05 sent) is shown as it is, anything else (an HTML page) by its status, never as markup
async function reason(res) {
  let text = "";
  try { text = (await res.text()).trim(); } catch (e) { /* the connection dropped mid-answer */ }
  try {
    const data = JSON.parse(text);
    if (data && typeof data.error === "string") return { message: data.error, data };
  } catch (e) { /* not JSON */ }
  const plain = text && !text.startsWith("<") && !text.includes("\n") ? text : "";
  return { message: plain || `the review server refused (${res.status} ${res.statusText})`.trim(), data: null };
}

// the server's answer to a picture's URL, never the browser's cached copy: ``why`` it is refused ("" when it is
// not; "NAME: no longer at PATH ..." for a file moved or deleted since the scan), and whether the file is ``gone``
// (404: moved or deleted since the scan, or forgotten by a scan). Asked again since an <img> cannot read its
// error response
async function refusal(url) {
  try {
    const res = await fetch(url, { cache: "no-store" });
    if (res.ok) return { why: "", gone: false };
    return { why: (await reason(res)).message, gone: res.status === 404 };
  } catch (e) { /* the server has stopped */ }
  return { why: "no preview", gone: false };
}

// the person's keys and clicks, counted before the page acts on them (toast: a refusal held until the next)
let personActions = 0;
for (const type of ["keydown", "pointerdown"]) window.addEventListener(type, () => { personActions++; }, true);

// the toast is a live region (role=status): a screen reader reads it as it changes; ``urgent`` (a refusal):
// at once (aria-live=assertive), not once the reader is done. A refusal stays on screen until the person's next
// key or click after it was shown: a message that comes before (the answer to a key pressed before the refusal
// came: u, then k at once) is shown below it, the refusal first, for as long as each has. Until 2026-12-05 that
// message replaced the refusal one server answer later, and a sighted person might never read that the u was
// refused. ``toast.held``: the lines on screen while a refusal is held, with the count of the person's actions
// then and the time they stay until
function toast(text, ms = 2500, urgent = false) {
  const t = $("toast"), held = toast.held;
  const keep = held && held.actions === personActions && !t.classList.contains("idle");
  const lines = (keep ? held.lines : []).concat([text]);
  const until = Math.max(keep ? held.until : 0, Date.now() + ms);
  toast.held = urgent || keep ? { lines, actions: personActions, until } : null;
  t.setAttribute("aria-live", urgent ? "assertive" : "polite");
  if (lines.length === 1) setText(t, text);  // (the names in it isolated)
  else t.replaceChildren(...lines.map((line) => { const div = el("div"); setText(div, line); return div; }));
  t.classList.remove("idle");
  clearOfToast();
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { t.classList.add("idle"); }, until - Date.now());
}

// a request the server refused (a photo whose file is gone, ...): its reason stays longer, it has more to read
// (a database that cannot be written says why and what to do: some 400 characters, 20 s)
function failed(e) { const text = String(e.message || e); toast(text, Math.max(6000, 50 * text.length), true); }

// the selected photo told to a screen reader (a polite live region) once the keys moving it have settled, never
// each photo passed over; not when the focus is on the selection already (the grid's active option, a burst
// shot's card), which the reader reads itself
function announceSelection() {
  clearTimeout(announceSelection.timer);
  announceSelection.timer = setTimeout(() => {
    const item = current(), focus = document.activeElement;
    if (!item || (state.view === "grid" && focus === $("grid")) ||
        (state.view === "bursts" && focus && focus.matches("#bursts .card"))) return;
    const [at, count] = state.from === "grid" ? [state.sel, state.items.length] : [state.burstSel, burstPhotos().length];
    $("announce").textContent = `${photoLabel(item)}, ${at + 1} of ${count}`;
  }, 400);
}
