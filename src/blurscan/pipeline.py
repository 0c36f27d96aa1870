"""The scan pipeline: the one module that wires the stages together.

::

    paths ─walk─▶ ImageRef ─store lookup─▶ unchanged? reuse the stored record
                     │ new or changed
                     ▼
                  decode ─▶ measures ─▶ model ─▶ ScanRecord ─▶ store (batches, parent process only)

Public functions: :func:`scan` (many files, cached, parallel) and :func:`score_image` (one file or array).

Caching
-------
A stored record is reused when the file's absolute path, size and modification time are unchanged (and its sampled
bytes, where its status-change time moved: :mod:`blurscan.replaced`) *and* its cache key is unchanged. The cache
key (:func:`cache_key`) joins :data:`blurscan.measures.MEASURE_VERSION`, :data:`blurscan.decode.DECODE_VERSION`,
the model's version with the runtime's :data:`blurscan.model.spec.PREPROCESS_VERSION` (``"none"`` without a model)
and :meth:`ScanSettings.cache_hash` (the settings that change a result, e.g. the analysis size). One exception: a
fast scan (no full-resolution baseline) also reuses a record stored by a full scan, which holds everything it would
compute and the baseline besides. Error records are stored but not reused (but one too small to judge, unchanged:
:mod:`blurscan.too_small`): a failed file is tried again on the next scan (a permission fix keeps its mtime).

Parallelism
-----------
New or changed files are decoded and scored in worker processes (:mod:`blurscan.scan_workers`; ``settings.workers``: ``1``
runs everything in the calling process, which is easiest to debug; so is a small job, see
:data:`blurscan.scan_workers.MIN_POOL_BYTES`, and a scan in a daemonic
process, such as a :class:`multiprocessing.pool.Pool`'s worker, which may start none). Each worker loads the model
once and keeps freed memory for the next photo (:func:`blurscan.processes.tune_worker`); a photo scored in the
calling process is not: that setting of the C allocator is the whole process's, and stays, so it is the program's
to make (the command line does: :func:`blurscan.processes.keep_freed_memory`). Worker processes are started with
the ``spawn`` method (safe with ONNX Runtime and OpenCV threads), so a script that calls :func:`scan` with several
workers must guard its top level with ``if __name__ == "__main__":``, as with any :mod:`multiprocessing` code. No
pool is started when nothing needs decoding. Only the parent process writes the database, in batches
(:mod:`blurscan.batches`): interrupted (Ctrl-C), all that :func:`scan` yielded is stored once the generator ends.
"""
from __future__ import annotations

import contextlib
import dataclasses
import logging
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from .analysis import check_judgeable, current, marks
from .batches import BatchWriter
from .config import ScanSettings, given_settings
from .errors import BlurscanError, DecodeError, out_of_memory, path_reason
from .forking import steps_waited_for, waited_for
from .lookups import Lookups
from .pairs import settled
from .permissions import may_exist
from . import judged_by, mount_twins, redate, scan_workers, share_roots, too_small
from .processes import importing_main
from .pruning import prune as prune_store, walk_began
from .records import DecodedImage, ImageRef, ScanRecord
from .library_root import library_names
from .root_drives import remember_drives
from .scanned_roots import remember_roots, roots_of
from .walk import canonical, named_path, walk

if TYPE_CHECKING:
    import PIL.Image

log = logging.getLogger(__name__)

#: Stored records are looked up this many files at a time (bounded memory on a large library).
LOOKUP_CHUNK = 5000

#: ``progress(done, total)``: called with ``(0, total)`` once the walk is done, then as files complete.
ProgressCallback = Callable[[int, int], None]


# -- public API -------------------------------------------------------------------------------------------

