"""Command line: a thin click group; each command lives in its own module and calls one library function.

Library errors (:class:`~blurscan.errors.BlurscanError`) become one ``Error: ...`` line and exit code 1, as does an
SQLite error from a damaged database (:func:`blurscan.dbfile.damaged_error`);
usage errors exit with 2 (click's convention; an unknown option's "Did you mean" names no hidden option,
:mod:`blurscan.cli.suggestions`), and so does a destination refused before any work (:class:`~blurscan.errors.UsageError`: an ``--output``
file that cannot be made or would destroy a file, a ``--to``, an ``--out`` or ``demo``'s FOLDER under a file),
while a write that fails once the work has begun is an error, 1; output that cannot be written (a full disk, ``/dev/full``) is one
``Error: standard output: cannot write output: ...`` line and exit code 1; the output's reader going away
(``| head``) ends any command quietly with exit code 141 (:mod:`blurscan.cli.writefail`); Ctrl-C is one
``interrupted`` line and exit code 130 (``scan`` says how far it got), wherever it lands: before the command
runs, after it returned and in the interpreter's teardown too (:mod:`blurscan.cli.ctrl_c`); SIGTERM and SIGHUP
stop a command the same way, with exit code 143 and 129 (:mod:`blurscan.stop_signals`); a compiled library that
cannot be loaded (a ``ulimit -v`` too low for it) is one ``Error: cannot load ...`` line, exit 1
(:mod:`blurscan.cli.limits`), as is a limit of open files (`ulimit -n`) too low for it. The shell's TAB is
answered before any of this (:mod:`blurscan.cli.completion`).
"""
from __future__ import annotations

import sys

import click

from .. import __version__
from ..errors import BlurscanError, UsageError
from . import stripped_help
from .helptext import HelpContext
from .suggestions import without_hidden
from .usage_hint import as_run_hint


def quiet_native_decoders() -> None:
    """libjpeg and LibRaw print warnings about damaged files ("Corrupt JPEG data: ...") on file descriptor 2,
    unattributed. The library silences them only in scan workers, where nothing else writes there; a command
    owns every thread of its process (a progress bar's redraw lost meanwhile is redrawn), so it silences them
    in-process too. What a damaged file means for the user is its record's one-line reason. Said without
    importing the decoders (OpenCV, NumPy): ``review`` needs them for a thumbnail made, not to start."""
    from .. import ownstderr

    ownstderr.COMMAND_SILENCES = True


