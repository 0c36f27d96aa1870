"""Named exceptions. Every user-facing failure is one of these; the CLI prints ``Error: <message>``.

Messages name the file (when there is one) and the reason, on one line.
"""
from __future__ import annotations

import errno
import os
import re
import unicodedata


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

    def __reduce__(self):
        """Made again from its path and reason when unpickled: an error raised in a process pool's worker
        (``score_image`` of an unreadable file) reaches the parent as itself. Until 2026-12-05 unpickling called
        ``DecodeError(message)``, which failed: a ``ProcessPoolExecutor`` broke (``BrokenProcessPool``, every
        pending file lost) and a ``multiprocessing.Pool`` hung for ever."""
        return type(self), (self.path, self.reason)


class StoreError(BlurscanError):
    """The database cannot be used (newer schema, corrupt file, locked too long)."""


class ModelError(BlurscanError):
    """A model file is missing, invalid, or incompatible with this version of blurscan."""


class ActionError(BlurscanError):
    """A move / trash / undo / tag operation could not be carried out safely."""


class NothingToUndo(BlurscanError):
    """``undo`` without a batch found none to put back: no batch yet, or every one undone already, closed (its
    missing files gone) or one that moved or tagged nothing. Not a failure: the command says why and exits with 0."""


def text_path(path: str | os.PathLike) -> str:
    """``path`` as valid Unicode text: bytes of the name that are not UTF-8 shown as ``\\xNN`` (the JSONL
    ``path``; JSON escapes control characters itself)."""
    text = os.fsdecode(path)
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


#: The characters that embed, override or isolate a direction of writing (U+202A-U+202E, U+2066-U+2069): in a
#: name, a right-to-left override (``\u202eevil-gpj.jpg``) turns the rest of the line around where text is laid
#: out in both directions (the review page showed "dracsid :gpj.jpg-live" for a refusal written by the server).
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
#: The line and paragraph separators: shown as ``\\uNNNN`` as the direction controls are (since 2026-12-05), for
#: Python's ``str.splitlines()`` ends a line at each (a saved table's row was cut in two) and a terminal shows none.
LINE_SEPARATORS = frozenset("\u2028\u2029")


def printable_path(path: str | os.PathLike) -> str:
    """``path`` as text safe to print on a terminal or in a message: as :func:`text_path`, and control characters
    (a newline, an escape sequence that would retitle or clear the terminal) shown as ``\\xNN`` too, and the
    direction controls of :data:`BIDI_CONTROLS` as ``\\uNNNN`` (since 2026-12-04), and the
    :data:`LINE_SEPARATORS` so too (since 2026-12-05), and the characters that show nothing or a mere blank
    (:func:`hidden_characters`: ``IMG_\\u200b1.jpg`` looked the same as ``IMG_1.jpg``; since 2026-12-06)."""
    text = text_path(path)
    if not _MAYBE_SHOWN.search(text):
        return text
    return _escaped(text, lambda ch: f"\\x{ord(ch):02x}")


def shown_name(path: str | os.PathLike) -> str:
    """``path`` as the review page shows it (a card's name, the folder filter, the detail's path): as
    :func:`text_path`, and control characters as ``\\xNN``, as :func:`printable_path` shows them on the terminal
    (until 2026-12-05 the page showed a newline, a carriage return or a tab in a name as a space, and an escape
    as a box). The page's folder filter reads ``\\xNN`` back as bytes (:func:`blurscan.review.library.stored_folder`),
    so a control character past U+007F (U+0085) is written as the ``\\xNN`` of each of its UTF-8 bytes. The
    characters :func:`printable_path` writes as ``\\uNNNN`` (direction controls, line separators, the
    :func:`hidden_characters`) are written so here too (since 2026-12-06: the page kept them, so a card named
    ``IMG_\\u200b1.jpg`` read ``IMG_1.jpg``, and ``\\u202e`` in a name laid the name out backwards); the
    folder filter reads those back too."""
    text = text_path(path)
    if not _MAYBE_SHOWN.search(text):  # (a few calls a name: the folder list names thousands of folders)
        return text
    return _escaped(text, lambda ch: "".join(f"\\x{b:02x}" for b in ch.encode("utf-8")))


