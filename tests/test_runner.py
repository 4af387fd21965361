import json

import pytest

from pipeline.runner import PipelineSpec, run

SPEC = PipelineSpec()


def write_jsonl(path, texts):
    path.write_text("".join(json.dumps({"id": f"d{i}", "text": t}, ensure_ascii=False) + "\n" for i, t in enumerate(texts)),
                    encoding="utf-8")


def ids(path):
    return [json.loads(line)["id"] for line in path.read_text(encoding="utf-8").splitlines()]


TEXTS = [f"Văn bản số {i}. Ủy ban nhân dân xã họp lần thứ {i}." for i in range(12)]


def test_output_keeps_input_order_and_counts(tmp_path):
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    write_jsonl(src, TEXTS)
    summary = run([str(src)], str(out), spec=SPEC, batch_size=5)
    assert ids(out) == [f"d{i}" for i in range(12)]
    assert (summary.documents, summary.errors) == (12, 0)
    assert summary.syllables == sum(len(t.replace(".", " ").split()) for t in TEXTS)


def test_two_workers_give_the_same_bytes(tmp_path):
    src = tmp_path / "in.jsonl"
    write_jsonl(src, TEXTS)
    run([str(src)], str(tmp_path / "one.jsonl"), spec=SPEC, batch_size=3)
    run([str(src)], str(tmp_path / "two.jsonl"), spec=SPEC, batch_size=3, workers=2)
    assert (tmp_path / "one.jsonl").read_bytes() == (tmp_path / "two.jsonl").read_bytes()


def test_bad_documents_go_to_the_errors_file_and_the_rest_is_written(tmp_path):
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    src.write_bytes('{"id": "a", "text": "Một."}\nnot json\n'.encode() + b'{"id": "c", "text": "Ba \xff."}\n'
                    + '{"id": "d", "text": "Bốn."}\n'.encode())
    summary = run([str(src)], str(out), spec=SPEC)
    assert ids(out) == ["a", "d"]
    errors = [json.loads(line) for line in (tmp_path / "out.errors.jsonl").read_text().splitlines()]
    assert [(e["id"], e["stage"]) for e in errors] == [(f"{src}:2", "json"), (f"{src}:3", "decode")]
    assert all(e["source"] and e["message"] for e in errors)
    assert (summary.documents, summary.errors) == (2, 2)


def test_stage_failure_is_isolated_to_its_document(tmp_path, monkeypatch):
    from pipeline.stages import segment

    original = segment.Segmenter.segment

    def fragile(self, doc):
        if "BOOM" in doc.text:
            raise RuntimeError("simulated bug")
        return original(self, doc)

    monkeypatch.setattr(segment.Segmenter, "segment", fragile)
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    write_jsonl(src, ["Một.", "BOOM", "Ba."])
    summary = run([str(src)], str(out), spec=SPEC, batch_size=3)
    assert ids(out) == ["d0", "d2"]
    (error,) = [json.loads(line) for line in (tmp_path / "out.errors.jsonl").read_text().splitlines()]
    assert error["id"] == "d1" and error["stage"] == "segment" and "simulated bug" in error["message"]
    assert summary.errors == 1


def test_resume_skips_done_documents_and_finishes(tmp_path):
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    write_jsonl(src, TEXTS)
    full = tmp_path / "full.jsonl"
    run([str(src)], str(full), spec=SPEC)
    lines = full.read_bytes().splitlines(keepends=True)
    # a killed run: five complete lines and half of the sixth, never renamed
    (tmp_path / "out.jsonl.partial").write_bytes(b"".join(lines[:5]) + lines[5][:40])
    summary = run([str(src)], str(out), spec=SPEC, resume=True)
    assert summary.skipped == 5 and summary.documents == 7
    assert out.read_bytes() == full.read_bytes()


def test_interrupt_keeps_partial_output(tmp_path, monkeypatch):
    import pipeline.runner as runner

    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    write_jsonl(src, TEXTS)
    calls = {"n": 0}
    original = runner.process_records

    def interrupted(nlp, records):
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt
        return original(nlp, records)

    monkeypatch.setattr(runner, "process_records", interrupted)
    summary = run([str(src)], str(out), spec=SPEC, batch_size=4)
    assert summary.interrupted and summary.documents == 4
    assert not out.exists()
    assert len((tmp_path / "out.jsonl.partial").read_text().splitlines()) == 4