@steps_waited_for  # a fork in another thread waits for the step under way (not while the caller holds a record)
def scan(
    paths: str | os.PathLike | Iterable[str | os.PathLike],
    settings: ScanSettings = ScanSettings(),
    *,
    db=None,
    progress: ProgressCallback | None = None,
    prune: bool = True,
    passed_over: dict[str, int] | None = None,
    redating: Callable[[int], None] | None = None,
    kept_unmounted: dict[str, int] | None = None,
    merged: list | None = None,
) -> Iterator[ScanRecord]:
    """Score every image under ``paths``; yield one :class:`~blurscan.records.ScanRecord` per file.

    Parameters
    ----------
    paths : path or iterable of paths
        Files and folders (walked recursively, see :func:`blurscan.walk.walk`).
    settings : ScanSettings or None
        Analysis size, model, number of worker processes... (None: the defaults).
    db : str, bytes, os.PathLike, Store or None
        Database used as a cache and written with the results. ``None`` (the default for library use) scans
        without a database; the CLI passes ``.blurscan.db`` at the scanned root.
    progress : callable, optional
        ``progress(done, total)``, see :data:`ProgressCallback`. Library code never prints.
    prune : bool
        After a complete scan, forget stored rows of files that no longer exist under the scanned folders.
    passed_over : dict, optional
        Filled as :func:`blurscan.walk.walk` fills it: suffix -> number of the other files passed over,
        ``"AppleDouble"``, ``"broken link"`` (links whose target is not there), a managed library's path -> 1, a
        link to a folder not followed: its path + ``os.sep`` -> 1.
    redating : callable, optional
        ``redating(n)``: n photos' stored dates, exposures and cameras are read again (:mod:`blurscan.redate`).
    kept_unmounted : dict, optional
        Filled once a complete scan prunes: each empty folder the walk met under a folder scanned that looks like
        the mount point of a drive or share not mounted (``~/Pictures/phone``, not modified since its photos'
        records were stored: :func:`blurscan.pruning.behind_mount_point`) -> how many records under it were kept.
    merged : list, optional
        Given ``(root, kept, n)`` for each folder an older blurscan stored a second time, reached through another
        mount point of its drive, whose n records were merged into the library's name ``kept``
        (:func:`blurscan.mount_twins.mend`).

    Yields
    ------
    ScanRecord
        Exactly one per file found (``status="error"`` with a one-line ``error`` when a file cannot be
        scored: the scan goes on). Walk errors and reused records come first, in walk order, then new
        records in completion order. ``record.cached`` is True for reused records, ``record.moved_from`` holds
        the old path of those reused from a photo moved or renamed by hand, and ``record.rescored`` says why an
        unchanged photo's stored record was not reused (:func:`blurscan.rescored.why`).

    Raises
    ------
    blurscan.errors.StoreError
        The database cannot be used.
    blurscan.errors.ModelError
        ``settings.model`` names a model file that cannot be loaded.

    (``scan`` is a generator: these, like a ``TypeError`` for ``paths`` that are no paths or ``settings`` that are
    no :class:`ScanSettings`, are raised at the first iteration, not at the call.)
    """
    if importing_main():  # a worker importing a script with no __main__ guard: see processes.importing_main
        return
    settings = given_settings(settings)
    paths = [paths] if isinstance(paths, (str, bytes, os.PathLike)) else list(paths)
    model = load_model(settings.model, settings.model_threads)  # before the store: a bad model creates no database
    with _open_store(db) as store:
        # each path's canonical name worked out once, for the roots, the walk and the pruning (three times, until
        # 2026-12-07), and once for the command too when it gives NamedPaths (blurscan.walk.NamedPath)
        folders: dict[str, str] = {}
        paths = [named_path(p, folders) for p in paths]
        if store is not None:  # the folders scanned: what move, trash and tag take for the library
            share_roots.follow(store)  # (its network share no longer mounted where scanned: named where it is)
            for twin, n in mount_twins.mend(store):  # (a database an older scan doubled that way: merged first)
                if merged is not None:
                    merged.append((twin.root, twin.kept, n))
            paths = library_names(store, paths, folders)  # (one reached through a second mount point: its name)
            remember_roots(store, paths)
            remember_drives(store, roots_of(paths))  # (their drives by identity: one mounted elsewhere, told)
            share_roots.remember_shares(store, roots_of(paths))  # (their shares: one mounted elsewhere, followed)
            judged_by.remember(store, settings.model, model)  # a --model chosen: report and review keep quiet of it
        key = cache_key(settings, model)
        # --fast reuses what a full scan stored (the same, plus the full-resolution baseline); not the other way
        fuller = None if settings.full_res_baseline else \
            cache_key(dataclasses.replace(settings, full_res_baseline=True), model)
        started = walk_began(store) if store is not None else None  # (the journal's moves and undos since)
        empty: list[str] = []  # (the folders the walk found empty: a drive not mounted inside the library?)
        items = list(walk(paths, follow_symlinks=settings.follow_symlinks, include_hidden=settings.include_hidden,
                          passed_over=passed_over, database=store.path if store is not None else None,
                          empty_folders=empty))
        total = len(items)
        notify = progress or (lambda done, total: None)
        notify(0, total)
        writer, done, complete = BatchWriter(store, key), 0, False
        try:
            todo: list[ImageRef] = []
            reusable, renamed = {}, {}  # path -> each record reused, of those a photo moved by hand's (Lookups)
            lookups = Lookups(store, [key] if fuller is None else [key, fuller], items, redating) if store else None
            for i, item in enumerate(items):
                if i % LOOKUP_CHUNK == 0 and lookups is not None:  # bounded memory on a large library
                    reusable, renamed = lookups.chunk([x for x in items[i:i + LOOKUP_CHUNK] if isinstance(x, ImageRef)])
                if isinstance(item, ScanRecord):
                    item.scores = item.scores or blank_scores()
                    if may_exist(item.path):  # a missing command-line path is not library content
                        writer.add(item)
                    record = item
                else:
                    record = reusable.get(item.path)
                    if (record is None or (record.status != "ok" and not too_small.reusable(record, item))
                            or not settled(record, settings, item.raw_twin) or not current(record, settings)):
                        todo.append(item)
                        continue
                    if item.path in renamed:  # a photo moved by hand: its scores, stored under its new path
                        writer.add(record)
                done += 1
                yield record
                if done % 256 == 0:
                    notify(done, total)
            if lookups is not None:  # every chunk looked up: names swapped or rotated by hand (swapped.py)
                lookups.finish()
            if done % 256:  # the reused records not reported yet (never (0, total) a second time)
                notify(done, total)
            for record in scan_workers.compute(todo, settings, model):  # (in worker processes: scan_workers)
                if record.status != "ok" and not record.scores:
                    record.scores = blank_scores()  # every JSONL object has every key
                record.rescored = lookups.stale.get(record.path) if lookups is not None else None  # (rescored.py)
                writer.add(record)
                done += 1
                yield record
                notify(done, total)
            complete = True
        finally:
            writer.flush()
            if complete and prune and store is not None:
                prune_store(store, paths, items, lookups.claimed, since=started, outside=lookups.outside,  # (looked up)
                            follow_symlinks=settings.follow_symlinks, empty=empty, kept=kept_unmounted)


