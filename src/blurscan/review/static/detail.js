// blurscan review page: the detail view (one photo at full size, its blur map, zoom and information), opened
// from the grid or the bursts view and stepping through that list.
"use strict";

// the photo the detail view shows (and k / d decide on): the grid's selection, or the bursts view's
function current() {
  return state.from === "bursts" ? burstPhotos()[state.burstSel] : state.items[state.sel];
}

// next / previous photo of the list the detail view was opened from (it follows in the detail view)
function step(delta) {
  state.moves++;
  announceSelection();  // (once the keys settle)
  if (state.from === "grid") {
    select(state.sel + delta);
  } else if (state.burstSel + delta >= 0 && state.burstSel + delta < burstPhotos().length) {
    selectBurst(state.burstSel + delta);
    if (state.view === "detail") loadDetail();
  }
}

// the photo's place in the list the detail view steps through: [index, count]
function place() {
  return state.from === "grid" ? [state.sel, state.items.length] : [state.burstSel, burstPhotos().length];
}

// Previous / Next (the detail view's buttons; a swipe on a touch screen): a step, as the arrows; at either end of
// the list nothing moves and the message line says so (the buttons are marked unavailable there: stepButtons)
function stepOrSay(delta) {
  const [at, count] = place();
  if (at + delta >= 0 && at + delta < count) step(delta);
  else toast(delta < 0 ? "the first photo of the list" : "the last photo of the list");
}

// aria-disabled, not disabled: the focus stays on the button at the end of the list (as on the Blur map's)
function stepButtons() {
  const [at, count] = place();
  $("btn-prev").setAttribute("aria-disabled", String(at <= 0));
  $("btn-next").setAttribute("aria-disabled", String(at >= count - 1));
}

// a swipe across the picture on a touch screen: leftwards to the next photo, rightwards to the previous. One
// finger, mostly sideways, the page at its own scale and the photo fitted: a pinch (a second finger), the
// browser's zoom or a zoomed photo panned are the browser's, never a step (the listeners are passive: they block
// no gesture). Until 2026-12-07 a touch screen had no way to another photo but Close and a tap on the next card
let swipe = null;
$("viewport").addEventListener("touchstart", (ev) => {
  const t = ev.touches[0], unzoomed = !window.visualViewport || window.visualViewport.scale < 1.01;
  swipe = ev.touches.length === 1 && !state.zoom && unzoomed ? { x: t.clientX, y: t.clientY } : null;
}, { passive: true });
$("viewport").addEventListener("touchcancel", () => { swipe = null; }, { passive: true });
$("viewport").addEventListener("touchend", (ev) => {
  const start = swipe, t = ev.changedTouches[0];
  swipe = null;
  if (!start || ev.touches.length || !t || state.view !== "detail") return;
  const dx = t.clientX - start.x, dy = t.clientY - start.y;
  if (Math.abs(dx) >= 50 && Math.abs(dx) > 2 * Math.abs(dy)) stepOrSay(dx < 0 ? 1 : -1);
}, { passive: true });

// the page behind the detail view is inert while it is open: Tab never reaches the grid's hidden controls (the
// Photos tab, a filter), whose Enter would change the page behind the photo shown. Nor does it scroll but by
// the page's own code (app.css): Space, Page Down and the mouse wheel scrolled the grid or the bursts view
// behind, which the detail view closed on, the selected photo off the screen (the arrows still scroll the
// selection into view behind it)
function setBehindInert(inert) {
  for (const part of document.querySelectorAll("header, main")) part.inert = inert;
  document.documentElement.classList.toggle("detail-open", inert);
}

function openDetail() {
  if (!current()) return;
  state.view = "detail";
  $("detail").hidden = false;
  setBehindInert(true);
  loadDetail();
  $("detail").focus();  // (a modal dialog: a screen reader reads its name, the photo's)
}

