// blurscan review page: the page's buttons, the full-size picture's load and error, and the move command's hint;
// loaded last, it starts the page (the folders, then the list shown: lists.js). The other parts: cards.js makes
// the cards, grid.js draws the grid, decisions.js sends the decisions, undo.js undoes them, refresh.js marks
// those made elsewhere, keys.js handles the keyboard.
"use strict";

const DB = document.querySelector('meta[name="blurscan-db"]').content;


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
// Previous / Next keep the focus: they decide nothing, so a second Enter or Space on one steps again, as meant, and
// a screen reader stays on it (detail.js stepOrSay)
$("btn-prev").addEventListener("click", () => stepOrSay(-1));
$("btn-next").addEventListener("click", () => stepOrSay(1));
$("tab-bursts").addEventListener("click", focusBack(showBursts));
$("tab-photos").addEventListener("click", focusBack(showPhotos));
$("btn-new").addEventListener("click", focusBack(showNew));
// the keys' help shown where the pointer hovers (a mouse: a keyboard likely), closed behind its "Keys" on a touch
// screen (app.css), where it filled much of a phone's first screen (until 2026-12-07)
const touchOnly = matchMedia("(hover: none)");
$("keys-help").open = !touchOnly.matches;
touchOnly.addEventListener("change", () => { if (!touchOnly.matches) $("keys-help").open = true; });
// (the program as run and the database quoted for the shell by the server: common.js, blurscan.errors.shell_path)
$("move-hint").textContent = `${PROGRAM} move --to DIR --db ${DB}`;
loadFolders().catch(failed).then(() => load()).then(() => { focusAtStart(); document.body.dataset.ready = "1"; })
  .catch(failed);
