// blurscan review page: the bursts view (groups of shots taken in a row, each with its keeper) and the tabs
// switching between it and the grid of photos.
"use strict";

async function showBursts() {
  closeDetail();
  gridLeft();  // (put back there by showPhotos)
  state.view = state.from = "bursts";
  $("grid").hidden = true;
  $("empty").hidden = true;
  $("controls").hidden = true;
  $("bursts").hidden = false;
  setTab("tab-bursts", "tab-photos");
  // the keyboard focus on the view shown (its selected shot's card once drawn, renderBursts): the grid it was
  // on is hidden, and with b it fell to the page itself (a screen reader lost its place)
  focusHome();
  // (read once a decision of this tab's is stored: a shot decided as the view comes back keeps its mark)
  renderBursts((await readFresh("/api/bursts")) || await api("/api/bursts"));
}

function showPhotos() {
  closeDetail();  // as showBursts: never the grid behind a detail view still on screen
  state.view = state.from = "grid";
  $("bursts").hidden = true;
  $("grid").hidden = false;
  $("controls").hidden = false;
  setTab("tab-photos", "tab-bursts");
  $("empty").hidden = state.items.length > 0;
  gridShown();
  focusHome();  // (the grid, as showBursts)
}

// the view's tab shown active, and said so (aria-pressed)
function setTab(on, off) {
  $(on).classList.add("active");
  $(on).setAttribute("aria-pressed", "true");
  $(off).classList.remove("active");
  $(off).setAttribute("aria-pressed", "false");
}

// The groups are drawn a page at a time (some PAGE shots): a page near the view (a screen above or below it),
// or holding the selected shot, is drawn; the others stand as empty space of their estimated height. The view
// drew every shot of every group at once: some 20,000 shots took seconds to show, and each arrow key went over
// every card drawn.
const PAGE = 60;  // shots per page (a group of more shots is a page of its own)
const GROUP_GUESS = 290;  // a group's height (px) with the gap below it, until one is drawn
// pages: {el, groups (indices into state.bursts), drawn}; starts: each group's first shot (its index in
// burstPhotos()); pageOf: each group's page; photos: the shots in order; groupOf: each shot's group; cards:
// shot index -> its card, once drawn; pitch: a group's height with the gap below it, measured on a page drawn
const burstView = { pages: [], starts: [], pageOf: [], photos: [], groupOf: [], cards: [], pitch: 0 };
// (the browser keeps what shows in place as a page above it is drawn, taller or shorter than estimated; a view
// scrolled to its end, the scroll bar dragged down, stays there: it showed the top of the last page)
const pageObserver = new IntersectionObserver((entries) => {
  const end = document.documentElement.scrollHeight;
  const atEnd = window.scrollY + window.innerHeight >= end - 1;
  for (const entry of entries) {
    const page = burstView.pages[Number(entry.target.dataset.page)];
    if (entry.isIntersecting && page && page.el === entry.target) drawPage(page);
  }
  if (atEnd && document.documentElement.scrollHeight !== end) window.scrollTo(0, document.documentElement.scrollHeight);
}, { rootMargin: "100% 0px" });

function burstCards() { return $("bursts").querySelectorAll(".card"); }  // (those drawn)
function burstPhotos() { return burstView.photos; }
function burstCard(i) { return burstView.cards[i] || null; }

