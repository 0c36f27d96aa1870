"""Named exceptions. Every user-facing failure is one of these; the CLI prints ``Error: <message>``.

Messages name the file (when there is one) and the reason, on one line.
"""
from __future__ import annotations

import os


class BlurscanError(Exception):
    """Base class of every error blurscan raises on purpose."""


class UsageError(BlurscanError):
    """The user asked for something impossible (bad option combination, missing database...)."""


class DecodeError(BlurscanError):
    """A file could not be read or decoded as an image.

    Parameters
    ----------
    path : str or os.PathLike
        The file that failed.
    reason : str
        One line saying why (``"truncated JPEG"``, ``"not an image"``, ``"permission denied"`` ...).
    """

    def __init__(self, path: str | os.PathLike, reason: str) -> None:
        self.path = os.fsdecode(path)
        self.reason = " ".join(str(reason).split())  # always one line
        super().__init__(f"{printable_path(self.path)}: {self.reason}")


class StoreError(BlurscanError):
    """The database cannot be used (newer schema, corrupt file, locked too long)."""


class ModelError(BlurscanError):
    """A model file is missing, invalid, or incompatible with this version of blurscan."""


class ActionError(BlurscanError):
    """A move / trash / undo / tag operation could not be carried out safely."""


def printable_path(path: str | os.PathLike) -> str:
    """Return ``path`` as text that is always printable (undecodable bytes shown as ``\\xNN``)."""
    text = os.fsdecode(path)
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
