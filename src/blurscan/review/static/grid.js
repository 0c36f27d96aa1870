// blurscan review page: the grid of photos, drawn a window at a time. Only the cards of the rows near the view
// are in the page (a few hundred, whatever the list's length); the rows above and below them are stood for by
// two spacers of their height (each row as high as the lowest drawn), so the scroll bar is the whole list's.
// The window moves as the page scrolls and as the selection moves. The page drew a card for every photo of the
// list: 20,050 took 8 s in Chromium, then 0.2-0.4 s per arrow key, and 250,000, spread into one call, threw
// "Maximum call stack size exceeded".
"use strict";

// first, last: the cards drawn (indices into state.items, whole rows from first: a multiple of drawnCols);
// shown: those cards in order; cols: cards per row, for the arrow keys (the grid's columns, empty ones
// included); pitch: a row's height with the gap below it, measured on the rows drawn; byId: photo id -> its
// index in the list; anchor: the card kept in place on the screen as the grid is laid out anew (anchorCard()),
// when last drawn, and where; stale: to draw once the grid is shown again; moved: the cards have moved since
// the anchor was taken (the grid's width changed, or it is shown again); left: where the grid was when the
// bursts view took its place (gridLeft())
const view = { first: 0, last: 0, shown: [], drawnCols: 0, cols: 0, pitch: 0, gap: 0, pad: 0, stale: false,
               byId: new Map(), anchor: null, moved: false, left: null };
const AROUND = 150;  // cards drawn at least beyond each edge of the view, and a screenful more
const GUESS = 250;  // a row's height (px) until one is drawn
const spacers = [el("div", "spacer"), el("div", "spacer")];
for (const s of spacers) s.setAttribute("aria-hidden", "true");

// the list's index of the photo with id ``id`` (-1: not in it), without a pass over the list at each key
function indexOf(id) { const i = view.byId.get(id); return i === undefined ? -1 : i; }

function cardAt(i) { return i >= view.first && i < view.last ? view.shown[i - view.first] : null; }

// an option of the grid's listbox (only the cards near the view are drawn: each says where it is in the list)
function gridCard(i) {
  const c = card(state.items[i], i, () => { state.moves++; select(i); openDetail(); });
  c.id = `card-${i}`;
  c.setAttribute("role", "option");
  c.setAttribute("aria-posinset", i + 1);
  c.setAttribute("aria-setsize", state.items.length);
  c.setAttribute("aria-selected", "false");
  if (i === state.sel) markSelected(c);
  return c;
}

function markSelected(c) {
  c.classList.add("selected");
  c.setAttribute("aria-selected", "true");
  $("grid").setAttribute("aria-activedescendant", c.id);
}

// the page loaded: the keyboard focus on the grid, its selected card (the first photo) the active option, so that
// the keys and a screen reader start there and the card shows the focus; left where the person has put it
// meanwhile (a select clicked as the list came). Until 2026-12-06 it stayed on the page itself (<body>): the keys
// worked, but nothing showed where, and a screen reader started at the top of the page
function focusAtStart() {
  if (!document.activeElement || document.activeElement === document.body) focusHome();
}

// a new list (state.items): drawn around the view as it is (the selection is scrolled to by a key, as before)
// what the grid says when the filter leaves no photo; a library with no photo at all says so, and what to do (it
// said the filter's words, until 2026-12-06, as if another filter would show some)
const EMPTY = $("empty").textContent;
// (the scan names the database the page shows, a --db one too, quoted for the shell by the server: until
// 2026-12-07 `blurscan scan FOLDER`, which filled FOLDER's own database, not one given by --db)
const NO_PHOTOS = `No photos in this library yet: run ${document.querySelector('meta[name="blurscan-scan"]').content}, ` +
  "then reload this page.";

function emptyText() {
  return state.summary && state.summary.photos === 0 ? NO_PHOTOS : EMPTY;
}

function renderGrid() {
  view.shown = [];
  view.first = view.last = view.drawnCols = 0;
  view.anchor = view.left = null;  // (another list's)
  view.moved = false;
  view.byId = new Map();
  state.items.forEach((item, i) => view.byId.set(item.id, i));
  $("grid").replaceChildren(...spacers);
  $("grid").removeAttribute("aria-activedescendant");
  $("empty").hidden = state.items.length > 0 || state.view !== "grid";
  $("empty").textContent = emptyText();  // (not the reason a list before was refused: listFailed)
  state.sel = Math.min(state.sel, Math.max(state.items.length - 1, 0));
  drawWindow();
  select(state.sel, false);
}