def _escaped(text: str, control) -> str:
    """``text`` with each control character written as ``control(ch)`` says and each of its
    :func:`hidden_characters` as ``\\uNNNN``. Only the characters :data:`_MAYBE_SHOWN` finds are looked at: a pass
    over each character took ten to thirty times as long for a name holding a no-break space or joiners."""
    parts, end = [], 0
    for m in _MAYBE_SHOWN.finditer(text):
        i, ch = m.start(), m.group()
        if ch <= "\x9f":  # (the class's only characters below U+00A0 are the controls)
            parts += (text[end:i], control(ch))
        elif _hidden_at(text, i, ch):
            parts += (text[end:i], _u_escape(ch))
        else:
            continue
        end = i + 1
    parts.append(text[end:])
    return "".join(parts)


def unshown_name(shown: str) -> str:
    """The name :func:`shown_name` showed as ``shown``: each ``\\xNN`` read as that byte, each ``\\uNNNN``
    (``\\UNNNNNNNN``) as that character (a name that holds such a text itself is told apart by the caller)."""
    if "\\x" not in shown and "\\u" not in shown and "\\U" not in shown:
        return shown
    return os.fsdecode(_ESCAPED.sub(_unescaped, shown.encode("utf-8", "surrogateescape")))


_ESCAPED = re.compile(rb"\\x([0-9a-f]{2})|\\u([0-9a-f]{4})|\\U([0-9a-f]{8})")


def _unescaped(m: re.Match) -> bytes:
    if m.group(1):
        return bytes([int(m.group(1), 16)])
    code = int(m.group(2) or m.group(3), 16)
    return m.group() if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF else chr(code).encode("utf-8")


def _u_escape(ch: str) -> str:
    return f"\\u{ord(ch):04x}" if ord(ch) <= 0xFFFF else f"\\U{ord(ch):08x}"


#: The control characters (Unicode's category ``Cc``: C0, DEL and C1), as :func:`printable_path` tells them.
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f]")

#: Characters a name can hold that show nothing at all (Unicode's default-ignorable code points: a zero-width
#: space U+200B, a word joiner U+2060, a byte order mark U+FEFF, a soft hyphen U+00AD, the direction marks U+200E,
#: U+200F and U+061C, the Hangul fillers, tag characters) or a blank that looks like a plain space (a no-break
#: space U+00A0, the typographic spaces U+2000-U+200A, U+202F, U+205F, U+1680, a blank braille pattern U+2800).
#: The ideographic space U+3000, as wide as two letters and typed in Japanese and Chinese names, is left.
_INVISIBLE = frozenset(
    "\u00a0\u00ad\u034f\u061c\u115f\u1160\u1680\u17b4\u17b5\u180e\u2800\u3164\ufeff\uffa0"
    + "".join(map(chr, range(0x2000, 0x200b))) + "".join(map(chr, range(0x200b, 0x2010)))
    + "\u202f\u205f" + "".join(map(chr, range(0x2060, 0x2066))) + "".join(map(chr, range(0x206a, 0x2070)))
    + "".join(map(chr, range(0xfff0, 0xfff9))) + "".join(map(chr, range(0x1bca0, 0x1bca4)))
    + "".join(map(chr, range(0x1d173, 0x1d17b))) + "".join(map(chr, range(0xe0000, 0xe0100)))
    + "".join(map(chr, range(0xe01f0, 0xe1000)))) - frozenset("\u200c\u200d")
#: The joiners (U+200C, U+200D), kept between two characters of a script that joins its letters or of emoji
#: (a Persian word, a family emoji), shown elsewhere; the variation selectors, kept after such a character (an
#: emoji's U+FE0F, a CJK ideograph's or a Mongolian letter's variant), shown elsewhere.
_JOINERS = frozenset("\u200c\u200d")
_SELECTORS = frozenset("".join(map(chr, range(0xfe00, 0xfe10))) + "".join(map(chr, range(0xe0100, 0xe01f0)))
                       + "\u180b\u180c\u180d\u180f")
