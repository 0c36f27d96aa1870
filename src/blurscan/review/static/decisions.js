// blurscan review page: the decisions (k / d, Keep / Discard in the detail view), each sent for the photo
// selected, the selection moving on at once; this tab's decisions (a keeper choice too, bursts.js) remembered,
// newest last, for u to undo (undo.js); a decision shown on the photo's every card and in the detail view.
"use strict";

// What this tab decided (k / d, a keeper choice), newest last: u undoes these, one at a time, and never a
// decision made in another tab or by another person. Each entry is pushed at the key press and holds the
// server's answer to come (the change's number, which /api/undo takes), so u pressed before that answer still
// undoes this decision, not the one before it.
const tabDecisions = [];
let decisionsMade = 0;  // numbers the entries in the order of the key presses (seq)

function remember(item, request) {
  // on: what its write was ordered on (api.js), its undo too (a keeper choice: the shot and its group)
  const entry = { id: item.id, name: item.name, on: item.on || item.id, change: request.then((data) => data.change),
                  seq: ++decisionsMade };
  tabDecisions.push(entry);
  // not recorded (refused, the server stopped): nothing to undo
  entry.change.catch(() => { const at = tabDecisions.indexOf(entry); if (at >= 0) tabDecisions.splice(at, 1); });
  return request;
}

async function decide(decision) {
  const item = current();
  if (!item) return;
  // move on at once, before the server answers: a key pressed meanwhile is for the next photo, not this one
  const [at, count] = state.from === "grid" ? [state.sel, state.items.length] : [state.burstSel, burstPhotos().length];
  if (at < count - 1) step(1);
  const data = await remember(item, api("/api/decision", { id: item.id, v: item.v, decision }, item.id))
    .catch((e) => {
      if (e.status === 409) checkGone(item);
      // no answer, or not authorised (403: the server was started again since, with a new token): the selection
      // has moved on, so say which photo was left undecided (the server's other refusals name it)
      if (e.status && e.status !== 403) throw e;
      throw new Error(`${isolate(item.name)}: ${decision} not recorded: ${e.message}`);
    });
  applyDecision(data.id, data.decision);
  if (data.bursts_changed) groupsAgain();  // a keeper discarded (or kept again): the next shot is (bursts.js)
  state.summary = data.summary;
  renderSummary();
  toast(`${isolate(item.name)}: ${decision}` + (data.kept_elsewhere && decision === "discard"
    ? ` here, but ${data.kept_elsewhere}: blurscan move leaves it where it is` : ""),
    data.kept_elsewhere && decision === "discard" ? 6000 : undefined);
}

function applyDecision(id, decision) {
  // the photo may be shown twice: in the grid and as a burst shot
  let elsewhere = null;  // a keep elsewhere still shows as a keep (it is the same for the photo in both views)
  for (const photo of burstPhotos()) if (photo.id === id) { photo.decision = decision; elsewhere = photo.kept_elsewhere; }
  const i = indexOf(id);
  if (i >= 0) { state.items[i].decision = decision; elsewhere = state.items[i].kept_elsewhere; }
  for (const c of burstCards()) if (c.dataset.id === id) setDecisionMark(c, decision, elsewhere);
  const c = cardAt(i);  // (a card not drawn is made from its item when it is)
  if (c) setDecisionMark(c, decision, elsewhere);
  const shown = current();
  if (state.view === "detail" && shown && shown.id === id) renderDetailBadges(shown);
  if (state.detail && state.detail.id === id) {  // its info's Decision line too, as the badge
    state.detail.decision = decision;
    if (state.view === "detail" && shown && shown.id === id) renderInfo(state.detail);
  }
  return i;
}
