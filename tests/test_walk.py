"""The walk: which files a scan sees, in which order, and what becomes an error record."""
from __future__ import annotations

import os

from blurscan.records import ImageRef, ScanRecord
from blurscan.walk import walk

from helpers_os import run_unprivileged


def _touch(path, data=b"x"):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def _paths(items):
    return [i.path for i in items]


def test_finds_images_recursively_in_name_order(tmp_path):
    _touch(tmp_path / "b.jpg")
    _touch(tmp_path / "a.PNG")
    _touch(tmp_path / "notes.txt")
    _touch(tmp_path / "sub" / "c.heic")
    _touch(tmp_path / "sub" / "deeper" / "d.webp")
    _touch(tmp_path / "a_sub" / "e.tif")
    items = list(walk([tmp_path]))
    assert all(isinstance(i, ImageRef) for i in items)
    assert _paths(items) == [str(tmp_path / p) for p in
                             ("a.PNG", "b.jpg", "a_sub/e.tif", "sub/c.heic", "sub/deeper/d.webp")]


def test_ref_carries_size_and_mtime(tmp_path):
    f = _touch(tmp_path / "a.jpg", b"12345")
    os.utime(f, ns=(1_000_000_000, 1_234_567_891_000))
    (ref,) = walk([tmp_path])
    assert ref == ImageRef(str(f), 5, 1_234_567_891_000)


def test_skips_hidden_and_system_folders(tmp_path):
    keep = _touch(tmp_path / "keep.jpg")
    for folder in (".thumbnails", "@eaDir", ".git", "#recycle", "$RECYCLE.BIN", ".hidden"):
        _touch(tmp_path / folder / "x.jpg")
    _touch(tmp_path / ".dotfile.jpg")
    _touch(tmp_path / "ok" / "@eaDir" / "SYNOFILE_THUMB_XL.jpg")
    assert _paths(walk([tmp_path])) == [str(keep)]
    assert len(list(walk([tmp_path], include_hidden=True))) == 9


def test_blurscans_own_thumbnail_folder_is_never_walked_even_with_include_hidden(tmp_path):
    """The review page caches thumbnails in .blurscan-thumbs/ beside the database, as JPEGs: `scan
    --include-hidden` scanned them as photos (13 demo photos became 26, `bursts` paired each photo with its
    thumbnail, `move --all-blurry` offered to move thumbnails; a first-run walkthrough)."""
    keep = _touch(tmp_path / "keep.jpg")
    hidden = _touch(tmp_path / ".hidden" / "x.jpg")
    _touch(tmp_path / ".blurscan-thumbs" / "ab" / "ab12.jpg")
    _touch(tmp_path / "sub" / ".blurscan-thumbs" / "cd" / "cd34.jpg")  # a sub-folder's own library
    assert _paths(walk([tmp_path], include_hidden=True)) == [str(keep), str(hidden)]


def test_camera_raw_taken_only_without_a_picture_of_its_name(tmp_path):
    """A RAW + JPEG pair is one photo (judged by the JPEG; the RAW moves with it); a RAW alone is a photo."""
    pair = _touch(tmp_path / "IMG_1.JPG")
    _touch(tmp_path / "IMG_1.CR2")
    alone = _touch(tmp_path / "IMG_2.NEF")
    heic = _touch(tmp_path / "img_3.heic")
    _touch(tmp_path / "IMG_3.DNG")               # stems match case-insensitively
    elsewhere = _touch(tmp_path / "raw" / "IMG_1.cr2")  # a twin must be in the same folder
    assert sorted(_paths(walk([tmp_path]))) == sorted(map(str, [pair, alone, heic, elsewhere]))


def test_explicit_file_taken_whatever_its_suffix(tmp_path):
    f = _touch(tmp_path / "photo.raw.unknown")
    assert _paths(walk([f])) == [str(f)]


def test_relative_and_tilde_paths_become_absolute(tmp_path, monkeypatch):
    _touch(tmp_path / "a.jpg")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert _paths(walk(["."])) == [str(tmp_path / "a.jpg")]
    assert _paths(walk(["~/a.jpg"])) == [str(tmp_path / "a.jpg")]


def test_each_file_once_when_paths_overlap(tmp_path):
    a = _touch(tmp_path / "sub" / "a.jpg")
    b = _touch(tmp_path / "b.jpg")
    items = list(walk([tmp_path / "sub", tmp_path, a, tmp_path / "sub"]))
    assert sorted(_paths(items)) == sorted([str(a), str(b)])


