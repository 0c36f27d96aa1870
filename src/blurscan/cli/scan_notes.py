"""The notes ``blurscan scan`` prints on stderr for the paths it was given and passes over as a folder walk would.

A folder named (``DIR/*`` names them with the photos): a system folder (``@eaDir``), a photo application's cache
or managed library (:func:`blurscan.managed.named_note`). A file typed by hand that a folder walk never meets
(:mod:`blurscan.hidden_named`, :func:`blurscan.managed.passed_over_when_named`): a hidden file, a file inside a
hidden folder of the library, a system folder, the review page's thumbnail cache, a photo application's cache or a
managed library's thumbnails. Until 2026-12-06 only a hidden file itself got a note: ``blurscan scan
lib/@eaDir/IMG_1.jpg/SYNOPHOTO_THUMB_XL.jpg`` or ``lib/.stversions/IMG_1~20261206-101010.jpg`` said ``no image
files found`` and nothing of why. The files of a ``--files-from`` list (``find lib -type f`` lists every one of
them) are passed over without a word, as a walk passes them over."""
from __future__ import annotations

import os
from collections.abc import Iterator

from .. import managed
from ..appledouble import APPLEDOUBLE, MACOSX_DIR
from ..config import NON_PHOTO_SUFFIXES, SKIPPED_DIRS, THUMBS_DIR_NAME
from ..errors import StoreError, printable_path, shell_path
from ..hidden_named import passed_over_when_named
from ..typed_commands import as_run
from ..walk import BROKEN_LINK, canonical

_WALK = "passed over as in a folder walk; --include-hidden scans it"


def passed_over_notes(named: dict, typed, include_hidden: bool, db_path) -> Iterator[str]:
    """The ``note: ...`` lines for the paths of ``named`` (every path the scan was given -> its canonical name,
    :func:`blurscan.walk.canonical`, worked out once by the command) and ``typed`` (those given on the command
    line, not in a list); ``db_path`` the scan's database (None: none)."""
    paths = list(named)
    for path in () if include_hidden else paths:  # (`DIR/*` names them: passed over, as in a folder walk)
        if os.path.basename(named[path]) in SKIPPED_DIRS - {MACOSX_DIR} and os.path.isdir(named[path]):
            yield (f"note: {printable_path(path)}: a system folder (a NAS's thumbnails, a recycle bin ...), "
                   "passed over as in a folder walk; --include-hidden scans it")
    for path in paths:  # (a Photos library named: its originals only; Lightroom's previews: passed over)
        note = managed.named_note(named[path])  # (by its name: a folder's looked at only when it is one's)
        if note and os.path.isdir(named[path]):
            yield f"note: {printable_path(path)}: {note}"
    library = None if db_path is None else os.path.dirname(os.path.realpath(os.path.abspath(os.fsdecode(db_path))))
    for path in typed:  # (one typed by hand; a list's are passed over without a word)
        real = named[path] if path in named else canonical(path)
        if not os.path.isfile(real):
            continue
        why = _why(real, library, include_hidden)
        if why:
            yield f"note: {printable_path(path)}: {why}"


def _why(path: str, library: str | None, include_hidden: bool) -> str | None:
    """Why the file ``path`` (absolute, typed by hand) is passed over, or None when it is not (or is counted: a
    ``._`` file, as AppleDouble or as hidden; a file known not to be a photo, in the closing line)."""
    folder, name = os.path.split(path)
    if os.path.splitext(name)[1].lower() in NON_PHOTO_SUFFIXES:
        return None
    parts = folder.split(os.sep)
    if THUMBS_DIR_NAME in parts:
        return f"in the review page's thumbnail cache ({THUMBS_DIR_NAME}), never scanned"
    if managed.passed_over_when_named(path):
        where = os.path.basename(managed.library_of(path) or folder)
        if managed.is_cache(where):
            return f"in {where}, a photo application's cache, passed over"
        return (f"in {managed.package(where)[0]} ({where}) but not among its originals (its thumbnails, previews or "
                "database), passed over")
    if name.startswith("._") or not passed_over_when_named(path, library, include_hidden, SKIPPED_DIRS):
        return None
    if name.startswith("."):
        return f"a hidden file, {_WALK}"
    system = next((part for part in parts if part in SKIPPED_DIRS), None)
    if system is not None:
        return f"in a system folder ({system}), {_WALK}"
    hidden = next(part for part in reversed(parts) if part.startswith("."))
    return f"in a hidden folder ({hidden}), {_WALK}"


