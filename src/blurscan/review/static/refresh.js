// blurscan review page: decisions made elsewhere (another tab or browser) marked when the tab is shown again.
"use strict";

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
