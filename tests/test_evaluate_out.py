"""`blurscan evaluate --out DIR` that cannot be written: it scored every image, printed the metrics, then died
in a traceback (`NotADirectoryError: [Errno 20] Not a directory: '/dev/null/x'`). It is now refused before any
image is scored, in one line naming the folder and the reason, as `train --out` is; so is a DIR whose
metrics.json or plot is a folder or a read-only file (until 2026-12-04 those failed after the scoring); a write
that fails at the end (a disk that filled meanwhile) is one line too."""
from __future__ import annotations

import errno
import os
import subprocess
import sys

import pytest
from click.testing import CliRunner

from blurscan.cli import main
from helpers_images import blurred, save_jpeg, textured


@pytest.fixture()
def manifest(tmp_path):
    save_jpeg(tmp_path / "sharp.jpg", textured(seed=1))
    save_jpeg(tmp_path / "soft.jpg", blurred(textured(seed=2), sigma=5.0))
    m = tmp_path / "m.csv"
    m.write_text("file,label\nsharp.jpg,sharp\nsoft.jpg,blurry\n")
    return m


def _evaluate(manifest, out):
    return CliRunner().invoke(main, ["evaluate", str(manifest), "--model", "none", "--workers", "1", "--out",
                                     str(out)])


def test_an_out_folder_under_a_file_is_refused_before_scoring(manifest, tmp_path):
    (tmp_path / "afile").write_text("not a folder")
    result = _evaluate(manifest, tmp_path / "afile" / "results")
    assert result.exit_code == 2, result.output
    assert result.output == (f"Error: {tmp_path / 'afile' / 'results'}: cannot be written: {tmp_path / 'afile'} "
                             "is not a folder; choose another --out\n")
    assert (tmp_path / "afile").read_text() == "not a folder"


def test_an_out_folder_in_a_read_only_folder_is_refused_before_scoring(manifest, tmp_path):
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o555)  # (root too: blurscan honours a folder with no write bit, blurscan.permissions)
    try:
        result = _evaluate(manifest, ro / "results")
    finally:
        ro.chmod(0o755)
    assert result.exit_code == 2, result.output
    assert result.output == f"Error: {ro / 'results'}: cannot be written: {ro} is read-only or not yours; " \
                            "choose another --out\n"
    assert list(ro.iterdir()) == []


@pytest.fixture()
def never_scored(monkeypatch):
    """A refusal must come before any image is scored: scoring fails the test."""
    import blurscan.evaluate

    def score_paths(*args, **kwargs):
        raise AssertionError("images scored before the output was checked")

    monkeypatch.setattr(blurscan.evaluate, "score_paths", score_paths)


@pytest.mark.parametrize("name", ["metrics.json", "predictions.csv", "roc.png", "confusion.png"])
def test_a_folder_in_the_place_of_an_output_file_is_refused_before_scoring(manifest, tmp_path, never_scored, name):
    """OUT/metrics.json (or a plot) a folder: every image was scored and the metrics printed, then the command
    failed ("cannot write the evaluation: is a directory"), minutes wasted on a large set."""
    pytest.importorskip("matplotlib")
    out = tmp_path / "out"
    (out / name).mkdir(parents=True)
    result = _evaluate(manifest, out)
    assert result.exit_code == 2, result.output
    assert result.output == f"Error: {out}: cannot be written: {out / name} is a folder; choose another --out\n"
    assert [p.name for p in out.iterdir()] == [name]


@pytest.mark.parametrize("name", ["metrics.json", "predictions.csv"])
def test_a_link_into_a_folder_that_does_not_exist_is_refused_before_scoring(manifest, tmp_path, never_scored, name):
    """OUT/metrics.json (or predictions.csv) a symbolic link into a folder that is not there (a disk not mounted,
    a folder deleted): written through, it failed only once every image was scored (until 2026-12-05)."""
    out = tmp_path / "out"
    out.mkdir()
    (out / name).symlink_to(tmp_path / "gone" / name)
    result = _evaluate(manifest, out)
    assert result.exit_code == 2, result.output
    assert result.output == (f"Error: {out}: cannot be written: {out / name} is a symbolic link into "
                             f"{tmp_path / 'gone'}, which does not exist; choose another --out\n")
    assert [p.name for p in out.iterdir()] == [name] and (out / name).is_symlink()


