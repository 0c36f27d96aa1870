"""A photo is taken out of its folder by writing to the folder: a read-only file system (a card with its lock switch
on: root too), a folder this user may not write (another user's ``0755``), or a trash folder that cannot be made
(``HOME`` not writable) refuse it. ``move --yes`` copied every photo to the other drive, failed to remove it, took the
copy back and went on to the next (a whole card copied for nothing), the dry run promised the move, the failure
blamed the destination ("cannot move to DST: permission denied"), and each failed run used up a batch number. The plan
now leaves such photos in place with the folder and why (dry run and ``--yes`` alike), ``--yes`` refuses with one line
and opens no batch when none can be taken, and a refusal met during the run stops it as "no space left" does
(:mod:`blurscan.actions.sources`).

The permission tests run as ``nobody`` in a forked child when the tests run as root (a root-owned ``0755`` folder),
as the user themselves otherwise (a ``0555`` folder): no root needed. The read-only mount needs root."""
from __future__ import annotations

import encodings.ascii  # noqa: F401  (the trash writes its entries so: the child as nobody may not import it)
import encodings.utf_8_sig  # noqa: F401  (tag reads sidecars so: the same)
import errno
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from blurscan.actions import execute, moves, plan_move
from blurscan.cli import main
from blurscan.store import Store

from helpers_library import build_library, decide, force_cross_device, snapshot
from helpers_os import run_unprivileged, users_unknown

AS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
#: How the system refuses the child a folder its owner made so (root's ``0755`` as nobody, else ``0555``).
CLOSED = 0o755 if AS_ROOT else 0o555
REFUSED = f"is not writable by this user: owner {'root' if AS_ROOT else '{owner}'}, mode {CLOSED:04o}"


@pytest.fixture
def base():
    """A folder the unprivileged child can reach (pytest's own is root's 0700 when run as root)."""
    folder = Path(tempfile.mkdtemp(prefix="blurscan-src-"))
    folder.chmod(0o755)
    try:
        yield folder
    finally:
        for sub, dirs, _files in os.walk(folder):
            for d in dirs:
                os.chmod(os.path.join(sub, d), 0o755)
        shutil.rmtree(folder, ignore_errors=True)


def _library(base: Path):
    """The helpers' library at ``base/lib``, its database in ``base/db``; every folder open to the child."""
    store, f = build_library(base / "lib", db=base / "db" / "lib.db")
    store.close()
    for sub, dirs, files in os.walk(base):
        for d in dirs:
            os.chmod(os.path.join(sub, d), 0o777)
        for name in files:
            os.chmod(os.path.join(sub, name), 0o666)
    return base / "db" / "lib.db", f


def _refused(folder) -> str:
    import pwd

    return REFUSED.format(owner=pwd.getpwuid(os.getuid()).pw_name)


def _invoke(*args, env=None):
    out = CliRunner().invoke(main, [str(a) for a in args], env=env)
    crashed = "" if out.exception is None or isinstance(out.exception, SystemExit) else repr(out.exception)
    return [out.exit_code, out.stdout, out.stderr + crashed]


def _batches(db) -> int:
    with Store(db) as store:
        return store.conn.execute("SELECT COUNT(*) FROM batches").fetchone()[0]


@pytest.mark.parametrize("command", ["move", "trash"])
def test_photos_whose_folder_cannot_be_written_are_left_with_the_folder_named(base, command):
    """A folder the user may not write: the dry run lists its photos as left, naming the folder; the other
    folders' photos are taken; when none can be taken, --yes says so in one line, exit 1, and opens no batch."""
    db, f = _library(base)
    lib, rejects = base / "lib", base / "rejects"
    rejects.mkdir(mode=0o777)
    rejects.chmod(0o777)
    env = {"XDG_DATA_HOME": str(base / "data")}
    (base / "data").mkdir(mode=0o777)
    (base / "data").chmod(0o777)
    to = ["--to", rejects] if command == "move" else []
    args = [command, "--all-blurry", *to, "--db", db, lib]
    for folder in ("a", "b", "b/c"):
        (lib / folder).chmod(CLOSED)
    before = snapshot(lib)
    dry, yes = run_unprivileged(lambda: [_invoke(*args, env=env), _invoke(*args, "--yes", env=env)])
    refused = _refused(lib / "a")
    assert dry[0] == 0, dry
    assert f"skip a/IMG_1.JPG: its folder {lib / 'a'} {refused}; left in place" in dry[1], dry[1]
    assert f"skip b/c/IMG_4.jpg: its folder {lib / 'b' / 'c'} {refused}; left in place" in dry[1], dry[1]
    assert "Dry run: 0 photos" in dry[1], dry[1]
    assert (f"warning: none of the 4 photos selected can be taken: {lib / 'a'} {refused} (2 other folders refuse "
            "too: the dry run lists them)") in dry[2], dry[2]
    assert yes[0] == 1, yes
    verb = "moved" if command == "move" else "trashed"
    assert yes[2] == (f"Error: none of the 4 photos selected can be taken: {lib / 'a'} {refused} (2 other folders "
                      f"refuse too: the dry run lists them); nothing was {verb}\n"), yes[2]
    assert yes[1] == ""
    assert snapshot(lib) == before and _batches(db) == 0  # no batch number used up
    # one folder that may be written: its photo is taken, the others listed once, as left
    (lib / "b" / "c").chmod(0o777)
    code, out, err = run_unprivileged(lambda: _invoke(*args, "--yes", env=env))
    assert code == 0, (out, err)
    assert f"skipped: a/IMG_2.jpg: its folder {lib / 'a'} {refused}; left in place" in err, err
    assert "failed" not in err and f"{verb} 1 photo (1 file" in out and "3 skipped" in out, out
    assert not (lib / "b" / "c" / "IMG_4.jpg").exists()
    assert _batches(db) == 1