class _Group(click.Group):
    context_class = HelpContext  # (help wrapped at spaces only: blurscan.cli.helptext)

    def main(self, *args, **kwargs):  # Ctrl-C in click's own code, before the command and after it: held
        from . import ctrl_c

        ctrl_c.hold()
        code = None
        try:
            return super().main(*args, **kwargs)
        except SystemExit as exc:
            code = exc.code
            if code == EXIT_INTERRUPTED and ctrl_c.exit_code() != code:  # stopped by SIGTERM or SIGHUP: 143, 129
                code = ctrl_c.exit_code()
                raise SystemExit(code) from None
            raise
        finally:
            if "blurscan.cli.hung_paths" in sys.modules:
                sys.modules["blurscan.cli.hung_paths"].stop()  # (its watch of the command: ended with it)
            ctrl_c.ended(code, standalone=kwargs.get("standalone_mode", True))

    def parse_args(self, ctx, args):  # the words as typed, which tell `-o=x` from `-o =x` (path_given._glued)
        from .path_given import ARGS_GIVEN

        ctx.meta[ARGS_GIVEN] = tuple(args)
        if args and args[0] in self.commands and not ctx.resilient_parsing:  # (a path on a mount that hangs: said before the command waits there)
            from .hung_paths import watch

            watch(args[1:])  # (and a stored photo's, as the command looks at it: said as it waits there)
        return super().parse_args(ctx, args)

    def _main_shell_completion(self, ctx_args, prog_name, complete_var=None):  # TAB: blurscan.cli.completion
        from .completion import answer

        answer(self, ctx_args)

    def make_context(self, *args, **kwargs):  # `blurscan --help | head -1`, `--version`: as a command's output
        from .writefail import closed_streams_to_devnull, unencodable_as_escapes

        closed_streams_to_devnull()  # `blurscan scan 2>&-`: as if 2>/dev/null
        unencodable_as_escapes()  # `PYTHONIOENCODING=latin-1`: a name it cannot encode in \uNNNN escapes
        try:
            return super().make_context(*args, **kwargs)
        except click.NoSuchOption as exc:  # `blurscan --x`: no hidden option suggested
            raise as_run_hint(without_hidden(exc)) from None
        except click.UsageError as exc:  # its "Try ... --help" naming the program as run (usage_hint)
            raise as_run_hint(exc) from None
        except OSError as exc:
            _output_failed(exc)

    def invoke(self, ctx):
        from . import ctrl_c
        from .writefail import failing, flush_output

        failing(0)  # (a command run before in this process, by a test's CliRunner, may have set it)
        held = sys.modules.get("blurscan.dbfile")  # (databases opened before this command, by a host program or a
        opened_at = held.opened_so_far() if held else 0  # test, are not the ones its errors name; none if unloaded)
        try:
            try:
                ctrl_c.release()  # the command's own code: Ctrl-C is a KeyboardInterrupt (one held already too)
                try:
                    result = super().invoke(ctx)  # (parses the command's own options)
                except click.NoSuchOption as exc:  # `blurscan synth --x`: no hidden option suggested (--force)
                    raise as_run_hint(without_hidden(exc)) from None
                except click.UsageError as exc:  # (a bad value, no such command: the hint as run, usage_hint)
                    raise as_run_hint(exc) from None
                except (SystemExit, click.exceptions.Exit):  # its own exit code: what it wrote is flushed first
                    flush_output()
                    raise
                flush_output()  # a pipe's buffered output fails here, if it does, not at the interpreter's exit
                return result
            finally:
                ctrl_c.hold(finished=True)  # from here on, Ctrl-C is said as the group's main ends
        except UsageError as exc:
            click.echo(f"Error: {exc}", err=True)
            sys.exit(2)
        except BlurscanError as exc:
            click.echo(f"Error: {exc}", err=True)
            sys.exit(1)
        except OSError as exc:
            _current_folder_gone(exc)
            _too_many_open_files(exc, self.get_command(ctx, ctx.invoked_subcommand or ""))
            _output_failed(exc)
        except KeyboardInterrupt:  # Ctrl-C before a command's own handling (scan's "interrupted: N of M")
            ctrl_c.own_line()
            click.echo("interrupted", err=True)
            sys.exit(EXIT_INTERRUPTED)
        except ImportError as exc:  # a compiled library the system refuses to load (a memory limit): one line
            if isinstance(exc, ModuleNotFoundError):
                raise
            from .limits import unloadable

            click.echo(f"Error: {unloadable(exc)}", err=True)
            sys.exit(1)
        except Exception as exc:  # a damaged database, met after it opened: one line, not a traceback
            sqlite3 = sys.modules.get("sqlite3")  # (not imported here: `blurscan --help` loads no database code)
            if sqlite3 is None or not isinstance(exc, sqlite3.DatabaseError):
                raise
            from ..dbfile import damaged_error

            click.echo(f"Error: {damaged_error(exc, since=opened_at)}", err=True)
            sys.exit(1)


def _current_folder_gone(exc: OSError) -> None:
    """A relative path the command met in a current folder that has been deleted (``os.getcwd()``'s error, a
    FileNotFoundError that names no file): one ``Error:`` line saying so, exit 1, instead of a traceback. The
    paths the commands are given are checked before (:func:`blurscan.cli.locate.current_folder`); this is for
    any other (an ``--output`` or ``--to`` given relative)."""
    import os

    if not isinstance(exc, FileNotFoundError) or exc.filename is not None:
        return
    try:
        os.getcwd()
    except OSError as gone:
        from .locate import no_current_folder

        click.echo(f"Error: {no_current_folder(gone)}", err=True)
        sys.exit(1)


