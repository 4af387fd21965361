"""Tiny annotated records written by hand, in the shape vnpipe run writes (docs/output-format.md)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.search import build_index


def record(doc_id: str, text: str, entities=(), people=(), slogans=(), admin=None, norms=None) -> dict:
    """A record whose spans are found by searching ``text`` for each surface string (first occurrence)."""
    ents = []
    for surface, label in entities:
        start = text.index(surface)
        norm = (norms or {}).get(surface, surface.lower())
        entity = {"start": start, "end": start + len(surface), "label": label, "text": surface, "norm": norm}
        if admin and surface in admin:
            entity["admin"] = admin[surface]
        ents.append(entity)
    ents.sort(key=lambda e: e["start"])
    index = {e["text"]: i for i, e in enumerate(ents)}
    persons = [{"name": name, "norm": name.lower(), "mentions": [index[name]],
                "positions": [{"entity": index[p], "text": p, "norm": ents[index[p]]["norm"], "entities": [index[p]]}
                              for p in offices]}
               for name, offices in people]
    slogs = []
    for surface, theme in slogans:
        start = text.index(surface)
        slogs.append({"start": start, "end": start + len(surface), "text": surface, "label": theme, "score": 0.9,
                      "rule": "quoted", "scores": {theme: 0.9}})
    return {"id": doc_id, "text": text, "blocks": [], "sentences": [], "tokens": [], "entities": ents,
            "relations": [], "slogans": slogs, "people": persons, "meta": {"vnpipe": "test"}}


DAK_SONG = {"huyện Đắk Song": {"level": "district", "name": "Huyện Đắk Song", "code": "665",
                               "province": {"name": "Tỉnh Đắk Nông", "code": "67"}, "system": "before_2025"}}

RECORDS = [
    record("trong",
           "Đồng chí Ngô Đức Trọng - Phó Bí thư Huyện ủy huyện Đắk Song phát biểu tại hội nghị. "
           "Phong trào “Đắk Nông chung sức xây dựng nông thôn mới” được triển khai rộng khắp.",
           entities=[("Ngô Đức Trọng", "PERSON"), ("Phó Bí thư Huyện ủy", "POSITION"), ("huyện Đắk Song", "LOCATION")],
           people=[("Ngô Đức Trọng", ["Phó Bí thư Huyện ủy"])],
           slogans=[("Đắk Nông chung sức xây dựng nông thôn mới", "new_rural")], admin=DAK_SONG),
    record("hoa",
           "Chủ tịch UBND tỉnh Bình Định Phạm Anh Tuấn làm việc với Uỷ ban nhân dân huyện Hoài Ân về hoà giải ở cơ sở.",
           entities=[("Chủ tịch UBND tỉnh Bình Định", "POSITION"), ("Phạm Anh Tuấn", "PERSON"),
                     ("Uỷ ban nhân dân huyện Hoài Ân", "ORGANIZATION")],
           people=[("Phạm Anh Tuấn", ["Chủ tịch UBND tỉnh Bình Định"])],
           norms={"Chủ tịch UBND tỉnh Bình Định": "chủ tịch ủy ban nhân dân tỉnh bình định"}),
    record("so",
           "Huyện Bù Đăng đẩy mạnh chuyển đổi số. Ông Trần Văn Mi, Bí thư Huyện ủy, yêu cầu các xã "
           "hưởng ứng phong trào “Toàn dân đoàn kết xây dựng đời sống văn hóa”.",
           entities=[("Huyện Bù Đăng", "LOCATION"), ("Trần Văn Mi", "PERSON"), ("Bí thư Huyện ủy", "POSITION")],
           people=[("Trần Văn Mi", ["Bí thư Huyện ủy"])],
           slogans=[("Toàn dân đoàn kết xây dựng đời sống văn hóa", "culture_society")]),
]


def write_jsonl(path: Path, records) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


@pytest.fixture
def annotated(tmp_path) -> Path:
    return write_jsonl(tmp_path / "annotated.jsonl", RECORDS)


@pytest.fixture
def db(tmp_path, annotated) -> Path:
    path = tmp_path / "search.sqlite"
    build_index([annotated], path, batch_size=2)
    return path
