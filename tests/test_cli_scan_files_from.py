"""``blurscan scan --files-from LIST [-0]``: the paths to scan from a list, as find, fd, git ls-files or jq write
one (blurscan.cli.files_from); and the JSON Lines' paths fed back to it."""
from __future__ import annotations

import json
import os

import pytest

from helpers_cli import jsonl, run
from helpers_images import blurred, save_jpeg, textured

NOT_UTF8 = os.fsdecode(b"caf\xe9.jpg")  # (a Latin-1 name: Linux allows it)


@pytest.fixture
def photos(tmp_path, monkeypatch):
    """A library with names a list must carry: not UTF-8, a line break, a leading ``~``; the current folder its
    parent (lists are relative to it, as find prints them)."""
    lib = tmp_path / "lib"
    (lib / "~x").mkdir(parents=True)
    names = ["a.jpg", "b.jpg", NOT_UTF8, "new\nline.jpg", "~x/c.jpg"]
    for i, name in enumerate(names):
        save_jpeg(lib / name, blurred(textured(i), 3.0) if i % 2 else textured(i))
    monkeypatch.chdir(tmp_path)
    return lib, names


def _paths(result):
    return [r["path"] for r in jsonl(result.stdout)]


def test_a_find_print0_list_is_scanned_as_named_with_the_library_database(photos):
    lib, names = photos
    listed = b"".join(os.fsencode(os.path.join("lib", n)) + b"\0" for n in names)
    result = run("scan", "--files-from", "-", "-0", "--model", "none", "--format", "jsonl", input=listed)
    assert result.exit_code == 0, result.output
    got = [json.loads(line) for line in result.stdout.splitlines()]
    assert sorted(r["path"] for r in got) == sorted(os.path.join(str(lib.resolve()), n).replace("\udce9", "\\xe9")
                                                    for n in names)
    assert {r["status"] for r in got} == {"ok"}
    assert (lib / ".blurscan.db").is_file()  # the common folder's, as for PATHs
    assert not (lib / "~x" / ".blurscan.db").exists()


def test_a_line_list_crlf_blank_lines_duplicates_and_a_missing_path(photos):
    lib, _ = photos
    listed = b"lib/a.jpg\r\n\r\n   \nlib/gone.jpg\n./lib/a.jpg\nlib/a.jpg\nlib/b.jpg"  # (no last line end)
    result = run("scan", "--files-from", "-", "--model", "none", "--format", "jsonl", input=listed)
    assert result.exit_code == 1  # a listed path missing: as a PATH missing
    got = jsonl(result.stdout)
    assert sorted(os.path.basename(r["path"]) for r in got) == ["a.jpg", "b.jpg", "gone.jpg"]
    gone = next(r for r in got if r["path"].endswith("gone.jpg"))
    assert gone["status"] == "error" and gone["error"] == "no such file or directory"
    assert f"{lib.resolve() / 'gone.jpg'}: no such file or directory" in result.stderr


def test_paths_and_a_list_together_and_a_list_file(photos, tmp_path):
    lib, _ = photos
    (tmp_path / "list.txt").write_bytes(b"lib/b.jpg\nlib/~x\n")  # (a listed folder is walked, as a PATH is)
    result = run("scan", "lib/a.jpg", "--files-from", "list.txt", "--model", "none", "--format", "jsonl")
    assert result.exit_code == 0, result.output
    assert sorted(os.path.basename(p) for p in _paths(result)) == ["a.jpg", "b.jpg", "c.jpg"]


@pytest.mark.parametrize("args, words", [
    (["--files-from", "-"], "needs --null (-0)"),               # find -print0's list read line by line
    (["--files-from", "nowhere.txt"], "nowhere.txt: no such file or directory"),
    (["--files-from", "lib"], "lib: a folder, not a list of paths"),
    (["-0", "lib"], "give --files-from LIST"),
    ([], "Missing argument 'PATHS...' (or --files-from LIST)"),
])
def test_a_list_that_cannot_be_used_is_a_usage_error_before_any_work(photos, args, words):
    lib, _ = photos
    result = run("scan", *args, "--model", "none", input=b"lib/a.jpg\0lib/b.jpg\0")
    assert result.exit_code == 2
    assert words in result.stderr
    assert not (lib / ".blurscan.db").exists()


