"""The docs' examples as a user runs them (the docexamples audit, 2026-12-06: every command line of the README
and docs/*.md run in a sandbox): an example that scans or cleans an ML dataset keeps its database outside it,
as the README advises, and moving a database out of a dataset, as the README says to, leaves nothing of
blurscan's in the dataset's root."""
from __future__ import annotations

import re
from pathlib import Path

from helpers_cli import run
from helpers_images import blurred, save_png, textured

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
DATASET = re.compile(r"~/dataset\b|(?<![\w/.-])data/(?:train|val)\b")
CLEANING = re.compile(r"\bblurscan (?:scan|report|review|move|trash|tag|undo|bursts)\b")


def _examples(text: str) -> list[str]:
    """Every command line of a code block, and every inline code span (joined across its line breaks)."""
    lines, prose, fenced = [], [], False
    for line in text.splitlines():
        if line.lstrip().startswith("```"):
            fenced = not fenced
        elif fenced:
            lines.append(line.lstrip().removeprefix("$ "))
        else:
            prose.append(line)
    return lines + [span.replace("\n", " ") for span in re.findall(r"`([^`]+)`", "\n".join(prose))]


def test_every_example_on_a_dataset_keeps_its_database_outside_it():
    """`find ~/dataset ... | blurscan scan --files-from - -0 -o new.jsonl` (README, In pipelines) wrote
    ~/dataset/.blurscan.db, where a data loader finds it and the scan reused nothing of a database kept outside
    with --db, as docs/jsonl.md's lines on the same ~/dataset keep it."""
    examples = [(doc, example) for doc in DOCS for example in _examples(doc.read_text())
                if CLEANING.search(example) and DATASET.search(example)]
    assert any("--files-from - -0" in example for _, example in examples)  # (the examples are still found)
    assert [f"{doc.relative_to(ROOT)}: {example}" for doc, example in examples if "--db" not in example] == []


def _moving_out_advice() -> str:
    text = ROOT.joinpath("README.md").read_text()
    start = text.index("A database an earlier\nscan left in the dataset")
    return text[start:text.index("\n\n", start)].replace("\n", " ")


def test_moving_the_database_out_of_a_dataset_as_the_readme_says_leaves_nothing_in_it(tmp_path):
    """The README's `mv data/train/.blurscan.db data/train.blurscan.db` and the files it says to delete: every
    other thing blurscan made in the dataset's root (the cleanup commands' lock, tag's hidden backups folder, a
    class to ImageFolder) is named there too (until 2026-12-06 only .blurscan-thumbs was)."""
    train = tmp_path / "data" / "train"
    for i in range(2):
        save_png(train / "cat" / f"img_{i}.png", textured(i))
        save_png(train / "dog" / f"img_{i}.png", blurred(textured(10 + i), 4.0))
    sidecar = ('<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
               '<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmp:Rating="3"/></rdf:RDF>'
               '</x:xmpmeta>\n')
    (train / "dog" / "img_0.png.xmp").write_text(sidecar)
    assert run("scan", train, "--workers", "1").exit_code == 0
    tagged = run("tag", "--xmp", "--min-p-blurry", "0", train)
    assert tagged.exit_code == 0, tagged.output
    moved = run("move", "--min-p-blurry", "0.5", "--to", tmp_path / "data" / "rejects", train, "--yes")
    assert moved.exit_code == 0 and "moved 2 photos" in moved.output, moved.output
    (train / ".blurscan.db").rename(tmp_path / "data" / "train.blurscan.db")
    undone = run("undo", "--db", tmp_path / "data" / "train.blurscan.db")  # the move (the tag batch kept)
    assert undone.exit_code == 0 and "batch 2: restored" in undone.output, undone.output
    left = {p.name for p in train.iterdir()} - {"cat", "dog"}
    assert ".blurscan.db.tag-backups" in left  # (the copies the tag batch's undo reads, where it wrote them)
    advice = _moving_out_advice()
    assert "mv data/train/.blurscan.db data/train.blurscan.db" in advice
    assert sorted(name for name in left if f"data/train/{name}" not in advice) == []
    undone = run("undo", "--db", tmp_path / "data" / "train.blurscan.db")  # the tag batch, from those copies
    assert undone.exit_code == 0 and "batch 1: restored" in undone.output, undone.output
    assert (train / "dog" / "img_0.png.xmp").read_text() == sidecar
