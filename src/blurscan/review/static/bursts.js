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
  $("tab-bursts").classList.add("active");
  $("tab-photos").classList.remove("active");
  // (read once a decision of this tab's is stored: a shot decided as the view comes back keeps its mark)
  renderBursts((await readFresh("/api/bursts")) || await api("/api/bursts"));
}

function showPhotos() {
  closeDetail();  // as showBursts: never the grid behind a detail view still on screen
  state.view = state.from = "grid";
  $("bursts").hidden = true;
  $("grid").hidden = false;
  $("controls").hidden = false;
  $("tab-photos").classList.add("active");
  $("tab-bursts").classList.remove("active");
  $("empty").hidden = state.items.length > 0;
  gridShown();
}

function burstCards() { return $("bursts").querySelectorAll(".card"); }
function burstPhotos() { return state.bursts.flatMap((group) => group.photos); }

function renderBursts(data) {
  state.bursts = data.groups;
  const root = $("bursts");
  root.replaceChildren();
  // shots whose file is gone (moved or deleted since `blurscan bursts` ran) or replaced by another file are left
  // out by the server
  const note = [];
  if (data.gone_shots) note.push(`${plural(data.gone_shots, "shot")} no longer on disk left out`);
  if (data.replaced_shots) note.push(`${plural(data.replaced_shots, "shot")} replaced by another file left out`);
  if (data.hidden_groups) note.push(`${plural(data.hidden_groups, "group")} hidden (fewer than 2 shots left)`);
  if (note.length) {
    const p = el("p", "note", note.join("; ") + ". ");
    p.append(el("code", null, "blurscan bursts"), " regroups the photos still on disk.");
    root.append(p);
  }
  if (!state.bursts.length) {
    const p = el("p", "empty", "No burst group to show. ");
    p.append(el("code", null, "blurscan bursts"), " groups the shots taken in quick succession of one scene.");
    root.append(p);
  }
  let index = 0;
  for (const group of state.bursts) {
    const g = el("div", "group");
    // the words of `blurscan bursts`: "keeper proposed" (ranked by the figures) or "keeper chosen by a person"
    const who = group.chosen_by === "person" ? "chosen by a person" : "proposed";
    g.append(el("h2", null, `Group ${group.group_id} · ${group.photos.length} shots · keeper ${who}`));
    const row = el("div", "row");
    for (const photo of group.photos) {
      const i = index++;
      const c = card(photo, i, () => { selectBurst(i); openDetail(); });
      c.dataset.group = group.group_id;
      if (photo.is_keeper && photo.rank === 1) {
        c.classList.add("keeper");
        c.querySelector(".meta").prepend(el("div", "keeper-label", "★ keeper"));
      } else {
        // a shot kept beside the keeper (one you edited: `blurscan bursts` keeps it too) can still be made the
        // keeper; it said "keeper" with no button, and Space did nothing on it
        if (photo.is_keeper) c.querySelector(".meta").prepend(el("div", "keeper-label", "★ kept too"));
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
  const shot = burstPhotos().find((photo) => photo.id === id);
  // a keeper choice is this tab's decision too (the shot is marked keep): u undoes it, keeper and mark
  // v: the version of the shot this page shows (refused if a scan stored another since)
  const data = await remember({ id, name: shot ? shot.name : id },
                              api(`/api/bursts/${groupId}/keeper`, { id, v: shot ? shot.v : undefined }))
    .catch((e) => { if (e.status === 409 && shot) checkGone(shot); throw e; });
  if (data.summary) { state.summary = data.summary; renderSummary(); }
  renderBursts(data);
  applyDecision(id, "keep");  // the chosen shot is marked keep too (never moved or trashed)
  // the new keeper moves to the front of its group: keep it selected (not whatever shot takes its place)
  const at = Array.from(burstCards()).findIndex((c) => c.dataset.id === id);
  if (at >= 0) selectBurst(at);
  toast("keeper changed (and marked keep)");
}