def walked_past_notes(passed_over: dict[str, int], named: dict, most: int = 3) -> Iterator[str]:
    """The ``note: ...`` lines for what the walk passed over by path, taken out of ``passed_over`` (what is left
    counts files by suffix): each managed library not named (a named one is scanned), and the symbolic links to
    folders not followed (a key ending with the separator, :func:`blurscan.walk.walk`), whose photos were not
    scanned. Until 2026-12-07 a link (``lib/trip -> /data/trip``) was passed over without a word: ``scanned 3
    files`` said nothing of the folder's photos, and only the documentation said why."""
    paths = [key for key in passed_over if key.startswith(os.sep)]
    for path in paths:
        del passed_over[path]
    for path in paths:  # a managed library: its path -> 1
        if not path.endswith(os.sep) and not any(p == path or p.startswith(path + os.sep) for p in named.values()):
            yield f"note: {printable_path(path)}: {managed.walked_past_note(path)}"
    links = [path[:-1] for path in paths if path.endswith(os.sep)]
    if links:
        shown = ", ".join(printable_path(p) for p in links[:most]) + \
            (f" and {len(links) - most} more" if len(links) > most else "")
        yield (f"note: {len(links)} symbolic link{'s' if len(links) != 1 else ''} to "
               f"{'folders' if len(links) != 1 else 'a folder'} not followed, "
               f"{'their' if len(links) != 1 else 'its'} photos not scanned: {shown}; --follow-symlinks scans "
               f"{'them' if len(links) != 1 else 'it'}")


#: The most directory entries :func:`unstored_note` looks at for a photo (a few seconds at most on a slow share).
NOTE_ENTRIES = 10_000


def unstored_note(db_path, under: str, given_db: bool) -> str:
    """The ``note: ...`` line of ``blurscan report PATH`` whose database (``db_path``, ``--db`` where
    ``given_db``) holds no record under PATH (``under``, a folder or a file): found from PATH, with the scan that
    adds its photos where a scan of it takes any (the walk asked, up to its first photo), or records why it cannot
    read what it finds (a broken link: until 2026-12-07 said to be found none of, or passed
    over, though the scan records them and report lists them). Until 2026-12-07 it said
    that the scan adds them whatever PATH held: `report lib/notes.txt` advised `blurscan scan lib/notes.txt`, which
    passes it over (`no image files found`), and so did a photo in a hidden folder, an empty folder, a folder of
    documents scanned already."""
    from ..records import ImageRef
    from ..walk import walk
    from ..walk_state import WalkCut
    from .linked_folders import linked_library

    folder = os.path.isdir(under)
    said = f"note: {printable_path(db_path)} holds no {'photo under' if folder else 'record of'} {printable_path(under)}"
    if given_db:
        return said
    # in a folder linked into the library (lib/trip/new, made since its --follow-symlinks scan): the library's
    # scan, as `blurscan scan lib/trip/new` is refused (advised until 2026-12-07)
    library = linked_library(under)
    scan = as_run(f"blurscan scan {shell_path(library)} --follow-symlinks" if library else
                  f"blurscan scan {shell_path(under)}")  # (quoted to paste: until 2026-12-07 a space split it)
    unread = False  # (a file the scan cannot read, a broken link: recorded as an error, with why)
    try:
        for item in walk([under], database=db_path, most_entries=NOTE_ENTRIES):
            if isinstance(item, ImageRef):
                return said + f"; `{scan}` adds {'its photos' if folder else 'it'}"
            unread = True
    except WalkCut:  # (a large tree without a photo so far: not walked in full for a note; until 2026-12-07 it was)
        if not unread:
            return said + f"; `{scan}` adds any photos it holds (not looked for past its first {NOTE_ENTRIES:,} " \
                "files and folders)"
    if unread:  # (until 2026-12-07 said to find none, or pass it over: the scan records it, and report lists it)
        return said + f"; `{scan}` records why it cannot read {'what it finds there' if folder else 'it'}"
    return said + ("; a scan of it finds none" if folder else
                   "; a scan passes it over" + ("" if library else f" (`{scan}` says why)"))


