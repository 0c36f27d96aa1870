"""The key tables of the JSONL contracts say what the commands really write: `blurscan scan --format jsonl`
against the README's and docs/jsonl.md's table, `blurscan bursts --format jsonl` against docs/bursts.md's;
every key written is documented, every documented key is written, each value has the documented type (and
range). The existing README test reads `score_image`'s keys and names only; this one reads the command's output
(a docs audit, 2026-12-05). Also: every relative link of the README and docs/*.md leads to a file and, where
it names one, a heading that exists; every option the README and docs/*.md give a command is one it has; each
synopsis lists every option with its choices and defaults; the module tree (docs/development.md since 2026-12-08)
and the README's dependency table are the package's and pyproject.toml's (2026-12-06); the value shown for an
option of choices is one of them, and the JSONL example object is the demo photo's record as a scan writes it now
(2026-12-07)."""
from __future__ import annotations

import json
import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from blurscan.cli import main
from helpers_cli import PACKAGE

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "README.md", ROOT / "CHANGES.md", *sorted((ROOT / "docs").glob("*.md"))]
TYPES = {"string": str, "number": (int, float), "integer": int, "boolean": bool, "array": list}


def _table(text: str, header: str) -> dict[str, list[str]]:
    """``key -> the cells of its row`` in the table under ``header`` (a row may name several keys)."""
    table = text[text.index(header):]
    rows = [row.split("|")[1:-1] for row in table[:table.index("\n\n")].splitlines()[2:]]
    return {key: [cell.strip() for cell in row] for row in rows for key in re.findall(r"`([\w\[\].]+)`", row[0])}


def _check(key: str, value, kind: str, null_ok: bool) -> None:
    if value is None:
        assert null_ok, f"{key} is null, its documented type {kind!r} is not"
        return
    expected = TYPES[kind.split()[0]]
    assert isinstance(value, expected) and (expected is bool or not isinstance(value, bool)), \
        f"{key} = {value!r}, documented as {kind!r}"
    if "0..1" in kind:
        assert 0 <= value <= 1, f"{key} = {value!r}, documented as {kind!r}"
    if "≥ 0" in kind:
        assert value >= 0, f"{key} = {value!r}, documented as {kind!r}"
    if kind.startswith("array of 4"):
        assert len(value) == 4, f"{key} = {value!r}, documented as {kind!r}"


def _jsonl(*args: str) -> list[dict]:
    out = CliRunner().invoke(main, list(args))
    assert out.exit_code == 0, out.output
    return [json.loads(line) for line in out.stdout.splitlines()]


@pytest.fixture(scope="module")
def photos(tmp_path_factory):
    """`blurscan demo`'s photos (a burst among them) and an empty file (an error record)."""
    folder = tmp_path_factory.mktemp("docs") / "photos"
    made = CliRunner().invoke(main, ["demo", str(folder)])
    assert made.exit_code == 0, made.output
    (folder / "empty.jpg").write_bytes(b"")
    return folder


@pytest.mark.parametrize("doc", ["README.md", "docs/jsonl.md"])
def test_scan_jsonl_keys_and_types_are_the_documented_ones(photos, doc):
    documented = _table((ROOT / doc).read_text(), "| key | type | meaning | `null` when |")
    records = _jsonl("scan", str(photos), "--format", "jsonl")
    assert {r["status"] for r in records} == {"ok", "error"}
    for record in records:
        assert list(record) == list(documented), doc  # every key, in the documented order
        for key, value in record.items():
            # null: for an error every key but path and status; for these photos only error and note
            null_ok = key not in ("path", "status") if record["status"] == "error" else key in ("error", "note")
            _check(key, value, documented[key][1], null_ok)


def test_bursts_jsonl_keys_and_types_are_the_documented_ones(photos):
    documented = _table((ROOT / "docs" / "bursts.md").read_text(), "| key | type | meaning |")
    (group,) = _jsonl("bursts", str(photos), "--format", "jsonl")  # the demo's one burst
    written = [(key, value) for key, value in group.items()]
    written += [(f"members[].{key}", value) for member in group["members"] for key, value in member.items()]
    for key, value in written:
        assert key in documented, f"{key} is written but not documented"
        _check(key, value, documented[key][1], null_ok="or null" in documented[key][1])
    for key in documented.keys() - {key for key, _ in written}:  # only keys documented as sometimes left out
        assert re.search(r"present (only|when)", documented[key][2]), f"{key} is documented but not written"


