import gzip
import json
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import pipeline
from pipeline.errors import NotAnIndex
from pipeline.search import build_index, search
from pipeline.search.build import IndexStats, index_records
from pipeline.search.schema import create_or_open, open_index

from .conftest import RECORDS, record, write_jsonl


def counts(db):
    conn = open_index(db)
    tables = ("documents", "entities", "people", "positions", "places", "slogans")
    return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}


def test_build_counts(db):
    assert counts(db) == {"documents": 3, "entities": 9, "people": 3, "positions": 3, "places": 2, "slogans": 2}


def test_reindexing_an_id_replaces_it(tmp_path, db):
    before = counts(db)
    stats = build_index([write_jsonl(tmp_path / "again.jsonl", RECORDS)], db)
    assert stats.replaced == 3 and counts(db) == before
    changed = record("trong", "Bà Lê Thị Hoa dự hội nghị ở xã Nam Đà.", entities=[("Lê Thị Hoa", "PERSON")],
                     people=[("Lê Thị Hoa", [])])
    build_index([write_jsonl(tmp_path / "changed.jsonl", [changed])], db)
    assert [h.id for h in search(db, "le thi hoa")] == ["trong"]
    assert search(db, "ngo duc trong") == []  # the old text, entities and people are gone
    assert search(db, "phát biểu") == []      # ... and its full-text entry
    assert counts(db)["documents"] == 3


def test_same_id_twice_in_one_batch(tmp_path):
    first = record("x", "Ông Ngô Đức Trọng.", entities=[("Ngô Đức Trọng", "PERSON")])
    second = record("x", "Ông Trần Văn Mi.", entities=[("Trần Văn Mi", "PERSON")])
    db = tmp_path / "s.sqlite"
    stats = build_index([write_jsonl(tmp_path / "a.jsonl", [first, second])], db, batch_size=10)
    assert stats.replaced == 1 and counts(db)["documents"] == 1 and counts(db)["entities"] == 1
    assert search(db, "tran van mi") and not search(db, "ngo duc trong")


def test_bad_lines_are_skipped_and_reported(tmp_path):
    path = tmp_path / "a.jsonl.gz"
    lines = [json.dumps(RECORDS[0], ensure_ascii=False), "not json", '{"id": 3}', "", json.dumps(RECORDS[1])]
    with gzip.open(path, "wt", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    stats = build_index([path], tmp_path / "s.sqlite", workers=2)  # problems come back from the helper too
    assert (stats.documents, stats.skipped) == (2, 2)
    assert ":2: not JSON" in stats.problems[0] and ":3: not an annotated record" in stats.problems[1]


def test_malformed_entities_are_left_out(tmp_path):
    bad = record("x", "Ông Trần Văn Mi và bà Lê Thị Hoa.", entities=[("Trần Văn Mi", "PERSON"), ("Lê Thị Hoa", "PERSON")])
    del bad["entities"][1]["start"]
    bad["entities"].append("not an entity")
    db = tmp_path / "s.sqlite"
    assert build_index([write_jsonl(tmp_path / "a.jsonl", [bad])], db).documents == 1
    assert counts(db)["entities"] == 1 and [h.id for h in search(db, "tran van mi")] == ["x"]


def test_an_error_mid_batch_keeps_the_finished_batches(tmp_path):
    db = tmp_path / "s.sqlite"

    def records():
        yield from RECORDS[:2]          # batch 1: committed
        yield RECORDS[2]                # batch 2: never finished
        raise RuntimeError("disk on fire")

    conn = create_or_open(db)
    with pytest.raises(RuntimeError):
        index_records(conn, records(), IndexStats(), batch_size=2)
    conn.close()
    assert counts(db)["documents"] == 2
    assert [h.id for h in search(db, "ngo duc trong")] == ["trong"] and search(db, "tran van mi") == []
    build_index([write_jsonl(tmp_path / "all.jsonl", RECORDS)], db)  # running again completes it
    assert counts(db)["documents"] == 3


def test_a_killed_build_leaves_a_usable_index(tmp_path):
    """The process dies (no rollback, no close) in the middle of its second batch."""
    db = tmp_path / "s.sqlite"
    script = textwrap.dedent(f"""
        import os
        from pipeline.search.build import IndexStats, index_records
        from pipeline.search.schema import create_or_open
        from tests.search.conftest import RECORDS

        def records():
            yield from RECORDS[:2]
            yield RECORDS[2]
            os._exit(9)  # like kill -9: nothing is cleaned up

        index_records(create_or_open({str(db)!r}), records(), IndexStats(), batch_size=2)
    """)
    repo = Path(pipeline.__file__).resolve().parents[1]  # the checkout under test, for `-c` imports
    result = subprocess.run([sys.executable, "-c", script], cwd=repo, capture_output=True, text=True)
    assert result.returncode == 9, result.stderr
    assert counts(db)["documents"] == 2
    assert [h.id for h in search(db, "Phạm Anh Tuấn")] == ["hoa"]


def test_an_index_from_another_fold_version_is_refused(db):
    conn = sqlite3.connect(db)
    conn.execute("UPDATE info SET value = 'old' WHERE key = 'fold'")
    conn.commit()
    conn.close()
    with pytest.raises(NotAnIndex, match="another vnpipe version"):
        search(db, "x")
    with pytest.raises(NotAnIndex):
        build_index([], db)


def test_helper_processes_change_nothing(tmp_path, annotated):
    dumps = []
    for workers in (1, 3):
        db = tmp_path / f"w{workers}.sqlite"
        build_index([annotated, annotated], db, batch_size=2, workers=workers)  # twice: replacements too
        conn = open_index(db)
        dumps.append([conn.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall()
                      for t in ("documents", "names", "entities", "people", "positions", "places", "slogans")])
    assert dumps[0] == dumps[1]


def test_a_finished_index_is_one_file(tmp_path, db):
    assert sorted(p.name for p in tmp_path.glob("search.sqlite*")) == ["search.sqlite"]
    assert open_index(db).execute("PRAGMA journal_mode").fetchone()[0] == "delete"


def test_a_finished_index_is_readable_without_write_access(tmp_path, db):
    import os
    import stat

    os.chmod(db, stat.S_IRUSR)
    os.chmod(tmp_path, stat.S_IRUSR | stat.S_IXUSR)
    try:
        if os.access(db, os.W_OK):
            pytest.skip("running as a user who can write anyway (root)")
        assert [h.id for h in search(db, "ngo duc trong")] == ["trong"]
    finally:
        os.chmod(tmp_path, stat.S_IRWXU)
        os.chmod(db, stat.S_IRUSR | stat.S_IWUSR)


def test_a_locked_index_is_a_typed_error(tmp_path, db, annotated):
    from pipeline.errors import IndexBusy

    other = sqlite3.connect(db, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")  # another writer holds it
    try:
        import pipeline.search.schema as schema

        original = schema._connect

        def impatient(path):
            conn = original(path)
            conn.execute("PRAGMA busy_timeout = 50")
            return conn

        schema._connect = impatient
        try:
            with pytest.raises(IndexBusy, match="locked by another process"):
                build_index([annotated], db, workers=1)
        finally:
            schema._connect = original
    finally:
        other.execute("ROLLBACK")