// Tab and Shift+Tab go round the detail view's buttons and its information, as in a modal dialog: past the last
// (or the first, or the dialog itself, backwards) the focus left it for the page itself, <body> (in a browser
// window its address bar), the page behind inert: a screen reader was out of the dialog (until 2026-12-06). The
// information (index.html) was left out of the round until 2026-12-06: where it scrolls, no key reached its end
function tabRound(ev) {
  const detail = $("detail");
  const buttons = [...detail.querySelectorAll("button, [tabindex='0']")]
    .filter((b) => !b.disabled && b.getClientRects().length);
  if (!buttons.length) return;
  const first = buttons[0], last = buttons[buttons.length - 1], inside = detail.contains(ev.target);
  if (ev.shiftKey ? !inside || ev.target === first || ev.target === detail : !inside || ev.target === last) {
    ev.preventDefault();
    (ev.shiftKey ? last : first).focus();
  }
}

function closeDetail() {
  const open = !$("detail").hidden;
  state.view = state.from;  // back to the grid or the bursts view, whichever it was opened from
  $("detail").hidden = true;
  setBehindInert(false);
  if (open) focusHome();  // the focus back on the selected photo (its card), not lost to the page
  if (open && state.view === "bursts" && burstsStale) burstsAgain().catch(failed);  // (refresh.js)
  state.fullUrl = "";
  $("full").removeAttribute("src");
}

// the picture, or in its place the reason there is none (a file gone since the scan, one that did not decode): the
// dialog's description (index.html), read as it opens; ``say``: a reason found out once the photo shows (its
// picture refused), said to a screen reader too. Until 2026-12-06 the text appeared in the picture's place
// unsaid, the focus on the dialog, whose name is the photo's only
function showPicture(why, say = false) {
  setText($("full-missing"), why || "");
  $("full-missing").hidden = !why;
  $("stage").hidden = Boolean(why);
  if (say && why) setText($("announce"), why);
}

// the picture come: shown (a photo known gone whose file is back: in place of the reason, loadDetail)
function pictureLoaded() {
  $("full").classList.remove("loading");
  if ($("full").getAttribute("src") === state.fullUrl) showPicture("");
  applyZoom();
}

function renderDetailBadges(item) {
  const b = $("detail-badges");
  b.replaceChildren();
  badges(item, b);
  if (item.kept_elsewhere) {  // kept in another library database: shown as kept, as `blurscan move` does
    const mark = el("span", "decision-inline badge d-keep elsewhere-mark", "keep (elsewhere)");
    mark.title = keptElsewhereText(item);
    b.append(mark);
  } else if (item.decision) {
    b.append(el("span", "decision-inline badge d-" + item.decision, item.decision));
  }
}

// whether the photo with id ``id`` is the one shown (and decided on) now. By its id, never its object: the
// bursts view's groups read again (a keeper discarded, a choice undone, renderBursts) are new objects for the
// same shots, and the answer to a photo's information that came after them was dropped, its details panel and
// blur map never shown, and m said "no blur map for this photo" (until 2026-12-07)
function shownNow(id) {
  const item = current();
  return Boolean(item) && item.id === id;
}

async function loadDetail() {
  const item = current();
  if (!item) return;
  stepButtons();
  $("detail-title").textContent = item.name;
  $("detail-title").title = item.name;  // shown whole on hover (and under File) when cut to fit the window
  renderDetailBadges(item);
  const full = $("full");
  state.fullUrl = item.status === "ok" ? `/full/${item.id}?v=${encodeURIComponent(item.v)}` : "";
  // (a file known gone: the reason at once, the dialog's description as it opens; the picture asked for still,
  // shown if the file is back)
  showPicture(state.fullUrl ? item.gone || "" : `${isolate(item.name)}: ${item.error || "could not be decoded"}`);
  if (state.fullUrl) {
    // the browser shows the last picture until the new one has come (the previous photo under this one's
    // name): hidden meanwhile (app.js shows it on its load)
    if (full.getAttribute("src") !== state.fullUrl) full.classList.add("loading");
    full.src = state.fullUrl;
  } else {
    full.removeAttribute("src");
  }
  full.alt = item.name;
  // another photo's blur map and information never stay on while this one's are on their way (m pressed then
  // showed the last photo's map over this one); this photo's own stay while they are read again
  if (!state.detail || state.detail.id !== item.id) {
    state.detail = null;
    renderMap(null);
    setInfo();
  }
  state.detailFor = item.id;
  let d;
  try {
    d = await api(`/api/item/${item.id}`);
  } catch (e) {  // (forgotten by a scan since the page loaded, the server stopped): never the last photo's info
    if (!shownNow(item.id)) return;
    state.detail = state.detailFor = null;
    renderMap(null);
    setInfo(el("p", "missing", String(e.message || e)));
    return;
  }
  if (!shownNow(item.id) || d.id !== item.id) return;  // an answer for a photo no longer shown: left alone
  // its Decision line is the item's, as its badge and its card: this answer may predate a key just pressed
  state.detail = Object.assign(d, { decision: current().decision });
  renderMap(d.grid, d.grid_box);
  renderInfo(d);
}