_SHOWN_AS_U = BIDI_CONTROLS | LINE_SEPARATORS | _INVISIBLE | _JOINERS | _SELECTORS


def _ranges(chars: frozenset) -> str:
    """``chars`` as the ranges of a regular expression's class (``\\u2000-\\u200f``), that class short."""
    codes, parts = sorted(map(ord, chars)), []
    start = prev = codes[0]
    for code in codes[1:] + [-1]:
        if code != prev + 1:
            parts.append(re.escape(chr(start)) + ("-" + re.escape(chr(prev)) if prev > start else ""))
            start = code
        prev = code
    return "".join(parts)


_MAYBE_SHOWN = re.compile("[\x00-\x1f\x7f-\x9f" + _ranges(_SHOWN_AS_U) + "]")


def hidden_characters(text: str) -> set[int]:
    """The places in ``text`` of the characters :func:`printable_path` writes as ``\\uNNNN``: the direction
    controls and line separators, and the characters that show nothing (:data:`_INVISIBLE`), so that two names a
    list would show alike (``IMG_1.jpg``, ``IMG_\\u200b1.jpg``; ``a b.jpg``, ``a\\u00a0b.jpg``) read apart. A
    joiner or a variation selector is kept where it shapes what is shown (:data:`_JOINERS`)."""
    # (each of _SHOWN_AS_U is in _MAYBE_SHOWN's class: the other characters are not looked at)
    return {m.start() for m in _MAYBE_SHOWN.finditer(text) if _hidden_at(text, m.start(), m.group())}


def _hidden_at(text: str, i: int, ch: str) -> bool:
    """Whether ``ch``, ``text[i]``, is one of :func:`hidden_characters`."""
    if ch in _JOINERS:
        return not (0 < i < len(text) - 1 and _shaped(text[i - 1]) and _shaped(text[i + 1]))
    if ch in _SELECTORS:
        return not (i > 0 and _shaped(text[i - 1]))
    return ch in _SHOWN_AS_U


def _shaped(ch: str) -> bool:
    """Whether a joiner or selector next to ``ch`` can change how it looks: a letter, mark or symbol of the scripts
    from Arabic (U+0600) on (Arabic, the scripts of India, Mongolian, CJK, emoji), or a selector itself."""
    return ord(ch) >= 0x600 and (ch in _SELECTORS or (ch not in _SHOWN_AS_U and unicodedata.category(ch)[0] in "LMS"))


def shell_path(path: str | os.PathLike) -> str:
    """``path`` as a word of a command blurscan suggests (``run `blurscan review PATH```): quoted for a POSIX shell
    (``'my lib $HOME'``), and ``./`` before a name that starts with ``-``, which the command would take for an
    option (``./-dashlib``). Until 2026-12-05 the folder went in as typed: pasted, the command split it at its
    spaces, expanded ``$HOME`` or refused ``-dashlib`` as an unknown option. A name that :func:`printable_path`
    shows with escapes (a control character, a byte that is not UTF-8, a zero-width or no-break space) is written
    in the shell's ANSI-C quotes (``$'my\\u00a0lib'``: bash, zsh, ksh and POSIX.1-2024's sh read the escapes
    back), never raw on the terminal; until 2026-12-06 it was ``'my\\u00a0lib'``, which named no folder pasted."""
    import shlex

    text = os.fsdecode(path)
    if text.startswith("-"):
        text = "./" + text
    if printable_path(text) == text:
        return shlex.quote(text)
    hidden = hidden_characters(text)
    return "$'" + "".join(f"\\x{ord(ch) - 0xDC00:02x}" if 0xDC80 <= ord(ch) <= 0xDCFF else
                          f"\\x{ord(ch):02x}" if ord(ch) < 0x80 and unicodedata.category(ch) == "Cc" else
                          _u_escape(ch) if i in hidden or unicodedata.category(ch) == "Cc" else
                          "\\" + ch if ch in "\\'" else ch for i, ch in enumerate(text)) + "'"


