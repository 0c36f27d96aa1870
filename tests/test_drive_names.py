"""The reason :func:`blurscan.actions.drive_names.unheld_name` gives a copy to a FAT or exFAT drive refused for its
name, and the refusals it leaves to the drive's own words (a real exFAT card: ``tests/test_fat_drives.py``)."""
from __future__ import annotations

import errno
import os

from blurscan.actions.drive_names import unheld_name


def _refused(code: int) -> OSError:
    return OSError(code, os.strerror(code))


def test_a_control_character_in_the_name_is_named_by_its_code(tmp_path):
    """A name holding a control character (``\\x01``, a tool's export) is told by its code, beside any printable
    character the drive refuses too."""
    said = unheld_name(str(tmp_path / "a\x01b:c.jpg"), _refused(errno.EINVAL))
    assert said is not None and said.startswith("its drive cannot hold \\x01 ':' in a file name ("), said


def test_a_name_the_drive_can_hold_and_a_missing_folder_keep_the_drives_words(tmp_path):
    """None (the drive's own words stand) where the name holds nothing FAT refuses, or where the folder the copy
    goes to is not there (exfat-fuse's ENOENT then means the folder, not the name)."""
    assert unheld_name(str(tmp_path / "plain.jpg"), _refused(errno.ENOENT)) is None
    assert unheld_name(str(tmp_path / "gone" / "a:b.jpg"), _refused(errno.ENOENT)) is None
    assert unheld_name(str(tmp_path / "a:b.jpg"), _refused(errno.ENOENT)) is not None


def test_an_error_that_is_not_about_a_name_keeps_the_drives_words(tmp_path):
    """A full drive, or an I/O error, while copying ``a:b.jpg``: the drive's words stand, not the name's."""
    for code in (errno.ENOSPC, errno.EIO, errno.EACCES):
        assert unheld_name(str(tmp_path / "a:b.jpg"), _refused(code)) is None, code
