// blurscan review page: vanilla JS, no dependencies. Text from the database is always set with
// textContent (never innerHTML), so a file name cannot inject markup.
"use strict";

const CSRF = document.querySelector('meta[name="blurscan-csrf"]').content;
const DB = document.querySelector('meta[name="blurscan-db"]').content;
const $ = (id) => document.getElementById(id);

// from: the list the detail view shows and steps through ("grid" or "bursts"); fullUrl: the picture it shows
const state = { items: [], sel: 0, view: "grid", from: "grid", zoom: false, map: false, detail: null,
                fullUrl: "", bursts: [], burstSel: 0, summary: null };

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
  return (bytes / 1e3).toFixed(0) + " kB";
}

function shellQuote(s) { return /^[\w@%+=:,./-]+$/.test(s) ? s : "'" + s.replace(/'/g, "'\\''") + "'"; }

async function api(path, body) {
  const opts = body === undefined ? {} : {
    method: "POST", body: JSON.stringify(body),
    headers: { "Content-Type": "application/json", "X-Blurscan-CSRF": CSRF } };
  const res = await fetch(path, opts);
  if (!res.ok) {
    const text = (await res.text()).trim();
    let message = text;
    try { message = JSON.parse(text).error || text; } catch (e) { /* a plain-text reason */ }
    throw new Error(message || res.statusText);
  }
  return res.json();
}

// why a picture did not load: the server's one-line reason ("NAME: no longer at PATH ..." for a file moved
// or deleted since the scan), asked again since an <img> cannot read its error response
async function whyNot(url) {
  try {
    const res = await fetch(url);
    if (!res.ok) return (await res.text()).trim() || res.statusText;
  } catch (e) { /* the server has stopped */ }
  return "no preview";
}

function toast(text, ms = 2500) {
  const t = $("toast");
  t.textContent = text;
  t.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { t.hidden = true; }, ms);
}

// a request the server refused (a photo whose file is gone, ...): its reason stays longer, it has more to read
function failed(e) { toast(String(e.message || e), 6000); }

function score(item) {
  if (item.p_blurry !== null && item.p_blurry !== undefined) return "p " + item.p_blurry.toFixed(2);
  if (item.laplacian_var !== null && item.laplacian_var !== undefined) return "LV " + item.laplacian_var.toFixed(0);
  return "";
}

function badges(item, into) {
  const verdict = item.status === "error" ? "error" : (item.verdict || "?");
  into.append(el("span", "badge v-" + verdict, verdict));
  if (item.blur_type && item.blur_type !== "none") into.append(el("span", "badge t-type", item.blur_type));
  const s = score(item);
  if (s) into.append(el("span", "score", s));
}

// "1 error", "2 errors", "0 errors"
function plural(n, word) { return `${n} ${word}${n === 1 ? "" : "s"}`; }

function renderSummary() {
  const s = state.summary;
  if (!s) return;
  $("summary").textContent =
    `${s.flagged} flagged (${mb(s.flagged_bytes)}) · ${s.undecided} to review · ${s.kept} kept · ` +
    `${s.discarded} discarded (${mb(s.discarded_bytes)})` + (s.errors ? ` · ${plural(s.errors, "error")}` : "");
  $("tab-bursts").hidden = !s.burst_groups;
}

function card(item, index, onclick) {
  const c = el("div", "card");
  c.dataset.id = item.id;
  c.dataset.index = index;
  if (item.status === "ok") {
    const img = el("img", "thumb");
    img.loading = "lazy";
    img.alt = item.name;
    img.src = `/thumb/${item.id}?v=${encodeURIComponent(item.v)}`;
    img.addEventListener("error", () => whyNot(img.src).then((why) => img.replaceWith(el("div", "noimg", why))));
    c.append(img);
  } else {
    c.append(el("div", "noimg", item.error || "error"));
  }
  const meta = el("div", "meta");
  const line = el("div");
  badges(item, line);
  meta.append(line, el("div", "name", item.name));
  meta.title = item.path;
  c.append(meta);
  setDecisionMark(c, item.decision);
  c.addEventListener("click", onclick);
  return c;
}

function setDecisionMark(c, decision) {
  const old = c.querySelector(".decision");
  if (old) old.remove();
  c.classList.remove("keep", "discard");
  c.dataset.decision = decision || "";
  if (decision) {
    c.classList.add(decision);
    c.append(el("span", "decision d-" + decision, decision === "keep" ? "KEEP" : "DISCARD"));
  }
}

function renderGrid() {
  const grid = $("grid");
  grid.replaceChildren(...state.items.map((item, i) => card(item, i, () => { select(i); openDetail(); })));
  $("empty").hidden = state.items.length > 0 || state.view !== "grid";
  select(Math.min(state.sel, Math.max(state.items.length - 1, 0)), false);
}

function cards() { return $("grid").children; }

function select(i, scroll = true) {
  const all = cards();
  if (!all.length) return;
  i = Math.max(0, Math.min(i, all.length - 1));
  if (all[state.sel]) all[state.sel].classList.remove("selected");
  state.sel = i;
  all[i].classList.add("selected");
  if (scroll) all[i].scrollIntoView({ block: "nearest" });
  if (state.view === "detail") loadDetail();
}

function columns() {
  const all = cards();
  if (all.length < 2) return 1;
  const top = all[0].offsetTop;
  let n = 0;
  while (n < all.length && all[n].offsetTop === top) n++;
  return Math.max(n, 1);
}

async function load() {
  const q = new URLSearchParams({ filter: $("filter").value, sort: $("sort").value, folder: $("folder").value });
  const data = await api("/api/items?" + q);
  state.items = data.items;
  state.summary = data.summary;
  renderSummary();
  renderGrid();
}

async function loadFolders() {
  const data = await api("/api/folders");
  const sel = $("folder");
  for (const f of data.folders) {
    const o = el("option", null, `${f.folder} (${f.flagged}/${f.photos})`);
    o.value = f.folder;
    sel.append(o);
  }
}

// -- decisions --------------------------------------------------------------------------------------------
async function decide(decision) {
  const item = current();
  if (!item) return;
  // move on at once, before the server answers: a key pressed meanwhile is for the next photo, not this one
  const [at, count] = state.from === "grid" ? [state.sel, state.items.length] : [state.burstSel, burstPhotos().length];
  if (at < count - 1) step(1);
  const data = await api("/api/decision", { id: item.id, decision });
  applyDecision(data.id, data.decision);
  state.summary = data.summary;
  renderSummary();
  toast(`${item.name}: ${decision}`);
}

function applyDecision(id, decision) {
  // the photo may be shown twice: in the grid and as a burst shot
  for (const photo of burstPhotos()) if (photo.id === id) photo.decision = decision;
  for (const c of burstCards()) if (c.dataset.id === id) setDecisionMark(c, decision);
  const i = state.items.findIndex((it) => it.id === id);
  if (i >= 0) {
    state.items[i].decision = decision;
    setDecisionMark(cards()[i], decision);
  }
  const shown = current();
  if (state.view === "detail" && shown && shown.id === id) renderDetailBadges(shown);
  return i;
}

async function undo() {
  const data = await api("/api/undo", {});
  state.summary = data.summary;
  renderSummary();
  if (!data.id) { toast("nothing to undo"); return; }
  const i = applyDecision(data.id, data.decision);
  const b = state.from === "bursts" ? burstPhotos().findIndex((photo) => photo.id === data.id) : -1;
  if (b >= 0) step(b - state.burstSel); else if (i >= 0 && state.from === "grid") select(i);  // the undone one
  // the last decision of the database, perhaps made in another tab: say which photo it was
  toast(`undone: ${data.reverted || "decision"} of ${data.name}` + (data.decision ? ` (back to ${data.decision})` : ""));
}

// -- detail view ------------------------------------------------------------------------------------------
// the photo the detail view shows (and k / d decide on): the grid's selection, or the bursts view's
function current() {
  return state.from === "bursts" ? burstPhotos()[state.burstSel] : state.items[state.sel];
}

// next / previous photo of the list the detail view was opened from (it follows in the detail view)
function step(delta) {
  if (state.from === "grid") {
    select(state.sel + delta);
  } else if (state.burstSel + delta >= 0 && state.burstSel + delta < burstPhotos().length) {
    selectBurst(state.burstSel + delta);
    if (state.view === "detail") loadDetail();
  }
}

function openDetail() {
  if (!current()) return;
  state.view = "detail";
  $("detail").hidden = false;
  loadDetail();
}

function closeDetail() {
  state.view = state.from;  // back to the grid or the bursts view, whichever it was opened from
  $("detail").hidden = true;
  state.fullUrl = "";
  $("full").removeAttribute("src");
}

// the picture, or in its place the reason there is none (a file gone since the scan, one that did not decode)
function showPicture(why) {
  $("full-missing").textContent = why || "";
  $("full-missing").hidden = !why;
  $("stage").hidden = Boolean(why);
}

function renderDetailBadges(item) {
  const b = $("detail-badges");
  b.replaceChildren();
  badges(item, b);
  if (item.decision) b.append(el("span", "decision-inline badge d-" + item.decision, item.decision));
}

async function loadDetail() {
  const item = current();
  if (!item) return;
  $("detail-title").textContent = item.name;
  renderDetailBadges(item);
  const full = $("full");
  state.fullUrl = item.status === "ok" ? `/full/${item.id}?v=${encodeURIComponent(item.v)}` : "";
  showPicture(state.fullUrl ? "" : `${item.name}: ${item.error || "could not be decoded"}`);
  if (state.fullUrl) full.src = state.fullUrl; else full.removeAttribute("src");
  full.alt = item.name;
  const d = await api(`/api/item/${item.id}`);
  if (current() !== item) return;
  state.detail = d;
  renderMap(d.grid, d.grid_box);
  renderInfo(d);
}

function renderMap(grid, box) {
  const map = $("map");
  map.replaceChildren();
  $("btn-map").disabled = !grid;
  if (!grid || !grid.length) { map.hidden = true; return; }
  // the grid covers the picture inside flat borders (letterbox bars, frames): [left, top, right, bottom]
  const [l, t, r, b] = box && box.length === 4 ? box : [0, 0, 1, 1];
  map.style.inset = `${100 * t}% ${100 * (1 - r)}% ${100 * (1 - b)}% ${100 * l}%`;
  const rows = grid.length, cols = grid[0].length;
  map.style.gridTemplateRows = `repeat(${rows}, 1fr)`;
  map.style.gridTemplateColumns = `repeat(${cols}, 1fr)`;
  for (const row of grid) {
    for (const p of row) {
      const cell = el("div", "cell" + (p === null ? " flat" : ""));
      if (p !== null) {
        // red = likely blurry, green = sharp; alpha keeps the photo visible underneath
        const r = Math.round(255 * p), g = Math.round(200 * (1 - p));
        cell.style.backgroundColor = `rgba(${r}, ${g}, 40, 0.38)`;
        cell.title = "p_blurry " + p.toFixed(2);
      } else {
        cell.title = "flat region (no detail to judge)";
      }
      map.append(cell);
    }
  }
  map.hidden = !state.map;
}

function renderInfo(d) {
  const dl = el("dl");
  const add = (k, v) => { if (v !== null && v !== undefined && v !== "") dl.append(el("dt", null, k), el("dd", null, String(v))); };
  add("File", d.path);
  // what `blurscan move` takes with this photo (its RAW twin, sidecars) counts in its size, as in the header
  const extra = d.companions || [];
  const total = extra.reduce((sum, f) => sum + f.size, d.size || 0);
  add("Size", extra.length ? `${mb(total)} with ${extra.map((f) => f.name).join(", ")} (this file ${mb(d.size)})`
                           : mb(d.size));
  add("Dimensions", d.width && d.height ? `${d.width} × ${d.height}` : null);
  add("Verdict", d.status === "error" ? "error: " + d.error : d.verdict);
  add("Note", d.note);  // a RAW + JPEG pair judged from its RAW (so Dimensions are the RAW's), and why
  add("Blur type", d.blur_type);
  add("p_blurry", d.p_blurry !== null && d.p_blurry !== undefined ? d.p_blurry.toFixed(3) : null);
  add("Laplacian variance", d.laplacian_var !== null && d.laplacian_var !== undefined ? d.laplacian_var.toFixed(1) : null);
  const e = d.exif || {};
  add("Taken", e.captured_at);
  // many cameras repeat the maker in the model ("Canon" + "Canon EOS 5D", "NIKON CORPORATION" + "NIKON D750")
  const maker = (e.make || "").split(" ")[0].toLowerCase();
  add("Camera", e.model && maker && e.model.toLowerCase().startsWith(maker) ? e.model
                                                                            : [e.make, e.model].filter(Boolean).join(" "));
  add("Lens", e.lens);
  add("Exposure", e.exposure_time ? exposureText(e.exposure_time) : null);
  add("Aperture", e.f_number ? "f/" + Number(Number(e.f_number).toFixed(1)) : null);
  add("ISO", e.iso);
  add("Focal length", e.focal_length ? Number(e.focal_length).toFixed(0) + " mm" : null);
  add("Decision", d.decision);
  $("info").replaceChildren(dl);
}

function applyZoom() {
  // 100 % = one photo pixel per screen pixel (not per CSS pixel: HiDPI screens have several per CSS pixel)
  const full = $("full");
  full.style.width = state.zoom && full.naturalWidth ? (full.naturalWidth / window.devicePixelRatio) + "px" : "";
  $("viewport").classList.toggle("zoomed", state.zoom);
  $("btn-zoom").textContent = state.zoom ? "Fit (z)" : "100 % (z)";
}

function toggleZoom() {
  state.zoom = !state.zoom;
  applyZoom();
}

function toggleMap() {
  if (!state.detail || !state.detail.grid) { toast("no blur map for this photo"); return; }
  state.map = !state.map;
  $("map").hidden = !state.map;
}

// -- bursts -----------------------------------------------------------------------------------------------
async function showBursts() {
  closeDetail();
  state.view = state.from = "bursts";
  $("grid").hidden = true;
  $("empty").hidden = true;
  $("controls").hidden = true;
  $("bursts").hidden = false;
  $("tab-bursts").classList.add("active");
  $("tab-photos").classList.remove("active");
  renderBursts(await api("/api/bursts"));
}

function showPhotos() {
  state.view = state.from = "grid";
  $("bursts").hidden = true;
  $("grid").hidden = false;
  $("controls").hidden = false;
  $("tab-photos").classList.add("active");
  $("tab-bursts").classList.remove("active");
  $("empty").hidden = state.items.length > 0;
}

function burstCards() { return $("bursts").querySelectorAll(".card"); }
function burstPhotos() { return state.bursts.flatMap((group) => group.photos); }

function renderBursts(data) {
  state.bursts = data.groups;
  const root = $("bursts");
  root.replaceChildren();
  // shots whose file is gone (moved or deleted since `blurscan bursts` ran) are left out by the server
  const note = [];
  if (data.gone_shots) note.push(`${plural(data.gone_shots, "shot")} no longer on disk left out`);
  if (data.hidden_groups) note.push(`${plural(data.hidden_groups, "group")} hidden (fewer than 2 shots left)`);
  if (note.length) {
    const p = el("p", "note", note.join("; ") + ". ");
    p.append(el("code", null, "blurscan bursts"), " regroups the photos still on disk.");
    root.append(p);
  }
  if (!state.bursts.length) root.append(el("p", "empty", "No burst group to show."));
  let index = 0;
  for (const group of state.bursts) {
    const g = el("div", "group");
    g.append(el("h2", null, `Group ${group.group_id} · ${group.photos.length} shots · keeper chosen by ${group.chosen_by}`));
    const row = el("div", "row");
    for (const photo of group.photos) {
      const i = index++;
      const c = card(photo, i, () => { selectBurst(i); openDetail(); });
      c.dataset.group = group.group_id;
      if (photo.is_keeper) {
        c.classList.add("keeper");
        c.querySelector(".meta").prepend(el("div", "keeper-label", "★ keeper"));
      } else {
        const btn = el("button", "make-keeper", "Make keeper");
        btn.type = "button";
        btn.addEventListener("click", (ev) => {  // blurred, as the detail view's buttons: Space is for the selection
          ev.stopPropagation(); ev.currentTarget.blur();
          makeKeeper(group.group_id, photo.id).catch(failed);
        });
        c.querySelector(".meta").append(btn);
      }
      row.append(c);
    }
    g.append(row);
    root.append(g);
  }
  selectBurst(state.burstSel);
}

function selectBurst(i) {
  const all = burstCards();
  if (!all.length) return;
  i = Math.max(0, Math.min(i, all.length - 1));
  all.forEach((c) => c.classList.remove("selected"));
  state.burstSel = i;
  all[i].classList.add("selected");
  all[i].scrollIntoView({ block: "nearest", inline: "nearest" });
}

async function makeKeeper(groupId, id) {
  const data = await api(`/api/bursts/${groupId}/keeper`, { id });
  if (data.summary) { state.summary = data.summary; renderSummary(); }
  renderBursts(data);
  applyDecision(id, "keep");  // the chosen shot is marked keep too (never moved or trashed)
  // the new keeper moves to the front of its group: keep it selected (not whatever shot takes its place)
  const at = Array.from(burstCards()).findIndex((c) => c.dataset.id === id);
  if (at >= 0) selectBurst(at);
  toast("keeper changed (and marked keep)");
}

// 1/250 s as a fraction when the camera's time is one (1/x for x >= 2, rounded as cameras show it: 1/3 s is
// 0.333 s); 0.4 s, 0.6 s, 2.5 s as decimals, never a fraction that is not the time
function exposureText(t) {
  const inverse = 1 / t;
  if (t < 0.5 && Math.abs(inverse - Math.round(inverse)) < 0.05 * inverse) return "1/" + Math.round(inverse) + " s";
  return Number(t.toPrecision(2)) + " s";
}

// -- keyboard ---------------------------------------------------------------------------------------------
document.addEventListener("keydown", (ev) => {
  if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
  if (ev.target instanceof HTMLSelectElement) return;
  const key = ev.key;
  const run = (promise) => { ev.preventDefault(); Promise.resolve(promise).catch(failed); };
  // k / d / u decide on the selected photo (or shot) and undo, in the grid, the bursts view and the detail view
  if (key === "k" || key === "d") return run(decide(key === "k" ? "keep" : "discard"));
  if (key === "u") return run(undo());
  if (state.view === "bursts") {
    if (key === "ArrowRight" || key === "ArrowDown") run(selectBurst(state.burstSel + 1));
    else if (key === "ArrowLeft" || key === "ArrowUp") run(selectBurst(state.burstSel - 1));
    else if (key === "Enter") run(openDetail());
    else if (key === " ") {  // never the default (a focused button's click): the selected shot, if not the keeper
      const c = burstCards()[state.burstSel];
      run(c && !c.classList.contains("keeper") && makeKeeper(Number(c.dataset.group), c.dataset.id));
    } else if (key === "b" || key === "Escape") run(showPhotos());
    return;
  }
  if (key === "ArrowRight") run(step(1));
  else if (key === "ArrowLeft") run(step(-1));
  else if (key === "ArrowDown") run(step(state.view === "grid" ? columns() : 1));
  else if (key === "ArrowUp") run(step(-(state.view === "grid" ? columns() : 1)));
  else if (key === "Enter" && state.view === "grid") run(openDetail());
  else if (key === "Escape" && state.view === "detail") run(closeDetail());
  else if (key === "z" && state.view === "detail") run(toggleZoom());
  else if (key === "m" && state.view === "detail") run(toggleMap());
  else if (key === "b" && state.summary && state.summary.burst_groups) run(showBursts());
});

$("full").addEventListener("load", applyZoom);
$("full").addEventListener("error", async () => {
  const url = state.fullUrl;
  if (!url) return;
  const why = await whyNot(url);
  if (state.fullUrl === url) showPicture(why);
});
// a clicked button gives its focus back: else Enter (or Space) on the next photo would click it again and
// keep or discard that photo unseen
$("btn-keep").addEventListener("click", (ev) => { ev.currentTarget.blur(); decide("keep").catch(failed); });
$("btn-discard").addEventListener("click", (ev) => { ev.currentTarget.blur(); decide("discard").catch(failed); });
$("btn-zoom").addEventListener("click", toggleZoom);
$("btn-map").addEventListener("click", toggleMap);
$("btn-close").addEventListener("click", closeDetail);
$("tab-bursts").addEventListener("click", showBursts);
$("tab-photos").addEventListener("click", showPhotos);
for (const id of ["filter", "sort", "folder"]) {
  $(id).addEventListener("change", () => { state.sel = 0; load().catch((e) => toast(e.message)); $(id).blur(); });
}
$("move-hint").textContent = `blurscan move --to DIR --db ${shellQuote(DB)}`;
Promise.all([load(), loadFolders()]).then(() => { document.body.dataset.ready = "1"; })
  .catch((e) => toast(String(e.message || e)));
