"""Which model judged the stored verdicts ``blurscan report`` lists and the review page counts, said when it is not
this blurscan's default model.

A newer blurscan ships a newer model; until a scan judges the photos again (and says why, :mod:`blurscan.rescored`)
the database holds the verdicts of the model that judged them. Until 2026-12-07 ``report`` and the review page listed
an older model's verdicts without a word: a person who upgraded and looked before rescanning was shown 7 partial /
36 sharp photos where the shipped model said 8 / 35. Now :func:`note` says how many photos, by which model, and
the scan that judges them again.

The model a record was judged by is the model part of its cache key (:func:`blurscan.pipeline.cache_key`:
``VERSION+SHA8/pN``, as the JSONL's ``model_version`` names it, or ``none`` for ``--model none``). A scan run with
``--model PATH`` or ``--model none`` on purpose is remembered (:func:`remember`, the ``meta`` table's
:data:`CHOSEN_KEY`: no new table, so an older blurscan reads the database as before): the photos judged by that
model are not counted, so that a person who always scans with their own model is not told so at every report. The
words state a fact either way ("judged by model X, not this blurscan's default Y").
"""
from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Iterable

#: The ``meta`` key of the model the last scan was told to use (``--model PATH``: its version; ``--model none``:
#: ``none``); absent after a scan with the default model.
CHOSEN_KEY = "chosen_model"

#: A cache key whose model part cannot be read (written by hand, or by a blurscan before cache keys had four parts).
UNKNOWN = "?"


def model_of(cache_key) -> str | None:
    """The model a record stored under ``cache_key`` was judged by: its version, None for none (``--model none``),
    :data:`UNKNOWN` when the key does not say."""
    parts = cache_key.split("|") if isinstance(cache_key, str) else ()
    if len(parts) != 4 or not parts[2]:
        return UNKNOWN
    return None if parts[2] == "none" else parts[2].partition("/p")[0]


def remember(store, spec, model) -> None:
    """Record the model a scan with ``--model spec`` (``"default"``, ``"none"`` or a path) uses, ``model`` loaded
    (None: none), for :func:`chosen`; written only when it changes (a scan like the last one writes nothing)."""
    value = None if spec == "default" else (getattr(model, "version", None) or "none")
    if chosen_value(store) == value:
        return
    with store.transaction() as conn:
        if value is None:
            conn.execute("DELETE FROM meta WHERE key = ?", (CHOSEN_KEY,))
        else:
            conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (CHOSEN_KEY, value))


def chosen_value(store) -> str | None:
    """The stored :data:`CHOSEN_KEY` value, None when there is none (or it is no text)."""
    row = store.conn.execute("SELECT value FROM meta WHERE key = ?", (CHOSEN_KEY,)).fetchone()
    return row[0] if row is not None and isinstance(row[0], str) else None


@functools.cache
def default_version() -> str | None:
    """This blurscan's default model as a scan with it names it (``VERSION+SHA8``); None when the shipped model
    cannot be read (nothing is said then)."""
    from .shipped_model import shipped_model_version

    version = shipped_model_version()
    return None if version.startswith(("unreadable", "?")) else version


def others(counts: dict, store) -> dict:
    """Of ``counts`` (:func:`model_of` -> photos), the models other than the default and than the one the last scan
    was told to use, with their photos (none when the default model cannot be read)."""
    default = default_version()
    if default is None:
        return {}
    picked = chosen_value(store)  # (None: the last scan used the default model; "none": --model none)
    left_alone = {default, UNKNOWN} | ({None if picked == "none" else picked} if picked is not None else set())
    return {model: n for model, n in counts.items() if model not in left_alone and n}


def count(cache_keys: Iterable[tuple]) -> Counter:
    """:func:`model_of` -> photos, of ``cache_keys``: each a cache key and how many records are stored under it."""
    out: Counter = Counter()
    for key, n in cache_keys:
        out[model_of(key)] += n
    return out


def _by(model: str | None) -> str:
    return "without a model (--model none)" if model is None else f"by model {model}"


def words(models: dict, scan: str, photos: str = "listed photo") -> str | None:
    """What the ``photos`` of ``models`` (:func:`others`) were judged by, and ``scan``, the command that judges them
    again with the default model, in a line; None when there are none."""
    total = sum(models.values())
    if not total:
        return None
    were = "were" if total != 1 else "was"
    if len(models) == 1:
        (model,) = models
        by = f"{_by(model)}, not by this blurscan's default model {default_version()}"
    else:
        each = ", ".join(f"{n} {_by(model)}" for model, n in sorted(models.items(), key=lambda kv: (-kv[1], str(kv[0]))))
        by = f"by other models than this blurscan's default {default_version()} ({each})"
    return (f"{total} {photos}{'s' if total != 1 else ''} {were} judged {by}; `{scan}` judges "
            f"{'them' if total != 1 else 'it'} again with it")