def test_the_jsonl_paths_fed_back_rescan_only_those_from_the_database(photos):
    """`scan --format jsonl | jq -r 'select(.verdict == "blurry") | .path' | scan --files-from -`: absolute paths,
    each a line, a name that is not UTF-8 as JSONL writes it (\\xe9) included."""
    lib, _ = photos
    first = jsonl(run("scan", "lib", "--model", "none", "--format", "jsonl").stdout)
    chosen = [r["path"] for r in first if "\n" not in os.fsdecode(r["path"])] + [r["path"] for r in first
                                                                                if "\\xe9" in r["path"]]
    assert any("\\xe9" in p for p in chosen)
    listed = "".join(f"{p}\n" for p in chosen).encode()
    again = run("scan", "--files-from", "-", "--model", "none", "--format", "jsonl", input=listed)
    assert again.exit_code == 0, again.output
    assert sorted(_paths(again)) == sorted(set(chosen))
    assert "unchanged, reused" in again.stderr and f"({len(set(chosen))} unchanged, reused)" in again.stderr


def test_names_with_line_breaks_come_back_through_a_nul_list(photos):
    """`jq -j '.path + "\\u0000"' | scan --files-from - -0`: every name, a line break's too."""
    lib, names = photos
    first = jsonl(run("scan", "lib", "--model", "none", "--format", "jsonl").stdout)
    listed = "".join(f"{r['path']}\0" for r in first).encode("utf-8", "surrogateescape")
    again = run("scan", "--files-from", "-", "-0", "--model", "none", "--format", "jsonl", input=listed)
    assert again.exit_code == 0, again.output
    assert len(jsonl(again.stdout)) == len(names) and f"({len(names)} unchanged, reused)" in again.stderr


def test_a_long_list_reads_the_database_once_not_once_a_file(tmp_path, monkeypatch):
    """The end of a scan (what it forgets: blurscan.pruning) read the whole table once for each named file, to find
    records under it (a folder whose name a file took): 200,000 listed photos, 200,000 readings of a 200,000-row
    table. Once now, whatever the list's length; and a record under a named file is still forgotten."""
    from blurscan.store import Store

    lib = tmp_path / "lib"
    for i in range(12):
        save_jpeg(lib / f"p{i:02}.jpg", textured(i, (64, 80)))
    (lib / "x.jpg").mkdir()
    save_jpeg(lib / "x.jpg" / "inner.jpg", textured(20, (64, 80)))
    assert run("scan", lib, "--model", "none", "--format", "jsonl").exit_code == 0
    (lib / "x.jpg" / "inner.jpg").unlink()
    (lib / "x.jpg").rmdir()
    save_jpeg(lib / "x.jpg", textured(21, (64, 80)))  # a file took the folder's name
    readings = []
    real = Store.paths_under
    monkeypatch.setattr(Store, "paths_under", lambda self, folder: readings.append(folder) or real(self, folder))
    monkeypatch.chdir(lib)
    listed = "".join(f"{p.name}\n" for p in sorted(lib.glob("*.jpg"))).encode()
    result = run("scan", "--files-from", "-", "--model", "none", "--format", "jsonl", input=listed)
    assert result.exit_code == 0, result.output
    assert len(jsonl(result.stdout)) == 13
    assert len(readings) <= 1
    with Store(lib / ".blurscan.db") as store:
        assert store.record(str((lib / "x.jpg" / "inner.jpg").resolve())) is None
        assert store.record(str((lib / "x.jpg").resolve())) is not None


def _model_scored_library(tmp_path, monkeypatch, n=10):
    lib = tmp_path / "lib"
    (lib / "sub").mkdir(parents=True)
    for i in range(n):
        save_jpeg(lib / ("sub" if i % 2 else "") / f"p{i:02}.jpg", textured(i, (64, 80)))
    assert run("scan", lib, "--format", "jsonl").exit_code == 0  # (the shipped model: p_blurry stored)
    monkeypatch.chdir(lib)
    return lib


