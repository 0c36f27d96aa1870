"""What :func:`.moves.move_file` says of a file: how it moved (:class:`MoveOutcome`: renamed, or copied and
verified; its source taken away or replaced meanwhile; an owner not kept), or why it did not (:class:`LeftInPlace`:
asked again and to stay; :class:`NotPutBack`: another file renamed in its place that stays where it went;
:class:`FolderError`: the destination's folder could not be made).
"""
from __future__ import annotations

from dataclasses import dataclass

from ..errors import ActionError, printable_path

#: What a move says of a photo found changed as it left (:func:`.moves._other_renamed`), never moved then.
CHANGED_AS_MOVED = "changed as it was being moved (a new version put in its place by a sync tool?)"


@dataclass(frozen=True)
class MoveOutcome:
    """How a file was moved.

    Attributes
    ----------
    method : str
        ``"rename"`` (same device) or ``"copy"`` (copied, verified, source removed).
    sha256 : str or None
        Hex digest of the bytes when they were copied (None for a rename: the bytes did not move).
    source_gone : bool
        A source that another program (a sync tool, a file manager) removed or moved away once the file was in
        place at ``dst`` (a verified copy, or a hard link where the file system has no ``renameat2``), before
        blurscan removed it: the photo is at ``dst`` and no longer at ``src``, so it is moved, and kept there
        (:func:`.moves.move_file`).
    source_replaced : bool
        A source that another program replaced by another file (a new version renamed over it) once the verified
        copy was in place: the copy is the photo moved, and the new file at ``src`` is left alone.
    not_kept : str or None
        What of the original's owner and group its copy could not be given (``owner, ann``: only root may give a
        file away, :func:`.owners.keep`); None when both were kept, or for a rename.
    """

    method: str
    sha256: str | None = None
    source_gone: bool = False
    source_replaced: bool = False
    not_kept: str | None = None


class LeftInPlace(ActionError):
    """The file was not moved: ``still_wanted`` (:func:`.moves.move_file`) gave ``reason`` just before it would have
    left its place. Nothing of it is left at the destination."""

    def __init__(self, src: str, reason: str) -> None:
        super().__init__(f"{printable_path(src)}: {reason}")
        self.reason = reason


class NotPutBack(ActionError):
    """Another file than the one planned, renamed to ``dst``, that could not be renamed back
    (:func:`.moves._other_renamed`): it stays there, said (a move to the trash keeps its entry, :mod:`.run`)."""

    def __init__(self, src: str, dst: str, reason: str) -> None:
        super().__init__(f"{printable_path(src)}: {CHANGED_AS_MOVED}: the new one went to {printable_path(dst)} and "
                         f"cannot be put back: {reason}")


class FolderError(ActionError):
    """The destination's folder could not be made: ``FOLDER: cannot create the folder: REASON`` (``kind``: "trash
    folder" for the trash's, :func:`.trash.choose`); ``folder``, ``kind`` and ``reason`` too, for a message that
    names the file moved (:mod:`.run`)."""

    def __init__(self, folder: str, reason: str, kind: str = "folder") -> None:
        super().__init__(f"{printable_path(folder)}: cannot create the {kind}: {reason}")
        self.folder = folder
        self.reason = reason
        self.kind = kind
