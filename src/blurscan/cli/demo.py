"""``blurscan demo``: make sample photos offline, scan them, print the ranked table and what to try next."""
from __future__ import annotations

import os

import click

from ..errors import printable_path, shell_path
from ..typed_commands import program
from .path_given import GivenPath


@click.command(short_help="Write sample photos (some blurred) to FOLDER and scan them.")
@click.argument("folder", default="demo/photos", type=GivenPath(file_okay=False))
@click.option("--seed", default=2024, show_default=True, type=click.IntRange(min=0),  # (-1: numpy's traceback)
              help="Seed of the synthetic blur.")
@click.pass_context
def demo(ctx: click.Context, folder: str, seed: int) -> None:
    """Write sample photos (scikit-image's public-domain set plus blurred copies) to FOLDER and scan them.

    FOLDER (default: demo/photos, under the current folder) must be new, empty or an earlier demo folder:
    nothing is written into a folder of other files, nor where a demo photo's name holds a file of yours
    (a photo the demo did not write there, or a link); the demo's own photos are rewritten, never through a link.

    Needs the 'demo' extra (scikit-image): pip install 'blurscan[demo]'.
    """
    from ..demo import BURST, BURST_KEEPER, make_samples
    from .linked_folders import library_path
    from .scan import scan

    paths = make_samples(folder, seed=seed)
    # named as every message names a folder, with one slash after it (until 2026-12-06 as it was given: a control
    # character printed raw, and a name typed with its slash, as the shell completes one, said "demo//")
    shown = printable_path(folder).rstrip(os.sep) + os.sep
    click.echo(f"Wrote {len(paths)} sample photos to {shown} (sharp originals, blurred copies, one real "
               f"camera-shake photo, a burst of {len(BURST)} shots). Scanning them:\n", err=True)
    ctx.invoke(scan, paths=(folder,))
    # (absolute, to paste in any folder: until 2026-12-07 as typed, `blurscan bursts demo/photos`)
    where, shots = shell_path(library_path(folder)), os.path.commonprefix([stem for stem, *_ in BURST]) + "*"
    me = program()  # (absolute where the `blurscan` on PATH is another or none: typed_commands.program)
    click.echo(f"\nNext, bursts: `{me} bursts {where}` groups the {len(BURST)} {shots} shots, taken within a "
               f"second,\nand proposes {BURST_KEEPER} as keeper; then `{me} review {where}` shows them "
               "(Bursts view, key b).", err=True)

