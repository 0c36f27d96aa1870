"""Which stored photos no longer on disk are under a folder that looks like a drive or share not mounted: those a
scan keeps (:mod:`blurscan.pruning`), which ``report`` and the review page say apart from the photos really gone.

A scan keeps the records under a folder named to it, or met by its walk (:func:`blurscan.pruning.behind_mount_point`:
a drive mounted inside the library, since 2026-12-07), that is an empty mount point not modified since
(:func:`blurscan.pruning.not_mounted`), and, with ``--follow-symlinks``, under a symbolic link whose target is not
there (:func:`blurscan.pruning.behind_broken_link`) or is such an empty mount point
(:func:`blurscan.pruning.behind_empty_link`). Until 2026-12-07 ``report`` then said ``3 stored photos no longer on
disk (moved, renamed or deleted since the last scan) are not listed; `blurscan scan` updates the database``, and the
review page's cards ``no longer at PATH (moved or deleted since the scan)``: the scan it advised kept them again,
and a person who believed it lost the drive's keeps and discards by removing the mount point and scanning.

The judgement is the scan's, by its functions: below a folder that is a link to nothing or an empty folder, nothing
is there, so that folder is the deepest one still there above the photo (a link to nothing counts as there). That
folder (:func:`Judge.__call__`) is looked at: a link whose target is not there
(:func:`blurscan.walk.link_to_nothing`, the rule of ``behind_broken_link``), or an empty folder not modified since
the newest record under it (:func:`~blurscan.pruning.not_mounted`, also where it is a link's target: the rule of
``behind_empty_link``). Anything else (a folder still holding files, or modified since: photos deleted from it, or
it removed from its own folder) is a photo really gone, said as before. Before all that, a folder on a drive a scan
recorded (:mod:`blurscan.root_drives`) that is mounted at another place now (``/media/me/DISK`` taken when it was
plugged in again, so ``/media/me/DISK1``) is said so, by that drive's mount point (``Unmounted.now``): until
2026-12-07 ``report`` counted its photos gone and advised the scan of ``DISK/lib`` that forgets them. So is one on
such a drive mounted nowhere now where nothing above says so (``Unmounted.unplugged``): a desktop removes ``/media/me/DISK`` as it unmounts the
drive, and ``/media/me``, modified then, is no empty mount point; until 2026-12-07 its photos were "moved, renamed or
deleted since the last scan", and the scan advised failed on the folder not there.

Only the folders of the photos found missing are looked at, and of those the top ones: an answer found for a folder
holds for everything below it that is not there (one ``lstat`` each, none for a folder below one known), at most
:data:`MOST_FOLDERS` of them; a photo past that is said as really gone. ``report`` of a library of 100,000 photos
on a drive not mounted looks at its one mount point; the newest record under it is read from the rows ``report``
reads anyway (:class:`Absent`), not from the table again.
"""
from __future__ import annotations

import bisect
import os
from dataclasses import dataclass

from .errors import printable_path
from .pruning import not_mounted
from .root_drives import Remounted
from .walk import link_to_nothing

#: The most folders a :class:`Judge` looks at (an ``lstat`` each, a listing's first entry for one still there):
#: the bound of ``report``'s other notes (:data:`blurscan.cli.scan_notes.NOTE_ENTRIES` directory entries).
MOST_FOLDERS = 10_000


