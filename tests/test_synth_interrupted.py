"""`blurscan synth` stopped half-way (killed, Ctrl-C, SIGTERM), through the real command line: what it leaves is an
unfinished dataset said to be one, which `--overwrite` replaces whole (no image of the stopped run stays in a split
folder); its worker processes print nothing and are gone."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from blurscan import synth
from helpers_images import save_jpeg, textured
from helpers_signals import default_signals
from test_cli_scan_ctrl_c import _session_processes

#: The command line, each source after the first writing its samples and then hanging (files on disk, not yet in
#: manifest.csv: what several workers leave when killed), saying so with the file "busy".
_CHILD = """
import sys, time
from blurscan.synth import recipes
real, seen = recipes._do_source, []
def slow(task):
    out = real(task)
    if seen:
        open({busy!r}, "w").close()
        time.sleep(60)
    seen.append(1)
    return out
recipes._do_source = slow
from blurscan.cli import main
main(sys.argv[1:])
"""


def _sources(folder: Path, n: int, size=(240, 320)) -> Path:
    for i in range(n):
        save_jpeg(folder / f"src_{i}.jpg", textured(i, size=size))
    return folder


def _samples_on_disk(out: Path) -> list[str]:
    return sorted(p.relative_to(out).as_posix() for split in ("train", "val", "test") if (out / split).is_dir()
                  for p in (out / split).iterdir())


def _killed_run(tmp_path: Path, src: Path, out: Path) -> None:
    busy = tmp_path / "busy"
    proc = subprocess.Popen([sys.executable, "-c", _CHILD.format(busy=str(busy)), "synth", str(src), str(out),
                             "--per-image", "2", "-q"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while not busy.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    proc.kill()
    proc.communicate()
    busy.unlink()


@pytest.mark.slow
def test_a_killed_synth_leaves_an_unfinished_dataset_that_overwrite_replaces_whole(tmp_path):
    """A run killed in its first seconds left a 0-byte manifest.csv (its header still in the write buffer), and
    every later run, `--overwrite` too, refused it as "not a dataset blurscan synth wrote (its columns: none)";
    the samples on disk but not yet listed stayed in their split folders through an `--overwrite`."""
    src, out = _sources(tmp_path / "src", 4), tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine\n")  # a file synth did not write: never removed
    _killed_run(tmp_path, src, out)
    stopped = _samples_on_disk(out)
    assert len(stopped) == 4  # the first source's 2 samples, listed, and the second's 2, not listed
    assert len(synth.read_manifest(out)) == 2 and not (out / "dataset.json").exists()
    again = subprocess.run([sys.executable, "-m", "blurscan", "synth", str(src), str(out), "--per-image", "1",
                            "--seed", "7", "-q"], capture_output=True, text=True)
    assert again.returncode == 2, again.stderr
    assert again.stderr == (f"Error: {out}: holds an unfinished dataset (a blurscan synth run was stopped before its "
                            "end); add --overwrite to replace it, or choose another folder\n")
    assert _samples_on_disk(out) == stopped
    done = subprocess.run([sys.executable, "-m", "blurscan", "synth", str(src), str(out), "--per-image", "1",
                           "--seed", "7", "--overwrite", "-q"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert _samples_on_disk(out) == sorted(r["file"] for r in synth.read_manifest(out))  # nothing of the stopped run
    assert len(_samples_on_disk(out)) == 4 and len(set(stopped) - set(_samples_on_disk(out))) >= 2
    assert sorted(p.name for p in out.iterdir()) == ["dataset.json", "manifest.csv", "notes.txt", "test", "train",
                                                     "val"]
    assert (out / "notes.txt").read_text() == "mine\n"


def test_an_empty_manifest_of_an_earlier_killed_run_is_replaced_with_overwrite(tmp_path):
    """The 0-byte manifest.csv that versions before this left lists nothing: `--overwrite` replaces it (removing
    nothing), and without it the refusal says what it is."""
    src, out = _sources(tmp_path / "src", 2), tmp_path / "out"
    (out / "train").mkdir(parents=True)
    (out / "manifest.csv").write_bytes(b"")
    (out / "train" / "mine.jpg").write_bytes(b"not synth's")
    refused = subprocess.run([sys.executable, "-m", "blurscan", "synth", str(src), str(out), "-q"],
                             capture_output=True, text=True)
    assert refused.returncode == 2 and "holds an unfinished dataset" in refused.stderr, refused.stderr
    done = subprocess.run([sys.executable, "-m", "blurscan", "synth", str(src), str(out), "--per-image", "1",
                           "--overwrite", "-q"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert len(synth.read_manifest(out)) == 2 and (out / "train" / "mine.jpg").read_bytes() == b"not synth's"


def _start(tmp_path: Path) -> tuple[subprocess.Popen, Path]:
    """`synth -j 2` at work: its first sample written."""
    src, out = _sources(tmp_path / "src", 8, size=(768, 1024)), tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-m", "blurscan", "synth", str(src), str(out), "--per-image", "12",
                             "-j", "2", "-q"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
                            preexec_fn=default_signals)
    deadline = time.monotonic() + 120
    while not _samples_on_disk(out) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert proc.poll() is None, proc.communicate()
    return proc, out


@pytest.mark.slow
# (SIGTERM, SIGHUP: the `blurscan` process ends killed by the signal once it has said where it stopped)
@pytest.mark.parametrize("sig, to_group, code", [(signal.SIGINT, True, 130), (signal.SIGTERM, False, -signal.SIGTERM),
                                                 (signal.SIGTERM, True, -signal.SIGTERM),
                                                 (signal.SIGHUP, True, -signal.SIGHUP)])
def test_synth_with_workers_stops_quietly_and_leaves_no_process(tmp_path, sig, to_group, code):
    """Ctrl-C during `synth -j N` printed each worker's KeyboardInterrupt traceback ("Process SpawnPoolWorker-1:");
    SIGTERM to the command alone killed it, and its workers printed BrokenPipeError tracebacks and "leaked
    semaphore objects". Now each is one line, saying how far it went, and the workers are gone."""
    proc, out = _start(tmp_path)
    try:
        if to_group:
            os.killpg(proc.pid, sig)
        else:
            proc.send_signal(sig)
        _, err = proc.communicate(timeout=60)
        deadline = time.monotonic() + 30
        while _session_processes(proc.pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        left = _session_processes(proc.pid)
    finally:
        for pid in _session_processes(proc.pid):
            os.kill(pid, signal.SIGKILL)
    err = err.decode()
    assert proc.returncode == code, err
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("interrupted: "), err
    assert lines[0].endswith(f" of 8 source photos done; {out} holds an unfinished dataset: run the same command "
                             "with --overwrite to make it again"), err
    assert left == []


def test_an_unfinished_json_of_ones_own_or_a_link_is_never_written_nor_removed(tmp_path):
    """synth wrote its marker over a person's own OUT/unfinished.json (and --overwrite then removed it), and
    through a link of that name into the file it named, outside OUT."""
    from click.testing import CliRunner

    from blurscan.cli import main

    src = _sources(tmp_path / "src", 1)
    own = tmp_path / "own"
    own.mkdir()
    (own / "unfinished.json").write_text('{"my": "notes"}\n')
    linked = tmp_path / "linked"
    linked.mkdir()
    (tmp_path / "notes.txt").write_text("mine\n")
    (linked / "unfinished.json").symlink_to(tmp_path / "notes.txt")
    runner = CliRunner()
    for out in (own, linked):
        for extra in ([], ["--overwrite"]):
            done = runner.invoke(main, ["synth", str(src), str(out), "--per-image", "1", "-q", *extra])
            assert done.exit_code == 2 and "unfinished.json: not blurscan synth's" in done.output, done.output
    assert (own / "unfinished.json").read_text() == '{"my": "notes"}\n'
    assert (tmp_path / "notes.txt").read_text() == "mine\n" and (linked / "unfinished.json").is_symlink()


def test_overwrite_removes_a_link_of_a_samples_name_not_the_file_it_names(tmp_path):
    """A link in a split folder named like a listed sample, pointing at a photo: --overwrite removed the photo (the
    link's target), then wrote the new sample through the dangling link, at the photo's name."""
    from click.testing import CliRunner

    from blurscan.cli import main

    src, out = _sources(tmp_path / "src", 1), tmp_path / "out"
    runner = CliRunner()
    assert runner.invoke(main, ["synth", str(src), str(out), "--per-image", "1", "-q"]).exit_code == 0
    sample = out / _samples_on_disk(out)[0]
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(b"my photo")
    sample.unlink()
    sample.symlink_to(photo)
    again = runner.invoke(main, ["synth", str(src), str(out), "--per-image", "1", "-q", "--overwrite"])
    assert again.exit_code == 0, again.output
    assert photo.read_bytes() == b"my photo" and sample.is_file() and not sample.is_symlink()


def _workers(session: int) -> list[int]:
    """The pool's worker processes of the command whose session is ``session`` (not multiprocessing's resource
    tracker, nor the command itself)."""
    found = []
    for pid in _session_processes(session):
        try:
            if b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes():
                found.append(pid)
        except OSError:
            pass
    return found


@pytest.mark.slow
@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="needs /proc")
def test_a_worker_killed_under_synth_stops_it_with_one_line_and_an_unfinished_dataset(tmp_path):
    """A worker of `synth -j N` killed (the out-of-memory killer; here `kill -9`): the pool started another worker,
    the dead one's source was never done, and the command waited for it for ever. It now stops at once: one
    `Error:` line, exit code 1, the dataset left unfinished as an interrupted run leaves it, no process behind."""
    proc, out = _start(tmp_path)
    try:
        workers = _workers(proc.pid)
        assert len(workers) == 2, workers
        os.kill(workers[0], signal.SIGKILL)
        _, err = proc.communicate(timeout=60)
        deadline = time.monotonic() + 30
        while _session_processes(proc.pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        left = _session_processes(proc.pid)
    finally:
        for pid in _session_processes(proc.pid):
            os.kill(pid, signal.SIGKILL)
        proc.kill()
    err = err.decode()
    assert proc.returncode == 1, err
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: a worker process ended abruptly "), err
    assert lines[0].endswith(f" of 8 source photos were done; {out} holds an unfinished dataset: run the same command "
                             "with --overwrite to make it again (with fewer --workers if memory ran short)"), err
    assert (out / "unfinished.json").is_file() and not (out / "dataset.json").exists()
    assert left == []