def test_a_long_list_with_model_none_counts_the_model_results_in_one_reading(tmp_path, monkeypatch):
    """``--model none`` says how many photos lose the model's verdict: it counted them with a query a listed file
    that read the whole table (1,000 listed photos: 7 s of a 10-s scan), after comparing every listed path with
    every other. One reading now, and the same count."""
    from blurscan.store import Store

    lib = _model_scored_library(tmp_path, monkeypatch)
    calls = []
    real = Store.model_results
    monkeypatch.setattr(Store, "model_results", lambda self, under: calls.append(under) or real(self, under))
    listed = "".join(f"{p.relative_to(lib)}\n" for p in sorted(lib.rglob("*.jpg"))).encode()
    result = run("scan", "--files-from", "-", "--model", "none", "--format", "jsonl", input=listed)
    assert result.exit_code == 0, result.output
    assert "10 photos scored by the model before now carry the classical rule's verdict" in result.stderr
    assert len(calls) <= 2 * 4


def test_model_none_counts_a_photo_once_when_its_folder_is_listed_too(tmp_path, monkeypatch):
    lib = _model_scored_library(tmp_path, monkeypatch)
    listed = "".join(f"{p.relative_to(lib)}\n" for p in sorted(lib.rglob("*.jpg"))) + "sub\n.\n"
    result = run("scan", "--files-from", "-", "--model", "none", "--format", "jsonl", input=listed.encode())
    assert result.exit_code == 0, result.output
    assert "10 photos scored by the model before now carry" in result.stderr


@pytest.mark.parametrize("null", [False, True])
def test_a_list_read_in_pieces_keeps_each_name_whole(photos, monkeypatch, null):
    """A list longer than a read (a megabyte at a time: 200,000 photos' names) has names cut at the end of a piece:
    each is joined with its rest from the next piece (pieces of 5 bytes here, so that every name is cut)."""
    from blurscan.cli import files_from

    monkeypatch.setattr(files_from, "CHUNK", 5)
    lib, names = photos
    sep = b"\0" if null else b"\n"
    listed = b"".join(os.fsencode(os.path.join("lib", n)) + sep for n in names if null or "\n" not in n)
    result = run("scan", "--files-from", "-", *(["-0"] if null else []), "--model", "none", "--format", "jsonl",
                 input=listed)
    assert result.exit_code == 0, result.output
    assert len(jsonl(result.stdout)) == len(listed.split(sep)) - 1
    assert {r["status"] for r in jsonl(result.stdout)} == {"ok"}


def test_a_listed_name_starting_with_a_tilde_is_the_current_folders(tmp_path, monkeypatch):
    """``find . -printf '%P\\n'`` in a folder holding a folder named ``~`` lists ``~/a.jpg``: the photo there is
    scanned, not a file of that name in the home folder."""
    here = tmp_path / "here"
    save_jpeg(here / "~" / "a.jpg", textured(0, (64, 80)))
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(here)
    result = run("scan", "--files-from", "-", "--model", "none", "--format", "jsonl", "--db", tmp_path / "x.db",
                 input=b"~/a.jpg\n")
    assert result.exit_code == 0, result.output
    assert [r["path"] for r in jsonl(result.stdout)] == [str((here / "~" / "a.jpg").resolve())]


def test_a_name_written_with_a_backslash_x_is_taken_as_written_when_it_exists(photos):
    """A list's ``caf\\xe9.jpg`` is the name that is not UTF-8 (JSONL's way of writing it) only when no file has
    that name as written: here both exist, and the one named as written is scanned."""
    lib, _ = photos
    save_jpeg(lib / "caf\\xe9.jpg", textured(9, (64, 80)))
    result = run("scan", "--files-from", "-", "--model", "none", "--format", "jsonl", input=b"lib/caf\\xe9.jpg\n")
    assert result.exit_code == 0, result.output
    got = jsonl(result.stdout)
    assert len(got) == 1 and (got[0]["width"], got[0]["height"]) == (80, 64)