def _too_many_open_files(exc: OSError, command) -> None:
    """No file descriptor left (``ulimit -n`` too low for the command): one ``Error:`` line naming the limit, exit 1
    (:mod:`blurscan.cli.limits`)."""
    from .limits import too_many_open_files

    workers = any(p.name == "workers" for p in getattr(command, "params", ())) and _workers_given(exc, command) != 1
    said = too_many_open_files(exc, workers=workers)
    if said is not None:
        click.echo(f"Error: {said}", err=True)
        sys.exit(1)


def _workers_given(exc: BaseException, command) -> int | None:
    """The ``--workers`` the failed ``command`` ran with, read from its context in ``exc``'s traceback (the
    command's ``invoke`` frame), else None. ``--workers 1`` given: no advice to run with it (until 2026-12-07 the
    line said "or run with --workers 1" to a scan run so)."""
    tb = exc.__traceback__
    while tb is not None:
        ctx = tb.tb_frame.f_locals.get("ctx")
        if isinstance(ctx, click.Context) and ctx.command is command:
            return ctx.params.get("workers")
        tb = tb.tb_next
    return None


def _output_failed(exc: OSError) -> None:
    """Standard output's reader gone (``| head``): exit quietly with 141; standard output on a full disk,
    /dev/full: one line, not a traceback, exit 1; any other error is raised again."""
    from .writefail import exit_reader_gone, failed_stream, reader_gone, report_and_exit

    if reader_gone(exc):
        exit_reader_gone()
    fd = failed_stream(exc)
    if fd is None:
        _interrupted_call(exc)
        raise exc
    report_and_exit(fd, exc)


def _interrupted_call(exc: OSError) -> None:
    """A call on a file the system cut short (EINTR: a network or FUSE file system; Python retries those a signal
    interrupts): one ``Error:`` line naming the file, exit 1, not a traceback calling it a bug in blurscan."""
    if isinstance(exc, InterruptedError) and exc.filename is not None:
        from ..errors import os_reason, printable_path

        click.echo(f"Error: {printable_path(exc.filename)}: {os_reason(exc)} (the system cut the call short: "
                   "run the command again)", err=True)
        sys.exit(1)


from .ctrl_c import EXIT_INTERRUPTED  # noqa: E402  (exit code after Ctrl-C; imported from here by the commands)


def _say_version(ctx: click.Context, _param, value: bool) -> None:
    """``--version``: ``blurscan, version X`` (scripts read this first line), then the shipped model's, Python's,
    the platform's and the deciding libraries' versions, for a bug report (:mod:`blurscan.cli.bugreport`)."""
    if not value or ctx.resilient_parsing:
        return
    from .bugreport import version_text

    click.echo(version_text(__version__), color=ctx.color)
    ctx.exit()


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--version", is_flag=True, expose_value=False, is_eager=True, callback=_say_version,
              help="Show the version of blurscan, its model, Python and the libraries, and exit.")
def main() -> None:
    """Find blurry photos: score every image, review the flagged ones, move rejects away with undo."""


# Commands are registered explicitly, one line each (no discovery by file name). Each command module
# imports its heavy dependencies inside the command, so `blurscan --help` stays fast: what the modules import
# at the top (blurscan.walk, .report, .library_root, .model.defaults, ...) loads no numpy, OpenCV, Pillow,
# ONNX Runtime, rich, Flask or sqlite3 (tests/test_lazy_imports.py).
def _register() -> None:
    import importlib

    for module_name, command_names in _COMMANDS:
        module = importlib.import_module(f"{__name__}.{module_name}")
        for name in command_names:
            command = getattr(module, name)
            command.context_class = HelpContext
            main.add_command(command)


_COMMANDS = [
    ("scan", ["scan"]),
    ("report", ["report"]),
    ("review", ["review"]),
    ("actions", ["move", "trash"]),
    ("tag", ["tag"]),
    ("undo", ["undo"]),
    ("bursts", ["bursts"]),
    ("synth", ["synth"]),
    ("train", ["train"]),
    ("evaluate", ["evaluate"]),
    ("demo", ["demo"]),
]

_register()
stripped_help.restore(main)  # (`python -OO`: the help read back from the sources)
