"""More cgroup layouts and roundings of the CPU quota (cpu_quota.py, since 2026-12-05), found by mutation testing:
a hybrid v1/v2 host whose v2 tree is mounted at ``unified``, a quota of a fraction of a core rounded up, and
(2026-12-06) a quota at a cgroup namespace's root over a process in a group below it, and a v1 ``cpu`` hierarchy
mounted at ``cpu`` alone."""

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


def test_a_quota_at_the_namespaces_root_bounds_a_process_in_a_group_below_it(tmp_path):
    """A container with its own cgroup namespace whose processes are in a group below its root (systemd in a
    container: ``0::/init.scope``; the limit ``docker --cpus 2`` set is the namespace root's): the root counts."""
    root, self_cgroup = _v2(tmp_path, "/init.scope", {"cpu.max": "200000 100000", "init.scope/cpu.max": "max 100000"})
    assert quota_cores(root, self_cgroup) == pytest.approx(2.0)


def test_a_v1_cpu_hierarchy_mounted_as_cpu_alone(tmp_path):
    """cgroup v1 whose ``cpu,cpuacct`` hierarchy is mounted at ``cpu`` only (no ``cpu,cpuacct`` folder)."""
    root = tmp_path / "cgroup"
    _files(root, {"cpu/cpu.cfs_quota_us": "150000", "cpu/cpu.cfs_period_us": "100000"})
    self_cgroup = tmp_path / "self-cgroup"
    self_cgroup.write_text("3:cpu,cpuacct:/docker/abc\n", encoding="ascii")
    assert quota_cores(root, self_cgroup) == pytest.approx(1.5)