def scan_typed(store, folder: str | None, path: str | None, db_given: bool) -> str:
    """The ``blurscan scan`` that updates what ``store`` holds under ``folder`` (absolute; None: its whole library,
    :func:`~blurscan.library_root.library_root`), as it can be typed in the current folder: bare where the current
    folder is it (no PATH, no ``--db``), else with the folder's absolute path; and ``--db FILE`` (absolute) for a
    database given by ``--db`` (``db_given``). Until 2026-12-07 report's notes said a bare `blurscan scan`, which
    typed outside the library scanned the current folder into a database of its own, and never updated a ``--db``
    database; and then, for a while that day, PATH and ``--db`` as typed (``blurscan scan ../lib``), which pasted
    in another folder (another terminal tab) scanned another folder or none. ``path``: PATH as given (None:
    none)."""
    from ..library_root import library_root
    from .linked_folders import library_path

    folder = folder if folder is not None else library_root(store)
    command = as_run("blurscan scan") + (f" --db {shell_path(os.path.abspath(store.path))}" if db_given else "")
    if folder is None:  # (photos in unrelated folders: no library folder to name)
        return f"{command} PATH"
    try:
        if path is None and not db_given and library_path(".") == folder:
            return command
    except (OSError, StoreError):  # (a folder that cannot be looked at now: named in full)
        pass
    return f"{command} {shell_path(folder)}"


def empty_folder_notes(named: dict, typed, db_path) -> Iterator[str]:
    """The ``note: ...`` line for each folder of ``typed`` (given on the command line) that looks like the mount
    point of a share or drive not mounted (:func:`blurscan.pruning.not_mounted`), whose records the scan keeps.
    Until 2026-12-06 such a scan said only ``no image files found``, exit code 0, and forgot the whole library."""
    from ..pruning import not_mounted
    from ..store import Store

    if db_path is None or not os.path.isfile(db_path):
        return
    folders = {path: named[path] if path in named else canonical(path) for path in typed}
    folders = {path: folder for path, folder in folders.items() if os.path.isdir(folder)}
    if not folders:
        return
    try:
        with Store(db_path, readonly=True) as store:
            held_under = {path: len(store.paths_under(folder)) for path, folder in folders.items()
                          if not_mounted(store, folder)}
    except StoreError:  # (unreadable or newer: the scan itself says why)
        return
    for path, held in held_under.items():
        yield (f"note: {printable_path(path)} is empty: the {held} photo{'s' if held != 1 else ''} the database "
               f"holds under it {'are' if held != 1 else 'is'} kept (a share or drive not mounted?); to forget "
               f"{'them' if held != 1 else 'it'}, scan its name once the folder is gone (rmdir)")


def mount_point_notes(kept: dict[str, int]) -> Iterator[str]:
    """The ``note: ...`` line for each empty folder the walk met inside a folder scanned that looks like the mount
    point of a drive or share not mounted (``kept``: folder -> how many records the scan kept under it,
    :func:`blurscan.pruning.behind_mount_point`), in the words of a folder named that is empty
    (:func:`empty_folder_notes`). Until 2026-12-07 ``scan ~/Pictures`` forgot the photos of ``~/Pictures/phone``,
    a drive not mounted, without a word."""
    for folder, held in sorted(kept.items()):
        yield (f"note: {printable_path(folder)} is empty: the {held} photo{'s' if held != 1 else ''} the database "
               f"holds under it {'are' if held != 1 else 'is'} kept (a share or drive not mounted?); to forget "
               f"{'them' if held != 1 else 'it'}, remove the folder and scan again")