def _slug(heading: str) -> str:
    """GitHub's anchor of a heading: lower case, punctuation but `-` and `_` dropped, spaces as `-`."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower().replace("`", "")).replace(" ", "-")


def _anchors(path: Path) -> set[str]:
    text = re.sub(r"```.*?```", "", path.read_text(), flags=re.S)
    seen: dict[str, int] = {}
    anchors = set()
    for heading in re.findall(r"^#{1,6}\s+(.*)$", text, re.M):
        slug = _slug(heading)
        anchors.add(slug if slug not in seen else f"{slug}-{seen[slug]}")
        seen[slug] = seen.get(slug, 0) + 1
    return anchors


def test_every_relative_link_leads_to_a_file_and_heading():
    broken = []
    for doc in DOCS:
        text = re.sub(r"```.*?```", "", doc.read_text(), flags=re.S)
        for target in re.findall(r"\]\(([^)\s]+)\)", text):
            if re.match(r"[a-z]+:", target):
                continue  # a web address
            path, _, anchor = target.partition("#")
            linked = (doc.parent / path) if path else doc
            if path.startswith("../src/blurscan/") and not (ROOT / "src").is_dir():
                linked = PACKAGE / path[len("../src/blurscan/"):]  # (the sdist's tests beside no src/: installed)
            if not linked.exists():
                broken.append(f"{doc.name}: {target} (no such file)")
            elif anchor and linked.suffix == ".md" and anchor not in _anchors(linked):
                broken.append(f"{doc.name}: {target} (no such heading)")
    assert not broken, broken


def test_the_slug_rule_is_githubs():
    assert _slug("Cleaning up: move, trash, undo, tag") == "cleaning-up-move-trash-undo-tag"
    assert _slug("Which images were called wrong: `predictions.csv`") == "which-images-were-called-wrong-predictionscsv"
    assert _slug("Known weaknesses (measured 2026-12-02; not fixed)") == "known-weaknesses-measured-2026-12-02-not-fixed"


def _commands_shown(doc: Path) -> list[str]:
    """The lines of the code blocks and the inline code of ``doc`` (a paragraph's lines joined)."""
    text = doc.read_text()
    blocks = re.findall(r"```\w*\n(.*?)```", text, flags=re.S)
    prose = re.sub(r"(?<!\n)\n(?!\n)", " ", re.sub(r"```.*?```", "", text, flags=re.S))
    return [line for block in blocks for line in block.splitlines()] + [m[1] for m in re.findall(r"(`+)(.+?)\1", prose)]


def test_every_option_shown_with_a_command_is_one_it_has():
    options = {name: {"-h", "--help"} | {o for p in command.params if isinstance(p, click.Option)
                                        for o in (*p.opts, *p.secondary_opts)}
               for name, command in main.commands.items()}
    unknown, shown = [], 0
    for doc in DOCS:
        for line in _commands_shown(doc):
            for name, rest in re.findall(r"blurscan ([a-z]+)((?: +[^ |;`#]+)*)", line):
                for option in re.findall(r"(?<![\w-])(--?[a-zA-Z][\w-]*)", rest) if name in options else ():
                    shown += 1
                    if option not in options[name]:
                        unknown.append(f"{doc.name}: blurscan {name} {option}")
    assert shown > 100 and not unknown, unknown


def test_every_value_shown_for_an_option_of_choices_is_one_it_takes():
    """``--format json`` in a doc passed the check above (the option exists) and failed when typed: the value of
    each option with fixed choices (``--format``, ``--only``, ``--recipe``) is one of them (a docs audit,
    2026-12-07; the placeholders of a synopsis, ``table|jsonl|csv`` or ``FILE``, are not values)."""
    choices = {(name, o): set(p.type.choices) for name, command in main.commands.items() for p in command.params
               if isinstance(p, click.Option) and isinstance(p.type, click.Choice) for o in (*p.opts, *p.secondary_opts)}
    wrong, shown = [], 0
    for doc in DOCS[:1] + DOCS[2:]:  # (CHANGES.md quotes what was typed wrong)
        for line in _commands_shown(doc):
            for name, rest in re.findall(r"blurscan ([a-z]+)((?: +[^ |;`#]+)*)", line):
                for option, value in re.findall(r"(?<![\w-])(--?[a-zA-Z][\w-]*)[ =]([^ \]]+)", rest):
                    if (name, option) in choices and value != "..." and not value.isupper():
                        shown += 1
                        wrong += [f"{doc.name}: blurscan {name} {option} {value}"
                                  for v in value.split(",") if v not in choices[name, option]]
    assert shown > 30 and not wrong, wrong


def test_the_jsonl_example_is_what_the_demo_photo_gives_now(photos):
    """The README's and docs/jsonl.md's example object is `blurscan demo`'s chelsea-cat-shaken.jpg as a scan
    writes it: its keys in order, and the figures the model and the measures give (model and measure versions
    included: a new model, or a measure changed, puts the example right too)."""
    (record,) = [r for r in _jsonl("scan", str(photos), "--format", "jsonl")
                 if r["path"].endswith("/chelsea-cat-shaken.jpg")]
    for doc in ("README.md", "docs/jsonl.md"):
        text = (ROOT / doc).read_text()
        shown = json.loads(re.search(r"```json\n(.*?)```", text, re.S).group(1))
        assert list(shown) == list(record), doc
        assert Path(shown["path"]).name == Path(record["path"]).name, doc
        exact = ("status", "error", "verdict", "blur_type", "grid_box", "width", "height", "format", "captured_at",
                 "model_version", "measure_version", "note")
        assert {k: shown[k] for k in exact} == {k: record[k] for k in exact}, doc
        for key in ("p_blurry", "laplacian_var", "laplacian_var_norm", "tenengrad"):  # (another CPU's last digits)
            assert shown[key] == pytest.approx(record[key], rel=0.01, abs=0.002), (doc, key)


def _readme_section(title: str, doc: str = "README.md") -> str:
    text = (ROOT / doc).read_text()
    section = text[text.index(f"\n## {title}\n"):]
    end = section.find("\n## ", 1)
    return section if end < 0 else section[:end]


def test_the_module_table_names_every_module_of_the_package_and_no_other():
    """docs/development.md's tree of `src/blurscan/` (the README's Development section's until 2026-12-08) names
    each module and sub-package there, and only those: until 2026-12-06 it left out 22 of them (schema.py among
    them, while store.py was said to hold the schema), so a reader looking for where something is done could not
    find it there (a docs audit)."""
    section = _readme_section("The modules", "docs/development.md")
    tree = section[section.index("src/blurscan/\n"):]
    tree = tree[:tree.index("```")]
    named = {name for line in tree.splitlines()[1:] for name in re.findall(r"(?<![\w.])(\w+\.py|\w+/)", line)}
    package = PACKAGE
    present = {f"{p.name}/" if p.is_dir() else p.name for p in package.iterdir()
               if (p.suffix == ".py" and not p.name.startswith("__")) or (p.is_dir() and not p.name.startswith("__"))}
    assert not present - named, f"modules docs/development.md's tree leaves out: {sorted(present - named)}"
    assert not named - present, \
        f"modules docs/development.md's tree names that are not there: {sorted(named - present)}"


def test_the_readmes_development_section_is_short_and_leads_to_the_rest():
    """The README's Development section was 190 lines (the module tree, the suite's timings, root, house rules,
    packaging) that a user scrolled past; since 2026-12-08 it is the data flow, one line per `make` target, the
    suite's size and a link to docs/development.md, which holds the rest. Each target it names is the Makefile's."""
    section = _readme_section("Development")
    assert len(section.strip().splitlines()) <= 30, section
    assert "](docs/development.md)" in section and "src/blurscan/\n" not in section
    targets = set(re.findall(r"^([\w-]+):", (ROOT / "Makefile").read_text(), re.M))
    named = set(re.findall(r"`make ([\w-]+)`", section))
    assert {"test", "test-slow", "lint", "model", "bench"} <= named <= targets, (named, targets)


def _requirement_name(requirement: str) -> str:
    return re.split(r"[<>=!~ \[;]", requirement, 1)[0].lower().replace("_", "-")


def test_the_dependency_table_lists_pyprojects_dependencies():
    """"Dependencies and why" has one row per runtime dependency of pyproject.toml (and the standard library's
    SQLite), and the paragraph under it names each extra and every package of it (a docs audit, 2026-12-06)."""
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+, as test_packaging reads it
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    section = _readme_section("Dependencies and why")
    rows = [row.split("|")[1].strip() for row in section.splitlines() if row.startswith("| ")][1:]
    listed = {name.lower() for name in rows if "standard library" not in name}
    assert listed == {_requirement_name(r) for r in project["dependencies"]}
    extras = section[section.index("Extras:"):].lower()
    for extra, requirements in project["optional-dependencies"].items():
        assert f"`{extra}`" in extras, f"the extra {extra} is not described"
        for requirement in requirements:
            assert _requirement_name(requirement) in extras, f"{requirement} ({extra}) is not named"


def _synopses(doc: Path) -> list[tuple[str, str]]:
    """``(command, the rest)`` of each synopsis in ``doc``: a code line or span ``blurscan NAME ...`` giving an
    option in brackets (a code block's line continued on the lines under it that start with ``[``)."""
    lines = []
    for line in _commands_shown(doc):
        if lines and re.match(r"\s+\[", line):
            lines[-1] += " " + line.strip()
        else:
            lines.append(line)
    return [(m[1], m[2]) for line in lines for m in [re.search(r"blurscan ([a-z]+) (.*)", line)]
            if m and m[1] in main.commands and "[-" in m[2]]


def test_every_synopsis_gives_every_option_with_its_choices_and_defaults():
    """A synopsis (`blurscan scan PATH... [--db FILE] ...`) lists every option of its command, each list of
    choices (`--format table|jsonl|csv`) is the option's, and a number given as a value (`[--per-image 4]`, in
    docs/synth.md) is its default; so are the defaults of docs/bursts.md's option table (a docs audit,
    2026-12-06: the existing test checks only that each option shown exists)."""
    problems, seen = [], set()
    for doc in DOCS:
        for name, rest in _synopses(doc):
            seen.add(name)
            shown = set(re.findall(r"(?<![\w-])(--?[a-zA-Z][\w-]*)", rest))
            for param in main.commands[name].params:
                if not isinstance(param, click.Option) or param.hidden:
                    continue
                names = {*param.opts, *param.secondary_opts}
                if not names & shown:
                    problems.append(f"{doc.name}: blurscan {name}: {param.opts[-1]} not shown")
                for option in names & shown:
                    for value in re.findall(rf"(?<![\w-]){re.escape(option)} ([^\s\]]+)", rest):
                        if "|" in value and isinstance(param.type, click.Choice) \
                                and value.split("|") != list(param.type.choices):
                            problems.append(f"{doc.name}: blurscan {name} {option} {value}: {param.type.choices}")
                        if re.fullmatch(r"\d+(\.\d+)?", value) and float(value) != param.default:
                            problems.append(f"{doc.name}: blurscan {name} {option} {value}: default {param.default}")
    bursts = main.commands["bursts"]
    text = (ROOT / "docs" / "bursts.md").read_text()
    table = text[text.index("| option | default | meaning |"):]
    rows = [row.split("|")[1:3] for row in table[:table.index("\n\n")].splitlines()[2:]]
    for option, default in ((re.search(r"--[\w-]+", cell)[0], default.strip().strip("`"))
                            for cell, default in rows if "--" in cell):
        param = next(p for p in bursts.params if option in p.opts)
        if re.fullmatch(r"\d+(\.\d+)?", default) and float(default) != param.default:  # numbers; not `table`
            problems.append(f"bursts.md: {option} default {default}: {param.default}")
    assert seen >= {"scan", "report", "bursts", "synth", "train", "evaluate", "demo"} and not problems, problems


def test_the_readme_contents_line_links_every_section():
    """The README's "Contents:" line leads to each of its sections (`##`) after the first: the Troubleshooting
    section added on 2026-12-06 was in no line of it, so a new user reading the contents never learnt of it."""
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    contents = re.search(r"^Contents: (.*?)\n\n", readme, re.M | re.S).group(1)
    linked = set(re.findall(r"\]\(#([^)]+)\)", contents))
    sections = re.findall(r"^## (.*)$", re.sub(r"```.*?```", "", readme, flags=re.S), re.M)[1:]  # (not What it does)
    assert [s for s in sections if _slug(s) not in linked] == [], contents