@waited_for  # a fork in another thread waits for this call, its first imports and model included (forking)
def score_image(image: str | bytes | os.PathLike | np.ndarray | PIL.Image.Image,
                settings: ScanSettings = ScanSettings()) -> ScanRecord:
    """Score one image file or in-memory image (no database, no worker process).

    Parameters
    ----------
    image : str, bytes or os.PathLike path, ndarray or PIL.Image.Image
        A file, a ``H x W`` (gray) / ``H x W x 3`` (RGB) / ``H x W x 4`` (RGBA) array (uint8, uint16, float,
        bool: :func:`blurscan.decode.decode_array`), or a Pillow image of any mode, read as its file is (its
        pixels as they are: apply ``ImageOps.exif_transpose`` first for a photo's orientation; a TIFF, which
        Pillow turns upright as it loads it, as opened: :func:`blurscan.arrays._load_unmapped`).
    settings : ScanSettings or None
        Analysis size and model (``settings.model``; a model file changed since the last call is loaded again);
        None: the defaults.

    Returns
    -------
    ScanRecord
        ``path`` is ``"<array>"`` for an array; ``size`` and ``mtime_ns`` are None then.

    Raises
    ------
    blurscan.errors.DecodeError
        The file cannot be read or is not a usable image (a float array of a normalised tensor among them).
    blurscan.errors.ModelError
        ``settings.model`` names a model file that cannot be used, or its network gave NaN for this image.
    TypeError
        ``image`` is none of these types, or ``settings`` is no :class:`ScanSettings`.
    """
    from . import decode, loaded_models, pairs
    from .arrays import given_image
    from .pillowguard import pixel_limit

    settings = given_settings(settings)
    with pixel_limit(settings.max_pixels):  # (Pillow's checks as it loads a given image: ours, pillowguard)
        image = given_image(image)  # a Pillow image: its pixels as its file's are read, upright as shown
    model = loaded_models.model(settings.model, settings.model_threads)  # loaded again when its file changed
    if isinstance(image, np.ndarray):
        decoded = decode.decode_array(image, settings)
        return _measure(decoded, settings, model, ScanRecord(path="<array>"))
    path = canonical(image)  # named as scan() names it: "~/...", a folder's link resolved, ".." as the system reads it
    try:  # (read_once's "file vanished" is for a file a scan saw a moment before)
        os.stat(path)
    except OSError as exc:  # a scan's words: "broken symbolic link", "symbolic link loop" (since 2026-12-05)
        raise DecodeError(path, path_reason(exc, path)) from None
    decoded, note = pairs.decode_named(path, settings, color=_needs_color(model))  # a RAW twin: as a scan judges it
    record = ScanRecord(path=path, size=getattr(decoded, "size", None), mtime_ns=getattr(decoded, "mtime_ns", None),
                        note=note)
    return _measure(decoded, settings, model, record)