function renderBursts(data) {
  // the selected shot, when it shows, stays where it is on the screen (a keeper chosen, the groups read again)
  const root = $("bursts"), old = burstCard(state.burstSel);
  const r = old && !root.hidden ? old.getBoundingClientRect() : null;
  const before = r && r.bottom > 0 && r.top < window.innerHeight ? { id: old.dataset.id, top: r.top } : null;
  const focused = root.contains(document.activeElement);  // (a shot's card or button: its new card takes it)
  const selected = burstView.photos[state.burstSel];  // (stays selected where it is now, when still shown)
  state.bursts = data.groups;
  pageObserver.disconnect();
  Object.assign(burstView, { pages: [], starts: [], pageOf: [], photos: [], groupOf: [], cards: [] });
  root.replaceChildren();
  // shots whose file is gone (moved or deleted since `blurscan bursts` ran) or replaced by another file are left
  // out by the server
  const note = [];
  if (data.gone_shots) note.push(`${plural(data.gone_shots, "shot")} no longer on disk left out`);
  // shots under a folder that looks like a drive not mounted (empty, or a link to nothing), said apart, as report
  // says them: until 2026-12-07 they were counted with those no longer on disk
  for (const u of data.unmounted_shots || []) {
    note.push(`${plural(u.shots, "shot")} under ${u.folder} left out: it is ${u.why} (a share or drive not mounted?)`);
  }
  if (data.replaced_shots) note.push(`${plural(data.replaced_shots, "shot")} replaced by another file left out`);
  // (a Pixel's X.RAW-02.ORIGINAL.dng, a shot of its own in groups an older blurscan bursts stored: the grid shows
  // it with its X.RAW-01.COVER.jpg, as one photo)
  if (data.twin_shots) {
    note.push(data.twin_shots === 1 ? "1 RAW shot now judged with its JPEG, as one photo, left out"
      : `${data.twin_shots} RAW shots now judged with their JPEGs, as one photo each, left out`);
  }
  if (data.hidden_groups) note.push(`${plural(data.hidden_groups, "group")} hidden (fewer than 2 shots left)`);
  if (note.length) {
    const p = el("p", "note", note.join("; ") + ". ");
    p.append(el("code", null, `${PROGRAM} bursts`), " regroups the photos still on disk.");
    root.append(p);
  }
  if (!state.bursts.length) {
    const p = el("p", "empty", "No burst group to show. ");
    p.append(el("code", null, `${PROGRAM} bursts`), " groups the shots taken in quick succession of one scene.");
    root.append(p);
  }
  let page = null, shots = 0;
  state.bursts.forEach((group, g) => {
    burstView.starts.push(burstView.photos.length);
    for (const photo of group.photos) { burstView.photos.push(photo); burstView.groupOf.push(g); }
    if (!page || (shots + group.photos.length > PAGE && page.groups.length)) {
      page = { el: el("div", "page"), groups: [], drawn: false };
      page.el.dataset.page = burstView.pages.length;
      burstView.pages.push(page);
      root.append(page.el);
      shots = 0;
    }
    page.groups.push(g);
    burstView.pageOf.push(burstView.pages.length - 1);
    shots += group.photos.length;
  });
  setPlaceholders();
  const now = selected ? burstView.photos.findIndex((photo) => photo.id === selected.id) : -1;
  if (now >= 0) state.burstSel = now;
  const at = before ? burstView.photos.findIndex((photo) => photo.id === before.id) : -1;
  drawPage(pageOfShot(at >= 0 ? at : state.burstSel));
  for (let pass = 0; pass < 2; pass++) {  // (again once the pages drawn have given their height)
    drawNear();
    if (!burstView.pitch) measurePitch();
    const c = burstCard(at);
    if (c) {
      const shift = c.getBoundingClientRect().top - before.top;
      if (Math.abs(shift) >= 1) window.scrollBy(0, shift);
    }
  }
  for (const p of burstView.pages) if (!p.drawn) pageObserver.observe(p.el);
  selectBurst(state.burstSel);
  if (focused && !root.hidden) focusHome();
  // a photo opened from this view whose shot is gone from the groups read again (its file deleted meanwhile): the
  // shot selected now shown, the one k / d decide on (until 2026-12-07 the gone shot stayed on screen)
  const shown = burstView.photos[state.burstSel];
  if (state.view === "detail" && state.from === "bursts" && shown && selected && shown.id !== selected.id) {
    loadDetail();
  }
}

function pageOfShot(i) {
  const g = burstView.groupOf[Math.max(0, Math.min(i, burstView.photos.length - 1))];
  return g === undefined ? null : burstView.pages[burstView.pageOf[g]];
}

// the pages not drawn as empty space, as high as their groups would be
function setPlaceholders() {
  const pitch = burstView.pitch || GROUP_GUESS;
  for (const page of burstView.pages) if (!page.drawn) page.el.style.height = `${page.groups.length * pitch}px`;
}