def test_missing_path_is_an_error_record_and_the_walk_goes_on(tmp_path):
    a = _touch(tmp_path / "a.jpg")
    items = list(walk([tmp_path / "missing", tmp_path]))
    assert isinstance(items[0], ScanRecord)
    assert items[0].status == "error" and items[0].error == "no such file or directory"
    assert items[0].path == str(tmp_path / "missing")
    assert _paths(items[1:]) == [str(a)]


def test_a_file_named_with_a_trailing_slash_is_not_a_folder(tmp_path):
    """`blurscan scan photo.jpg/` (ls: "Not a directory") scored the file under another name's rules and never
    stored it (database: none): it is an error named as given; the folder form with a slash still walks."""
    a = _touch(tmp_path / "a.jpg")
    items = list(walk([str(a) + "/", str(tmp_path) + "/"]))
    assert isinstance(items[0], ScanRecord)
    assert (items[0].path, items[0].status, items[0].error) == (str(a) + "/", "error", "not a folder")
    assert _paths(items[1:]) == [str(a)]


def test_empty_folder_gives_nothing(tmp_path):
    assert list(walk([tmp_path])) == []


def test_symlinked_folder_not_followed_by_default_and_never_loops(tmp_path):
    a = _touch(tmp_path / "lib" / "a.jpg")
    os.symlink(tmp_path / "lib", tmp_path / "lib" / "loop")          # loop back to itself
    os.symlink(tmp_path / "lib", tmp_path / "lib" / "sub_loop")
    assert _paths(walk([tmp_path / "lib"])) == [str(a)]
    # followed: every folder visited once, so the loops add nothing
    assert _paths(walk([tmp_path / "lib"], follow_symlinks=True)) == [str(a)]


def test_symlinked_folder_outside_followed_on_request(tmp_path):
    other = _touch(tmp_path / "other" / "o.jpg")
    _touch(tmp_path / "lib" / "a.jpg")
    os.symlink(tmp_path / "other", tmp_path / "lib" / "link")
    assert len(list(walk([tmp_path / "lib"]))) == 1
    assert _paths(walk([tmp_path / "lib"], follow_symlinks=True)) == [str(tmp_path / "lib" / "a.jpg"),
                                                                        str(tmp_path / "lib" / "link" / "o.jpg")]
    assert other.exists()


def test_symlink_loop_and_broken_link_files_are_error_records(tmp_path):
    os.symlink(tmp_path / "self.jpg", tmp_path / "self.jpg")
    os.symlink(tmp_path / "nowhere.jpg", tmp_path / "broken.jpg")
    items = {i.path: i for i in walk([tmp_path])}
    assert items[str(tmp_path / "self.jpg")].error == "symbolic link loop"
    assert items[str(tmp_path / "broken.jpg")].error == "broken symbolic link"


def test_symlinked_file_is_taken(tmp_path):
    real = _touch(tmp_path / "real" / "a.jpg", b"abc")
    os.symlink(real, tmp_path / "link.jpg")
    items = list(walk([tmp_path / "link.jpg"]))
    assert items == [ImageRef(str(tmp_path / "link.jpg"), 3, real.stat().st_mtime_ns)]


