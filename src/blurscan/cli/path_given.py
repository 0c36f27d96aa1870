"""The PATH a command is given, judged as it was typed, before a folder or a database is looked for from it.

An empty PATH (``blurscan move --to rej --yes "$LIB"``, the variable unset) is a usage error for every command, as
for ``scan``: until 2026-12-07 ``report``, ``bursts``, ``review``, ``move``, ``trash``, ``tag`` and ``undo`` read
it as the current folder, so a script run from another library's folder acted on that library. A photo named in
a folder's form (``lib/x.jpg/``, ``lib/x.jpg/.``) is ``not a folder`` for ``report``, ``bursts`` and ``review``
(which take a photo as PATH), as ``scan`` says and the system does (``ls lib/x.jpg/``); until 2026-12-07 they
read it as the photo.

An empty ``--db``, ``--to``, ``-o``, ``--files-from`` or other option or argument naming a file or folder
(``--db "$DB"``, the variable unset) is a usage error too (:class:`GivenPath`): until 2026-12-07 an empty ``--db``
was no ``--db``, so the command used the database found from PATH or the current folder (``scan --db "" lib`` wrote
into ``lib/.blurscan.db``). A leading ``~`` or ``~user`` in them (and in a ``--model`` file) is the home folder, as
in a PATH (:func:`home_expanded`): a shell leaves it as it is after ``=`` (``--db=~/x.db``) or in quotes, and a
folder named ``~`` is never what a person means (until 2026-12-07 ``scan --db=~/x.db`` made its database in the home
folder, then said ``its folder ./~ does not exist``; the other commands looked for ``./~/x.db``, and ``move
--to=~/rej --yes`` made ``./~/rej`` and moved the photos there)."""
from __future__ import annotations

import os

import click

from ..errors import StoreError, printable_path

#: what a command with an empty PATH did not do, in its one line
_NOT_DONE = {"scan": "scanned", "report": "listed", "bursts": "listed", "review": "shown", "move": "moved",
             "trash": "moved to the trash", "tag": "tagged", "undo": "undone", "synth": "written", "demo": "written",
             "evaluate": "evaluated", "train": "trained"}


def not_done(ctx: click.Context | None) -> str:
    """What the command of ``ctx`` did not do, in the one line of its usage error: ``undo --list`` lists (until
    2026-12-07 ``undo --list ""`` said ``nothing was undone``). ``--list`` is eager, so it is known before an empty
    ``--db`` typed ahead of it is refused; a PATH comes after every option."""
    name = (ctx.command.name if ctx is not None else None) or ""
    if name == "undo" and ctx.params.get("list_"):
        return "listed"
    return _NOT_DONE.get(name, "done")


def _empty(what: str, ctx: click.Context | None) -> click.UsageError:
    """``what`` (``a PATH``, ``--db``) was given as ``''``: the usage error, saying what was not done."""
    return click.UsageError(f"{what} is empty ('': an unset shell variable?); nothing was {not_done(ctx)}", ctx)


def empty_path(command: str) -> click.UsageError:
    """The usage error of an empty PATH given to ``command``: ``scan``, which checks its PATHs in its body (one of
    several, or none with ``--files-from``); the other commands' PATHs are checked by :func:`not_empty`."""
    return click.UsageError(f"a PATH is empty ('': an unset shell variable?); nothing was "
                            f"{_NOT_DONE.get(command, 'done')}")


def _named(param: click.Parameter | None) -> str:
    """How the usage error of an empty ``param`` names it: ``a PATH``, ``OUT``, ``--db``."""
    if isinstance(param, click.Option):
        return max(param.opts, key=len)
    name = param.human_readable_name if param is not None else "PATH"
    return "a PATH" if name == "PATH" else name


def not_empty(ctx: click.Context, param: click.Parameter, value):
    """A click callback for a command's PATH argument (``report``, ``bursts``, ``review``, ``move``, ``trash``,
    ``tag``, ``undo``), which the command reads itself: ``''`` is a usage error (``a PATH is empty ('': an unset shell
    variable?); nothing was listed``), else ``value``. The other arguments and options naming a file or folder are a
    :class:`GivenPath`, which says so alike (``OUT is empty ...; nothing was written``)."""
    if value == "" or (isinstance(value, tuple) and "" in value):
        raise _empty(_named(param), ctx)
    return value


def home_expanded(path):
    """``path`` with a leading ``~`` or ``~user`` read as the home folder, as a shell reads one typed bare
    (:func:`os.path.expanduser`: ``$HOME``, else the password database; a ``~user`` of no user stays as it is): the
    one place a PATH of ``scan``, a :class:`GivenPath` (``--db``, ``--to``, ``-o`` ...) or a ``--model`` file is read
    so, as the walk reads a PATH."""
    return os.path.expanduser(path)


