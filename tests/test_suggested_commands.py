"""The commands blurscan suggests are pasted into a shell: a folder in them is quoted for it (``'my lib $HOME'``)
and one starting with ``-`` written ``./-dashlib``. Until 2026-12-05 the notes of ``move`` / ``trash`` / ``tag``
that select nothing (`blurscan review my lib $HOME`, `blurscan bursts -dashlib`) gave the folder as typed: pasted,
the shell split it, expanded ``$HOME``, or the command took ``-dashlib`` for an option."""
from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess

import pytest

from blurscan.records import ScanRecord
from blurscan.store import Store
from helpers_cli import run
from helpers_images import blurred, save_jpeg, textured
from helpers_sqlite import connected


def _scanned(root):
    """A library of one blurry photo (no decision), scanned into ``root/.blurscan.db``."""
    path = save_jpeg(root / "IMG_1.jpg", blurred(textured(1, (64, 80))))
    st = os.stat(path)
    with Store(root / ".blurscan.db") as store:
        store.put([ScanRecord(path=str(path), verdict="blurry", size=st.st_size, mtime_ns=st.st_mtime_ns,
                              format="JPEG")], "test")


def _suggested(text, command):
    """The words of each `blurscan COMMAND ...` in ``text``, split as a shell splits them."""
    return [shlex.split(m) for m in re.findall(rf"`(blurscan {command}[^`]*)`", text)]


@pytest.mark.parametrize("folder", ["my lib $HOME", "-dashlib", "it's"])
def test_the_review_and_bursts_hints_quote_the_folder(tmp_path, monkeypatch, folder):
    monkeypatch.chdir(tmp_path)
    _scanned(tmp_path / folder)
    out = run("move", "--to", tmp_path / "rejects", "--", folder)
    assert out.exit_code == 0, out.output
    [words] = _suggested(out.stderr, "review")
    assert words[:2] == ["blurscan", "review"] and os.path.samefile(words[2], tmp_path / folder)
    assert len(words) == 3 and not words[2].startswith("-")
    out = run("trash", "--from-bursts", "--", folder)
    assert out.exit_code == 0, out.output
    [words] = _suggested(out.stderr, "bursts")
    assert len(words) == 3 and os.path.samefile(words[2], tmp_path / folder) and not words[2].startswith("-")
    done = run(*words[1:])  # the command as pasted does what it says
    assert done.exit_code == 0, done.output


def test_shell_path():
    from blurscan.errors import shell_path

    assert shell_path("/photos/2024") == "/photos/2024"
    assert shell_path("my lib $HOME") == "'my lib $HOME'"
    assert shell_path("-dashlib") == "./-dashlib"
    assert shell_path("-my lib") == "'./-my lib'"
    assert shell_path("new\nline") == "$'new\\x0aline'"  # (never a raw control character on the terminal)
    assert shell_path("it's\u200b") == "$'it\\'s\\u200b'"


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
@pytest.mark.parametrize("folder", ["my\u00a0lib", "new\nline", "-zero\u200bwidth 'quoted'"])
def test_a_hint_naming_a_folder_with_an_escaped_character_names_it_pasted(tmp_path, monkeypatch, folder):
    """Such a folder is shown escaped (``my\\u00a0lib``, :func:`blurscan.errors.printable_path`), and was so in the
    command suggested, in plain quotes: pasted, ``blurscan review 'my\\u00a0lib'`` named no folder (2026-12-06).
    The shell's ANSI-C quotes (``$'my\\u00a0lib'``) read the escape back."""
    monkeypatch.chdir(tmp_path)
    _scanned(tmp_path / folder)
    out = run("move", "--to", tmp_path / "rejects", "--", folder)
    assert out.exit_code == 0, out.output
    [command] = re.findall(r"`(blurscan review [^`]*)`", out.stderr)
    assert "\u00a0" not in command and "\n" not in command and "\u200b" not in command, command
    words = subprocess.run(["bash", "-c", "printf '%s\\0' " + command], capture_output=True, check=True,
                           cwd=tmp_path).stdout.split(b"\0")[:-1]
    assert words[:2] == [b"blurscan", b"review"] and len(words) == 3, words
    assert os.path.samefile(tmp_path / os.fsdecode(words[2]), tmp_path / folder)


def test_the_sqlite3_command_for_a_dumped_database_quotes_its_name(tmp_path, monkeypatch):
    """A database restored from an SQL dump (version 0) is said to be given its version back with ``sqlite3 DB
    'PRAGMA ...'``: a name starting with ``-`` went in as an option of sqlite3's."""

    from blurscan.errors import StoreError

    monkeypatch.chdir(tmp_path)
    _scanned(tmp_path / "lib")
    with connected(tmp_path / "lib" / ".blurscan.db") as source, connected("-restored db") as copy:
        copy.executescript("\n".join(source.iterdump()))
    with pytest.raises(StoreError, match="without its schema version") as err:
        Store("-restored db")
    words = shlex.split(str(err.value).split("give it back with: ")[1])
    assert words[:2] == ["sqlite3", "./-restored db"] and words[2].startswith("PRAGMA user_version = ")
    with connected(words[1]) as conn:  # what the message says to do
        conn.execute(words[2])
    Store(words[1]).close()


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
@pytest.mark.parametrize("name", [os.fsdecode(b"caf\x80"), os.fsdecode(b"\xff\xfe"), "a\x7fb", "a\x85b",
                                  "a\\n\u200b", "x'y\u00a0", "tab\there\\"])
def test_a_folder_written_in_ansi_c_quotes_is_read_back_by_the_shell_and_shows_no_raw_control(name):
    """The word :func:`shell_path` writes, pasted into bash, is the folder's name byte for byte (a byte that is
    not UTF-8, DEL, a C1 control, a backslash before a letter an escape would take), and holds no character the
    terminal would act on or hide."""
    from blurscan.errors import shell_path

    word = shell_path("/lib/" + name)
    assert word.isprintable(), ascii(word)
    out = subprocess.run(["bash", "-c", "printf '%s\\0' " + word], capture_output=True, check=True).stdout
    assert out == os.fsencode("/lib/" + name) + b"\0", (ascii(word), out)