function renderMap(grid, box) {
  const map = $("map");
  map.replaceChildren();
  // aria-disabled, not disabled: a disabled button loses the keyboard focus, and with the focus on it (Tab) an
  // arrow key (or k / d, which step on) dropped it to <body>, out of the dialog (until 2026-12-06). Pressed with
  // no map, it says so (toggleMap), as m does
  $("btn-map").setAttribute("aria-disabled", String(!grid || !grid.length));
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
        cell.title = "p_blurry " + p.toFixed(3);
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
  const add = (k, v) => {
    if (v === null || v === undefined || v === "") return;
    const dd = el("dd");
    setText(dd, String(v));  // (the names in it isolated)
    dl.append(el("dt", null, k), dd);
  };
  add("File", d.path);
  // what `blurscan move` takes with this photo (its RAW twin, sidecars) counts in its size, as in the header
  const extra = d.companions || [];
  const total = extra.reduce((sum, f) => sum + f.size, d.size || 0);
  add("Size", extra.length ? `${mb(total)} with ${extra.map((f) => isolate(f.name)).join(", ")} (this file ${mb(d.size)})`
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
  add("Kept elsewhere", d.kept_elsewhere ? keptElsewhereText(d) : null);
  setInfo(dl);
  if (!d.grid || !d.grid.length) mapRefocus = false;  // (no map: the focus stays on the panel)
  if (d.grid && d.grid.length) {
    const box = mapTable(d.grid);
    $("info").append(box);
    fitMapBox();
    mapFit.observe(box);
    mapFit.observe(box.firstChild);  // (its table: a larger text size widens it, the box as wide as before)
  }
}

// the photo's information replaced by ``nodes``: the keyboard focus in it (on the blur map's box) stays on the
// panel itself, never dropped to <body> with the box it was on (k, d or Shift+arrow there step to the next photo),
// until the next photo's box comes: where that one scrolls too the focus goes back to it (fitMapBox, mapRefocus),
// the person's place kept; until 2026-12-07 it stayed on the panel, a Tab more to each photo's hidden columns
let mapRefocus = false;
function setInfo(...nodes) {
  const info = $("info");
  if (document.activeElement !== info && info.contains(document.activeElement)) {
    mapRefocus = document.activeElement.id === "map-scroll";
    info.focus({ preventScroll: true });
  } else if (document.activeElement !== info) {
    mapRefocus = false;  // (the focus gone elsewhere meanwhile: left there)
  }
  mapFit.disconnect();
  info.replaceChildren(...nodes);
}

// the blur map's box (mapTable) in the Tab round (tabRound), named by its table's caption and ringed (app.css), only
// while it scrolls sideways (a large text size in a narrow window, a phone: app.css .map-scroll): there Left /
// Right scroll it, Home / End to its first / last column (keys.js). Until 2026-12-07 no key reached its hidden
// columns: Tab went past it, the arrows stepped photos (WCAG 2.1.1; axe: scrollable-region-focusable). Told of
// every change of its width or its table's (the window, the text size); no longer scrolling, it leaves the round,
// the focus on it moved to the panel
const mapFit = new ResizeObserver(() => fitMapBox());
function fitMapBox() {
  const box = $("info").querySelector(".map-scroll");
  if (!box) return;
  const back = mapRefocus && document.activeElement === $("info");
  mapRefocus = false;
  if (box.scrollWidth > box.clientWidth) {
    box.tabIndex = 0;
    if (back) box.focus({ preventScroll: true });
    return;
  }
  if (document.activeElement === box) $("info").focus({ preventScroll: true });
  box.removeAttribute("tabindex");
}

// the blur map's figures as a table, row by row as on the picture: its colours (and their hover titles) were
// the only way to read them, for no one who cannot tell red from green or uses no mouse. Written short, ".90"
// for 0.90 and "1" for one that rounds to 1.00: ten of them fit the 280-px information panel (app.css). In a box
// of its own, which widens the panel where the font needs it and scrolls sideways where half the view is too
// narrow (app.css .map-scroll)
function mapTable(grid) {
  const box = el("div", "map-scroll"), table = el("table", "map-values");
  box.append(table);
  box.id = "map-scroll";
  box.setAttribute("role", "group");  // (named by the caption: Tab reaches it where it scrolls, fitMapBox)
  box.setAttribute("aria-labelledby", "map-caption");
  const caption = el("caption", null, "Blur map: p_blurry per region (flat: nothing to judge)");
  caption.id = "map-caption";
  table.append(caption);
  const body = el("tbody");
  const figure = (p) => (p === null ? "flat" : p >= 0.995 ? "1" : p.toFixed(2).slice(1));
  for (const row of grid) {
    const tr = el("tr");
    for (const p of row) tr.append(el("td", p === null ? "flat" : null, figure(p)));
    body.append(tr);
  }
  table.append(body);
  return box;
}

function applyZoom() {
  // 100 % = one photo pixel per screen pixel (not per CSS pixel: HiDPI screens have several per CSS pixel)
  const full = $("full");
  full.style.width = state.zoom && full.naturalWidth ? (full.naturalWidth / window.devicePixelRatio) + "px" : "";
  $("viewport").classList.toggle("zoomed", state.zoom);
  $("btn-zoom").textContent = state.zoom ? "Fit (z)" : "100 % (z)";
}

// the zoomed photo panned with the keyboard: the arrows a tenth of the view, Page Up / Page Down a view, Home /
// End to its top / bottom; false: a key that does not pan (Shift+arrows step to the previous / next photo, and
// so do Left / Right on a photo as narrow as the window, Up / Down on one as low: nothing to pan that way).
// The arrows stepped to another photo, and the photo, larger than the window, could be panned with the mouse only
function pan(key, shift) {
  const v = $("viewport");
  const dx = Math.max(40, v.clientWidth / 10), dy = Math.max(40, v.clientHeight / 10), page = 0.9 * v.clientHeight;
  const moves = { ArrowLeft: [-dx, 0], ArrowRight: [dx, 0], ArrowUp: [0, -dy], ArrowDown: [0, dy],
                  PageUp: [0, -page], PageDown: [0, page] };
  if (key === "Home" || key === "End") { v.scrollTop = key === "Home" ? 0 : v.scrollHeight; return true; }
  if (!moves[key] || (shift && key.startsWith("Arrow"))) return false;
  const across = key === "ArrowLeft" || key === "ArrowRight", along = key === "ArrowUp" || key === "ArrowDown";
  if ((across && v.scrollWidth <= v.clientWidth) || (along && v.scrollHeight <= v.clientHeight)) return false;
  v.scrollBy(moves[key][0], moves[key][1]);
  return true;
}

function toggleZoom() {
  state.zoom = !state.zoom;
  applyZoom();
}

// m: the map on or off; pressed while the photo's information is on its way, the map shows (or not) once it
// has come, never another photo's meanwhile
function toggleMap() {
  const item = current();
  const loaded = Boolean(item && state.detail && state.detail.id === item.id);
  if (loaded ? !state.detail.grid : !item || state.detailFor !== item.id) {
    toast("no blur map for this photo");
    return;
  }
  state.map = !state.map;
  $("btn-map").setAttribute("aria-pressed", String(state.map));  // (a toggle: it said nothing of the map shown)
  $("map").hidden = !(state.map && loaded);
}

// 1/250 s as a fraction when the camera's time is one (1/x for x >= 2, rounded as cameras show it: 1/3 s is
// 0.333 s); 0.4 s, 0.6 s, 2.5 s as decimals, never a fraction that is not the time
function exposureText(t) {
  const inverse = 1 / t;
  if (t < 0.5 && Math.abs(inverse - Math.round(inverse)) < 0.05 * inverse) return "1/" + Math.round(inverse) + " s";
  return Number(t.toPrecision(2)) + " s";
}
