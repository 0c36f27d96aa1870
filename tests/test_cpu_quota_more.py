"""More cgroup layouts and roundings of the CPU quota (cpu_quota.py, since 2026-12-05), found by mutation testing:
a hybrid v1/v2 host whose v2 tree is mounted at ``unified``, and a quota of a fraction of a core rounded up."""

from __future__ import annotations

import os

import pytest

from blurscan import config, cpu_quota
from blurscan.cpu_quota import quota_cores
from test_cpu_quota import _files, _v2


def test_a_hybrid_hosts_unified_tree_is_read(tmp_path):
    root = tmp_path / "cgroup"
    _files(root, {"unified/cgroup.controllers": "cpu", "unified/system.slice/x.service/cpu.max": "150000 100000",
                  "cpu.max": "max 100000"})
    self_cgroup = tmp_path / "self-cgroup"
    self_cgroup.write_text("1:name=systemd:/system.slice/x.service\n0::/system.slice/x.service\n", encoding="ascii")
    assert quota_cores(root, self_cgroup) == pytest.approx(1.5)


@pytest.mark.skipif(len(os.sched_getaffinity(0)) < 2, reason="needs two usable cores")
def test_a_quota_of_1_2_cores_gives_two_workers(tmp_path, monkeypatch):
    root, self_cgroup = _v2(tmp_path, "/", {"cpu.max": "120000 100000"})
    monkeypatch.setattr(cpu_quota, "CGROUP_ROOT", root)
    monkeypatch.setattr(cpu_quota, "SELF_CGROUP", self_cgroup)
    assert config.usable_cores() == 2  # rounded up: 1.2 cores of work is more than one worker can do
