"""The model card's *Small images* weakness (and the README's dataset advice built on it) states the sizes of the
training photos: these tests keep those statements true. Guards: they pass on the code before the docs change."""
from __future__ import annotations

from pathlib import Path

from blurscan.model.card_design import DESIGN_NOTES

ROOT = Path(__file__).resolve().parents[1]


def test_the_shipped_card_holds_the_known_weaknesses_make_model_writes():
    """docs/model-card.md is regenerated from card_design.py by `make model`: an edit made in one only is lost."""
    card = (ROOT / "docs" / "model-card.md").read_text()
    weaknesses = DESIGN_NOTES[DESIGN_NOTES.index("## Known weaknesses"):].strip()
    assert weaknesses in card
    assert "**Small images (under about 256 px) were never trained or validated on.**" in weaknesses


def test_the_training_sources_sizes_are_those_the_card_states(shared_data):
    """'their long sides run from 256 px up, all but 10 of them from 400 px', shrunk again only from a short side
    of 128 px (twice the 64-px window), by 0.5-1x."""
    import inspect

    from blurscan import datasets
    from blurscan.model import data

    sources = datasets.synth_sources(datasets.read_manifest(shared_data))
    longs = sorted(min(1024, max(int(e.width), int(e.height))) for e in sources)
    assert len(sources) == 370 and longs[0] == 256 and sum(side < 400 for side in longs) == 10
    code = inspect.getsource(data.make_one)
    assert "min(h, w) >= 2 * job.patch" in code and "rng.uniform(0.5, 1.0)" in code
    assert data.Job.__dataclass_fields__["downscale_p"].default == 0.25
