// blurscan review page: undo, decisions made elsewhere, the keyboard and the page's buttons; loaded last, it
// starts the page (cards.js makes the cards, grid.js draws the grid, lists.js loads the list shown, decisions.js
// sends the decisions).
"use strict";

const DB = document.querySelector('meta[name="blurscan-db"]').content;

function shellQuote(s) { return /^[\w@%+=:,./-]+$/.test(s) ? s : "'" + s.replace(/'/g, "'\\''") + "'"; }

// -- undo -------------------------------------------------------------------------------------------------
// u pressed again before the server answered the u before: its undo waits for that one's to settle, so the
// selection and the message end on the photo of the last u pressed (sent at once, the answers, taken in the
// order they came, left the selection on another undone photo). The decision each u undoes is taken at the key
// press: a k pressed after a u is never that u's
let undoing = Promise.resolve();

function undo() {
  const entry = tabDecisions.pop();
  if (entry) selectUndone(entry.id);
  const moves = state.moves;
  // its place in the order of the writes on its photo kept now: a key pressed after the u is stored after the
  // undo (the undo is sent once its decision is answered, the writes before it on the photo too)
  const release = keepPlace(entry ? [].concat(entry.on) : []);
  const done = undoing.then(() => undoEntry(entry, moves)).finally(release);
  undoing = done.catch(() => {});
  return done;
}

// the photo a u undoes selected at the key press, when the view shows it, as the undo's answer selects it: a k or
// d pressed before that answer decides on it again. Until 2026-12-05 the selection moved at the answer only, so
// with a slow server that k went to the photo shown selected meanwhile (the one after the photo undone). A move
// of its own: an answer to an earlier key, come late, leaves it there. Refused (decided again in another tab), the
// u leaves it on that photo, shown with its decision now. The decision's own answer still on its way, the photo is
// the one the u most likely undoes: if that decision turns out not recorded, the u undoes the one before, and its
// answer selects that photo unless a key has moved the selection since (undoEntry)
function selectUndone(id) {
  if (state.from === "bursts") {
    const b = burstPhotos().findIndex((photo) => photo.id === id);
    if (b < 0 || b === state.burstSel) return;
    state.moves++;
    selectBurst(b);
    if (state.view === "detail") loadDetail();
  } else {
    const i = indexOf(id);
    if (i < 0 || i === state.sel) return;
    state.moves++;
    select(i);  // (the detail view open: its photo)
  }
  announceSelection();
}

// this tab's newest decision pressed before decision number seq, taken out of the list (undefined: none)
function takeBefore(seq) {
  for (let at = tabDecisions.length - 1; at >= 0; at--) {
    if (tabDecisions[at].seq < seq) return tabDecisions.splice(at, 1)[0];
  }
  return undefined;
}

// an entry still to undo goes back to its place in the order of the key presses
function putBack(entry) {
  const at = tabDecisions.findIndex((other) => other.seq > entry.seq);
  if (at < 0) tabDecisions.push(entry); else tabDecisions.splice(at, 0, entry);
}

// (the selection goes to the photo undone if the person has not moved it since the u: ``moves``)
async function undoEntry(entry, moves) {
  let change;
  for (;;) {  // this tab's last decision that was recorded (one not recorded: the one before)
    if (!entry) { toast("nothing to undo in this tab"); return; }
    // (the one before *this* one: a decision made since the u was pressed is never this u's)
    try { change = await entry.change; break; } catch (e) { entry = takeBefore(entry.seq); }
  }
  let data;
  try {
    // (id: the photo it decided on, so that a database replaced meanwhile, its numbers counted afresh, is not
    // taken for this one: the server refuses a change of that number about another photo). The entry stays in its
    // place at the u: never waits for it, undo()
    data = await api("/api/undo", { change, id: entry.id });
  } catch (e) {
    // no answer (the server stopped?), or not stored (503: the database made read-only since): still to undo
    if (!e.status || e.status === 503) putBack(entry);
    // refused, typically because the photo was decided again since (in another tab): that decision stays,
    // shown as it is now, and the next u goes on with this tab's decision before
    if (e.data && e.data.summary) { state.summary = e.data.summary; renderSummary(); }
    if (e.data && e.data.groups) renderBursts(e.data);
    if (e.data && e.data.id) applyDecision(e.data.id, e.data.decision);
    throw e;
  }
  state.summary = data.summary;
  renderSummary();
  if (data.groups) renderBursts(data);  // a keeper choice undone: its group as it was before
  const i = applyDecision(data.id, data.decision);
  // a keeper choice undone: the keeper chosen before it has its keep mark back (bursts.js makeKeeper)
  if (data.released) applyDecision(data.released.id, data.released.decision);
  const b = state.from === "bursts" ? burstPhotos().findIndex((photo) => photo.id === data.id) : -1;
  if (state.moves !== moves) { /* the person has gone elsewhere: the selection stays there */ }
  else if (b >= 0) { selectBurst(b); if (state.view === "detail") loadDetail(); announceSelection(); }
  else if (i >= 0 && state.from === "grid") { select(i); announceSelection(); }
  const text = undoneText(data);
  // a photo a move or trash took: held until the next key, as a refusal is
  if (data.moved && !data.keeper_undone) toast(text, Math.max(6000, 50 * text.length), true);
  else toast(text);
}

// -- decisions made elsewhere -------------------------------------------------------------------------------
// A tab shows the decisions as they were when it loaded its list. Shown again (the person comes back from
// another tab, another window or the terminal), it asks for the decisions as they are now and marks those made
// meanwhile in another tab or browser. The list and the selection stay as they are: a photo never slides away
// under the keys. The bursts view (not the detail view opened from it) reloads its groups too: a keeper may
// have been chosen elsewhere.
let refreshing = null;

async function refreshDecisions() {
  // a decision of this tab's on its way (a key pressed as the tab came back) may reach the server after the
  // decisions are read: that answer would take its mark away again. Asked once this tab's writes are answered,
  // and asked again when one was sent meanwhile (or left to the next time the tab is shown)
  const data = await readFresh("/api/decisions");
  if (!data) return;
  const shown = new Map();
  for (const list of [state.items, burstPhotos()]) for (const item of list) shown.set(item.id, item.decision || null);
  for (const [id, decision] of shown) {
    const now = data.decisions[id] || null;
    if (now !== decision) applyDecision(id, now);
  }
  state.summary = data.summary;
  renderSummary();
  if (state.view === "bursts") {
    const sent = writes.sent;
    const groups = await api("/api/bursts");
    // a keeper chosen meanwhile (its answer shows the groups as they are), or the view left: as it is
    if (writes.sent !== sent || state.view !== "bursts") return;
    const selected = burstPhotos()[state.burstSel];
    renderBursts(groups);
    const at = selected ? burstPhotos().findIndex((photo) => photo.id === selected.id) : -1;
    if (at >= 0) selectBurst(at);
  }
}

function whenShownAgain() {
  if (document.visibilityState !== "visible" || !document.body.dataset.ready || refreshing) return;
  refreshing = refreshDecisions().catch(failed).finally(() => { refreshing = null; });
}
document.addEventListener("visibilitychange", whenShownAgain);
window.addEventListener("focus", whenShownAgain);

// -- keyboard ---------------------------------------------------------------------------------------------
function formControl(target) {
  return target instanceof Element && (target.isContentEditable || Boolean(target.closest("select, input, textarea")));
}

document.addEventListener("keydown", (ev) => {
  if (ev.ctrlKey || ev.metaKey || ev.altKey) return;  // the browser's (Ctrl+D: a bookmark, ...)
  if (ev.key === "Tab") { if (state.view === "detail") tabRound(ev); return; }  // (a modal dialog: detail.js)
  // a key typed in a form control is its own (a select's type-ahead and arrows go through its options): never a
  // shortcut. Typing "date taken" in the Sort select kept a photo (its "k"): the select, left once its value
  // changed, sent the rest of the typing to the page. Esc there gives the keys back to the page
  if (formControl(ev.target)) {
    if (ev.key === "Escape") { ev.preventDefault(); focusHome(); }
    return;
  }
  // Enter and Space on a button or link that has the keyboard focus (Tab) press it, as everywhere: Enter on the
  // Bursts tab opened the selected photo instead, and Space on a "Make keeper" button made the selected shot the
  // keeper, not the button's
  const focused = ev.target instanceof Element ? ev.target.closest("button, a[href], summary") : null;
  if (focused && (ev.key === "Enter" || ev.key === " ")) return;
  // a letter whatever its case (Shift, Caps Lock): K keeps as k does
  const key = ev.key.length === 1 ? ev.key.toLowerCase() : ev.key;
  const run = (promise) => { ev.preventDefault(); Promise.resolve(promise).catch(failed); };
  // k / d / u decide on the selected photo (or shot) and undo, in the grid, the bursts view and the detail view;
  // once a press: a key held down repeats, and each decision moves on, so holding d discarded a run of photos
  // never looked at (until 2026-12-06)
  if (ev.repeat && (key === "k" || key === "d" || key === "u")) return run();
  if (key === "k" || key === "d") return run(decide(key === "k" ? "keep" : "discard"));
  if (key === "u") return run(undo());
  if (state.view === "bursts") {
    const by = key === "ArrowRight" || key === "ArrowDown" ? 1 : key === "ArrowLeft" || key === "ArrowUp" ? -1 : 0;
    const to = key === "Home" ? 0 : key === "End" ? burstPhotos().length - 1 : null;  // (the first / last shot)
    if (by || to !== null) { state.moves++; run(selectBurst(by ? state.burstSel + by : to)); announceSelection(); }
    else if (key === "Enter") run(openDetail());
    else if (key === " ") {  // the selected shot, if not the keeper (a focused button is pressed, above)
      const c = burstCard(state.burstSel);
      run(c && !c.classList.contains("keeper") && makeKeeper(Number(c.dataset.group), c.dataset.id));
    } else if (key === "b" || key === "Escape") run(showPhotos());
    return;
  }
  if (state.view === "detail" && state.zoom && pan(key, ev.shiftKey)) return run();
  if (key === "ArrowRight") run(step(1));
  else if (key === "ArrowLeft") run(step(-1));
  else if (key === "ArrowDown") run(step(state.view === "grid" ? columns() : 1));
  else if (key === "ArrowUp") run(step(-(state.view === "grid" ? columns() : 1)));
  else if (state.view === "grid" && ["Home", "End", "PageUp", "PageDown"].includes(key)) run(step(gridJump(key)));
  else if (key === "Enter" && state.view === "grid") run(openDetail());
  else if (key === "Escape" && state.view === "detail") run(closeDetail());
  else if (key === "z" && state.view === "detail") run(toggleZoom());
  else if (key === "m" && state.view === "detail") run(toggleMap());
  else if (key === "b" && state.summary && state.summary.burst_groups) run(showBursts());
});

$("full").addEventListener("load", pictureLoaded);
$("full").addEventListener("error", async () => {
  $("full").classList.remove("loading");  // (the stage is hidden for the reason shown in its place)
  const url = state.fullUrl, item = current(), known = item && item.gone;
  if (!url) return;
  const answer = await refusal(url);
  if (state.fullUrl === url) showPicture(answer.why || "no preview", !known);  // (known: said with the photo)
  if (answer.gone && item && url.startsWith(`/full/${item.id}?`)) showGone(item.id, answer.why);
});
// a clicked button gives its focus back (to the view it acts on, focusHome): else Enter (or Space) on the next
// photo would click it again and keep or discard that photo unseen; the same for the others: a Space meant to
// scroll the grid clicked the Bursts tab clicked before, and opened the bursts view again; one in the detail
// view zoomed in or out. An action that waits for the server (the Bursts tab reads the groups) gives it back
// when done only if the focus is still where the action left it: a person who moved it meanwhile (Tab to the
// Photos tab) keeps it there; until 2026-12-05 it jumped to a shot's card, and the Enter meant for the tab opened
// that shot
const focusBack = (action) => (ev) => {
  ev.currentTarget.blur();
  const done = Promise.resolve(action());
  const left = document.activeElement;  // (where the action's first, synchronous part put the focus)
  done.then(() => {
    const now = document.activeElement;
    if (now === left || now === document.body || now === null || $(state.view === "bursts" ? "bursts" : "grid")
      .contains(now)) focusHome();
  }, failed);
};
// Keep, Discard and Undo act once per click: the second click of a double click (its ``detail``, the click count,
// is 2; 0 for a key) is not another decision. Keep and Discard move on at once, so it kept or discarded the next
// photo before it was shown, and on Undo it undid the decision before the one meant (until 2026-12-05)
const once = (action) => (ev) => {
  ev.currentTarget.blur();
  focusHome();
  if (ev.detail <= 1) action().catch(failed);
};
$("btn-keep").addEventListener("click", once(() => decide("keep")));
$("btn-discard").addEventListener("click", once(() => decide("discard")));
// Undo, as u: the detail view's and the page's (the header, inert behind the detail view)
for (const id of ["btn-undo", "btn-undo-page"]) $(id).addEventListener("click", once(undo));
$("btn-zoom").addEventListener("click", focusBack(toggleZoom));
$("btn-map").addEventListener("click", focusBack(toggleMap));
$("btn-close").addEventListener("click", focusBack(closeDetail));
$("tab-bursts").addEventListener("click", focusBack(showBursts));
$("tab-photos").addEventListener("click", focusBack(showPhotos));
$("move-hint").textContent = `blurscan move --to DIR --db ${shellQuote(DB)}`;
loadFolders().catch(failed).then(() => load()).then(() => { focusAtStart(); document.body.dataset.ready = "1"; })
  .catch(failed);
