"""The one check of a file found beside a photo (a sidecar, a RAW twin, a Takeout JSON, a Capture One settings
file) before a plan takes it with the photo (:mod:`.photo_group`, :mod:`.takeout`, :mod:`.captureone`)."""
from __future__ import annotations

import os
import stat


def regular_lstat(path: str) -> os.stat_result | None:
    """``os.lstat(path)`` where ``path`` is a regular file; None for a symbolic link (never followed), a folder or
    other kind, or nothing there (gone since its folder was listed, or not readable)."""
    try:
        st = os.lstat(path)
    except OSError:
        return None
    return st if stat.S_ISREG(st.st_mode) else None
