"""``bench/synth_speed.py``'s two columns, with and without the camera pipeline, time the same blurs. They drew
other seeds (the camera column seeds 0-6, the other 7-13), and a blur's extent and shake's roll change with the
draw: the column without the camera pipeline, a part of the other, could read several times slower than it. The
draws are recorded here; no time is checked."""
from __future__ import annotations

import importlib.util
from collections import defaultdict
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "bench"


def test_both_columns_time_the_same_draws(monkeypatch, capsys):
    spec = importlib.util.spec_from_file_location("bench_synth_speed", BENCH / "synth_speed.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    seen = defaultdict(list)

    def synthesize(img, rng, kind="shake", severity="moderate", camera=True):
        seen[kind, camera].append(int(rng.bit_generator.seed_seq.entropy))
        return img, {}

    monkeypatch.setattr(module.synth, "synthesize", synthesize)
    monkeypatch.setattr(module.synth, "jpeg_roundtrip", lambda img, q: img)
    assert module.main(["--repeat", "3"]) == 0
    kinds = [row.split(" | ")[0][2:] for row in capsys.readouterr().out.splitlines()[5:] if row.startswith("| ")]
    assert kinds == list(module.synth.BLUR_KINDS)
    for kind in module.synth.BLUR_KINDS:
        assert seen[kind, True][-3:] == seen[kind, False] == [0, 1, 2], kind  # (after defocus's warm-up call)
