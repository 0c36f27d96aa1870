"""The files that move with each photo, kept per page load (:class:`Companions`); moved out of
:mod:`.library` on 2026-12-05, which re-exports it."""
from __future__ import annotations

import threading

from ..store import path_from_db


class Companions:
    """The files that move with each photo (RAW twin, sidecars: :func:`blurscan.actions.photo_group.companions`),
    looked up once per photo and kept until :meth:`reset`, which the app calls when the page is loaded: the
    header's figures then cost no folder listing per request, and a sidecar added meanwhile counts from the
    next page load. Keyed by the path as stored in the database. Thread-safe (the review server is threaded)."""

    def __init__(self) -> None:
        self._files: dict = {}   # stored path -> ((path, size, role), ...)
        self._bytes: dict = {}   # stored path -> their total size, for those that have any
        self._lock = threading.Lock()

    def reset(self) -> None:
        with self._lock:  # new dicts: a summary running meanwhile keeps the ones it was given
            self._files, self._bytes = {}, {}

    def files(self, keys) -> dict:
        """stored path -> ``((path, size, role), ...)`` for each of ``keys`` (looked up now where not known)."""
        with self._lock:
            self._learn(keys)
            return {k: self._files[k] for k in keys}

    def extra_bytes(self, keys) -> dict:
        """stored path -> bytes of the files that move with it, for those of ``keys`` that have any."""
        with self._lock:
            self._learn(keys)
            return self._bytes

    def _learn(self, keys) -> None:
        from ..actions.photo_group import companions

        missing = {path_from_db(k): k for k in keys if k not in self._files}
        if not missing:
            return
        for path, files in companions(missing).items():
            key = missing[path]
            self._files[key] = files
            if files:
                self._bytes[key] = sum(size for _p, size, _role in files)