// a group's height with the gap below it, on a page drawn (its groups are alike: a heading, a row of cards)
function measurePitch() {
  const page = burstView.pages.find((p) => p.drawn);
  if (!page || $("bursts").hidden) return;
  const height = page.el.getBoundingClientRect().height;
  if (height > 0) { burstView.pitch = height / page.groups.length; setPlaceholders(); }
}

// the pages in view or near it drawn now (the observer's first answer comes after the page is painted)
function drawNear() {
  if ($("bursts").hidden) return;
  const h = window.innerHeight;
  const near = burstView.pages.filter((page) => {
    if (page.drawn) return false;
    const r = page.el.getBoundingClientRect();
    return r.bottom > -h && r.top < 2 * h;
  });
  near.forEach(drawPage);
}

function drawPage(page) {
  if (!page || page.drawn) return;
  page.drawn = true;
  pageObserver.unobserve(page.el);
  page.el.style.height = "";
  page.el.append(...page.groups.map(groupElement));
}

function groupElement(g) {
  const group = state.bursts[g];
  const div = el("div", "group");
  // the words of `blurscan bursts`: "keeper proposed" (ranked by the figures) or "keeper chosen by a person"
  const who = group.chosen_by === "person" ? "chosen by a person" : "proposed";
  div.append(el("h2", null, `Group ${group.group_id} · ${group.photos.length} shots · keeper ${who}`));
  const row = el("div", "row");
  group.photos.forEach((photo, k) => {
    const i = burstView.starts[g] + k;
    const c = card(photo, i, () => { state.moves++; selectBurst(i); openDetail(); });
    c.dataset.group = group.group_id;
    // a group of its own for a screen reader (its button in it), focused as the selection moves when it has
    // the focus (focusHome)
    c.setAttribute("role", "group");
    c.tabIndex = -1;
    // why it is the keeper, or why another is proposed, as `blurscan bursts` says it: in the JSON, never shown
    // until 2026-12-07; on the card, and its description (read with its name as the selection comes to it)
    if (photo.reason) {
      const why = el("div", "reason", photo.reason);
      why.id = `burst-reason-${i}`;
      c.querySelector(".meta").append(why);
      c.setAttribute("aria-describedby", why.id);
    }
    if (photo.is_keeper) { c.dataset.keeper = photo.rank === 1 ? "keeper" : "kept too"; labelCard(c); }
    if (photo.is_keeper && photo.rank === 1) {
      c.classList.add("keeper");
      c.querySelector(".meta").prepend(el("div", "keeper-label", "★ keeper"));
    } else {
      // a shot kept beside the keeper (one you edited: `blurscan bursts` keeps it too) can still be made the
      // keeper; it said "keeper" with no button, and Space did nothing on it
      if (photo.is_keeper) c.querySelector(".meta").prepend(el("div", "keeper-label", "★ kept too"));
      const btn = el("button", "make-keeper", "Make keeper");
      btn.type = "button";
      btn.setAttribute("aria-label", `Make keeper: ${photo.name}`);  // (read out of its card: whose button)
      btn.addEventListener("click", (ev) => {  // its focus given back, as the detail view's buttons' (the new
        // keeper's card takes it): a later Space is the selection's
        ev.stopPropagation(); focusHome();
        // once per click: the second click of a double click was a second choice of the shot, which one u left
        // chosen (until 2026-12-05; app.js once)
        if (ev.detail <= 1) makeKeeper(group.group_id, photo.id).catch(failed);
      });
      c.querySelector(".meta").append(btn);
    }
    if (i === state.burstSel) { c.classList.add("selected"); c.setAttribute("aria-current", "true"); }
    burstView.cards[i] = c;
    row.append(c);
  });
  div.append(row);
  return div;
}

