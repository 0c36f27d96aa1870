// blurscan review page: the keyboard and the page's buttons; loaded last, it starts the page (cards.js makes the
// cards, grid.js draws the grid, lists.js loads the list shown, decisions.js sends the decisions, undo.js undoes
// them, refresh.js marks those made elsewhere).
"use strict";

const DB = document.querySelector('meta[name="blurscan-db"]').content;

function shellQuote(s) { return /^[\w@%+=:,./-]+$/.test(s) ? s : "'" + s.replace(/'/g, "'\\''") + "'"; }

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
