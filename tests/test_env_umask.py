"""The modes of the files and folders blurscan makes, under the umask a user set: a sidecar ``tag`` creates gets
0666 less the umask, as any new file (it was 0644 whatever the umask, until 2026-12-05). Real command lines in a
subprocess with their own umask."""
from __future__ import annotations

import os
import stat
import subprocess
import sys

import pytest

from test_xmp import _tag_library


def _cli(*args, umask):
    return subprocess.run([sys.executable, "-m", "blurscan", *map(str, args)], capture_output=True, timeout=120,
                          preexec_fn=lambda: os.umask(umask))


@pytest.mark.parametrize(("umask", "mode"), [(0o077, 0o600), (0o002, 0o664), (0o022, 0o644)])
def test_a_sidecar_tag_creates_has_the_umasks_mode(lib, umask, mode):
    """IMG_4 has no sidecar (tag creates IMG_4.jpg.xmp); IMG_5's Lightroom sidecar (0640) is merged and keeps
    its mode (:func:`test_xmp._tag_library`)."""
    root, store, f = _tag_library(lib)
    store.close()
    done = _cli("tag", "--xmp", "--yes", root, umask=umask)
    assert done.returncode == 0, done.stderr.decode()
    assert stat.S_IMODE(os.stat(f["IMG_4"] + ".xmp").st_mode) == mode
    assert stat.S_IMODE(os.stat(f["IMG_5.xmp"]).st_mode) == 0o640