@dataclass(frozen=True)
class Unmounted:
    """A folder that looks like a drive or share not mounted: ``folder``, as stored (a symbolic link, or a folder
    named to ``scan``); ``link_to``: where it leads, as it says, when it is a symbolic link; ``empty``: an empty
    folder not modified since (else a link whose target is not there)."""

    folder: str
    link_to: str | None
    empty: bool
    now: str | tuple[str, ...] | None = None  # (where the drive mounted at ``folder`` when it was scanned is mounted
    # now: elsewhere; or the places of its drive and a copy of it, drive_ids.Twins)
    unplugged: bool = False  # (``folder``: where a drive the scan recorded was mounted, that drive mounted nowhere now)

    def why(self) -> str:
        """What it is, after "it is": ``empty and not modified since the scan, a symbolic link to T``, ``where
        its drive was mounted when it was scanned; that drive is mounted at /media/me/DISK1 now``, or ``... that
        drive is not mounted now``."""
        if self.unplugged:
            return "where its drive was mounted when it was scanned; that drive is not mounted now"
        if self.now is not None and not isinstance(self.now, str):  # (drive_ids.Twins: not told apart)
            return (f"where its drive was mounted when it was scanned; drives of its identity are mounted at "
                    f"{' and '.join(map(printable_path, self.now))} now (one a copy of it?): unmount the copy, or "
                    "mount the drive there again")
        if self.now is not None:
            return (f"where its drive was mounted when it was scanned; that drive is mounted at "
                    f"{printable_path(self.now)} now")
        if not self.empty:
            return f"a symbolic link to {printable_path(self.link_to or '?')}, which is not there"
        return "empty and not modified since the scan" + \
            (f", a symbolic link to {printable_path(self.link_to)}" if self.link_to else "")

    def asked(self) -> str:
        """`` (a share or drive not mounted?)`` after :meth:`why`, or nothing where it said which drive."""
        return "" if self.now is not None or self.unplugged else " (a share or drive not mounted?)"

    def what(self) -> str:
        """``link`` or ``folder``: what to remove to forget its photos."""
        return "link" if self.link_to is not None else "folder"

    def remedy(self, db_path=None, them: str = "them", again: str = ", and run the command again") -> str:
        """What to do about it, after :meth:`why`: ``mount it, and run the command again``; for a drive not mounted
        whose mount point is gone too (:attr:`unplugged`), the database ``db_path`` known, ``...; or, the drive gone
        for good, `blurscan scan --forget --db FILE /media/me/DISK` forgets them (records only)``
        (:func:`forget_command`). The one wording of ``report``'s note, the one-line refusal of a PATH under it
        (``move``, ``trash``, ``tag``, ``bursts``, ``report PATH``), the skips of ``move`` and the review page's
        cards (``again`` ``""``): until 2026-12-07 (late) only ``report`` named ``--forget``, the others said
        "mount it" alone of a drive gone for good. ``them``: of the photos said (``it`` for one)."""
        gone = f"; or, the drive gone for good, `{forget_command(db_path, self.folder)}` forgets {them} (records only)" \
            if self.unplugged and db_path is not None and os.fspath(db_path) != ":memory:" else ""
        return f"mount it{again}{gone}"


def forget_command(db_path, folder: str) -> str:
    """The command that forgets the records under ``folder`` in the database ``db_path``
    (:mod:`blurscan.cli.forget_gone`), as it can be pasted (the program as it is run: :mod:`.typed_commands`)."""
    from .errors import shell_path
    from .typed_commands import as_run

    return as_run("blurscan scan --forget") + f" --db {shell_path(os.path.abspath(db_path))} {shell_path(folder)}"


def link_target(link: str) -> str:
    """Where the symbolic link ``link`` leads, as it says (a relative target joined to its folder)."""
    return os.path.normpath(os.path.join(os.path.dirname(link), os.readlink(link)))