def test_one_other_folder_that_refuses_is_said_in_the_singular(base):
    """Two folders refuse (``b`` and ``b/c``, the photos of ``move lib/b``): the line said "1 other folder refuses
    too: the dry run lists them" of one folder until 2026-12-05."""
    db, f = _library(base)
    lib, rejects = base / "lib", base / "rejects"
    rejects.mkdir(mode=0o777)
    rejects.chmod(0o777)
    for folder in ("b", "b/c"):
        (lib / folder).chmod(CLOSED)
    dry = run_unprivileged(lambda: _invoke("move", "--all-blurry", "--to", rejects, "--db", db, lib / "b"))
    assert dry[0] == 0, dry
    assert (f"warning: none of the 2 photos selected can be taken: {lib / 'b'} {_refused(lib / 'b')} (1 other "
            "folder refuses too: the dry run lists it)\n") in dry[2], dry[2]


def test_a_trash_folder_that_cannot_be_made_is_said_by_the_dry_run(base):
    """The home trash under a folder the user may not write (HOME=/nonexistent: `/`): the dry run said nothing,
    and --yes failed each photo in turn. The plan names the folder, and --yes opens no batch."""
    db, f = _library(base)
    lib = base / "lib"
    closed = base / "home"
    closed.mkdir()
    closed.chmod(CLOSED)
    env = {"XDG_DATA_HOME": str(closed / "share")}
    args = ["trash", "--all-blurry", "--db", db, lib]
    before = snapshot(lib)
    dry, yes = run_unprivileged(lambda: [_invoke(*args, env=env), _invoke(*args, "--yes", env=env)])
    why = f"cannot make the trash folder {closed / 'share' / 'Trash'}: {closed} {_refused(closed)}"
    assert dry[0] == 0 and f"skip a/IMG_1.JPG: {why}; left in place" in dry[1], dry
    assert f"warning: none of the 4 photos selected can be taken: {why}\n" in dry[2], dry[2]
    assert yes[0] == 1 and yes[2] == f"Error: none of the 4 photos selected can be taken: {why}; nothing was " \
                                      "trashed\n", yes
    assert snapshot(lib) == before and _batches(db) == 0


def test_a_folder_refusing_during_the_run_stops_it_and_is_named(base):
    """Planned while the folder could be written, refused when the batch runs: the first photo fails naming its
    own folder (it said "cannot move to DST: permission denied", blaming the destination), and the batch stops
    there, as on "no space left", rather than trying (and, across drives, copying) every other photo."""
    db, f = _library(base)
    lib, rejects = base / "lib", base / "rejects"
    rejects.mkdir()
    rejects.chmod(0o777)
    with Store(db) as store:
        for name in ("IMG_1", "IMG_2", "IMG_4"):
            decide(store, f[name], "discard")
        plan = plan_move(store, rejects)
    assert len(plan.photos) == 3
    (lib / "a").chmod(CLOSED)
    before = snapshot(lib)

    def attempt():
        with Store(db) as store:
            result = execute(store, plan)
        return [result.failed, result.skipped, result.moved, result.batch_id]

    failed, skipped, moved, batch = run_unprivileged(attempt)
    refused = _refused(lib / "a")
    assert failed == [[f["IMG_1"], f"{f['IMG_1']}: cannot move to {rejects / 'a' / 'IMG_1.JPG'}: its folder "
                                   f"{lib / 'a'} {refused}"]]
    assert moved == []
    stop = f"batch stopped: {lib / 'a'} {refused}"
    assert [path for path, _why in skipped] == [f["IMG_1.CR2"], f["IMG_1.CR2.xmp"], f["IMG_1.JPG.xmp"], f["IMG_2"],
                                                f["IMG_2.AAE"], f["IMG_4"]]
    assert {why for _path, why in skipped[3:]} == {stop}, skipped  # (IMG_4's folder too: stopped, as on a full disk)
    assert snapshot(lib) == before and os.listdir(rejects) == []


