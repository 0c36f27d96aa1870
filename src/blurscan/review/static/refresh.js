// blurscan review page: decisions made elsewhere (another tab or browser) marked when the tab is shown again,
// and the photos another command took away meanwhile taken off the list.
"use strict";

// A tab shows the decisions as they were when it loaded its list. Shown again (the person comes back from
// another tab, another window or the terminal), it asks for the decisions as they are now and marks those made
// meanwhile in another tab or browser. The list and the selection stay as they are: a photo never slides away
// under the keys. The bursts view (not the detail view opened from it) reloads its groups too: a keeper may
// have been chosen elsewhere. Left and shown again while that is under way, it asks once more when done: the
// state it came back to may be newer than the answers on their way (until 2026-12-06 that second showing was
// skipped). One return (visibilitychange, then focus) asks once.
let refreshing = null, refreshAgain = false, leftMeanwhile = false, burstsStale = false;

async function refreshDecisions() {
  // a decision of this tab's on its way (a key pressed as the tab came back) may reach the server after the
  // decisions are read: that answer would take its mark away again. Asked once this tab's writes are answered,
  // and asked again when one was sent meanwhile (or left to the next time the tab is shown)
  const asked = listsAsked;
  // (the list's filter and folder: the ids it holds now come with the photos taken away, sayNew)
  const q = new URLSearchParams({ filter: $("filter").value, folder: $("folder").value });
  if (state.listed) q.set("listed", state.listed);
  const data = await readFresh("/api/decisions?" + q);
  if (!data) return;
  const shown = new Map();
  for (const list of [state.items, burstPhotos()]) for (const item of list) shown.set(item.id, item.decision || null);
  for (const [id, decision] of shown) {
    const now = data.decisions[id] || null;
    if (now !== decision) applyDecision(id, now);
  }
  state.summary = data.summary;
  renderSummary();
  if (data.present) {
    // (a list chosen meanwhile, or still on its way: that list is shown, read after the change)
    if (asked === listsAsked && data.listed !== state.listed) {
      const said = [dropTakenAway(data.present, data.listed), sayNew(data.listing)].filter(Boolean);
      if (said.length) toast(said.join("; "), 6000);
    }
    // a photo opened from the bursts view: its groups read again once it is closed (closeDetail). Until
    // 2026-12-06 they were read only when the bursts view was shown again: Esc went back to the groups as
    // they were, a shot another command took still among them (a key on it refused, "no longer at ...")
    if (state.view === "detail" && state.from === "bursts") burstsStale = true;
    await loadFolders($("folder").value);
  }
  if (state.view === "bursts") await burstsAgain();
}

// the bursts view's groups read again, the selection on its shot (a keeper chosen elsewhere, a shot taken away)
async function burstsAgain() {
  burstsStale = false;
  const sent = writes.sent;
  const groups = await api("/api/bursts");
  // a keeper chosen meanwhile (its answer shows the groups as they are), or the view left: as it is
  if (writes.sent !== sent || state.view !== "bursts") return;
  const selected = burstPhotos()[state.burstSel];
  renderBursts(groups);
  const at = selected ? burstPhotos().findIndex((photo) => photo.id === selected.id) : -1;
  if (at >= 0) selectBurst(at);
}

// Another command wrote what may change the lists since the list was read (its mark, ``listed``, is not the
// server's: a move or trash took photos away, an undo, a scan forgot some or added a folder): the answer holds
// the ids of the photos a list may still show (``present``, review/present.py). The others leave the grid, said
// in the message line; the rest stay in their places, the selection on its photo (or, taken away, the next one
// left); a photo new since is said (sayNew). The folder list is read again too. Until 2026-12-06 the photos
// `blurscan move` took stayed in the grid, marked discard, until a key on one was refused, and a folder scanned
// meanwhile had no option until the page was reloaded. Returns what to say, if anything
function dropTakenAway(present, listed) {
  state.listed = listed;
  const now = new Set(present);
  const left = state.items.filter((item) => now.has(item.id)), taken = state.items.length - left.length;
  if (!taken) return "";
  const sel = state.items.slice(0, state.sel).filter((item) => now.has(item.id)).length;
  if (!now.has(state.items[state.sel].id)) state.moves++;  // (the selection went on to the next photo)
  state.items = left;
  state.sel = sel;
  renderGrid();
  if (state.view === "detail" && state.from === "grid" && !left.length) closeDetail();
  else scrollSoon(state.sel);
  return `${plural(taken, "photo")} taken off the list: moved, trashed or forgotten by another command`;
}

// The photos the list holds now (``listing``: their ids, review/present.py) that the grid does not show: a scan
// found them, an undo put them back, another tab's undo made one undecided again. They are not slipped into
// the grid (the photos shown would move under the keys); a line above it says how many, with a button, and r
// reads the list again, the selection kept on its photo (load). Until 2026-12-06 nothing said they were there:
// they appeared once a list was chosen again or the page reloaded. Returns what to say, if anything
function sayNew(listing) {
  if (!listing) return "";
  const count = listing.filter((id) => indexOf(id) < 0).length;
  $("new-photos").hidden = !count;
  if (!count) return "";
  $("new-count").textContent = `${plural(count, "photo")} new to this list since it was loaded`;
  return `${plural(count, "photo")} new to this list: press r (or Show them) to show them`;
}

// r or the Show them button: the list read again, the selection on its photo
async function showNew() {
  await load();
  $("announce").textContent = plural(state.items.length, "photo");
}

function whenShownAgain() {
  if (document.visibilityState !== "visible" || !document.body.dataset.ready) return;
  if (refreshing) { refreshAgain = refreshAgain || leftMeanwhile; return; }
  refreshAgain = leftMeanwhile = false;
  refreshing = refreshDecisions().catch(failed).finally(() => {
    refreshing = null;
    if (refreshAgain) whenShownAgain();
  });
}

function whenLeft() { if (refreshing) leftMeanwhile = true; }
document.addEventListener("visibilitychange", () => {
  if (document.visibilityState === "visible") whenShownAgain();
  else whenLeft();
});
window.addEventListener("focus", whenShownAgain);
window.addEventListener("blur", whenLeft);