class Judge:
    """For the folder of a photo no longer on disk, the :class:`Unmounted` folder at or above it, or None (the photo
    really gone, or past :data:`MOST_FOLDERS` folders looked at). ``newest_under``: when the newest record under a
    folder was stored (default: read from ``store``, ``Store.last_scanned_under``)."""

    def __init__(self, store, newest_under=None, most: int | None = None) -> None:
        self.store, self.most, self.looked = store, MOST_FOLDERS if most is None else most, 0
        self._newest_under = newest_under or store.last_scanned_under
        self._below: dict[str, Unmounted | None] = {}  # folder -> the answer for it and for all below it
        self._there: set[str] = set()  # folders there and no mount point: photos deleted from them (only them)
        self.remounted = Remounted(store)  # (the review page's folder filter asks it too)

    def __call__(self, folder: str) -> Unmounted | None:
        moved = self.remounted(folder)  # (the drive the scan recorded there, mounted at another place now; its
        if moved is not None and (not isinstance(moved[1], str) or not self._on(moved[1])):  # database on it,
            # carried with it: judged as before; drives of its identity at two places, drive_ids.Twins: said so)
            return Unmounted(moved[0], None, empty=False, now=moved[1])
        found = self._walked(folder)
        if found is None and moved is not None:  # (the library carried with its drive, another drive mounted where
            return Unmounted(moved[0], None, empty=False, now=moved[1])  # it was: until 2026-12-07 said gone)
        if found is None and (point := self.remounted.unplugged(folder)) is not None:  # (its mount point removed
            return Unmounted(point, None, empty=False, unplugged=True)  # with it, as a desktop does; or another
        return found                                                    # drive mounted there)

    def _walked(self, folder: str) -> Unmounted | None:
        """The folder-based judgement: the deepest folder there above ``folder``, a link to nothing or an empty
        folder not modified since; None for a folder still there (or past :data:`MOST_FOLDERS`)."""
        up = folder
        while True:  # (a folder below one known: nothing is there, no look on disk)
            if up in self._below:
                return self._below[up]
            if up in self._there:
                break
            parent = os.path.dirname(up)
            if parent == up:
                break
            up = parent
        looked, answer, at = [], None, folder
        while True:
            if at in self._below:
                answer = self._below[at]
                break
            if at in self._there:
                break
            if self.looked >= self.most:
                return None  # (not judged: said as really gone)
            self.looked += 1
            try:
                os.lstat(at)
            except (FileNotFoundError, NotADirectoryError):
                looked.append(at)  # not there: the folder above says why
                parent = os.path.dirname(at)
                if parent == at:
                    break
                at = parent
                continue
            except (OSError, ValueError):
                break  # (cannot be looked at: nothing known)
            answer = self._judged(at)
            if answer is None:
                self._there.add(at)
            else:
                self._below[at] = answer
            break
        for below in looked:
            self._below[below] = answer
        return answer

    def _on(self, point: str) -> bool:
        """Whether the database is on the drive mounted at ``point``."""
        db = getattr(self.store, "path", ":memory:")
        return db != ":memory:" and os.path.abspath(db).startswith(point.rstrip(os.sep) + os.sep)

    def _judged(self, folder: str) -> Unmounted | None:
        """``folder`` (there) judged by the scan's rules."""
        if link_to_nothing(folder):
            return Unmounted(folder, link_target(folder), empty=False)
        if not_mounted(self.store, folder, self._newest_under):
            return Unmounted(folder, link_target(folder) if os.path.islink(folder) else None, empty=True)
        return None


class Absent:
    """The stored photos a pass over the rows (``report``'s :func:`blurscan.listing.survey`) found not on disk: by
    folder, how many of them are to be said (:meth:`add`'s ``counted``) and when the newest record there was
    stored, so that :meth:`judged` reads no row again. Each folder judged is at or under the folder whose rows were
    read (report's PATH, there: a PATH not there is refused before the rows are read), the first folder there at or
    above a photo's; until 2026-12-07 a folder above it was read from the table, which no run reached."""

    def __init__(self) -> None:
        self._folders: dict[str, list] = {}  # folder -> [counted, newest scanned_at]

    def add(self, path: str, scanned_at: float | None, counted: bool) -> None:
        entry = self._folders.setdefault(os.path.dirname(path), [0, None])
        entry[0] += counted
        if scanned_at is not None and (entry[1] is None or scanned_at > entry[1]):
            entry[1] = scanned_at

    def judged(self, store) -> dict[Unmounted, int]:
        """How many of the photos counted are under each :class:`Unmounted` folder (:class:`Judge`)."""
        if not any(counted for counted, _ in self._folders.values()):
            return {}
        keys = sorted(self._folders)

        def newest_under(folder: str) -> float | None:
            inside = folder.rstrip(os.sep) + os.sep
            times = [self._folders[folder][1]] if folder in self._folders else []
            start, end = bisect.bisect_left(keys, inside), bisect.bisect_left(keys, inside[:-1] + chr(ord(os.sep) + 1))
            times += [self._folders[key][1] for key in keys[start:end]]
            times = [t for t in times if t is not None]
            return max(times) if times else None

        judge = Judge(store, newest_under)
        out: dict[Unmounted, int] = {}
        for folder in keys:
            counted = self._folders[folder][0]
            if counted:
                found = judge(folder)
                if found is not None:
                    out[found] = out.get(found, 0) + counted
        return out