def unmounted_link_notes(named: dict, typed, db_path, follow_symlinks: bool) -> Iterator[str]:
    """The ``note: ...`` line for each symbolic link in the folders of ``typed`` (given on the command line), or
    among them, under which the database holds photos that a ``--follow-symlinks`` scan keeps: a link whose target
    is not there (a drive not mounted, a folder renamed: :func:`blurscan.pruning.behind_broken_link`), or is an
    empty folder unmodified since (the mount point a drive not mounted leaves:
    :func:`blurscan.pruning.behind_empty_link`). Until 2026-12-07 such a scan forgot them, and said it passed over
    a file without a suffix (the first) or nothing at all (the second)."""
    from ..pruning import behind_broken_link, behind_empty_link
    from ..store import Store
    from ..unmounted import link_target as _target

    if not follow_symlinks or db_path is None or not os.path.isfile(db_path):
        return
    folders = [named[path] if path in named else canonical(path) for path in typed]
    # (a link named itself, `lib/*`: its note as in a scan of lib; until 2026-12-07 none, its photos kept unsaid)
    folders = list(dict.fromkeys(folder for folder in folders if os.path.isdir(folder) or
                                 os.path.islink(folder) and not os.path.exists(folder)))
    if not folders:
        return
    held: dict[str, set[str]] = {}  # (each photo once: `scan lib lib/sub` counted those of lib/sub twice)
    emptied: dict[str, set[str]] = {}
    known: dict[str, str | None] = {}
    known_empty: dict[str, str | None] = {}
    try:
        with Store(db_path, readonly=True) as store:
            for folder in folders:
                inside = folder.rstrip(os.sep) + os.sep
                for path in store.paths_under(folder):
                    link = behind_broken_link(path, known)
                    kept = held
                    if link is None:
                        link, kept = behind_empty_link(store, path, known_empty), emptied
                    if link is not None and (link + os.sep).startswith(inside):
                        kept.setdefault(link, set()).add(path)
    except StoreError:  # (unreadable or newer: the scan itself says why)
        return
    for link, paths in held.items():
        count = len(paths)
        yield (f"note: {printable_path(link)}: a symbolic link to {printable_path(_target(link))}, which is not there "
               f"(a drive not mounted?): the {count} photo{'s' if count != 1 else ''} the database holds under it "
               f"{'are' if count != 1 else 'is'} kept; to forget {'them' if count != 1 else 'it'}, remove the link "
               "and scan again")
    for link, paths in emptied.items():  # (the words of a folder named that is empty, empty_folder_notes)
        count = len(paths)
        yield (f"note: {printable_path(link)} is empty (a symbolic link to {printable_path(_target(link))}): the "
               f"{count} photo{'s' if count != 1 else ''} the database holds under it {'are' if count != 1 else 'is'} "
               f"kept (a share or drive not mounted?); to forget {'them' if count != 1 else 'it'}, remove the link "
               "and scan again")


def passed_over_words(counts: dict[str, int], most: int = 6) -> str:
    """``"; passed over 12 files that are not photos: 9 .MOV, 3 .AAE"`` (empty when none), the commonest
    suffixes first, at most ``most`` of them named. A suffix is one kind whatever its case (a phone's
    ``.MOV`` and a ``.mov`` renamed by hand), named as most of its files spell it (the walk counts them as
    written). The symbolic links whose target is not there (:data:`blurscan.walk.BROKEN_LINK`) are no files:
    ``"; passed over 1 symbolic link whose target is not there"``, after the files (until 2026-12-07 each was a
    file by its suffix: a link to a folder on a drive not mounted, ``1 without a suffix``)."""
    counts = dict(counts)
    links = counts.pop(BROKEN_LINK, 0)
    linked = (f"{links} symbolic link{'s' if links != 1 else ''} whose "
              f"{'targets are' if links != 1 else 'target is'} not there") if links else ""
    total = sum(counts.values())
    if not total:
        return f"; passed over {linked}" if links else ""
    by_kind: dict[str, tuple[str, int]] = {}  # casefolded suffix -> (its commonest spelling, files)
    for suffix, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        spelling, before = by_kind.get(suffix.casefold(), (suffix, 0))
        by_kind[suffix.casefold()] = spelling, before + n
    kinds = sorted(by_kind.values(), key=lambda kv: (-kv[1], kv[0]))
    named = [f"{n} {_kind_words(suffix)}" for suffix, n in kinds[:most]]
    rest = sum(n for _, n in kinds[most:])
    if rest:
        named.append(f"{rest} other{'s' if rest != 1 else ''}")
    return f"; passed over {total} file{'s' if total != 1 else ''} that {'are' if total != 1 else 'is'} " \
           f"not {'photos' if total != 1 else 'a photo'}: {', '.join(named)}" + (f"; and {linked}" if links else "")


def _kind_words(suffix: str) -> str:
    """How the closing line names a kind of file passed over: its suffix, or what the walk counted it as."""
    if suffix == APPLEDOUBLE:
        return "AppleDouble (macOS ._ files)"
    return printable_path(suffix) if suffix else "without a suffix"
