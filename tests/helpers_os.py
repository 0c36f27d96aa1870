"""Run a test body as an unprivileged user: root may read any file, so tests of permission errors drop to
``nobody`` in a forked child."""
from __future__ import annotations

import json
import os

NOBODY = 65534


def run_unprivileged(fn):
    """Call ``fn()`` in a forked child that, when the tests run as root, has first become ``nobody``; return
    what it returned (which must be JSON-serialisable). Load every lazily imported module before calling: the
    child may no longer be allowed to read them."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # child
        code = 1
        try:
            os.close(read_end)
            if os.geteuid() == 0:
                os.setgroups([])
                os.setgid(NOBODY)
                os.setuid(NOBODY)
            os.write(write_end, json.dumps(fn()).encode())
            code = 0
        finally:
            os._exit(code)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as f:
        data = f.read()
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, "the unprivileged child failed"
    return json.loads(data)