// the shot ``i`` selected (its page drawn first) and scrolled into view; only its card and the one selected
// before change
function selectBurst(i) {
  const count = burstView.photos.length;
  if (!count) return;
  i = Math.max(0, Math.min(i, count - 1));
  const old = burstCard(state.burstSel);
  const moveFocus = document.activeElement && document.activeElement.matches("#bursts .card");
  if (old) { old.classList.remove("selected"); old.removeAttribute("aria-current"); }
  state.burstSel = i;
  drawPage(pageOfShot(i));
  const c = burstCard(i);
  c.classList.add("selected");
  c.setAttribute("aria-current", "true");
  if (moveFocus) c.focus({ preventScroll: true });
  c.scrollIntoView({ block: "nearest", inline: "nearest" });
  // a photo open: Previous / Next mark the ends of the list as it is now (the groups read again under it, a
  // discarded keeper gone last, moved the shot shown: they kept the ends before, until 2026-12-07)
  if (state.view === "detail") stepButtons();
}

// Page Up / Page Down: the shot a screenful of groups up / down, at the selected shot's place in its group (a
// shorter group's last shot); past the first / last group, the first / last shot (null: no shot). They scrolled
// the page only, the selection left behind, as Home / End did (until 2026-12-06)
function burstJump(key) {
  const count = burstView.photos.length;
  if (!count) return null;
  const g = burstView.groupOf[state.burstSel], place = state.burstSel - burstView.starts[g];
  const screenful = Math.max(1, Math.floor(window.innerHeight / (burstView.pitch || GROUP_GUESS)));
  const to = g + (key === "PageDown" ? screenful : -screenful);
  if (to < 0) return 0;
  if (to >= burstView.starts.length) return count - 1;
  const size = (to + 1 < burstView.starts.length ? burstView.starts[to + 1] : count) - burstView.starts[to];
  return burstView.starts[to] + Math.min(place, size - 1);
}

// The groups read again once this tab's writes are answered (readFresh), when a decision changed a group's keeper
// as the server ranks it now: a keeper marked discard gives its place to the next shot not discarded, and takes
// it back when the discard is undone or changed to keep (until 2026-12-06 the view showed the discarded shot as
// the keeper until `blurscan bursts` ran again). One reading at a time, once more when asked again meanwhile, so
// that an older answer never comes after a newer one; the selected shot stays selected (renderBursts)
let groupsReading = null, groupsAgainToo = false;
function groupsAgain() {
  if (groupsReading) { groupsAgainToo = true; return groupsReading; }
  groupsReading = (async () => {
    do {
      groupsAgainToo = false;
      const data = await readFresh("/api/bursts");
      if (data && !groupsAgainToo) renderBursts(data);
    } while (groupsAgainToo);
  })().catch(() => {}).finally(() => { groupsReading = null; });  // (the view stays as it was; Esc, b read it)
  return groupsReading;
}

async function makeKeeper(groupId, id) {
  const shot = burstPhotos().find((photo) => photo.id === id), moves = state.moves;
  // a keeper choice is this tab's decision too (the shot is marked keep): u undoes it, keeper and mark
  // v: the version of the shot this page shows (refused if a scan stored another since); sent once the writes
  // before on the shot and on its group are answered (on: two choices in a group stored in the order of the keys)
  const on = [id, `group ${groupId}`];
  const data = await remember({ id, name: shot ? shot.name : id, on },
                              api(`/api/bursts/${groupId}/keeper`, { id, v: shot ? shot.v : undefined }, on))
    .catch((e) => { if (e.status === 409 && shot) checkGone(shot); throw e; });
  if (data.summary) { state.summary = data.summary; renderSummary(); }
  renderBursts(data);  // (the shot selected stays selected, wherever it is now)
  applyDecision(id, "keep");  // the chosen shot is marked keep too (never moved or trashed)
  // the keeper chosen before it in this group lost the keep mark that choice made: the grid and the detail view
  // show it as the server has it now (not kept, or its decision before that choice): they showed it kept until reloaded
  if (data.released) applyDecision(data.released.id, data.released.decision);
  // the new keeper moves to the front of its group: selected (not whatever shot takes its place), unless the
  // person has moved the selection since the choice (an arrow to the old keeper: a d then discarded the new one)
  const at = state.moves === moves ? burstPhotos().findIndex((photo) => photo.id === id) : -1;
  if (at >= 0) selectBurst(at);
  // (the shot named, as a decision's toast names its photo: until 2026-12-07 "keeper changed (and marked keep)")
  toast(`keeper changed: ${isolate(shot ? shot.name : id)} (marked keep)`);
}