class GivenPath(click.Path):
    """``click.Path`` for an option or argument naming a file or a folder (``--db``, ``--to``, ``-o``,
    ``--files-from``, ``train --out``, ``synth``'s OUT ...), judged as typed: ``''`` (``--db "$DB"``, the variable
    unset) is a usage error, ``--db is empty ('': an unset shell variable?); nothing was listed``, as an empty PATH
    is; a leading ``~`` is the home folder (:func:`home_expanded`), before click's checks (``--db=~`` is a folder,
    refused as one). The value of an option's one-letter name typed with ``=`` (``-o=~/x.jsonl``) is what follows
    the ``=``, as Python's argparse reads it: click hands over ``=~/x.jsonl``. A value typed apart (``-o =x.csv``)
    or after the long name (``--output==x.csv``, ``--output =x.csv``) is as typed, as argparse reads it too: until
    2026-12-07 these wrote ``x.csv`` (:func:`_glued`).

    Until 2026-12-07 ``synth SRC ""`` wrote its dataset into the current folder (saying ``to /``), ``demo ""`` its
    photos, ``evaluate --out ""`` its files (removing an earlier run's plots there), and ``train --work-dir ""``
    was no ``--work-dir``; ``-o ""`` said ``: cannot write output``, naming nothing. And a ``~`` was a folder of that
    name but in ``--db`` and ``--to``: ``evaluate --out=~/ev`` wrote into ``./~/ev``, ``demo "~/demo"`` wrote its
    photos into ``./~/demo`` then scanned ``$HOME/demo``, not there; ``-o=~/x.jsonl``, ``--files-from=~/list.txt``
    and the others said ``no such file or directory``."""

    def convert(self, value, param, ctx):
        if isinstance(value, (str, bytes)):
            if isinstance(value, str) and value.startswith("=") and _one_letter(param) and _glued(value, param, ctx):
                value = value[1:]
            if not value:
                raise _empty(_named(param), ctx)
            value = home_expanded(value)
        value = super().convert(value, param, ctx)
        if isinstance(value, str) and os.pardir in value.split(os.sep):
            return self.read_through(value)
        return value

    def read_through(self, path: str) -> str:
        """``path`` (with a ``..``) as the system reads it (:func:`~blurscan.path_walk.reach`: after a symbolic link,
        from where it leads), absolute: a folder to make (``--to``, ``evaluate --out``, ``synth``'s OUT, ``train
        --work-dir``, ``demo``'s FOLDER) as ``mkdir -p`` makes it, a file to write (``-o``, ``train --out``,
        ``--card``) in the folder the system opens it in; one the system cannot make or open (a link that leads
        nowhere, to a file, or loops, a name not there, before the ``..``) is a usage error naming what stops it:
        ``Error: /home/me/rej/../x: cannot be made: /home/me/rej is a symbolic link to /media/usb/rej, which
        leads nowhere``, ``Error: rej/../out.csv: cannot be reached: ...``. A file read (``--files-from``,
        ``evaluate``'s MANIFEST) is left as typed, for the system to open. Until 2026-12-07 these were read by
        text, or through ``realpath``, which reads on past a link that leads nowhere and past a link to a file:
        ``report -o good/../data/out.csv``, ``./data`` a file, ``good`` a link to a folder, was refused (``./data
        is a file``) where the shell writes ``good``'s target's sibling; ``-o afile/../out.csv``, ``afile`` a link
        to a photo, wrote into the photo's folder and ``-o old/../out.csv``, ``old`` a link to a folder since
        removed, beside where it led, where the shell says ``Not a directory`` and ``No such file or directory``;
        ``synth SRC good/../ev`` was refused, ``./ev is read-only or not yours``, when a file ``ev`` was beside the link."""
        from ..errors import UsageError
        from ..path_walk import reach

        if not self.file_okay:
            named = path if os.path.isabs(path) else os.path.join(os.getcwd(), path)
            reached = reach(named)
            if reached.why:
                raise UsageError(f"{printable_path(named)}: cannot be made: {reached.why}")
            return reached.path
        if self.dir_okay:
            return path
        return _read_through(path, UsageError)


def _one_letter(param: click.Parameter | None) -> bool:
    """Whether ``param`` is an option with a one-letter name (``-o``), whose value click reads glued to it."""
    return isinstance(param, click.Option) and any(len(o) == 2 and o[1] != "-" for o in param.opts)