def cache_key(settings: ScanSettings, model=None) -> str:
    """What must be unchanged for a stored record to be reused (see the module docstring)."""
    from .decode import DECODE_VERSION
    from .measures import MEASURE_VERSION

    model_version = getattr(model, "version", None)
    if model_version:
        from .model.spec import PREPROCESS_VERSION

        model_version = f"{model_version}/p{PREPROCESS_VERSION}"
    return f"{MEASURE_VERSION}|d{DECODE_VERSION}|{model_version or 'none'}|{settings.cache_hash()}"


def blank_scores() -> dict:
    """``{name: None}`` for every score (error records): :func:`blurscan.measures.blank_scores`, kept here by name
    (moved there on 2026-12-06: ``report`` needs it too, and does not load the scan's pipeline)."""
    from . import measures

    return measures.blank_scores()


def load_model(spec: str, threads: int = 1, *, quiet: bool = False):
    """The classifier for ``spec`` (``"default"``, ``"none"`` or a path), or None for classical measures.

    ``"default"`` falls back to None (with a log warning) while this build ships no model file.

    Raises
    ------
    blurscan.errors.ModelError
        A model file named by path is missing or invalid.
    """
    if spec == "none":
        return None
    try:
        from .model import runtime
    except ModuleNotFoundError as exc:
        if spec == "default" and (exc.name or "").startswith("blurscan.model"):
            (log.debug if quiet else log.warning)("model runtime not available; using the classical measures only")
            return None
        raise
    if spec == "default":
        default_path = runtime.default_model_path()
        if not Path(default_path).exists():
            (log.debug if quiet else log.warning)("no shipped model (%s); using the classical measures only",
                                                  default_path)
            return None
    return runtime.load(spec, threads=threads)


# -- stages -----------------------------------------------------------------------------------------------

