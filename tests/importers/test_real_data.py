"""Every entity of the real VLSP files survives the import. The expected counts are taken
straight from the source files (tag columns, ENAMEX depth), not through the importers."""
import re
import unicodedata
from collections import Counter

import pytest

from pipeline.importers import ImportStats, import_corpus
from pipeline.importers.vlsp2018 import tag_contents

from ..conftest import shared

pytestmark = pytest.mark.slow


def vlsp2016_expected(path) -> Counter:
    """B- tags plus I- tags that do not continue an entity of their label (the file has two)."""
    counts, previous = Counter(), "O"
    for line in path.read_text(encoding="utf-8").splitlines():
        tag = line.split("\t")[3] if line.strip() else "O"
        if tag.startswith("B-") or (tag.startswith("I-") and previous[2:] != tag[2:]):
            counts[tag[2:]] += 1
        previous = tag
    return counts


def test_vlsp2016_test_sentences_import_without_loss():
    path = shared("vlsp2016_ner/test.txt")
    stats = ImportStats()
    records = list(import_corpus("vlsp2016", [path], stats))
    sentences = len(re.findall(r"\n\n", path.read_text(encoding="utf-8").rstrip("\n") + "\n\n"))
    assert stats.documents == len(records) == sentences == 2831
    assert stats.lost_total == 0
    assert stats.entities == vlsp2016_expected(path)
    for record in records:
        for span in record["spans"]:
            surface = record["text"][span["start"] : span["end"]]
            assert surface == surface.strip() and surface


def depth_one_counts(raw: str) -> Counter:
    counts, depth = Counter(), 0
    for match in re.finditer(r'<ENAMEX TYPE="([A-Z]+)">|</ENAMEX>', raw):
        if match.group(1):
            counts[match.group(1)] += depth == 0
            depth += 1
        else:
            depth -= 1
    return counts


@pytest.mark.parametrize("folder", ["VLSP2018-NER-train-Jan14", "VLSP2018-NER-dev"])
def test_vlsp2018_documents_import_without_loss(folder):
    root = shared(f"vlsp2018_ner/{folder}")
    files = sorted(root.rglob("*.muc"))
    stats = ImportStats()
    records = {r["id"]: r for r in import_corpus("vlsp2018", [root], stats)}
    assert stats.documents == len(records) == len(files) and stats.lost_total == 0
    expected = Counter()
    for file in files:
        raw = file.read_text(encoding="utf-8")
        expected += depth_one_counts(raw)
        record = records[str(file.relative_to(root))]
        imported = [(s["label"], " ".join(record["text"][s["start"] : s["end"]].split())) for s in record["spans"]]
        assert imported == tag_contents(raw), file
    assert stats.entities == expected and +expected


def test_ud_conllu_tokens_cover_the_text():
    path = shared("ud_vtb")
    stats = ImportStats()
    for record in import_corpus("conllu", [path], stats):
        text = record["text"]
        assert "".join(text[s:e] for s, e in record["tokens"]).replace(" ", "") == text.replace(" ", "")
    assert stats.documents > 3000 and not stats.quirks