def test_model_none_counts_a_photo_once_when_its_folder_is_named_too(tmp_path, monkeypatch):
    """As for a list, with a few PATHs (a query each): ``scan . p00.jpg sub --model none`` counts p00 and sub's
    photos once, not again for each PATH above them."""
    _model_scored_library(tmp_path, monkeypatch)
    result = run("scan", ".", "p00.jpg", "sub", "--model", "none", "--format", "jsonl")
    assert result.exit_code == 0, result.output
    assert "10 photos scored by the model before now carry" in result.stderr


@pytest.mark.parametrize("null", [False, True])
def test_a_list_saved_with_a_utf8_byte_order_mark_scans_its_first_path(photos, monkeypatch, null):
    """Excel's "CSV UTF-8", pandas' ``encoding="utf-8-sig"`` and PowerShell 5's ``Out-File -Encoding utf8`` start
    a list with a byte-order mark: until 2026-12-06 its first path was a missing file (`\\ufefflib/a.jpg: no such
    file or directory`, exit code 1). Read in pieces of 2 bytes too, the mark cut in two."""
    sep = b"\0" if null else b"\r\n"
    listed = b"\xef\xbb\xbf" + sep.join([b"lib/a.jpg", b"lib/b.jpg"]) + sep
    for chunk in (1 << 20, 2):
        monkeypatch.setattr("blurscan.cli.files_from.CHUNK", chunk)
        result = run("scan", "--files-from", "-", *(["-0"] if null else []), "--model", "none", "--format", "jsonl",
                     input=listed)
        assert result.exit_code == 0, result.output
        got = jsonl(result.stdout)
        assert sorted(os.path.basename(r["path"]) for r in got) == ["a.jpg", "b.jpg"]
        assert {r["status"] for r in got} == {"ok"}


def test_a_name_starting_with_a_byte_order_mark_is_taken_as_written_when_it_exists(photos):
    lib, _ = photos
    save_jpeg(lib / "\ufeffodd.jpg", textured(9, (64, 80)))
    result = run("scan", "--files-from", "-", "--model", "none", "--format", "jsonl",
                 input="lib/\ufeffodd.jpg\n".encode())
    assert result.exit_code == 0, result.output
    got = jsonl(result.stdout)
    assert len(got) == 1 and got[0]["status"] == "ok" and (got[0]["width"], got[0]["height"]) == (80, 64)
    listed = "\ufeff" + str(lib / "\ufeffodd.jpg") + "\n"  # (a mark, then an absolute name starting with one)
    result = run("scan", "--files-from", "-", "--model", "none", "--format", "jsonl", input=listed.encode())
    assert result.exit_code == 0, result.output


def test_a_utf16_list_is_refused_saying_so(photos):
    """PowerShell 5's ``>`` and Notepad's "Unicode" write UTF-16: until 2026-12-06 it was said to be a list
    separated by NUL bytes that needed --null."""
    lib, _ = photos
    for encoding in ("utf-16-le", "utf-16-be"):
        mark = b"\xff\xfe" if encoding.endswith("le") else b"\xfe\xff"
        result = run("scan", "--files-from", "-", "--model", "none", input=mark + "lib/a.jpg\r\n".encode(encoding))
        assert result.exit_code == 2
        assert "--files-from standard input: is UTF-16 text" in result.stderr and "--null" not in result.stderr
        assert not (lib / ".blurscan.db").exists()