#: The ``ctx.meta`` key of the words blurscan was given after its name (kept by the command group, whose
#: ``meta`` its commands share), which tell ``-o=x`` from ``-o =x``: click hands over ``=x`` for both.
ARGS_GIVEN = "blurscan.args_given"


def _glued(value: str, param: click.Parameter, ctx: click.Context | None) -> bool:
    """Whether ``value`` (``=x``) came glued to the one-letter name of ``param`` (``-o=x``), not as a word of its own
    (``-o =x``) or after its long name (``--output==x``): a word of the command line (:data:`ARGS_GIVEN`) that is
    that name then ``value``. A command run without its group (no words kept) reads it glued, the form a person
    types. No command with such an option has another one-letter option but ``-h``, which shows the help, so no
    cluster of them (``-qo=x``) is read: until 2026-12-07 any word ending in the letter and ``value`` was taken for
    one, and ``report -o =x.csv -- -xo=x.csv`` (a folder of that name) wrote ``x.csv``."""
    given = ctx.meta.get(ARGS_GIVEN) if ctx is not None else None
    if given is None:
        return True
    return any(f"-{o[1]}{value}" in given for o in param.opts if len(o) == 2 and o[1] != "-")


class DbFile(GivenPath):
    """The ``--db`` of every command: a :class:`GivenPath` of a file, whose value loses a trailing slash or ``/.``
    (``--db lib/.blurscan.db/``), as ``pathlib.Path`` reads it: until 2026-12-07 ``move``, ``trash``, ``tag``,
    ``undo`` and ``review`` said of it ``no blurscan database here (run `blurscan scan` first)``, after a scan of
    that very ``--db``.

    A ``..`` in it is read as the system reads it (:func:`blurscan.path_walk.reach`: after a symbolic link, from
    where it leads), the database named by where it is; one the system cannot follow (a link that leads nowhere
    or loops, a file, a name not there, before the ``..``) is a :class:`~blurscan.errors.StoreError` naming it.
    Until 2026-12-07 SQLite was given the path and the rest of blurscan read it by text: ``scan --db good/../x.db``
    wrote the database beside ``good``'s target, and ``report --db good/../x.db`` then read (and left) an empty one
    beside the link; ``scan --db rej/../sub/x.db``, ``rej`` a link to a drive not mounted, said ``its folder ./sub
    does not exist``."""

    def __init__(self) -> None:
        super().__init__(dir_okay=False, path_type=str)

    def convert(self, value, param, ctx):
        from pathlib import Path

        from .network_share import warn_if_shared

        path = str(Path(super().convert(value, param, ctx)))
        path = _read_through(path, StoreError) if os.pardir in path.split(os.sep) else path
        if ctx is None or not ctx.resilient_parsing:  # (not at a TAB: a completion loads no library, says nothing)
            warn_if_shared(path)  # (on a network share: used as given, with one warning)
        return path

    def read_through(self, path: str) -> str:
        return path  # (read after its trailing slash is dropped, in :meth:`convert`)


def _read_through(path: str, refused: type[Exception]) -> str:
    """The database ``path`` (with a ``..``) by where the system finds it: its folder read name by name
    (:func:`~blurscan.path_walk.reach`), or, ending in ``..``, the whole of it (a folder, refused as one by the
    command); ``refused`` (a :class:`~blurscan.errors.StoreError` for ``--db``) naming what stops the system on the
    way."""
    from ..path_walk import reach

    folder, name = os.path.split(path)
    whole = name == os.pardir
    reached = reach(path if whole else folder or os.curdir, to_make=False)
    if reached.why:
        raise refused(f"{printable_path(path)}: cannot be reached: {reached.why}")
    return reached.path if whole else os.path.join(reached.path, name)


def refuse_file_as_folder(path) -> None:
    """``path`` (as typed; None: none given) in a folder's form (``lib/x.jpg/``) that names a file is refused,
    ``not a folder``, as :func:`~blurscan.walk.walk` records it for ``scan``. A folder, a link to one, a name not
    there and a link whose target is not there are left to the command's own words."""
    from ..walk import canonical, link_to_nothing, named_as_folder

    if path is None:
        return
    given = os.path.expanduser(os.fsdecode(path))
    if not named_as_folder(given):
        return
    try:
        plain = canonical(given)
        a_file = os.path.lexists(plain) and not os.path.isdir(given) and not link_to_nothing(plain)
    except ValueError:  # (a NUL byte: "no such file or directory", as the command says it)
        return
    if a_file:
        raise StoreError(f"{printable_path(plain + os.sep)}: not a folder")
