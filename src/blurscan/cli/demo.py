"""``blurscan demo``: make sample photos offline, scan them, print the ranked table and what to try next."""
from __future__ import annotations

import os
import shlex

import click


@click.command()
@click.argument("folder", default="demo/photos", type=click.Path(file_okay=False))
@click.option("--seed", default=2024, show_default=True, help="Seed of the synthetic blur.")
@click.pass_context
def demo(ctx: click.Context, folder: str, seed: int) -> None:
    """Write sample photos (scikit-image's public-domain set plus blurred copies) to FOLDER and scan them.

    FOLDER (default: demo/photos, under the current folder) must be new, empty or an earlier demo folder:
    nothing is written into a folder of other files.
    """
    from ..demo import BURST, BURST_KEEPER, make_samples
    from .scan import scan

    paths = make_samples(folder, seed=seed)
    click.echo(f"Wrote {len(paths)} sample photos to {folder}/ (sharp originals, blurred copies, one real "
               f"camera-shake photo, a burst of {len(BURST)} shots). Scanning them:\n", err=True)
    ctx.invoke(scan, paths=(folder,))
    where, shots = shlex.quote(folder), os.path.commonprefix([stem for stem, *_ in BURST]) + "*"
    click.echo(f"\nNext, bursts: `blurscan bursts {where}` groups the {len(BURST)} {shots} shots, taken within a "
               f"second,\nand proposes {BURST_KEEPER} as keeper; then `blurscan review {where}` shows them "
               "(Bursts view, key b).", err=True)
