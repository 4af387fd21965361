import errno
import io
import json

import pytest

from pipeline.errors import UsageError
from pipeline.io.writers import ErrorLog, JsonlWriter, read_ids


def line(i):
    return (json.dumps({"id": f"d{i}", "text": "x"}) + "\n").encode()


def test_atomic_write_renames_only_on_success(tmp_path):
    out = tmp_path / "out.jsonl"
    writer = JsonlWriter(str(out)).open()
    writer.write(line(1))
    writer.close()  # not marked succeeded: output must not appear
    assert not out.exists() and (tmp_path / "out.jsonl.partial").exists()
    with JsonlWriter(str(out)) as writer:
        writer.write(line(2))
        writer.succeeded = True
    assert out.read_bytes() == line(2) and not (tmp_path / "out.jsonl.partial").exists()


def test_resume_repairs_a_cut_line_and_reads_ids(tmp_path):
    out = tmp_path / "out.jsonl"
    (tmp_path / "out.jsonl.partial").write_bytes(line(1) + line(2) + b'{"id": "d3", "te')
    with JsonlWriter(str(out), resume=True) as writer:
        assert writer.done_ids == {"d1", "d2"}
        writer.write(line(3))
        writer.succeeded = True
    assert out.read_bytes() == line(1) + line(2) + line(3)


def test_resume_continues_a_finished_output(tmp_path):
    out = tmp_path / "out.jsonl"
    out.write_bytes(line(1))
    with JsonlWriter(str(out), resume=True) as writer:
        assert writer.done_ids == {"d1"}
        writer.write(line(2))
        writer.succeeded = True
    assert list(read_ids(out)) == ["d1", "d2"]


def test_resume_to_stdout_is_refused():
    with pytest.raises(UsageError):
        JsonlWriter("-", resume=True).open()


def test_error_log_is_created_lazily_and_cleared_on_fresh_runs(tmp_path):
    path = tmp_path / "err.jsonl"
    path.write_text('{"id": "old"}\n')
    log = ErrorLog(str(path))
    assert not path.exists()
    log.write({"id": "e1", "stage": "json", "message": "m"})
    log.close()
    assert ErrorLog(str(path), resume=True).done_ids == {"e1"}


class FullDisk(io.RawIOBase):
    """A file on a disk that fills up after ``room`` bytes: writes are cut there, then fail with ENOSPC."""

    def __init__(self, path, mode, room):
        self.file = open(path, mode.replace("b", "") + "b", buffering=0)
        self.room = room

    def writable(self):
        return True

    def write(self, data):
        if self.room <= 0:
            raise OSError(errno.ENOSPC, "No space left on device")
        written = self.file.write(bytes(data[: self.room]))
        self.room -= written
        return written

    def fileno(self):
        return self.file.fileno()

    def close(self):
        self.file.close()
        super().close()


def test_a_full_disk_leaves_whole_lines_and_resume_finishes(tmp_path, monkeypatch):
    import pipeline.io.writers as writers

    out = tmp_path / "out.jsonl"
    room = len(line(1)) * 2 + 5  # the disk fills in the middle of the third line

    def open_on_full_disk(path, mode="r"):
        if mode in ("wb", "ab"):
            return io.BufferedWriter(FullDisk(path, mode, room), 8)
        return open(path, mode)

    monkeypatch.setattr(writers, "open", open_on_full_disk, raising=False)
    with pytest.raises(OSError):
        with JsonlWriter(str(out)) as writer:
            for i in range(5):
                writer.write(line(i))
                writer.flush()
            writer.succeeded = True
    monkeypatch.undo()
    assert not out.exists()
    assert (tmp_path / "out.jsonl.partial").read_bytes() == line(0) + line(1)  # the cut third line is gone
    with JsonlWriter(str(out), resume=True) as writer:
        assert writer.done_ids == {"d0", "d1"}
        writer.succeeded = True
