"""``python -m blurscan`` and the ``blurscan`` command (``run``)."""
import sys


def run() -> None:
    """The command line. Ctrl-C while its modules load (numpy, OpenCV: a few tenths of a second) is one
    ``interrupted`` line and exit code 130, as later on, not a traceback of the import."""
    try:
        from blurscan.cli import main
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        sys.exit(130)  # (blurscan.cli.EXIT_INTERRUPTED, not importable here: that import is what was cut short)
    main()


if __name__ == "__main__":
    run()
