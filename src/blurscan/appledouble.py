"""macOS AppleDouble files: what a Mac writes beside each file it copies to a drive that cannot hold its
metadata (a FAT or exFAT card, a network share), and into a zip.

``IMG_0001.JPG`` copied by a Mac gets ``._IMG_0001.JPG`` beside it: a few kB of resource fork and extended
attributes, starting with the AppleDouble magic number ``00 05 16 07``, whatever the suffix of its name says. A zip
made on a Mac holds the same files under a ``__MACOSX`` folder. Neither is a photo: a hidden file and a system
folder, so a scan passes over both; with ``--include-hidden`` (which takes hidden files) every such file was an
error record, ``not an image (unknown file signature)``, one per photo of a card a Mac had copied (until
2026-12-05). The walk (:mod:`blurscan.walk`) now passes them over and counts them under :data:`APPLEDOUBLE`.
"""
from __future__ import annotations

import os
from collections.abc import Iterable

#: The first four bytes of an AppleDouble file (RFC 1740: its magic number, 0x00051607).
MAGIC = b"\x00\x05\x16\x07"

#: The folder a Mac's zip keeps the AppleDouble files in; never walked, not even with ``include_hidden``.
MACOSX_DIR = "__MACOSX"

#: The key the walk counts the AppleDouble files it passed over under (a file suffix always starts with ".").
APPLEDOUBLE = "AppleDouble"


def is_appledouble(path: str | os.PathLike) -> bool:
    """Whether the file at ``path`` starts with the AppleDouble magic number (one read of 4 bytes; False when
    it cannot be read: decoding then says why)."""
    try:
        with open(path, "rb") as f:
            return f.read(4) == MAGIC
    except OSError:
        return False


def count_macosx(folder: str, seen_dirs: set, passed_over: dict[str, int] | None,
                 suffixes: Iterable[frozenset[str]]) -> None:
    """Count in ``passed_over``, under :data:`APPLEDOUBLE`, the files under the ``__MACOSX`` folder ``folder``
    whose suffix is one of ``suffixes`` (those the walk would have taken as photos), once per folder (its device
    and inode are added to ``seen_dirs``, the walk's), from its listings only: no file is read, no symbolic link
    followed below it, a folder that cannot be listed counts nothing."""
    if passed_over is None:
        return
    try:
        st = os.stat(folder)
    except OSError:
        return
    if (st.st_dev, st.st_ino) in seen_dirs:
        return
    seen_dirs.add((st.st_dev, st.st_ino))
    wanted = frozenset().union(*suffixes)
    found = 0
    stack = [folder]
    while stack:
        try:
            with os.scandir(stack.pop()) as it:
                for entry in it:
                    try:
                        if entry.is_dir(follow_symlinks=False):
                            stack.append(entry.path)
                        elif os.path.splitext(entry.name)[1].lower() in wanted:
                            found += 1
                    except OSError:
                        continue
        except OSError:
            continue
    if found:
        passed_over[APPLEDOUBLE] = passed_over.get(APPLEDOUBLE, 0) + found
