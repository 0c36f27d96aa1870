"""click's "No such option: --x. Did you mean ...?" without hidden options in its suggestions.

The commands keep a few hidden options for existing scripts (``--force``, the former name of ``--overwrite``)
or for the project's own use (``train --limit-sources``); click drew its "Did you mean" from every option, so a
typo pointed at one of those (``synth --workers``, before synth had that name: "Did you mean '--force'?", an
option that removes a dataset's images). :func:`without_hidden` makes the suggestions again from the options
``--help`` shows. It relies on what click has had since 8.0: :class:`click.NoSuchOption`'s ``option_name``,
``possibilities`` and ``ctx``, and its constructor (click 8.1 takes the matches as given, 8.2 and later match
them again, which keeps them as they are).
"""
from __future__ import annotations

import click


def without_hidden(exc: click.NoSuchOption) -> click.NoSuchOption:
    """``exc`` with its suggestions drawn from the visible long options of its command only: ``exc`` itself
    when it suggested nothing (an unknown short option, or nothing close), or has no command to look at."""
    ctx = exc.ctx
    if not exc.possibilities or ctx is None or ctx.command is None:
        return exc
    from difflib import get_close_matches  # (what click itself uses)

    visible = [name for param in ctx.command.get_params(ctx)
               if isinstance(param, click.Option) and not param.hidden
               for name in (*param.opts, *param.secondary_opts) if _is_long(name)]
    matches = get_close_matches(exc.option_name, visible)
    if matches == list(exc.possibilities):
        return exc
    return click.NoSuchOption(exc.option_name, possibilities=matches or None, ctx=ctx)


def _is_long(name: str) -> bool:
    """Whether click's parser takes ``name`` as a long option (``--workers``), the kind it suggests."""
    return len(name) > 2 and name[0] == name[1] and not name[0].isalnum()
