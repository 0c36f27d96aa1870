// blurscan review page: the header's figures (the whole library's totals) and the list of photos shown, as the
// Show, Folder and Sort lists choose it: its loading (the last one asked for wins), a list refused, the folders'
// options, and those three lists' own keys and focus.
"use strict";

function renderSummary() {
  const s = state.summary;
  if (!s) return;
  // to review + kept + discarded = flagged (kept / discarded count the flagged photos only); decisions on
  // photos the scan did not flag (a sharp burst shot made the keeper, ...) follow apart, when there are any
  const other = [];
  if (s.other_kept) other.push(`${s.other_kept} kept`);
  if (s.other_discarded) other.push(`${s.other_discarded} discarded (${mb(s.other_discarded_bytes)})`);
  // the figures are the whole library's (the folder filter narrows the grid only; each folder's option has
  // its own flagged / photos count), and `move` takes the whole library's discarded photos
  const filtered = $("folder").value !== "";
  $("summary").textContent = (filtered ? "Whole library: " : "") +
    `${s.flagged} flagged (${mb(s.flagged_bytes)}) · ${s.undecided} to review · ${s.kept} kept · ` +
    `${s.discarded} discarded (${mb(s.discarded_bytes)})` +
    (other.length ? ` · not flagged: ${other.join(", ")}` : "") + (s.errors ? ` · ${plural(s.errors, "error")}` : "");
  // (said under "What the figures mean" too, index.html: a title shows on hovering only, never reached by a key)
  $("summary").title = $("summary-help").textContent =
    (filtered ? "the whole library's figures, not only the folder shown; " : "") +
    "flagged = blurry or partial; to review + kept + discarded = flagged" +
    (other.length ? "; not flagged: your decisions on photos the scan called sharp (or could not read)" : "");
  // verdicts of another model than this blurscan's default (an older blurscan's, until a scan judges them again):
  // shown without a word until 2026-12-07
  $("judged-by").textContent = s.judged_by || "";
  $("judged-by").hidden = !s.judged_by;
  // the library's drive mounted at another place, its photos stored under the old one (said since 2026-12-07: the
  // list was empty without a word)
  $("carried").textContent = s.carried || "";
  $("carried").hidden = !s.carried;
  $("tab-bursts").hidden = !s.burst_groups;
  sayFigures(`${s.undecided} to review, ${s.kept} kept, ${s.discarded} discarded` +
    (other.length ? `; not flagged: ${other.join(", ")}` : ""));
}

// the header's figures told to a screen reader (a polite live region of their own) when they change: after a
// keep or discard, an undo, another tab's decisions. Until 2026-12-06 the header was in no live region, and a
// screen reader heard the decision but not the new counts. Never as the page loads (the list's photo count is
// said then), nor again when a poll (refresh.js) or another render brings the same figures; told after the
// toast's words of the same moment (the decision first, then the counts)
function sayFigures(text) {
  const before = sayFigures.last;
  sayFigures.last = text;
  if (before === undefined || before === text) return;
  clearTimeout(sayFigures.timer);
  sayFigures.timer = setTimeout(() => { $("figures-said").textContent = text; }, 0);
}

// the list for the filter, sort and folder chosen; ``first``: the selection goes to its first photo, else it stays
// on its photo where the list still holds it (r, refresh.js showNew), or at its place. Until it
// arrives, the list shown and its selection stay (a key pressed meanwhile is for the photo shown selected), and
// it is read once that key's decision is stored, else the new list would show the photo undecided. Lists asked
// for one after another (the arrow keys going through a filter's options) are shown as the last one only: an
// answer to an earlier one, come late, never replaces it
let listsAsked = 0;

async function load(first = false) {
  const asked = ++listsAsked;
  if (first) state.moves++;  // (its first photo selected once it has come)
  const q = new URLSearchParams({ filter: $("filter").value, sort: $("sort").value, folder: $("folder").value });
  const path = "/api/items?" + q;
  let data;
  try {
    data = (await readFresh(path)) || await api(path);
  } catch (e) {
    if (asked === listsAsked) listFailed(e);
    return;
  }
  if (asked !== listsAsked) return;
  const selected = state.items[state.sel];
  state.items = data.items;
  $("new-photos").hidden = true;  // (the photos new since the list shown are in this one: refresh.js sayNew)
  state.listed = data.listed;  // (what the list was read after: refresh.js reads it again once that changes)
  if (first) { state.sel = 0; window.scrollTo(0, 0); }  // (the new list from its first photo, selected)
  const at = !first && selected ? data.items.findIndex((item) => item.id === selected.id) : -1;
  if (at >= 0) state.sel = at;
  state.summary = data.summary;
  renderSummary();
  renderGrid();
  if (at >= 0) scrollSoon(at);
  // a list chosen (Show, Folder, Sort): how many photos it holds, or that it holds none, said to a screen reader,
  // whose focus is on the select. Until 2026-12-06 it heard the option only, and "Nothing to show" was no live region
  if (first) $("announce").textContent = state.items.length ? plural(state.items.length, "photo") : emptyText();
}

// a list the server refused (or did not answer): the reason in the grid's place, and in the toast as a refusal.
// Until 2026-12-05 it was a toast of 2.5 s over an empty page, which then said nothing (the first list), or over
// the list of the filter before, shown under the new filter's name (a filter changed)
function listFailed(e) {
  state.items = [];
  renderGrid();
  setText($("empty"), `The photos could not be loaded: ${e.message || e}`);
  $("empty").hidden = state.view !== "grid";
  failed(e);
}

// ``wanted``: the folder to choose (the page's URL's when it loads; the one chosen when the tab, shown again,
// reads the folders again: refresh.js)
async function loadFolders(wanted = new URLSearchParams(location.search).get("folder")) {
  const data = await api("/api/folders");
  const sel = $("folder");
  sel.replaceChildren(sel.options[0]);  // ("all folders")
  for (const f of data.folders) {
    // (a folder whose drive is mounted at another place now says where: `· now at /media/me/DISK1/lib: ...`)
    const o = el("option", null, `${f.folder} (${f.flagged}/${f.photos})${f.note ? ` · ${f.note}` : ""}`);
    o.value = f.folder;
    sel.append(o);
  }
  // `blurscan review SUBFOLDER` opens the page filtered to it (a folder of folders gets an option of its own, as
  // does a folder chosen whose photos have all gone since)
  if (wanted) {
    if (![...sel.options].some((o) => o.value === wanted)) {
      const o = el("option", null, wanted);
      o.value = wanted;
      sel.append(o);
    }
    sel.value = wanted;
  }
}

// a select changed with the keys keeps the keyboard focus (its next keys are its own: type-ahead, arrows; Esc
// leaves it); an option picked with the mouse (or a finger) in its list, no key pressed in the select since it
// was opened, gives the focus back to the view (focusHome): the next keys are for the photos. It kept the
// focus too, so after a click a d chose "date taken" in Sort, an arrow another filter, and k / d / u did nothing
for (const id of ["filter", "sort", "folder"]) {
  const select = $(id);
  let byPointer = false;
  select.addEventListener("pointerdown", () => { byPointer = true; });
  select.addEventListener("keydown", () => { byPointer = false; });  // (its open list's keys never come here)
  select.addEventListener("change", () => {
    load(true).catch(failed);  // (a list refused says so itself: listFailed)
    if (byPointer) { byPointer = false; focusHome(); }
  });
}