def test_unlistable_folder_is_an_error_record(tmp_path, monkeypatch):
    a = _touch(tmp_path / "a.jpg")
    _touch(tmp_path / "locked" / "b.jpg")
    real_scandir = os.scandir

    def scandir(path="."):
        if os.fspath(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    items = list(walk([tmp_path]))
    assert _paths(items) == [str(a), str(tmp_path / "locked")]
    assert items[1].error == "cannot list folder: permission denied"


def test_real_permission_denied_folder():
    """A folder the kernel refuses to list (chmod 000). Root may list anything, so as root the walk runs in a
    forked child that has dropped to the unprivileged user ``nobody``."""
    import shutil
    import tempfile
    from pathlib import Path

    base = Path(tempfile.mkdtemp(prefix="blurscan-walk-"))
    try:
        base.chmod(0o755)
        ok = _touch(base / "a.jpg")
        _touch(base / "locked" / "b.jpg")
        ok.chmod(0o644)
        (base / "locked").chmod(0)
        items = run_unprivileged(lambda: [[i.path, getattr(i, "error", None)] for i in walk([base])])
        assert items == [[str(ok), None], [str(base / "locked"), "cannot list folder: permission denied"]]
    finally:
        (base / "locked").chmod(0o755)
        shutil.rmtree(base, ignore_errors=True)


def test_non_utf8_file_name(tmp_path):
    raw = os.fsencode(tmp_path) + b"/caf\xe9.jpg"   # Latin-1 name, invalid UTF-8
    with open(raw, "wb") as f:
        f.write(b"x")
    (ref,) = walk([tmp_path])
    assert os.fsencode(ref.path) == raw              # surrogate-escaped text round-trips to the same bytes
    assert os.path.exists(ref.path)
    (ref2,) = walk([raw])                            # bytes paths are accepted too
    assert ref2 == ref


def test_fifo_named_like_an_image_is_an_error_not_a_hang(tmp_path):
    os.mkfifo(tmp_path / "pipe.jpg")
    (item,) = walk([tmp_path])
    assert item.status == "error" and item.error == "not a regular file"


def test_a_raw_named_beside_its_image_stands_for_the_pair(tmp_path):
    """`blurscan scan DIR/*` names each file of a RAW + JPEG pair: it is still one photo, the JPEG's ImageRef
    with its raw_twin, as a walk of DIR gives it (the RAW was a second photo, which `bursts` grouped with its own
    JPEG and `trash --from-bursts` could then take along with the keeper's pair)."""
    jpg, dng = _touch(tmp_path / "IMG_1.JPG"), _touch(tmp_path / "IMG_1.dng")
    heic = _touch(tmp_path / "IMG_2.heic")
    cr2 = _touch(tmp_path / "IMG_2.CR2")
    lone = _touch(tmp_path / "IMG_3.NEF")
    folder = list(walk([tmp_path]))
    assert folder == [ImageRef(str(jpg), 1, jpg.stat().st_mtime_ns, str(dng)),
                      ImageRef(str(heic), 1, heic.stat().st_mtime_ns, str(cr2)),
                      ImageRef(str(lone), 1, lone.stat().st_mtime_ns)]
    named = sorted(tmp_path.iterdir())  # what the shell's DIR/* expands to
    assert sorted(walk(named), key=lambda r: r.path) == sorted(folder, key=lambda r: r.path)
    assert list(walk([dng])) == [folder[0]]                 # the RAW alone on the command line: its pair
    assert list(walk([dng, jpg, tmp_path])) == folder      # each photo once, whatever the order


# -- one file under several names: scored once --------------------------------------------------------------
def _library_with_a_favourite(tmp_path):
    """``lib/0_favourites/best-dog.jpg -> ../2024/party/dog.jpg``: the link sorts, and is met, first."""
    lib = tmp_path / "lib"
    dog = _touch(lib / "2024" / "party" / "dog.jpg", b"dog")
    cat = _touch(lib / "2024" / "party" / "cat.jpg", b"cat")
    (lib / "0_favourites").mkdir()
    os.symlink(os.path.join("..", "2024", "party", "dog.jpg"), lib / "0_favourites" / "best-dog.jpg")
    return lib, dog, cat


def test_a_link_to_a_file_of_the_walk_is_not_a_second_photo(tmp_path):
    """The file is reported once, under its own name (it used to be reported under the link's name too, and
    `bursts` then kept the link and offered the file itself for removal)."""
    lib, dog, cat = _library_with_a_favourite(tmp_path)
    link = lib / "0_favourites" / "best-dog.jpg"
    os.symlink(dog, lib / "2024" / "dog-again.jpg")                 # a second link, absolute, to the same file
    assert sorted(_paths(walk([lib]))) == sorted([str(cat), str(dog)])
    assert list(walk([lib])) == [ImageRef(str(cat), 3, cat.stat().st_mtime_ns),
                                 ImageRef(str(dog), 3, dog.stat().st_mtime_ns)]
    # named on the command line (the shell's expansion), in any order: the file's own name still wins
    assert _paths(walk([link, dog])) == [str(dog)]
    assert _paths(walk([link, lib / "2024"])) == [str(cat), str(dog)]
    # named alone, the link is the file's only name here: it is taken
    assert _paths(walk([link])) == [str(link)]


def test_a_link_to_a_file_outside_the_walk_stays_a_photo_once_per_file(tmp_path):
    outside = _touch(tmp_path / "elsewhere" / "x.jpg", b"xx")
    hidden = _touch(tmp_path / "lib" / ".originals" / "h.jpg", b"hh")  # inside, but not walked
    lib = tmp_path / "lib"
    os.symlink(outside, lib / "a-link.jpg")
    os.symlink(outside, lib / "b-link.jpg")                          # two links to one file: the first kept
    os.symlink(hidden, lib / "from-hidden.jpg")
    assert list(walk([lib])) == [ImageRef(str(lib / "a-link.jpg"), 2, outside.stat().st_mtime_ns),
                                 ImageRef(str(lib / "from-hidden.jpg"), 2, hidden.stat().st_mtime_ns)]
    # with hidden entries walked, the hidden file is found under its own name: the link is dropped
    assert sorted(_paths(walk([lib], include_hidden=True))) == [str(hidden), str(lib / "a-link.jpg")]


def test_hard_links_are_one_file(tmp_path):
    first = _touch(tmp_path / "a" / "IMG_1.jpg", b"abc")
    lone = _touch(tmp_path / "b" / "IMG_2.jpg")
    os.link(first, tmp_path / "b" / "IMG_1.jpg")
    os.link(first, tmp_path / "a" / "IMG_1_copy.jpg")
    assert _paths(walk([tmp_path])) == [str(first), str(lone)]       # the first met in walk order
    assert _paths(walk([tmp_path / "b", first])) == [str(tmp_path / "b" / "IMG_1.jpg"), str(lone)]


def test_followed_folder_links_report_a_file_under_its_own_path(tmp_path):
    """With --follow-symlinks a folder reached both directly and through a link is walked once, under its own
    path (the link sorting first used to win), and a file link into a followed folder adds nothing."""
    lib, dog, cat = _library_with_a_favourite(tmp_path)
    os.symlink(lib / "2024" / "party", lib / "0_album")
    other = _touch(tmp_path / "other" / "o.jpg", b"o")
    os.symlink(tmp_path / "other", lib / "linked")
    os.symlink(other, lib / "0_favourites" / "best-other.jpg")
    assert _paths(walk([lib], follow_symlinks=True)) == [str(cat), str(dog), str(lib / "linked" / "o.jpg")]
    assert _paths(walk([lib])) == [str(cat), str(dog), str(lib / "0_favourites" / "best-other.jpg")]


def test_the_other_files_of_the_walked_folders_are_counted_by_suffix(tmp_path):
    """A phone export's videos and sidecars were passed over without a word: the walk counts them (by suffix as
    written), but not hidden files (the library's database among them), the RAW of a RAW + JPEG pair (part of a
    photo), a lone RAW (a photo), folders, files of skipped folders, nor a file named on the command line."""
    for name in ("IMG_0001.JPG", "IMG_0001.MOV", "IMG_0002.HEIC", "IMG_0002.MOV", "IMG_0002.AAE", "IMG_0003.MOV",
                 "notes.txt", "README", "DSC_1.NEF", "DSC_1.JPG", "DSC_2.NEF", ".blurscan.db", ".blurscan.db-wal",
                 ".DS_Store", "sub/clip.mov", ".hidden/x.MOV", "@eaDir/IMG_0001.JPG.txt"):
        _touch(tmp_path / "lib" / name)
    _touch(tmp_path / "named.dat")  # (a suffix of no known kind: a named .txt is passed over since 2026-12-06)
    counts: dict[str, int] = {}
    items = list(walk([tmp_path / "lib", tmp_path / "named.dat"], passed_over=counts))
    assert len(items) == 5  # three photos, the pair and the lone RAW; the named file (decoding says what it is)
    assert counts == {".MOV": 3, ".AAE": 1, ".txt": 1, "": 1, ".mov": 1}
    hidden_too: dict[str, int] = {}
    list(walk([tmp_path / "lib"], include_hidden=True, passed_over=hidden_too))
    assert hidden_too == {".MOV": 4, ".AAE": 1, ".txt": 2, "": 1, ".mov": 1}  # in .hidden/ and @eaDir/, not .x


def test_the_database_in_use_and_its_companions_are_not_counted(tmp_path):
    """The database a scan writes (`--db lib/card.db`), under its name or a symbolic link's, its SQLite files
    beside it, and a symbolic link to one of them in the library (the link was counted when the scan was given
    the database's own name) are not the library's: not counted. Another database, its name elsewhere, and a
    link to another database are."""
    for name in ("IMG_0001.JPG", "card.db", "card.db-wal", "card.db-shm", "card.db-journal", "card.db.bak",
                 "sub/card.db", "other.db"):
        _touch(tmp_path / "lib" / name)
    os.symlink("card.db", tmp_path / "lib" / "link.db")
    os.symlink("../card.db-wal", tmp_path / "lib" / "sub" / "wal-link.log")
    os.symlink("../other.db", tmp_path / "lib" / "sub" / "other-link.db")
    for database in (tmp_path / "lib" / "card.db", tmp_path / "lib" / "link.db"):
        counts: dict[str, int] = {}
        list(walk([tmp_path / "lib"], passed_over=counts, database=database))
        assert counts == {".db": 3, ".bak": 1}, database  # sub/card.db, other.db and the link to other.db
    _touch(tmp_path / "elsewhere" / "away.db")  # a database outside the library, a link to it inside
    os.symlink(tmp_path / "elsewhere" / "away.db", tmp_path / "lib" / "sub" / "shortcut.sqlite")
    counts = {}
    list(walk([tmp_path / "lib"], passed_over=counts, database=tmp_path / "elsewhere" / "away.db"))
    assert counts == {".db": 5, ".db-wal": 1, ".db-shm": 1, ".db-journal": 1, ".bak": 1, ".log": 1}
