"""SQLite's "disk I/O error" about a database's ``-shm`` file told apart from a full disk
(:func:`blurscan.shm_size.shared_memory_failed`); a real fusefat card that cannot size it:
``tests/test_fat_drives.py``."""
from __future__ import annotations

import errno
import os
import sqlite3

from blurscan.shm_size import shared_memory_failed


def _io_error(code: int) -> sqlite3.OperationalError:
    exc = sqlite3.OperationalError("disk I/O error")
    exc.sqlite_errorcode = code
    return exc


def test_a_shm_error_on_a_drive_that_sizes_files_is_not_said_to_be_the_drives(tmp_path):
    """SQLITE_IOERR_SHMSIZE beside a database on a drive that can size a file (a full disk, a file-size limit give
    SQLite the same error): nothing added, the full disk said as before; the probe file made to tell is removed."""
    db = tmp_path / "lib.db"
    for code in (4618, 4874, 5130, 5386):
        assert shared_memory_failed(_io_error(code), str(db)) == "", code
    assert list(tmp_path.iterdir()) == []


def test_a_drive_without_ftruncate_is_told_by_each_way_it_says_so(tmp_path, monkeypatch):
    """``ftruncate`` refused as the drives that cannot size a file refuse it (fusefat's EPERM; ENOSYS, EOPNOTSUPP,
    EINVAL of other FUSE drives and shares): the drive said; a full disk or a file-size limit refusing it (ENOSPC,
    EFBIG): nothing added. The probe file is removed either way."""
    def refuse(code):
        def ftruncate(fd, size):
            raise OSError(code, os.strerror(code))
        return ftruncate

    for code in (errno.EPERM, errno.ENOSYS, errno.EOPNOTSUPP, errno.EINVAL, errno.ENOSPC, errno.EFBIG):
        monkeypatch.setattr(os, "ftruncate", refuse(code))
        said = shared_memory_failed(_io_error(4874), str(tmp_path / "lib.db"))
        if code in (errno.ENOSPC, errno.EFBIG):
            assert said == "", code
        else:
            assert said.startswith(" (its drive cannot size the shared-memory file SQLite keeps beside"), code
        assert list(tmp_path.iterdir()) == []
