"""The browser tests' screenshots (helpers_browser.artifacts) with a source tree this user may not write: a
packager runs the sdist's tests unpacked read-only, as nobody. Every browser test that saved a screenshot failed
there with PermissionError (reproduced with Chromium, as nobody, on a read-only unpacked sdist)."""
from __future__ import annotations

import os
from pathlib import Path

import helpers_browser
from helpers_os import run_unprivileged, usual_umask


def test_a_source_tree_that_cannot_be_written_gets_its_screenshots_in_a_temporary_folder(monkeypatch):
    import shutil
    import tempfile

    base = tempfile.mkdtemp(prefix="blurscan-artifacts-test-")  # (tmp_path's parents are root's 0700 ones)
    tree, tmp = os.path.join(base, "unpacked"), os.path.join(base, "tmp")
    try:
        os.chmod(base, 0o755)
        with usual_umask():
            os.mkdir(tree, 0o555)
            os.mkdir(tmp)
        os.chmod(tmp, 0o1777)
        monkeypatch.delenv("BLURSCAN_ARTIFACTS", raising=False)
        monkeypatch.setattr(helpers_browser, "SOURCE_ARTIFACTS", Path(tree) / "artifacts", raising=False)
        monkeypatch.setattr(helpers_browser, "_fallback", [], raising=False)
        monkeypatch.setenv("TMPDIR", tmp)

        def screenshot_folder():
            tempfile.tempdir = None  # (TMPDIR read again)
            folder = helpers_browser.artifacts()
            (folder / "shot.png").write_bytes(b"png")
            return str(folder)

        folder = run_unprivileged(screenshot_folder)
        assert folder.startswith(tmp + os.sep) and not os.path.exists(os.path.join(tree, "artifacts"))
        assert os.path.isfile(os.path.join(folder, "shot.png"))
    finally:
        tempfile.tempdir = None
        os.chmod(tree, 0o755)
        shutil.rmtree(base)


def test_the_variable_and_a_writable_tree_are_used_as_before(tmp_path, monkeypatch):
    monkeypatch.setattr(helpers_browser, "SOURCE_ARTIFACTS", tmp_path / "tree" / "artifacts", raising=False)
    monkeypatch.delenv("BLURSCAN_ARTIFACTS", raising=False)
    assert helpers_browser.artifacts() == tmp_path / "tree" / "artifacts"
    monkeypatch.setenv("BLURSCAN_ARTIFACTS", str(tmp_path / "mine"))
    assert helpers_browser.artifacts() == tmp_path / "mine" and (tmp_path / "mine").is_dir()