def test_a_read_only_file_system_stops_the_copy_at_the_first_photo(base, monkeypatch):
    """Across drives each photo was copied, then refused removal (read-only file system), its copy removed, and the
    next one copied in turn. The first refusal names the photo's folder and stops the batch."""
    db, f = _library(base)
    with Store(db) as store:
        for name in ("IMG_1", "IMG_2"):
            decide(store, f[name], "discard")
        plan = plan_move(store, base / "rejects")
        force_cross_device(monkeypatch)
        real_unlink, copies = os.unlink, []
        real_copy = moves._copy_verify_unlink

        def copy(src, dst, tag, expect, *rest):  # (rest: the photo's decision, asked again as it leaves)
            copies.append(src)
            return real_copy(src, dst, tag, expect, *rest)

        def read_only(path, *args, **kwargs):
            if os.path.dirname(os.fspath(path)) == os.path.dirname(f["IMG_1"]):
                raise OSError(errno.EROFS, os.strerror(errno.EROFS), path)
            return real_unlink(path, *args, **kwargs)

        monkeypatch.setattr(moves, "_copy_verify_unlink", copy)
        monkeypatch.setattr(os, "unlink", read_only)
        result = execute(store, plan)
    folder = os.path.dirname(f["IMG_1"])
    assert copies == [f["IMG_1"]]  # not IMG_1's RAW twin, sidecars, nor IMG_2: the batch stopped
    assert result.failed[0][1].startswith(f"{f['IMG_1']}: copied to ")
    assert f"but cannot be removed from its folder {folder}: read-only file system" in result.failed[0][1]
    assert {why for _path, why in result.skipped} >= {f"batch stopped: {folder} refused: read-only file system"}


