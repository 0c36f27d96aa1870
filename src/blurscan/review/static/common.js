// blurscan review page, part 1 of 12 (templates/index.html loads common.js, api.js, detail.js, bursts.js,
// grid.js, cards.js, lists.js, decisions.js, undo.js, refresh.js, keys.js and app.js in this order, as classic
// scripts sharing one global scope): the page's state and the small helpers every part uses. Vanilla JS, no
// dependencies. Text from the database is always set with textContent (never innerHTML), so a file name cannot
// inject markup.
"use strict";

const $ = (id) => document.getElementById(id);
// the program at the head of the commands the page suggests, as the server was run: `blurscan` where that name on
// PATH is it, else absolute and quoted (blurscan.typed_commands.program; `blurscan` until 2026-12-07)
const PROGRAM = document.querySelector('meta[name="blurscan-program"]').content;

// from: the list the detail view shows and steps through ("grid" or "bursts"); fullUrl: the picture it shows;
// detail: the information (blur map included) of the photo it shows, once come; detailFor: the id of the photo
// whose information was asked for last
const state = { items: [], sel: 0, view: "grid", from: "grid", zoom: false, map: false, detail: null,
                detailFor: null, fullUrl: "", bursts: [], burstSel: 0, summary: null, moves: 0 };
// moves: how many times the person has moved the selection (a key, a click, a new list): an answer come late (an
// undo, a keeper choice) moves it to its photo only if it has not moved since its key. It moved it back from
// where the person had gone, and the k or d pressed next went to that photo (until 2026-12-05)

function el(tag, cls, text) {
  const node = document.createElement(tag);
  if (cls) node.className = cls;
  if (text !== undefined && text !== null) node.textContent = text;
  return node;
}

function mb(bytes) {
  if (!bytes) return "0 bytes";
  if (bytes >= 1e9) return (bytes / 1e9).toFixed(2) + " GB";
  if (bytes >= 1e6) return (bytes / 1e6).toFixed(1) + " MB";
  if (bytes < 1e3) return bytes + " B";  // (a sidecar of 300 bytes read "0 kB")
  return (bytes / 1e3).toFixed(0) + " kB";
}

// a file name put in running text, isolated (FSI ... PDI): a name holding a right-to-left override (U+202E), or
// written right to left, reorders only itself, never the rest of the message ("NAME: discard"). The isolates
// in the name itself are left out (an unclosed one would take the closing PDI for its own)
function isolate(name) { return "\u2068" + String(name).replace(/[\u2066-\u2069]/g, "") + "\u2069"; }

// ``text`` as ``node``'s content, each isolated name (isolate()) in a <bdi> of its own, the isolate characters
// left out (a copied message holds none)
function setText(node, text) {
  const parts = String(text).split(/\u2068([^\u2066-\u2069]*)\u2069/);
  node.replaceChildren(...parts.map((part, i) => (i % 2 ? el("bdi", null, part) : part && document.createTextNode(part)))
    .filter(Boolean));
}

// a photo as a screen reader says it: "IMG_1.jpg, blurry, discarded" (a burst shot: ", keeper" after its verdict;
// a file gone since the scan: ", missing", as its card shows "no longer at PATH" in place of the thumbnail, which
// the label, read in place of the card's content, left out until 2026-12-06)
function photoLabel(item, decision = item.decision, elsewhere = item.kept_elsewhere, keeper = "") {
  const parts = [item.name, item.status === "error" ? "error" : (item.verdict || "not judged")];
  if (keeper) parts.push(keeper);
  if (item.gone) parts.push("missing");
  if (elsewhere) parts.push("kept elsewhere");
  else if (decision) parts.push(decision === "keep" ? "kept" : "discarded");
  return parts.join(", ");
}

// the keyboard focus back on what the page's keys act on: the detail view, the grid (its selected card its
// active option) or the selected burst shot's card (the view itself when it has none)
function focusHome() {
  const opts = { preventScroll: true };
  if (state.view === "detail") $("detail").focus(opts);
  else if (state.view === "bursts") (burstCard(state.burstSel) || $("bursts")).focus(opts);
  else $("grid").focus(opts);
}

// the message line (the toast, just shown) over the selected card, at the window's bottom edge: the page scrolled
// to bring the card clear above it, never the card's top off the screen. app.css keeps a one-line message's room
// as the keys scroll; a message of more lines (a refusal) covered the card's name and verdict (until 2026-12-06)
function clearOfToast() {
  const c = state.view === "grid" ? cardAt(state.sel) : state.view === "bursts" ? burstCard(state.burstSel) : null;
  if (!c) return;
  const card = c.getBoundingClientRect(), toast = $("toast").getBoundingClientRect();
  if (card.right <= toast.left || card.left >= toast.right || card.bottom <= toast.top - 8) return;
  window.scrollBy(0, Math.max(0, Math.min(card.bottom - toast.top + 8, card.top)));
}

// "1 error", "2 errors", "0 errors"
function plural(n, word) { return `${n} ${word}${n === 1 ? "" : "s"}`; }

// what the page says of an undo the server made (its answer ``data``): a keeper choice undone, a decision undone
// whose photo a move or trash took (the decision only: the file stays where `blurscan move` or trash put it; told
// when it is no longer there either, since 2026-12-06; on a drive not mounted now, that drive, since 2026-12-07;
// on a drive mounted at another place, both places, since later that day),
// or a decision undone
function undoneText(data) {
  if (data.keeper_undone) {
    return `undone: ${isolate(data.name)} as keeper` +
      (data.keeper ? ` (${isolate(data.keeper)} is the keeper again)` : "");
  }
  if (data.moved) {
    const m = data.moved;
    return `undone: ${data.reverted || "decision"} of ${isolate(data.name)}, but \`blurscan ${m.kind}\` already ` +
      `${m.kind === "trash" ? "trashed" : "moved"} the photo (batch ${m.batch}, to ${isolate(m.to)})` +
      (m.found === false && m.drive && m.twins ? `, on the drive the batch recorded at ${isolate(m.drive)}, not ` +
        `mounted there now while drives of its identity are mounted at ${m.twins.map(isolate).join(" and ")} (one ` +
        `a copy of it?): unmount the copy, or mount the drive at ${isolate(m.drive)} again and run \`${m.command}\` ` +
        "to bring it back"
        : m.found === false && m.drive && m.mounted_at ? `, on the drive mounted at ${isolate(m.mounted_at)} now, not ` +
        `at ${isolate(m.drive)} where the batch recorded it: mount it at ${isolate(m.drive)} again and run ` +
        `\`${m.command}\` to bring it back`
        : m.found === false && m.drive ? `, on the drive at ${isolate(m.drive)}, not mounted now: mount it there and ` +
        `run \`${m.command}\` to bring it back`
        : m.found === false ? `, where it is no longer found: \`${m.command}\` brings it back once it is there again`
          : `: run \`${m.command}\` to bring it back`);
  }
  return `undone: ${data.reverted || "decision"} of ${isolate(data.name)}` +
    (data.decision ? ` (back to ${data.decision})` : "");
}