def test_a_read_only_metrics_file_is_refused_before_scoring(manifest, tmp_path, never_scored):
    """A metrics.json with no write bit (an earlier run's, kept on purpose), refused at the end; root honours the
    mode too (blurscan.permissions)."""
    out = tmp_path / "out"
    out.mkdir()
    (out / "metrics.json").write_text("{}\n")
    (out / "metrics.json").chmod(0o444)
    result = _evaluate(manifest, out)
    assert result.exit_code == 2, result.output
    assert result.output.startswith(f"Error: {out}: cannot be written: {out / 'metrics.json'} is ")
    assert result.output.endswith("; choose another --out\n") and len(result.output.splitlines()) == 1
    assert (out / "metrics.json").read_text() == "{}\n"


def test_earlier_output_files_are_written_over(manifest, tmp_path):
    """(A guard: the checks refuse only what cannot be written, not an earlier run's files.)"""
    out = tmp_path / "out"
    out.mkdir()
    (out / "metrics.json").write_text("{}\n")
    result = _evaluate(manifest, out)
    assert result.exit_code == 0, result.output
    assert '"detectors"' in (out / "metrics.json").read_text()


def test_a_write_that_fails_at_the_end_is_one_line(manifest, tmp_path, monkeypatch):
    import blurscan.evaluate

    def full(evaluation, out_dir, on_error=None):  # (out_dir not made: not one plot's write)
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(out_dir / "roc.png"))

    monkeypatch.setattr(blurscan.evaluate, "save_plots", full)
    result = _evaluate(manifest, tmp_path / "out")
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert result.output.splitlines()[-1] == \
        f"Error: {tmp_path / 'out' / 'roc.png'}: cannot write the evaluation: no space left on device"
    assert (tmp_path / "out" / "metrics.json").is_file()  # what was written before the failure stays


def test_a_new_out_folder_is_made_with_its_parents(manifest, tmp_path):
    result = _evaluate(manifest, tmp_path / "a" / "b" / "c")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "a" / "b" / "c" / "metrics.json").is_file()


def _files(folder):
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file() and not p.is_symlink()}


def test_an_earlier_runs_plot_this_run_did_not_draw_is_removed(manifest, tmp_path):
    """A run that draws no confusion matrix (only partly blurred rows) left the first run's confusion.png beside
    its new metrics.json, where it passed for its own. Only blurscan's own names are removed, nothing else."""
    pytest.importorskip("matplotlib")
    out = tmp_path / "out"
    assert _evaluate(manifest, out).exit_code == 0
    assert {"metrics.json", "roc.png", "confusion.png"} <= set(os.listdir(out))
    for name in ("notes.txt", "confusion.png.bak", "Confusion.PNG", "roc.svg"):
        (out / name).write_text(name)
    first = _files(out)
    partial = tmp_path / "partial.csv"
    partial.write_text("file,label,blur_type\nsoft.jpg,blurry,partial_defocus\nsharp.jpg,sharp,partial\n")
    result = _evaluate(partial, out)
    assert result.exit_code == 0, result.output
    assert sorted(os.listdir(out)) == ["Confusion.PNG", "confusion.png.bak", "metrics.json", "notes.txt",
                                       "predictions.csv", "roc.png", "roc.svg"]
    assert '"partial_rows": 2' in (out / "metrics.json").read_text()
    assert (out / "roc.png").read_bytes() != first["roc.png"]  # (drawn again: no curve, and says so)
    assert all((out / name).read_text() == name for name in ("notes.txt", "confusion.png.bak", "Confusion.PNG",
                                                            "roc.svg"))
    assert f"Removed {out / 'confusion.png'}: an earlier run's plot, which this run did not draw\n" in result.stderr


