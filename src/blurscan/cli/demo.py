"""``blurscan demo``: make sample photos offline, scan them, print the ranked table."""
from __future__ import annotations

import click


@click.command()
@click.argument("folder", default="demo/photos", type=click.Path(file_okay=False))
@click.option("--seed", default=2024, show_default=True, help="Seed of the synthetic blur.")
@click.pass_context
def demo(ctx: click.Context, folder: str, seed: int) -> None:
    """Write sample photos (scikit-image's public-domain set plus blurred copies) to FOLDER and scan them.

    FOLDER must be new, empty or an earlier demo folder: nothing is written into a folder of other files.
    """
    from ..demo import make_samples
    from .scan import scan

    paths = make_samples(folder, seed=seed)
    click.echo(f"Wrote {len(paths)} sample photos to {folder}/ (sharp originals, blurred copies, one real "
               "camera-shake photo). Scanning them:\n", err=True)
    ctx.invoke(scan, paths=(folder,))
