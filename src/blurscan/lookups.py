"""The stored records a scan reuses, looked up a chunk of its files at a time (:data:`blurscan.pipeline.LOOKUP_CHUNK`:
bounded memory on a large library), and the keep / discard decisions of the files moved, renamed, swapped or
rotated by hand among them carried to their new paths (:mod:`blurscan.renamed`, :mod:`blurscan.swapped`), those
of files whose time a change of the clocks moved, or a move to a drive with coarser times, given the new time
(:mod:`blurscan.shifted`, :mod:`blurscan.coarsened`), and
the rows an older blurscan stored under a linked folder's name given the photo's canonical name first
(:mod:`blurscan.linked_names`); and why the records of unchanged photos stored under another cache key are not
reused (:mod:`blurscan.rescored`)."""
from __future__ import annotations

from collections.abc import Sequence

from .coarsened import give_coarse_times
from .linked_names import adopt
from .records import ImageRef, ScanRecord
from .redate import redate
from .renamed import carry_decisions, connections, lookup_renamed
from .replaced import recheck
from .rescored import stale_reasons
from .shifted import lookup_shifted
from .swapped import SwapCarrier


class Lookups:
    """One scan's lookups in ``store``: :meth:`chunk` for each chunk of its files, in walk order, then
    :meth:`finish` once all are looked up. ``keys``: the cache keys a reusable record may be stored under, best
    first (a ``--fast`` scan also reuses what a full scan stored). ``items``: the scan's walk, whose photos get
    the rows stored under a linked name of theirs before anything is looked up (:func:`.linked_names.adopt`)."""

    def __init__(self, store, keys: Sequence[str], items: Sequence = (), redating=None) -> None:
        self.store, self.keys, self.redating = store, list(keys), redating  # (redating: redate's ``before``)
        self.outside: dict[str, list[str]] = {}  # the records outside the scanned folders, read once: prune's
        adopt(store, items, self.outside)
        self.claimed: set[str] = set()  # old paths recognised as moved, over all chunks: each to one new file
        self.swaps = SwapCarrier(store)
        self.stale: dict[str, str] = {}  # path -> why an unchanged photo's stored record is not reused (rescored.py)

    def chunk(self, refs: list[ImageRef]) -> tuple[dict[str, ScanRecord], dict[str, ScanRecord]]:
        """``(reusable, renamed)`` for ``refs``: path -> each record that can be reused (renamed ones included),
        and path -> those of photos moved or renamed by hand (their scores are stored again under the new path)."""
        store = self.store
        reusable = store.lookup_many(refs, self.keys[0])
        for key in self.keys[1:]:
            reusable.update(store.lookup_many([x for x in refs if x.path not in reusable], key))
        changed, moves, coarse = [x for x in refs if x.path not in reusable], {}, {}
        if changed:  # the same files, their times moved by a change of the clocks (a FAT card: shifted.py)
            shifted, recognised = lookup_shifted(store, changed, self.keys)
            reusable.update(shifted)
            changed = [x for x in changed if x.path not in recognised]
            coarse = give_coarse_times(store, changed)  # moved to a FAT or exFAT drive: found below (coarsened.py)
        self.swaps.look(changed)  # names swapped by hand: carried by finish, when every chunk is looked at
        renamed = lookup_renamed(connections(store), changed, self.keys, moves, self.claimed,
                                 contested=self.swaps.stale, paired=coarse)  # (a photo swapped away may be the file)
        if moves:
            self.swaps.remember()  # the decisions as the scan found them, for the swaps of later chunks
            carry_decisions(store, moves, self.swaps.held)  # before the prune forgets the old rows
        reusable.update(renamed)
        recheck(store, reusable, refs)  # a new status-change time: a file replaced? (replaced.py)
        redate(store, reusable, refs, self.redating)  # dates read by an older blurscan's rules: read again (redate.py)
        self.stale.update(stale_reasons(connections(store), [x for x in refs if x.path not in reusable], self.keys))
        return reusable, renamed

    def finish(self) -> dict[str, str]:
        """Carry the decisions of files swapped or rotated by hand (:meth:`blurscan.swapped.SwapCarrier.carry`):
        new path -> old path of each decision carried."""
        return self.swaps.carry()
