"""The lines saying where ``synth`` and ``evaluate`` wrote their files name the folder as every other message does:
control characters as ``\\xNN`` (a newline or an escape sequence in the name no longer breaks the line or recolours
the terminal). Found by the audit of every message, 2026-12-06: ``evaluate``'s "per-image results:" line escaped
them, its "Wrote ..." line and ``synth``'s "Wrote N images ... to OUT/" printed the name as it was."""
from __future__ import annotations

from click.testing import CliRunner

from blurscan.cli import main
from helpers_images import blurred, save_jpeg, textured

NAME = "out\nb\x1b[31m"
SHOWN = "out\\x0ab\\x1b[31m"


def test_evaluate_names_its_output_folder_printably(tmp_path):
    save_jpeg(tmp_path / "sharp.jpg", textured(seed=1))
    save_jpeg(tmp_path / "soft.jpg", blurred(textured(seed=2), sigma=5.0))
    manifest = tmp_path / "m.csv"
    manifest.write_text("file,label\nsharp.jpg,sharp\nsoft.jpg,blurry\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["evaluate", str(manifest), "--model", "none", "--workers", "1", "--out",
                                       str(tmp_path / NAME)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / NAME / "metrics.json").is_file()
    wrote = [line for line in result.stderr.splitlines() if line.startswith("Wrote ")]
    assert wrote and f"{tmp_path / SHOWN}/metrics.json" in wrote[0], result.stderr
    assert "\x1b" not in result.stderr and "\x1b" not in result.stdout


def test_synth_names_its_output_folder_printably(tmp_path):
    for i in range(3):
        save_jpeg(tmp_path / "src" / f"p{i}.jpg", textured(seed=i, size=(160, 200)))
    result = CliRunner().invoke(main, ["synth", str(tmp_path / "src"), str(tmp_path / NAME), "-q"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / NAME / "manifest.csv").is_file()
    assert f"to {tmp_path / SHOWN}/ " in result.stdout, result.stdout
    assert f"Manifest: {tmp_path / SHOWN}/manifest.csv" in result.stdout, result.stdout
    assert "\x1b" not in result.stdout