@pytest.mark.skipif(not AS_ROOT, reason="a read-only bind mount needs root")
@pytest.mark.parametrize("command", ["move", "trash"])
def test_a_library_on_a_read_only_mount(base, command):
    """A card with its lock switch on (here a read-only bind mount: root is refused too): nothing is copied, the
    dry run says why, --yes refuses in one line and opens no batch."""
    db, f = _library(base)
    lib = base / "lib"
    mounted = subprocess.run(["mount", "--bind", str(lib), str(lib)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot bind-mount here: {mounted.stderr.decode().strip()}")
    try:
        again = subprocess.run(["mount", "-o", "remount,bind,ro", str(lib)], capture_output=True)
        if again.returncode != 0:
            pytest.skip(f"cannot remount read-only here: {again.stderr.decode().strip()}")
        dest = Path("/dev/shm") if os.path.isdir("/dev/shm") else base
        rejects = Path(tempfile.mkdtemp(prefix="rj-", dir=dest))
        to = ["--to", rejects] if command == "move" else []
        env = {"XDG_DATA_HOME": str(rejects / "data")}
        dry = _invoke(command, "--all-blurry", *to, "--db", db, lib, env=env)
        yes = _invoke(command, "--all-blurry", *to, "--db", db, lib, "--yes", env=env)
        assert f"skip a/IMG_1.JPG: its folder {lib / 'a'} is on a read-only file system; left in place" in dry[1]
        assert "warning: none of the 4 photos selected can be taken: " in dry[2], dry
        assert yes[0] == 1 and yes[2].startswith(f"Error: none of the 4 photos selected can be taken: {lib / 'a'} is "
                                                 "on a read-only file system"), yes
        assert len(yes[2].splitlines()) == 1
        assert [n for _d, _s, names in os.walk(rejects) for n in names] == []
        shutil.rmtree(rejects, ignore_errors=True)
    finally:
        subprocess.run(["umount", str(lib)], check=False)
    assert _batches(db) == 0


def test_a_destination_folder_that_refuses_is_named_as_such(base):
    """The system refusing the rename into a sub-folder of --to the user may not write: the message names that
    folder (it said "cannot move to DST: permission denied" alone); the photo's own folder is not blamed, and the
    batch goes on."""
    db, f = _library(base)
    rejects = base / "rejects"
    (rejects / "a").mkdir(parents=True)
    rejects.chmod(0o777)
    with Store(db) as store:
        for name in ("IMG_2", "IMG_4"):
            decide(store, f[name], "discard")
        plan = plan_move(store, rejects)
    (rejects / "a").chmod(CLOSED)

    def attempt():
        with Store(db) as store:
            result = execute(store, plan)
        return [result.failed, result.moved]

    failed, moved = run_unprivileged(attempt)
    assert failed == [[f["IMG_2"], f"{f['IMG_2']}: cannot move to {rejects / 'a' / 'IMG_2.jpg'}: permission denied: "
                                   f"the destination's folder {rejects / 'a'} {_refused(rejects / 'a')}"]]
    assert [src for src, _dst in moved] == [f["IMG_4"]]  # not the photos' folder: the batch went on


@pytest.mark.skipif(not AS_ROOT, reason="another user's photos in a sticky folder: root makes them")
def test_another_users_photo_in_a_sticky_folder_is_left_with_the_reason(base):
    """In a sticky folder (``/tmp``-like, 1777) only a file's owner or the folder's may take the file out."""
    db, f = _library(base)
    folder = base / "lib" / "b" / "c"
    folder.chmod(0o1777)
    args = ["move", "--all-blurry", "--to", base / "rejects", "--db", db, base / "lib" / "b"]
    (base / "rejects").mkdir(mode=0o777)
    (base / "rejects").chmod(0o777)
    code, out, err = run_unprivileged(lambda: _invoke(*args))
    assert (f"skip b/c/IMG_4.jpg: its folder {folder} is sticky (mode 1777: only the owner of a file in it, or of the "
            "folder, may take the file out), and IMG_4.jpg is root's; left in place") in out, out


@pytest.mark.skipif(not AS_ROOT, reason="folders and photos of another user: root makes them")
def test_a_user_of_no_name_is_said_as_user_n(base, monkeypatch):
    """A folder and a photo of a user the user database does not know (copied from another machine): their owner is
    ``user 4242``, as every message names one (:mod:`blurscan.owner_names`). The folder's was a bare number until
    2026-12-07 ('owner 4242, mode 0755')."""
    unnamed = 4242
    users_unknown(monkeypatch, (unnamed,))
    db, f = _library(base)
    lib = base / "lib"
    os.chown(lib / "a", unnamed, unnamed)
    (lib / "a").chmod(0o755)
    (lib / "b" / "c").chmod(0o1777)
    os.chown(f["IMG_4"], unnamed, unnamed)
    (base / "rejects").mkdir(mode=0o777)
    (base / "rejects").chmod(0o777)
    code, out, err = run_unprivileged(lambda: _invoke("move", "--all-blurry", "--to", base / "rejects", "--db", db, lib))
    assert code == 0, (out, err)
    assert (f"skip a/IMG_1.JPG: its folder {lib / 'a'} is not writable by this user: owner user {unnamed}, mode 0755; "
            "left in place") in out, out
    assert f"and IMG_4.jpg is user {unnamed}'s; left in place" in out, out


def test_tag_leaves_photos_whose_folder_cannot_be_written_with_the_folder_named(base):
    """`tag` writes each sidecar into its photo's folder: one the user may not write is a skip naming the folder,
    in the dry run too, as for move and trash. Until 2026-12-05 (another user's folder, not root's ``0555``) the
    dry run promised ``would write a/IMG_2.jpg.xmp`` and the real run failed on each (exit 1). Every folder so,
    the real run says in one error line that none can be tagged (exit 1), as move and trash do, and the dry run
    warns: until 2026-12-07 it said "tagged 0 photos, 4 skipped (listed above); no sidecar was written, so there
    is nothing to undo.", exit 0."""
    db, f = _library(base)
    lib = base / "lib"
    args = ["tag", "--xmp", "--all-blurry", "--db", db, lib]
    for folder in ("a", "b", "b/c"):
        (lib / folder).chmod(CLOSED)
    before = snapshot(lib)
    dry, real = run_unprivileged(lambda: [_invoke(*args, "--dry-run"), _invoke(*args)])
    refused = _refused(lib / "a")
    code, out, err = dry
    assert f"skip a/IMG_2.jpg: its folder {lib / 'a'} {refused}; left in place" in out + err, (out, err)
    assert f"skip b/IMG_5.jpg: its folder {lib / 'b'} {refused}; left in place" in out + err, (out, err)
    assert "would write" not in out and "failed" not in out + err, (out, err)
    assert code == 0 and f"warning: none of the 4 photos selected can be tagged: {lib / 'a'} {refused}" in err, err
    code, out, err = real
    assert code == 1 and out == "", (code, out, err)  # (no "tagged 0 photos, 4 skipped ...")
    assert err.startswith(f"Error: none of the 4 photos selected can be tagged: {lib / 'a'} {refused} (2 other "
                          "folders refuse too: the dry run lists them); nothing was tagged"), err
    assert snapshot(lib) == before
