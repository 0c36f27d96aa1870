// blurscan review page: undo (u, the Undo buttons): this tab's last decision (decisions.js remembers them),
// one at a time, in the order of the key presses; the photo undone selected and said.
"use strict";

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
  else if (data.bursts_changed) groupsAgain();  // a keeper's discard undone: it is the keeper again
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
