"""The scan's writes to the database: its records collected and written in batches, by the parent process only.

Moved out of :mod:`blurscan.pipeline` on 2026-12-05 (that module had reached 500 lines)."""
from __future__ import annotations

import time

from .pruning import vanished
from .records import ScanRecord

#: Store writes happen after this many new records ...
BATCH_SIZE = 100
#: ... or after this many seconds, whichever comes first.
BATCH_SECONDS = 2.0


class BatchWriter:
    """Collects records and writes them to the store every BATCH_SIZE records or BATCH_SECONDS."""

    def __init__(self, store, key: str) -> None:
        self.store, self.key = store, key
        self.batch: list[ScanRecord] = []
        self.last = time.monotonic()

    def add(self, record: ScanRecord) -> None:
        if self.store is None:
            return
        self.batch.append(record)
        if len(self.batch) >= BATCH_SIZE or time.monotonic() - self.last >= BATCH_SECONDS:
            self.flush()

    def flush(self) -> None:
        if self.store is not None and self.batch:
            # a file gone since the walk (moved away by `blurscan move` meanwhile?) leaves its stored record as it
            # is: pruning.vanished
            self.store.put([r for r in self.batch if not vanished(r)], self.key)
            self.store.put([r for r in self.batch if vanished(r)], self.key, replace=False)
            self.batch = []
        self.last = time.monotonic()