def os_reason(exc: BaseException) -> str:
    """The reason of an operating-system error as blurscan prints reasons: the system's words in lower case
    (``no such file or directory``, ``address already in use``), or the exception's text when it has none."""
    return str(getattr(exc, "strerror", None) or exc).lower()


def when_writable(reason: str) -> str:
    """What to do before running again an action the database stopped (``reason``: its refusal): "make room,
    then" on a full disk, else "once the database can be written again," (locked too long, an I/O error)."""
    return "make room, then" if "full" in reason else "once the database can be written again,"


def path_reason(exc: OSError, path: str) -> str:
    """One line for an ``OSError`` met at ``path`` by a walk: 'no such file or directory', 'broken symbolic
    link', 'symbolic link loop', 'path too long: 4,287 bytes, ...' (a tree deeper than a path reaches, where every
    name is short: until 2026-12-06 "file name too long") ..."""
    if exc.errno == errno.ENOENT:
        if os.path.islink(path):
            return "broken symbolic link"
        return "no such file or directory" + other_form_note(path)
    if exc.errno == errno.ELOOP:
        return "symbolic link loop"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    if exc.errno == errno.ENOTDIR:
        return "not a folder"
    if exc.errno == errno.ENAMETOOLONG:  # a folder tree deeper than a path reaches: said so, not "file name"
        from .name_room import path_too_long

        return path_too_long(os.fsdecode(path)) or os_reason(exc)
    return os_reason(exc)


def other_form_note(path: str | os.PathLike) -> str:
    """What follows "no such file or directory" for ``path`` when it is there with a name written in another
    Unicode form (:func:`blurscan.name_forms.on_disk`: ``Été`` typed, composed, for a folder a Mac named,
    decomposed): that name, its form and what to do; else nothing. Until 2026-12-06 "no such file or directory"
    was all, for a folder that ``ls`` shows under the very name typed."""
    path = os.fsdecode(path)
    if path.isascii():  # (no name in it has another form: nothing listed for a file gone during a walk)
        return ""
    from .name_forms import form, on_disk

    found = on_disk(path)
    if found is None:
        return ""
    _, name = found
    return (f" ({printable_path(name)} is there, its name written {form(name)}: give it as written there (Tab "
            "completion does), or compose the names with convmv -r -f utf8 -t utf8 --nfc --notest FOLDER)")


def out_of_memory(exc: BaseException) -> bool:
    """Whether ``exc`` says that memory ran out: a MemoryError, or OpenCV's own error for an allocation that failed
    (``cv2.error`` with code -4, ``StsNoMem``: "Insufficient memory", under ``ulimit -v`` or a container's limit)."""
    return isinstance(exc, MemoryError) or (type(exc).__module__ == "cv2" and getattr(exc, "code", None) == -4)


def decoder_reason(exc: BaseException) -> str | None:
    """The one clear reason of a decoder's failure that blurscan knows, or None: memory that ran out
    (:func:`out_of_memory`), or OpenCV's own pixel limit, the environment variable OPENCV_IO_MAX_IMAGE_PIXELS, set
    below the photo's size (``cv2.error``: "Assertion failed) pixels <= CV_IO_MAX_IMAGE_PIXELS in function
    'validateInputImageSize'", the message of each photo until 2026-12-06, naming the variable in no words)."""
    if out_of_memory(exc):
        return "out of memory while decoding"
    if type(exc).__module__ == "cv2" and "CV_IO_MAX_IMAGE_PIXELS" in str(exc):
        setting = os.environ.get("OPENCV_IO_MAX_IMAGE_PIXELS", "")
        return (f"more pixels than OpenCV's own limit allows (OPENCV_IO_MAX_IMAGE_PIXELS={setting} in the "
                "environment): unset that variable or raise it (blurscan's own limit: `blurscan scan --max-pixels N`)")
    return None