def test_without_matplotlib_the_earlier_plots_are_removed(manifest, tmp_path, monkeypatch):
    """No plot drawn (matplotlib missing): neither of an earlier run's stays beside the new metrics.json; a
    symbolic link of such a name is removed, not what it points to."""
    import blurscan.evaluate

    out = tmp_path / "out"
    out.mkdir()
    (out / "roc.png").write_bytes(b"an earlier run's")
    (tmp_path / "mine.png").write_bytes(b"mine")
    (out / "confusion.png").symlink_to(tmp_path / "mine.png")

    def no_matplotlib(evaluation, out_dir, on_error=None):
        raise ImportError("No module named 'matplotlib'")

    monkeypatch.setattr(blurscan.evaluate, "save_plots", no_matplotlib)
    result = _evaluate(manifest, out)
    assert result.exit_code == 0, result.output
    assert sorted(os.listdir(out)) == ["metrics.json", "predictions.csv"]
    assert (tmp_path / "mine.png").read_bytes() == b"mine"
    assert "plots skipped" in result.stderr
    assert f"Removed {out / 'roc.png'}, {out / 'confusion.png'}: an earlier run's plots" in result.stderr


def test_a_run_that_fails_before_writing_leaves_the_folder_as_it_was(manifest, tmp_path):
    """(A guard: nothing to evaluate, no metrics.json written, and no earlier file removed either.)"""
    pytest.importorskip("matplotlib")
    out = tmp_path / "out"
    assert _evaluate(manifest, out).exit_code == 0
    before = _files(out)
    gone = tmp_path / "gone.csv"
    gone.write_text("file,label\nnot-there.jpg,blurry\n")
    result = _evaluate(gone, out)
    assert result.exit_code == 1, result.output
    assert _files(out) == before


def test_a_plot_the_disk_cannot_hold_is_a_warning_and_leaves_no_earlier_plot(manifest, tmp_path):
    """A disk that filled as the plots were written (here: a file-size limit, RLIMIT_FSIZE, as the disk's last
    free bytes): roc.png was left cut short, the earlier run's confusion.png beside the new metrics.json, where it
    passed for this run's, and the command ended in "Error: OUT: cannot write the evaluation: file too large" (the
    folder, not the file). Each plot is now written whole or not at all; one that cannot be is a warning naming it
    and the reason, and the earlier run's plot of that name is removed."""
    resource = pytest.importorskip("resource")
    pytest.importorskip("matplotlib")
    out = tmp_path / "out"
    out.mkdir()
    for name in ("roc.png", "confusion.png"):
        (out / name).write_bytes(b"an earlier run's " + name.encode())
    limit = 8000  # bytes: metrics.json (about 1.5 kB) fits, neither plot (20-40 kB) does

    def small_disk():
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))  # (Python ignores SIGXFSZ: a write fails, EFBIG)

    result = subprocess.run([sys.executable, "-m", "blurscan", "evaluate", str(manifest), "--model", "none",
                             "--workers", "1", "--out", str(out)], capture_output=True, text=True, timeout=300,
                            preexec_fn=small_disk)
    assert result.returncode == 0, result.stderr
    # no plot cut short, none of the earlier run's, no temporary file
    assert sorted(os.listdir(out)) == ["metrics.json", "predictions.csv"]
    assert '"detectors"' in (out / "metrics.json").read_text()
    for name in ("roc.png", "confusion.png"):
        assert (f"warning: {out / name}: plot not written: file too large; the earlier run's plot of that name was "
                "removed\n") in result.stderr
    assert "Error" not in result.stderr and "Removed" not in result.stderr
    assert f"Wrote {out / 'metrics.json'}\n" in result.stderr


