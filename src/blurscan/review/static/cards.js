// blurscan review page: a photo's card, in the grid (grid.js draws them) and in the bursts view (bursts.js):
// its thumbnail, verdict badges, name, the keep elsewhere that protects it and its decision mark; and what its
// cards say once the photo is found gone.
"use strict";

// How the server makes thumbnails (its version and size), in their URLs: the browser keeps a thumbnail a day by its
// URL, and a photo's was the same across an upgrade that made it anew (the old one was shown: until 2026-12-06)
const THUMBS = document.querySelector('meta[name="blurscan-thumbs"]').content;

function thumbUrl(item) {
  return `/thumb/${item.id}?v=${encodeURIComponent(item.v)}&t=${encodeURIComponent(THUMBS)}`;
}

function score(item) {
  if (item.p_blurry !== null && item.p_blurry !== undefined) return "p " + item.p_blurry.toFixed(3);
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

function card(item, index, onclick) {
  const c = el("div", "card");
  c.dataset.id = item.id;
  c.dataset.index = index;
  c.item = item;  // (its label: labelCard)
  if (item.gone) {  // moved or deleted by hand since the scan: never the thumbnail the browser may have cached
    c.append(el("div", "noimg", item.gone));
  } else if (item.status === "ok") {
    const img = el("img", "thumb");
    img.loading = "lazy";
    img.alt = item.name;
    img.src = thumbUrl(item);
    img.addEventListener("error", () => refusal(img.src).then((answer) => {
      img.replaceWith(el("div", "noimg", answer.why || "no preview"));
      if (answer.gone) showGone(item.id, answer.why);  // (its cards' labels too: missing)
    }));
    c.append(img);
  } else {
    c.append(el("div", "noimg", item.error || "error"));
  }
  const meta = el("div", "meta");
  const line = el("div");
  badges(item, line);
  const name = el("div", "name", item.name);
  name.dir = "auto";  // (a right-to-left name laid out as one, so that a long one is cut at its end: app.css .name)
  meta.append(line, name);
  meta.title = item.path;
  if (item.kept_elsewhere) {  // kept in another library database above it: `blurscan move` leaves it there
    const note = el("div", "elsewhere", item.kept_elsewhere);
    note.title = keptElsewhereText(item);
    meta.append(note);
  }
  c.append(meta);
  setDecisionMark(c, item.decision, item.kept_elsewhere);
  // one click opens it, never the second of a double click begun on what was above it: a double click on the
  // detail view's Close opened the card under the button (until 2026-12-06; the buttons' own: once)
  c.addEventListener("click", (ev) => { if (ev.detail <= 1) onclick(ev); });
  return c;
}

// a photo a keep elsewhere protects shows as kept whatever its decision here, as `blurscan move` leaves it
function keptElsewhereText(item) {
  return `${item.kept_elsewhere}: blurscan move leaves it where it is` +
    (item.decision === "discard" ? " (your discard here does not count)" : "");
}

// a card's accessible name: the photo, its verdict, a burst shot's keeper note and its decision
function labelCard(c) {
  c.setAttribute("aria-label", photoLabel(c.item, c.dataset.decision, c.dataset.keptElsewhere, c.dataset.keeper));
}

function setDecisionMark(c, decision, elsewhere) {
  const old = c.querySelector(".decision");
  if (old) old.remove();
  c.classList.remove("keep", "discard");
  c.dataset.decision = decision || "";
  c.dataset.keptElsewhere = elsewhere ? "1" : "";
  labelCard(c);
  const shown = elsewhere ? "keep" : decision;
  if (shown) {
    c.classList.add(shown);
    const mark = el("span", "decision d-" + shown + (elsewhere ? " elsewhere-mark" : ""),
                    shown === "keep" ? "KEEP" : "DISCARD");
    if (elsewhere) mark.title = elsewhere;
    c.append(mark);
  }
}

// A photo found gone while the page is open (its full view did not load, a decision on it was refused): its
// cards say why in place of the thumbnail the browser still shows, as they do in a list loaded since
function showGone(id, why) {
  const i = indexOf(id);
  if (i >= 0) state.items[i].gone = why;
  for (const photo of burstPhotos()) if (photo.id === id) photo.gone = why;
  for (const c of [cardAt(i), ...burstCards()]) {
    if (!c || c.dataset.id !== id) continue;
    const img = c.querySelector("img.thumb");
    if (img) img.replaceWith(el("div", "noimg", why));
    labelCard(c);  // (said missing)
  }
}

function checkGone(item) {
  refusal(thumbUrl(item))
    .then((answer) => { if (answer.gone) showGone(item.id, answer.why); });
}
