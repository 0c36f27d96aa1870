"""A cgroup CPU quota (``docker run --cpus``) read from cgroup trees made here as the kernel lays them out."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from blurscan import config, cpu_quota
from blurscan.cpu_quota import quota_cores


def _files(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text + "\n", encoding="ascii")


def _v2(tmp_path: Path, group: str, files: dict[str, str]) -> tuple[Path, Path]:
    root = tmp_path / "cgroup"
    _files(root, {"cgroup.controllers": "cpu memory", **files})
    (root / group.strip("/")).mkdir(parents=True, exist_ok=True)
    self_cgroup = tmp_path / "self-cgroup"
    self_cgroup.write_text(f"0::{group}\n", encoding="ascii")
    return root, self_cgroup


def test_docker_cpus_in_a_cgroup_namespace(tmp_path):
    # docker --cpus 1.5 with its own cgroup namespace: the process sees "0::/" and its limit at the root.
    root, self_cgroup = _v2(tmp_path, "/", {"cpu.max": "150000 100000"})
    assert quota_cores(root, self_cgroup) == pytest.approx(1.5)


def test_no_quota_is_none(tmp_path):
    root, self_cgroup = _v2(tmp_path, "/system.slice/x.service", {"cpu.max": "max 100000",
                                                                  "system.slice/x.service/cpu.max": "max 100000"})
    assert quota_cores(root, self_cgroup) is None


def test_a_parent_quota_bounds_the_group(tmp_path):
    # a pod's limit on the parent, none on the container's own group: the parent's counts; the smaller wins.
    root, self_cgroup = _v2(tmp_path, "/kubepods/pod1/c1", {
        "kubepods/pod1/cpu.max": "300000 100000",
        "kubepods/pod1/c1/cpu.max": "max 100000",
        "kubepods/cpu.max": "800000 100000",
    })
    assert quota_cores(root, self_cgroup) == pytest.approx(3.0)


def test_a_group_not_visible_here_reads_the_mount_root(tmp_path):
    root, self_cgroup = _v2(tmp_path, "/", {"cpu.max": "50000 100000"})
    self_cgroup.write_text("0::/docker/abc123\n", encoding="ascii")  # a host path this namespace does not show
    assert quota_cores(root, self_cgroup) == pytest.approx(0.5)


def test_cgroup_v1_cpu_hierarchy(tmp_path):
    root = tmp_path / "cgroup"
    _files(root, {"cpu,cpuacct/docker/abc/cpu.cfs_quota_us": "200000",
                  "cpu,cpuacct/docker/abc/cpu.cfs_period_us": "100000",
                  "cpu,cpuacct/cpu.cfs_quota_us": "-1", "cpu,cpuacct/cpu.cfs_period_us": "100000"})
    self_cgroup = tmp_path / "self-cgroup"
    self_cgroup.write_text("4:memory:/docker/abc\n3:cpu,cpuacct:/docker/abc\n0::/\n", encoding="ascii")
    assert quota_cores(root, self_cgroup) == pytest.approx(2.0)
    (root / "cpu,cpuacct/docker/abc/cpu.cfs_quota_us").write_text("-1\n", encoding="ascii")
    assert quota_cores(root, self_cgroup) is None


@pytest.mark.parametrize("text", ["", "garbage", "0 100000", "100000 0", "-5 100000", "100000"])
def test_nonsense_or_missing_files_are_no_quota(tmp_path, text):
    root, self_cgroup = _v2(tmp_path, "/", {"cpu.max": text})
    assert quota_cores(root, self_cgroup) is None
    assert quota_cores(root, tmp_path / "no-such-file") is None


def test_workers_default_follows_the_quota_rounded_up(tmp_path, monkeypatch):
    affinity = len(os.sched_getaffinity(0))
    root, self_cgroup = _v2(tmp_path, "/", {"cpu.max": "50000 100000"})
    monkeypatch.setattr(cpu_quota, "CGROUP_ROOT", root)
    monkeypatch.setattr(cpu_quota, "SELF_CGROUP", self_cgroup)
    assert config.usable_cores() == 1  # half a core still gets one worker
    assert config.ScanSettings().workers == 1
    (root / "cpu.max").write_text(f"{affinity * 100000 + 1} 100000\n", encoding="ascii")
    assert config.usable_cores() == affinity  # a quota above the cores one may use changes nothing
    (root / "cpu.max").write_text("max 100000\n", encoding="ascii")
    assert config.usable_cores() == affinity