def test_save_plots_leaves_an_earlier_plot_whole_when_a_write_fails(tmp_path, monkeypatch):
    """The library's save_plots: a plot that cannot be written raises (the earlier file whole, no temporary file
    left), or, given on_error, is passed to it and the next plot is still drawn."""
    pytest.importorskip("matplotlib")
    from blurscan.evaluate import Evaluation, save_plots
    from blurscan.model import export

    ev = Evaluation("m.csv", 2, [], 2, 0, detectors={"blurscan": {"confusion": [[1, 0], [0, 1]],
                                                                  "balanced_accuracy": 1.0}})
    (tmp_path / "roc.png").write_bytes(b"an earlier run's")
    real_replace = os.replace

    def full(src, dst):
        if os.path.basename(dst) == "roc.png":
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real_replace(src, dst)

    monkeypatch.setattr(export.os, "replace", full)
    with pytest.raises(OSError, match="No space left"):
        save_plots(ev, tmp_path)
    assert sorted(os.listdir(tmp_path)) == ["roc.png"] and (tmp_path / "roc.png").read_bytes() == b"an earlier run's"
    failed = {}
    assert save_plots(ev, tmp_path, on_error=failed.__setitem__) == [tmp_path / "confusion.png"]
    assert list(failed) == [tmp_path / "roc.png"] and failed[tmp_path / "roc.png"].errno == errno.ENOSPC
    assert (tmp_path / "confusion.png").read_bytes()[:4] == b"\x89PNG"
    assert sorted(os.listdir(tmp_path)) == ["confusion.png", "roc.png"]


def test_a_metrics_file_the_disk_cannot_hold_leaves_the_earlier_one_whole_and_is_named(manifest, tmp_path):
    """A disk full as metrics.json, the first file, was written (a file-size limit, RLIMIT_FSIZE, as above): it was
    written in place, so the earlier run's metrics.json was left empty or cut short, beside that run's plots and
    predictions, and the line named the folder ("Error: OUT: cannot write the evaluation: ..."). Until 2026-12-06."""
    resource = pytest.importorskip("resource")
    out = tmp_path / "out"
    out.mkdir()
    earlier = {"metrics.json": b'{"an earlier run": ' + b"0" * 600 + b"}\n", "predictions.csv": b"an earlier run's\n"}
    for name, data in earlier.items():
        (out / name).write_bytes(data)

    def small_disk():
        resource.setrlimit(resource.RLIMIT_FSIZE, (300, 300))  # (metrics.json is about 1.5 kB)

    result = subprocess.run([sys.executable, "-m", "blurscan", "evaluate", str(manifest), "--model", "none",
                             "--workers", "1", "--out", str(out)], capture_output=True, text=True, timeout=300,
                            preexec_fn=small_disk)
    assert result.returncode == 1, result.stderr
    assert result.stderr.endswith(f"Error: {out / 'metrics.json'}: cannot write the evaluation: file too large\n")
    assert _files(out) == earlier and sorted(os.listdir(out)) == sorted(earlier)  # (no temporary file either)


@pytest.mark.slow
def test_evaluate_called_from_a_program_leaves_its_matplotlib_backend_and_figures_alone(manifest, tmp_path):
    """A notebook (Jupyter's inline backend) or a GUI program that runs ``main(["evaluate", ...])`` again and
    again: each run set ``matplotlib.use("Agg")`` for the whole process, so the program's ``plt.show()`` showed
    nothing from then on. The plots are drawn on figures of their own, never pyplot's."""
    matplotlib = pytest.importorskip("matplotlib")
    import matplotlib.pyplot as plt

    before = matplotlib.get_backend()
    matplotlib.use("svg")  # (the program's own: any backend but Agg)
    try:
        fig = plt.figure()  # a figure the program has open
        for run in range(5):
            result = _evaluate(manifest, tmp_path / "out")
            assert result.exit_code == 0, result.output
            assert (matplotlib.get_backend(), plt.get_fignums()) == ("svg", [fig.number]), run
        plt.close(fig)
    finally:
        matplotlib.use(before)
    from PIL import Image

    for name in ("roc.png", "confusion.png"):
        with Image.open(tmp_path / "out" / name) as im:
            assert im.format == "PNG" and im.size[0] > 300