@pytest.mark.parametrize("null", [False, True])
def test_a_first_name_starting_with_a_byte_order_mark_is_kept_in_any_pieces_a_mark_later_is_the_names(
        photos, monkeypatch, null):
    """A list whose first name is a file's starting with U+FEFF (a Windows user's file, CRLF lines): that name is
    scanned as written, the mark kept, whatever the pieces the list is read in (1 byte, 4, a megabyte); with no
    line end after it too. A mark at the start of a later name is that name's own (only a list's first path loses
    one): ``\\ufefflib/b.jpg`` is a missing file, not lib/b.jpg."""
    lib, _ = photos
    save_jpeg(lib.parent / "\ufeffodd.jpg", textured(9, (64, 80)))
    sep = b"\0" if null else b"\r\n"
    first = "\ufeffodd.jpg".encode()
    for chunk in (1, 4, 1 << 20):
        monkeypatch.setattr("blurscan.cli.files_from.CHUNK", chunk)
        for listed, scanned, code in ((first, ["\ufeffodd.jpg"], 0),
                                      (sep.join([first, b"lib/a.jpg", "\ufefflib/b.jpg".encode()]) + sep,
                                       ["\ufeffodd.jpg", "a.jpg", "b.jpg"], 1)):
            result = run("scan", "--files-from", "-", *(["-0"] if null else []), "--model", "none", "--format",
                         "jsonl", input=listed)
            assert result.exit_code == code, (chunk, listed, result.output)
            got = {os.path.basename(r["path"]): r["status"] for r in jsonl(result.stdout)}
            assert got == {name: "error" if name == "b.jpg" else "ok" for name in scanned}, (chunk, listed)


def test_a_utf16_list_read_a_byte_at_a_time_is_refused_saying_so(photos, monkeypatch):
    """The UTF-16 mark cut in two by the reads is still seen as one (not taken for a list of NUL-separated names)."""
    monkeypatch.setattr("blurscan.cli.files_from.CHUNK", 1)
    result = run("scan", "--files-from", "-", "--model", "none", input="\ufefflib/a.jpg\r\n".encode("utf-16-le"))
    assert result.exit_code == 2
    assert "--files-from standard input: is UTF-16 text" in result.stderr and "--null" not in result.stderr


@pytest.mark.timeout(120)
def test_a_line_list_given_with_null_is_a_usage_error_before_any_work(photos, tmp_path):
    # a list of one path a line read with -0 was one path of a folder for each of its names: the scan resolved it
    # a folder at a time, the square of the list's length (35 MB, 1.2 million lines: hours) before its error record
    lib, _ = photos
    listing = tmp_path / "list.txt"
    listing.write_bytes(b"".join(b"lib/a/b/c/IMG_%07d.jpg\n" % i for i in range(40_000)))  # (a megabyte)
    result = run("scan", "--files-from", listing, "-0", "--model", "none")
    assert result.exit_code == 2
    assert result.stderr == (f"Error: --files-from {listing}: read with --null (-0), but holds lines with no NUL byte "
                             "between them, more than 4,096 bytes (longer than any path): a list of one path a line "
                             "(find, fd, jq -r) is read without --null\n")
    assert not (lib / ".blurscan.db").exists()
    # a name that holds line breaks, and one without a NUL after it, are still names
    result = run("scan", "--files-from", "-", "-0", "--model", "none", "--format", "jsonl",
                 input=b"lib/new\nline.jpg\0lib/a.jpg")
    assert result.exit_code == 0, result.output
    assert sorted(os.path.basename(p) for p in _paths(result)) == ["a.jpg", "new\nline.jpg"]