function select(i, scroll = true) {
  if (!state.items.length) return;
  i = Math.max(0, Math.min(i, state.items.length - 1));
  const old = cardAt(state.sel);
  if (old) { old.classList.remove("selected"); old.setAttribute("aria-selected", "false"); }
  state.sel = i;
  const c = cardAt(i);
  if (c) markSelected(c);
  if (scroll) scrollSoon(i);
  if (state.view === "detail") loadDetail();
}

// the selected card is drawn (when the window was elsewhere) and scrolled into view as the page is next drawn,
// not at the key press: that lays the page out, which the frame does anyway (keys pressed within one frame
// scroll once)
let scrollTarget = null;

function scrollSoon(i) {
  if (scrollTarget === null) {
    requestAnimationFrame(() => {
      const target = scrollTarget;
      scrollTarget = null;
      if ($("grid").hidden || target !== state.sel) return;
      drawWindow(target);
      const c = cardAt(target);
      if (c) { c.scrollIntoView({ block: "nearest" }); drawWindow(); }
    });
  }
  scrollTarget = i;
}

// Home / End: how far the selection goes to the first / last photo; Page Up / Page Down: a screenful of rows
// up / down, the view with it. They scrolled the page only, the selection left behind (the next arrow brought
// the view back to it): a photo far down the list was reached with the arrows only (until 2026-12-06)
function gridJump(key) {
  const screenful = columns() * Math.max(1, Math.floor(window.innerHeight / (view.pitch || GUESS)));
  return { Home: -state.sel, End: state.items.length - 1 - state.sel, PageUp: -screenful, PageDown: screenful }[key];
}

// cards per row, for ArrowUp / ArrowDown: counted when the grid is drawn and when its width (the window's)
// changes, never at a key press (reading the layout there laid the whole grid out first)
function columns() {
  if (!view.cols) view.cols = countColumns();
  return view.cols;
}

// the grid's columns (auto-fill: the empty ones of a short list too), as the browser laid them out
function countColumns() {
  const tracks = getComputedStyle($("grid")).gridTemplateColumns.split(" ").filter((t) => t.endsWith("px"));
  return Math.max(tracks.length, 1);
}

let gridWidth = -1;
new ResizeObserver((entries) => {  // (its height changes as the window moves: the columns stay)
  const width = entries[entries.length - 1].contentRect.width;
  if (width === gridWidth || $("grid").hidden) return;
  gridWidth = width;
  view.cols = countColumns();  // (laid out already when the observer is told)
  view.moved = true;
  drawSoon();
}).observe($("grid"));

let drawing = false;

function drawSoon() {
  if (drawing) return;
  drawing = true;
  requestAnimationFrame(() => { drawing = false; drawWindow(); });
}
window.addEventListener("scroll", drawSoon, { passive: true });

// the rows near the view drawn, and card ``around`` (scrolled to next) whatever the view. The anchor card (the
// selected one when it shows, else the one at the top of the view) stays where it is on the screen: the rows
// drawn may be taller than the estimate (a note under a name), so the window moves unseen; and a window made
// narrower or wider, which changes the number of columns, keeps the selected photo in view (it kept the card
// at the top, and the selection could go off the screen)
function drawWindow(around) {
  const grid = $("grid"), total = state.items.length;
  if (grid.hidden) { view.stale = true; return; }
  view.stale = false;
  if (!total) { setWindow(0, 0); setSpacers(); return; }
  const style = getComputedStyle(grid);
  view.cols = countColumns();
  view.gap = parseFloat(style.rowGap) || 0;
  view.pad = parseFloat(style.paddingTop) || 0;
  // (the window resized: the cards have moved already, the anchor taken before stays where it was)
  const moved = view.moved && view.anchor !== null;
  const anchor = moved ? view.anchor : anchorCard();
  view.moved = false;
  if (view.cols !== view.drawnCols) {  // (a window resized) the rows laid out anew, around the anchor card
    setWindow(0, 0);
    view.drawnCols = view.cols;
    if (anchor && around === undefined) around = anchor.index;
  }
  for (let pass = 0; pass < 2; pass++) {  // (again once the first rows drawn have given their height)
    const pitch = view.pitch || GUESS;
    const cols = view.cols, rows = Math.ceil(total / cols);
    const top = grid.getBoundingClientRect().top + view.pad;  // where row 0 is (or would be) on the screen
    let from = Math.floor(-top / pitch), to = Math.ceil((window.innerHeight - top) / pitch);
    if (around !== undefined) {
      const row = Math.floor(around / cols);
      if (row < from || row >= to) { const span = Math.max(to - from, 1); from = row - span; to = row + span; }
    }
    from = Math.max(0, Math.min(from, rows - 1));
    to = Math.max(from + 1, Math.min(to, rows));
    const margin = Math.ceil(AROUND / cols) + (to - from);
    const half = Math.ceil(margin / 2);
    const [first, last] = [view.first / cols, Math.ceil(view.last / cols)];
    const covered = view.last > view.first && first <= Math.max(from - half, 0) && last >= Math.min(to + half, rows);
    if (!covered) setWindow(Math.max(from - margin, 0) * cols, Math.min((to + margin) * cols, total));
    const measured = rowPitch();
    if (!measured || Math.abs(measured - pitch) < 0.5) break;
    view.pitch = measured;
  }
  setSpacers();
  const kept = anchor && cardAt(anchor.index);
  if (kept) {
    const shift = kept.getBoundingClientRect().top - anchor.top;
    if (Math.abs(shift) >= 1) window.scrollBy(0, shift);
    // (the selected card, laid out anew, may be taller than it was: wholly on the screen)
    if (moved && anchor.index === state.sel) kept.scrollIntoView({ block: "nearest" });
  }
  view.anchor = anchorCard();
}

