"""``python -m blurscan`` and the ``blurscan`` command (``run``)."""
import atexit
import sys


def run() -> None:
    """The command line. Ctrl-C while its modules load (click and the command modules, under a fifth of a second;
    numpy, OpenCV and the like load inside a command) is one ``interrupted`` line and exit code 130, as later
    on, not a traceback of the import; and so it is after the command, to the process's exit
    (:mod:`blurscan.cli.ctrl_c`: held, and said by the last ``atexit`` callback, registered before any module
    registers one of its own, logging's included). Under a locale whose encoding is not UTF-8 the command is
    first run again in Python's UTF-8 mode (:mod:`blurscan.utf8_mode`; ``execve``: no ``atexit`` callback runs).
    An error blurscan did not expect (a bug: the expected ones are each one ``Error:`` line) keeps its traceback,
    followed by a line saying it is a bug and what a report needs (:mod:`blurscan.cli.bugreport`); ``kill -USR1``
    writes every thread's stack and the command goes on."""
    atexit.register(_at_exit)
    try:
        from blurscan.utf8_mode import run_again_in_utf8_mode

        run_again_in_utf8_mode()
        from blurscan import stop_signals  # SIGTERM and SIGHUP as Ctrl-C from here on

        stop_signals.install()
        from blurscan.cli import bugreport, ctrl_c, main

        bugreport.dump_stacks_on_signal()  # `kill -USR1 PID`: every thread's stack on stderr, the command goes on
        bugreport.debug_log()  # BLURSCAN_DEBUG=1: blurscan's log on stderr, debug lines included
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        sys.exit(_interrupted())
    ctrl_c.hold_to_exit()
    try:
        main()
    except KeyboardInterrupt:  # in the instant before the command group held it
        sys.stderr.write("interrupted\n")
        sys.exit(_interrupted())
    except Exception as exc:  # an error blurscan did not expect: its traceback, then what to do with it (exit 1)
        import traceback

        traceback.print_exc()
        sys.stderr.write(bugreport.internal_error_note(exc) + "\n")
        sys.exit(1)


def _interrupted() -> int:
    """130 after Ctrl-C, 143 and 129 after SIGTERM and SIGHUP (blurscan.cli.EXIT_INTERRUPTED is not imported here:
    that import may be what was cut short)."""
    stopping = sys.modules.get("blurscan.stop_signals")
    return stopping.exit_code(130) if stopping is not None else 130


def _at_exit() -> None:
    held = sys.modules.get("blurscan.cli.ctrl_c")
    if held is not None:
        held.at_exit()
    stopping = sys.modules.get("blurscan.stop_signals")
    if stopping is not None:  # stopped by SIGTERM or SIGHUP: the process ends killed by it (service managers)
        stopping.end_as_stopped()


if __name__ == "__main__":
    run()