@pytest.mark.timeout(60)
@pytest.mark.parametrize("null", [False, True])
def test_an_entry_longer_than_any_path_is_a_usage_error_naming_it_shortened(photos, tmp_path, null):
    # a line of thousands of folders (a file of data given by mistake) took the scan the square of its length
    # (realpath a folder at a time: a megabyte 50 s), then its error line printed it whole
    lib, _ = photos
    sep = b"\0" if null else b"\n"
    listing = tmp_path / "list.txt"
    listing.write_bytes(sep.join([b"lib/a.jpg", b"lib/" + b"d/" * 3_000 + b"x.jpg", b"lib/b.jpg", b""]))
    result = run("scan", "--files-from", listing, *(["-0"] if null else []), "--model", "none")
    assert result.exit_code == 2, result.output
    shown = "lib/" + "d/" * 18 + "..." + "/d" * 17 + "/x.jpg"  # (its first and last 40 bytes)
    assert result.stderr == (f"Error: --files-from {listing}: {'entry' if null else 'line'} 2 is no path: 6,009 "
                             f"bytes, longer than any path the system takes (4,095): {shown}\n")
    assert not (lib / ".blurscan.db").exists()
    # the longest path the system takes (a carriage return not counted) is still a path: missing, said so
    longest = b"lib/" + b"d" * 195 + b"/" + b"e/" * 1_945 + b"x.jpg"
    assert len(longest) == 4_095
    result = run("scan", "--files-from", "-", *(["-0"] if null else []), "--model", "none", "--format", "jsonl",
                 input=longest + (b"\0" if null else b"\r\n") + b"lib/a.jpg")
    assert result.exit_code == 1, result.output
    assert sorted(r["status"] for r in jsonl(result.stdout)) == ["error", "ok"]


def test_a_list_is_read_no_further_than_an_entry_longer_than_any_path(tmp_path):
    # a line of a gigabyte was read whole (each megabyte copied onto all read before it) before it was refused
    import io

    from blurscan.cli import files_from
    from blurscan.errors import UsageError

    class Endless(io.RawIOBase):
        reads = 0

        def readinto(self, buffer):
            self.reads += 1
            assert self.reads < 20, "the list was read on"
            buffer[:] = b"d/" * (len(buffer) // 2)
            return len(buffer)

    stream = Endless()
    with pytest.raises(UsageError, match=r"line 3 is no path: 1,048,\d{3} bytes or more, longer than any path"):
        list(files_from._entries(_Joined(b"a.jpg\nb.jpg\n", stream), False, "list.txt"))
    assert stream.reads <= 2


class _Joined:
    """A stream of ``head``'s bytes, then ``tail``'s."""

    def __init__(self, head: bytes, tail) -> None:
        self.head, self.tail = head, tail

    def read(self, size: int) -> bytes:
        if self.head:
            data, self.head = self.head[:size], self.head[size:]
            return data
        return self.tail.read(size)


@pytest.mark.parametrize("null", [False, True])
def test_an_entry_of_path_max_bytes_is_refused_and_a_crlf_lines_return_is_not_shown(photos, tmp_path, null):
    # 4,096 bytes (a CRLF line's return not counted) is one more than any path: refused, its last bytes shown
    # without the return, which is no part of the path (`x.jpg\x0d` was shown until 2026-12-06)
    lib, _ = photos
    longest = b"lib/" + b"d" * 195 + b"/" + b"e/" * 1_945 + b"x.jpg"
    entry = longest[:4] + b"d" + longest[4:]
    assert len(entry) == 4_096
    listing = tmp_path / "list.txt"
    listing.write_bytes(b"lib/a.jpg" + (b"\0" if null else b"\r\n") + entry + (b"\0" if null else b"\r\n"))
    result = run("scan", "--files-from", listing, *(["-0"] if null else []), "--model", "none")
    assert result.exit_code == 2, result.output
    shown = "lib/" + "d" * 36 + "..." + "/e" * 17 + "/x.jpg"
    assert result.stderr == (f"Error: --files-from {listing}: {'entry' if null else 'line'} 2 is no path: 4,096 "
                             f"bytes, longer than any path the system takes (4,095): {shown}\n")


def test_a_nul_separated_names_carriage_return_is_part_of_it_and_counted(photos, tmp_path):
    # read with --null, a name's last byte may be a carriage return: it is the name's, and counted
    lib, _ = photos
    longest = b"lib/" + b"d" * 195 + b"/" + b"e/" * 1_945 + b"x.jpg"
    result = run("scan", "--files-from", "-", "-0", "--model", "none", input=longest + b"\r\0lib/a.jpg\0")
    assert result.exit_code == 2, result.output
    assert "entry 1 is no path: 4,096 bytes, longer than any path the system takes (4,095): " in result.stderr
    assert result.stderr.endswith("/x.jpg\\x0d\n"), result.stderr
