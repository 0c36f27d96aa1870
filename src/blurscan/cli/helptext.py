"""The commands' ``--help`` wrapped at spaces only, and never inside a quoted command (```blurscan move --to DIR```).

click wraps the help with Python's ``textwrap``, which also breaks a line after a hyphen and cuts a word longer
than the line: ``--from-`` at the end of one line and ``bursts`` at the start of the next, ``my-`` / ``model.md``,
``$XDG`` / ``_CACHE_HOME`` at 60 columns; a user copying the option or the file name from the help got a broken
one (until 2026-12-06). :class:`HelpFormatter` (click's ``Context.formatter_class``, set by :class:`HelpContext`)
wraps each paragraph itself, at spaces outside backquotes only, and hands click the lines with its mark for a
paragraph not to be wrapped again (a ``\\b`` line). A word longer than the line is left whole, past its end.
"""
from __future__ import annotations

import re
import textwrap

import click
from click.formatting import measure_table

#: Stands for a space inside backquotes while a paragraph is wrapped (textwrap breaks at ASCII white space only).
_KEPT_SPACE = "\ue000"
#: A quoted command or option (```blurscan move --to DIR```): kept on one line.
_QUOTED = re.compile(r"`[^`\n]*`")


def _wrap_paragraphs(text: str, width: int) -> str:
    """``text``'s paragraphs (split at blank lines) wrapped at ``width`` columns, each as click keeps it: a ``\\b``
    line, then its lines (a paragraph that starts with ``\\b`` already is left as it is)."""
    wrapper = textwrap.TextWrapper(replace_whitespace=False, break_on_hyphens=False, break_long_words=False)
    paragraphs = []
    for paragraph in re.split(r"\n[ \t]*\n", text.expandtabs().strip("\n")):
        lines = paragraph.splitlines()
        if not lines or lines[0].strip() == "\b":
            paragraphs.append(paragraph)
            continue
        indent = len(lines[0]) - len(lines[0].lstrip())
        words = " ".join(line.strip() for line in lines)
        words = _QUOTED.sub(lambda quoted: quoted.group().replace(" ", _KEPT_SPACE), words)
        wrapper.width = max(width - indent, 1)
        wrapped = [" " * indent + line.replace(_KEPT_SPACE, " ") for line in wrapper.wrap(words)]
        paragraphs.append("\n".join(["\b", *wrapped]))
    return "\n\n".join(paragraphs)


class HelpFormatter(click.HelpFormatter):
    """click's formatter, with the text of the help and of its option and command lists wrapped at spaces only."""

    def write_text(self, text: str) -> None:
        super().write_text(_wrap_paragraphs(text, self.width - self.current_indent))

    def write_dl(self, rows, col_max: int = 30, col_spacing: int = 2) -> None:
        rows = list(rows)
        widths = measure_table(rows)
        if len(widths) == 2:  # (else click says what is wrong)
            first_col = min(widths[0], col_max) + col_spacing  # the room click gives the second column
            text_width = max(self.width - first_col - 2, 10)
            rows = [(first, _wrap_paragraphs(second, text_width) if second else second) for first, second in rows]
        super().write_dl(rows, col_max, col_spacing)


class HelpContext(click.Context):
    """A context whose help is written by :class:`HelpFormatter`."""

    formatter_class = HelpFormatter