// the card to keep in place on the screen: the selected one when it shows (in part at least), else the first
// drawn that shows at the top of the view; and where it is
function anchorCard() {
  const c = cardAt(state.sel);
  if (c) {
    const r = c.getBoundingClientRect();
    if (r.bottom > 0 && r.top < window.innerHeight) return { index: state.sel, top: r.top };
  }
  return topCard();
}

// the first card drawn that shows at the top of the view, and where
function topCard() {
  for (let k = 0; k < view.shown.length; k += view.drawnCols || 1) {
    const r = view.shown[k].getBoundingClientRect();
    if (r.bottom > 0) return { index: view.first + k, top: r.top };
  }
  return null;
}

// a row's height and the gap below it: the lowest row drawn (a note under a name makes one taller)
function rowPitch() {
  let low = Infinity;
  for (let k = 0; k < view.shown.length; k += view.drawnCols || 1) {
    low = Math.min(low, view.shown[k].getBoundingClientRect().height);
  }
  return low === Infinity || !low ? 0 : low + view.gap;
}

// the cards [first, last) drawn: those drawn already stay (their thumbnails do not flicker), the others are
// made and put in place, a few hundred at most at once (never all the list's in one call: the browser's
// limit on a call's arguments)
function setWindow(first, last) {
  let from = view.first, to = view.last;
  if (last <= from || first >= to || last <= first) {  // no card in common: all made anew
    for (const c of view.shown) c.remove();
    view.shown = [];
    from = to = first;
  } else {
    if (first > from) { for (const c of view.shown.splice(0, first - from)) c.remove(); from = first; }
    if (last < to) { for (const c of view.shown.splice(last - from)) c.remove(); to = last; }
  }
  const before = [], after = [];
  for (let i = first; i < from; i++) before.push(gridCard(i));
  for (let i = Math.max(to, first); i < last; i++) after.push(gridCard(i));
  if (before.length) spacers[0].after(fragment(before));
  if (after.length) spacers[1].before(fragment(after));
  view.shown = before.concat(view.shown, after);
  view.first = first;
  view.last = first + view.shown.length;
}

function fragment(nodes) {
  const f = document.createDocumentFragment();
  for (const node of nodes) f.append(node);
  return f;
}

// the rows not drawn, as the spacers' heights (a spacer is a row of its own: the gap after it is a row's)
function setSpacers() {
  const cols = view.drawnCols || 1, rows = Math.ceil(state.items.length / cols);
  const above = view.shown.length ? view.first / cols : 0;
  const below = view.shown.length ? rows - Math.ceil(view.last / cols) : 0;
  for (const [s, n] of [[spacers[0], above], [spacers[1], below]]) {
    s.hidden = n <= 0;
    s.style.height = n > 0 ? `${n * (view.pitch || GUESS) - view.gap}px` : "";
  }
}

// the grid left for the bursts view (the page, as short as that view, scrolls up): where it was, to be put
// back there as it comes back. It came back at its top, far from the photo selected
function gridLeft() {
  if ($("grid").hidden) return;
  view.left = { y: window.scrollY, anchor: anchorCard() };
}

// the grid shown again: back where it was left (gridLeft()), the anchor card (the selected one, when it
// showed) where it was on the screen, whatever the window's width now
function gridShown() {
  const left = view.left;
  view.left = null;
  if (!left || $("grid").hidden) { if (view.stale) drawWindow(); return; }
  window.scrollTo(0, left.y);  // (the same place, when the window's width has not changed meanwhile)
  if (left.anchor) { view.anchor = left.anchor; view.moved = true; }
  drawWindow(left.anchor ? left.anchor.index : undefined);
}
