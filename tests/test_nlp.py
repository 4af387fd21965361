import pytest

from pipeline import load
from pipeline.document import Document
from pipeline.errors import ConfigError


def test_pipe_keeps_order_and_ids(nlp):
    docs = list(nlp.pipe(["Một.", "Hai.", "Ba."], batch_size=2))
    assert [d.id for d in docs] == ["0", "1", "2"] and [d.text for d in docs] == ["Một.", "Hai.", "Ba."]


def test_versions_recorded(nlp):
    doc = nlp("Xin chào.")
    assert doc.meta["vnpipe"] == "0.1.0"
    assert set(doc.meta["stages"]) == {"normalize", "sentences", "segment", "entities", "relations", "places", "slogans"}
    assert doc.meta["stages"]["slogans"].startswith("vnpipe_slogans/")
    assert doc.meta["stages"]["segment"].startswith("underthesea-")


def test_requested_stage_runs_missing_earlier_stages_only_once():
    normalize_only = load(stages=["normalize"])
    doc = normalize_only("A- A A+\n\nHội nghị.")
    assert doc.tokens == [] and set(doc.stages) == {"normalize"}
    segment_only = load(stages=["segment"])
    blocks_before = list(doc.blocks)
    doc.blocks[0].kind = "paragraph"  # a user's correction survives: normalize is not re-run
    segment_only(doc)
    assert doc.blocks[0].kind == "paragraph" and doc.blocks[1:] == blocks_before[1:]
    assert set(doc.stages) == {"normalize", "sentences", "segment"} and doc.tokens


def test_unknown_stage_is_a_config_error():
    with pytest.raises(ConfigError):
        load(stages=["entities-not-yet"])


def test_documents_round_trip_through_json(nlp):
    import orjson

    doc = nlp("Ủy ban nhân dân tỉnh họp.")
    again = Document.from_dict(orjson.loads(doc.to_json()))
    assert again.to_json() == doc.to_json()


def test_stage_versions_are_the_same_in_every_process():
    """Workers are separate processes with their own string hashing: versions must not depend on it."""
    import os
    import subprocess
    import sys

    code = "from pipeline import load; print(sorted(load().versions.items()))"
    outputs = {subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True,
                              env={**os.environ, "PYTHONHASHSEED": seed}).stdout for seed in ("1", "2")}
    assert len(outputs) == 1
