"""Whether a rename tried again after EINTR had been done by the try interrupted (:func:`.moves._rename_noreplace`)."""
from __future__ import annotations

from . import held_folder


def identity(path: str) -> tuple[int, int] | None:
    """The device and inode of ``path`` (not followed; through its folder's descriptor where it has one), None when
    it cannot be looked at."""
    try:
        st = held_folder.lstat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino


def renamed_already(src: str, dst: str, before: tuple[int, int] | None) -> bool:
    """Whether a rename tried again after EINTR, failing with ENOENT (or EEXIST), had been done by the interrupted
    try: ``dst`` holds the very file ``src`` was (``before``: its device and inode looked at before the rename),
    and ``src`` no longer does. A network or FUSE file system may do the rename and then say it was interrupted;
    the photo, at DST all the same, was said "gone from its folder ... nothing of it left at DST", its row failed
    and undo left it there (until 2026-12-06)."""
    return before is not None and identity(dst) == before and identity(src) != before
