// blurscan review page: the keyboard (the keys the page's hint lists, index.html): what each key does in the
// grid, the bursts view and the detail view; a key typed in a list (Show, Folder, Sort) or on a focused button
// is its own.
"use strict";

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
  // the photo's information with the focus (Tab in the detail view): Page Up / Down, Home and End scroll it, as the
  // browser scrolls a focused box (zoomed, they panned the photo instead); the arrows still step the photos
  if (ev.target === $("info") && ["PageUp", "PageDown", "Home", "End"].includes(ev.key)) return;
  // the blur map's table scrolling sideways in its own box, with the focus (Tab reaches it where it scrolls: detail.js
  // fitMapBox): Left / Right scroll it, as the browser scrolls a focused box, Home / End to its first / last column,
  // Esc leaves it for the view (whose arrows step the photos). Up / Down, Shift+arrows and every other key are the
  // view's. Until 2026-12-07 the arrows stepped photos there, and no key showed its hidden columns
  if (ev.target instanceof Element && ev.target.matches(".map-scroll[tabindex]") && !ev.shiftKey) {
    if (ev.key === "ArrowLeft" || ev.key === "ArrowRight") return;
    if (ev.key === "Home" || ev.key === "End") {
      ev.preventDefault();
      ev.target.scrollLeft = ev.key === "Home" ? 0 : ev.target.scrollWidth;
      return;
    }
    if (ev.key === "Escape") { ev.preventDefault(); focusHome(); return; }
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
  // once a press, as the bursts view's Space and b, z, m: held down, d discarded a run of photos never looked at,
  // Space made a keeper choice a repeat (u undid one), b, z, m switched back and forth (until 2026-12-06)
  if (ev.repeat && (["k", "d", "u", "b", "z", "m", "r"].includes(key) || key === " " && state.view === "bursts")) return run();
  if (key === "k" || key === "d") return run(decide(key === "k" ? "keep" : "discard"));
  if (key === "u") return run(undo());
  if (state.view === "bursts") {
    const by = key === "ArrowRight" || key === "ArrowDown" ? 1 : key === "ArrowLeft" || key === "ArrowUp" ? -1 : 0;
    const to = key === "Home" ? 0 : key === "End" ? burstPhotos().length - 1  // (the first / last shot)
      : key === "PageUp" || key === "PageDown" ? burstJump(key) : null;  // (a screenful of groups)
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
  else if (key === "r" && state.view === "grid") run(showNew());  // (the list read again: refresh.js)
  else if (key === "Escape" && state.view === "detail") run(closeDetail());
  else if (key === "z" && state.view === "detail") run(toggleZoom());
  else if (key === "m" && state.view === "detail") run(toggleMap());
  else if (key === "b" && state.summary && state.summary.burst_groups) run(showBursts());
  else if (key === "b" && state.summary && state.view === "grid") run(toast(noBursts(), 10000));  // (did nothing)
});

// `b` where no burst group is stored: what makes them, the program as run (blurscan.typed_commands.naming), or,
// where `blurscan bursts` ran and found none (summary.bursts_grouped), that, and when to run it again, as `move
// --from-bursts` says it. Until 2026-12-07 the key did nothing, though the Keys line names it; until that evening
// it said to run `blurscan bursts` and reload where that had found none, and found none again
function noBursts() {
  const bursts = document.querySelector('meta[name="blurscan-bursts"]').content;
  return "No burst groups in this library: " + (state.summary.bursts_grouped
    ? "blurscan bursts found none when it last ran (shots of one scene in quick succession); " +
      `${bursts} looks again after a scan that adds photos.`
    : `${bursts} looks for them; then reload this page.`);
}
