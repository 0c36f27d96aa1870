"""Why a photo unchanged since its last scan is scored again: its stored record is under another cache key
(:func:`blurscan.pipeline.cache_key`), so the scan cannot reuse it.

A newer blurscan whose model runtime gives other results (``PREPROCESS_VERSION`` 3 -> 4 on 2026-12-06), whose
measures or decoding changed, another model file, other settings (``--long-side``, a full scan after ``--fast``
ones) or the model after ``--model none``: each makes a scan decode and score every photo again, as long as a first
scan. Until 2026-12-06 the scan said only ``scanned 5000 files (0 unchanged, reused) in 41 min``: a person who had
scanned and reviewed the library the day before was told neither why nor that the keeps and discards made (kept by
file, not by cache key) stand. :func:`stale_reasons` finds them as a scan looks its files up
(:class:`blurscan.lookups.Lookups`), and ``blurscan scan`` says how many, and why, in a note (:func:`note`).
"""
from __future__ import annotations

from collections.abc import Sequence

from .records import ImageRef

#: The parts of a cache key, in order (``measures|dDECODE|MODEL/pPREPROCESS or none|settings hash``).
_PARTS = 4


def stale_reasons(conns: Sequence, refs: Sequence[ImageRef], keys: Sequence[str]) -> dict[str, str]:
    """path -> :func:`why` of each of ``refs`` whose stored row (in the first of ``conns`` that has one: a scan's
    database, then those seeding it) is of the same size and modification time but under none of ``keys`` (the
    keys the scan reuses, its own first). One query per 500 paths and connection."""
    from .store import db_path

    out: dict[str, str] = {}
    by_key = {db_path(r.path): r for r in refs}
    wanted = list(by_key)
    for conn in conns:
        for start in range(0, len(wanted), 500):
            chunk = wanted[start:start + 500]
            rows = conn.execute(f"SELECT path, size, mtime_ns, cache_key FROM images WHERE path IN "
                                f"({','.join('?' * len(chunk))})", chunk)
            for key, size, mtime_ns, stored in rows:
                ref = by_key[key]
                if ref.path in out or (size, mtime_ns) != (ref.size, ref.mtime_ns) or not isinstance(stored, str) \
                        or stored in keys:
                    continue
                reason = why(stored, keys[0])
                if reason is not None:
                    out[ref.path] = reason
        wanted = [k for k in wanted if by_key[k].path not in out]
    return out


def why(stored: str, key: str) -> str | None:
    """Why a record stored under cache key ``stored`` is not reused by a scan under ``key``, in words; None for a
    record of the model's a ``--model none`` scan replaces (the scan says so in a note of its own)."""
    old, new = stored.split("|"), key.split("|")
    if len(old) != _PARTS or len(new) != _PARTS:
        return "another blurscan scored them"
    (old_measures, old_decode, old_model, old_settings), (measures, decode, model, settings) = old, new
    reasons = []
    if old_model != model:
        old_version, _, old_runtime = old_model.partition("/p")
        version, _, runtime = model.partition("/p")
        if model == "none":
            return None
        if old_model == "none":
            reasons.append("a scan with --model none scored them")
        elif old_version != version:
            reasons.append(f"another model ({old_version} -> {version})")
        else:
            reasons.append(f"the model's rules changed{_since(old_runtime, runtime)} (runtime preprocessing "
                           f"{old_runtime or '1'} -> {runtime})")
    if old_measures != measures:
        reasons.append("the measures changed (another blurscan scored them)")
    if old_decode != decode:
        reasons.append(f"the decoding changed{_since(old_decode.lstrip('d'), decode.lstrip('d'))} "
                       f"({old_decode} -> {decode})")
    if old_settings != settings:
        reasons.append("other settings (--long-side, or a full scan after --fast ones)")
    return "; ".join(reasons) or "another blurscan scored them"


def _since(old: str, new: str) -> str:
    """`` in this blurscan`` when version ``new`` (a number) is later than ``old``, `` since: a newer blurscan
    scored them`` when earlier (a person who went back to an older release), else nothing."""
    try:
        before, now = int(old), int(new)
    except ValueError:
        return ""
    return " in this blurscan" if now > before else " since: a newer blurscan scored them" if now < before else ""


def note(reasons: dict[str, int]) -> str | None:
    """The scan's closing note for ``reasons`` (:func:`why` -> photos), or None when there are none."""
    total = sum(reasons.values())
    if not total:
        return None
    said = "; ".join(f"{reason}{f' ({n})' if len(reasons) > 1 else ''}"
                     for reason, n in sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0])))
    return (f"note: {total} photo{'s' if total != 1 else ''} unchanged since {'their' if total != 1 else 'its'} "
            f"last scan {'were' if total != 1 else 'was'} scored again, as long as a first scan: {said}; their "
            "keeps and discards stand (kept by file), as do the keepers chosen in bursts")