def under_unmounted(store, paths) -> dict[Unmounted, int]:
    """How many of ``paths`` (of stored photos no longer on disk; a path twice counted twice) are under each
    :class:`Unmounted` folder (:class:`Judge`, reading the newest records from ``store``)."""
    judge, out = None, {}
    for path in sorted(paths):
        judge = judge or Judge(store)
        found = judge(os.path.dirname(path))
        if found is not None:
            out[found] = out.get(found, 0) + 1
    return out


def holding(store, path: str) -> tuple[Unmounted, int] | None:
    """For ``path`` (absolute, not there: ``blurscan report lib/phone/2024``, the drive not mounted), the
    :class:`Unmounted` folder above it (:class:`Judge`) and how many photos the database ``store`` holds at or under
    it; None where it holds none (a name mistyped), or no folder above looks like a drive not mounted (a folder
    deleted). One reading of the table; the folders above ``path`` looked at up to the first there."""
    from .stored_paths import under_clause

    args: list = []
    held = store.conn.execute(f"SELECT COUNT(*) FROM images WHERE {under_clause(path, args)}", args).fetchone()[0]
    if not held:
        return None
    found = Judge(store)(path)
    return None if found is None else (found, held)


def unmounted_json(unmounted: dict[Unmounted, int]) -> list[dict]:
    """:func:`under_unmounted`'s answer for the review page: ``{"folder", "why", "shots"}`` each, by folder."""
    return [{"folder": printable_path(u.folder), "why": u.why(), "shots": n}
            for u, n in sorted(unmounted.items(), key=lambda item: item[0].folder)]


def carried_note(store) -> str | None:
    """The line the review page shows under its figures when ``store``'s database is on a drive mounted at another
    place than where its library was scanned (the library carried with its drive, ``/media/me/DISK`` taken, so
    ``/media/me/DISK1``; :func:`blurscan.actions.batch_drives.carried_library`), its photos stored under the old
    place and not there: how many, and the scan that finds them, in ``report``'s words
    (:func:`blurscan.cli.report.unmounted_notes`); else None. Until 2026-12-07 the page showed an empty list
    without a word while its figures counted those photos. Reads the recorded roots, the mount table and, for a
    root found so, its photos, less those a move or trash batch took away (``report`` says them apart, with the
    undo that puts them back; counted here too until 2026-12-07, later that day)."""
    from .actions.batch_drives import carried_library, db_point
    from .scanned_roots import scanned_roots
    from .stored_paths import path_from_db, under_clause
    from .config import DEFAULT_DB_NAME
    from .errors import shell_path
    from .typed_commands import as_run

    now = db_point(store)
    if now is None:
        return None
    library = os.path.dirname(os.path.abspath(store.path))
    rel = os.path.relpath(library, now)
    for root in scanned_roots(store):
        folder = root if rel == os.curdir else root[:-len(rel) - 1] if root.endswith(os.sep + rel) else None
        if folder is None or not folder or folder == now or os.path.isdir(root) and Judge(store)(root) is None:
            continue  # (not this library's place under another mount point, or its photos there)
        carried = carried_library(store, folder)
        if carried is None:
            continue
        args: list = []
        held = [path_from_db(p) for (p,) in
                store.conn.execute(f"SELECT path FROM images WHERE {under_clause(root, args)}", args)]
        n = len(held) - len(store.moved_away(held))  # (those blurscan moved or trashed: said apart, by undo's note)
        if n:
            db = os.path.abspath(store.path)
            scan = as_run("blurscan scan") + ("" if os.path.basename(db) == DEFAULT_DB_NAME else
                                              f" --db {shell_path(db)}") + f" {shell_path(carried[1])}"
            them, are = ("them", "are") if n != 1 else ("it", "is")
            return (f"{n} stored photo{'s' if n != 1 else ''} under {printable_path(folder)} {are} not listed: this "
                    f"database is on a drive mounted at {printable_path(carried[0])} (that drive mounted at another "
                    f"place?): `{scan}` finds {them} there, scores and keeps or "
                    "discards kept")
    return None