def _process(ref: ImageRef, settings: ScanSettings, model) -> ScanRecord:
    """Decode and score one file; never raises (a failure becomes an error record)."""
    from . import decode, pairs

    try:
        note = unread = judged = record = None
        if ref.raw_twin:  # a RAW + JPEG pair: the JPEG, or the RAW when the JPEG is small or unreadable
            decoded, note, unread, judged = pairs.decode_judged(ref, settings, color=_needs_color(model))
        else:
            decoded = decode.decode(ref.path, settings, color=_needs_color(model))
        record = ScanRecord(path=ref.path, size=decoded.size or ref.size, mtime_ns=decoded.mtime_ns or ref.mtime_ns,
                            note=note, unread_twin=unread, judged_twin=judged, ctime_ns=decoded.ctime_ns,
                            sample=decoded.sample)  # the identity of the bytes decoded (a file replaced since the walk)
        return _measure(decoded, settings, model, record)
    except DecodeError as exc:  # (one too small to judge with the identity of the bytes read: reused, too_small)
        return too_small.error_record(ref, exc.reason, record)
    except BlurscanError as exc:
        return ScanRecord.from_error(ref, " ".join(str(exc).split()))
    except Exception as exc:  # a bug or an unexpected library error must not stop the scan
        if out_of_memory(exc):  # (OpenCV's "Insufficient memory" too: until 2026-12-06 an "internal error: ...")
            return ScanRecord.from_error(ref, "out of memory while decoding")
        log.debug("unexpected error on %r", ref.path, exc_info=True)
        return ScanRecord.from_error(ref, "internal error: " + " ".join(f"{type(exc).__name__}: {exc}".split()))


def _needs_color(model) -> bool:
    """Whether the decoder must give colour: only for a model that reads it (measures and hashes use gray)."""
    return bool(getattr(model, "needs_color", False))


def _measure(decoded: DecodedImage, settings: ScanSettings, model, record: ScanRecord) -> ScanRecord:
    """Fill ``record`` from a decoded image: measures, then the model (or the classical verdict)."""
    from . import exif, measures

    check_judgeable(decoded)  # a side under 32 px, at full resolution or in the analysis image: an error record
    scores = measures.compute(decoded)
    record.scores = dict(scores)
    record.laplacian_var = decoded.laplacian_var
    record.width, record.height = decoded.width, decoded.height
    record.format = decoded.format or None
    record.captured_at = (decoded.exif or {}).get("captured_at")
    record.captured_subsec = (decoded.exif or {}).get("captured_subsec")  # (since 2026-12-05: bursts order by it)
    record.exposure_ev, record.camera, record.exposure_setting = exif.burst_basics(decoded.exif)  # (bursts)
    record.measure_version, record.dates = measures.MEASURE_VERSION, redate.DATE_RULES  # (dates' rules: redate.py)
    record.analysis = marks(record.format, decoded.width, decoded.height, settings.analysis_long_side)
    if model is not None:
        out = model.predict(decoded)
        record.verdict, record.p_blurry, record.blur_type = out.verdict, float(out.p_blurry), out.blur_type
        record.grid, record.grid_box = out.grid, out.grid_box
        record.model_version = model.version
    else:
        record.verdict = measures.classical_verdict(scores, settings)
    record.phash = _phash(decoded)
    return record


def _phash(decoded: DecodedImage) -> str | None:
    try:
        from .fingerprint import phash
    except ModuleNotFoundError as exc:
        if exc.name == f"{__package__}.fingerprint":
            return None
        raise
    return phash(decoded)


# -- store --------------------------------------------------------------------------------------------------

@contextlib.contextmanager
def _open_store(db):
    if db is None:
        yield None
        return
    from .store import Store

    if isinstance(db, Store):
        yield db
        return
    store = Store(os.path.expanduser(os.fsdecode(db)) if db != ":memory:" else db)  # (bytes too, as paths)
    try:
        yield store
    finally:
        store.close()