@pytest.mark.parametrize("content", [b"", b"\n\n", b"   "])
def test_empty_inputs(tmp_path, content):
    src = tmp_path / "empty.jsonl"
    src.write_bytes(content)
    summary = run([str(src)], str(tmp_path / "out.jsonl"), spec=SPEC)
    assert summary.documents == 0 and summary.errors == 0
    assert (tmp_path / "out.jsonl").read_bytes() == b""


def test_empty_txt_file_is_an_empty_document(tmp_path):
    src = tmp_path / "empty.txt"
    src.write_bytes(b"")
    out = tmp_path / "out.jsonl"
    run([str(src)], str(out), spec=SPEC)
    (record,) = [json.loads(line) for line in out.read_text().splitlines()]
    assert record["text"] == "" and record["tokens"] == [] and record["blocks"] == []


def test_five_megabyte_single_line(tmp_path):
    """A 5 MB line without a line break (a scraped page gone wrong) is annotated, not choked on."""
    word = "Hộinghịtổngkếtphongtràothiđuayêunướcnăm"  # one long "syllable" keeps the test fast
    line = " ".join([word] * (5_000_000 // (len(word) + 1))) + ". Kết thúc."
    src = tmp_path / "huge.txt"
    src.write_text(line, encoding="utf-8")
    assert src.stat().st_size >= 5_000_000
    out = tmp_path / "out.jsonl"
    summary = run([str(src)], str(out), spec=SPEC)
    assert summary.documents == 1 and summary.errors == 0
    record = json.loads(out.read_text(encoding="utf-8"))
    assert len(record["text"]) == len(line) and record["tokens"][-1]["text"] == "."


def test_a_full_disk_stops_the_run_resumably(tmp_path, monkeypatch):
    import errno

    from pipeline.errors import OutputError
    from pipeline.io.writers import JsonlWriter

    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    write_jsonl(src, TEXTS)
    original = JsonlWriter.write

    def write_until_full(self, line):
        if len(ids_in(self.target)) >= 3:
            original(self, line[:10])  # half a line reaches the disk, then it is full
            self.flush()
            raise OSError(errno.ENOSPC, "No space left on device")
        original(self, line)
        self.flush()

    monkeypatch.setattr(JsonlWriter, "write", write_until_full)
    with pytest.raises(OutputError) as error:
        run([str(src)], str(out), spec=SPEC, batch_size=5)
    assert "No space left" in error.value.message and "--resume" in error.value.hint
    assert ids(tmp_path / "out.jsonl.partial") == ["d0", "d1", "d2"]  # whole lines only
    monkeypatch.undo()
    summary = run([str(src)], str(out), spec=SPEC, resume=True)
    assert summary.skipped == 3 and ids(out) == [f"d{i}" for i in range(12)]


def ids_in(path):
    return path.read_bytes().splitlines() if path.exists() else []


def test_models_load_without_and_stay_out_of_the_garbage_collector(tmp_path, monkeypatch):
    import gc

    import pipeline.runner as runner

    monkeypatch.setattr(runner, "_MODELS_FROZEN", False)
    frozen = []
    monkeypatch.setattr(gc, "freeze", lambda: frozen.append(True))  # the real one would freeze pytest too
    src = tmp_path / "in.jsonl"
    write_jsonl(src, TEXTS)
    seen = []
    monkeypatch.setattr(runner, "_write_results", lambda *args: seen.append(gc.isenabled()))
    run([str(src)], str(tmp_path / "out.jsonl"), spec=SPEC, batch_size=5)
    assert frozen == [True]  # once, not per batch
    assert seen == [True, True, True] and gc.isenabled()  # off only while the models loaded


def test_the_collector_comes_back_on_when_no_document_loaded_the_models(tmp_path):
    import gc

    src = tmp_path / "in.jsonl"
    write_jsonl(src, [])
    run([str(src)], str(tmp_path / "out.jsonl"), spec=SPEC)
    assert gc.isenabled()
