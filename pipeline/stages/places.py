"""places: LOCATION entities, and the places named inside titles and bodies, linked to
administrative units before and after the 2025 reorganisation (:mod:`pipeline.admin_units`).

Each linked place gets ``admin``: ``{"level", "name", "code", "province", "district"?,
"system", "successor"?}`` — ``system`` is ``before_2025`` or ``from_2025``, and a unit of the
old system carries its 2025 ``successor`` (province, and ward where the data has one). A
name several units share, that the document's other places cannot settle, gets
``{"candidates": [...], "ambiguous": n}`` instead. A POSITION's place is linked in
``parts.place.admin``; an ORGANIZATION's in ``place`` (``{"start","end","text","admin"}``).

>>> from pipeline import load
>>> doc = load(stages=["places"])("UBND huyện Đắk Song (Đắk Nông) họp với xã Đắk N’Drung.")
>>> [(e["text"], e["admin"]["code"]) for e in doc.entities if "admin" in e]
[('Đắk Nông', '67'), ('xã Đắk N’Drung', '24727')]
"""
from __future__ import annotations

import re
from bisect import bisect_right
from pathlib import Path
from typing import Any

from ..admin_units import PlaceLinker, package_version
from ..document import Document
from .relations import position_parser

# the entities stage and, when present, the relations stage (for POSITION parts)
REQUIRES = ("entities",)


class PlaceTagger:
    name = "places"

    def __init__(self, parser, aliases: dict[str, str] | None = None, area_words: list[str] | None = None):
        self.parser = parser
        self.linker = PlaceLinker(aliases)
        words = sorted((re.escape(w) for w in area_words or []), key=len, reverse=True)
        self.area_before = re.compile(r"(?:^|\W)(?:" + "|".join(words) + r")\s+$", re.IGNORECASE) if words else None
        self.version = f"vnpipe-places/0.1.0+vietnamadminunits-{package_version()}"

    def _with_list_unit(self, text: str, target: dict[str, Any], locations: list[dict[str, Any]],
                        ends: list[int]) -> str:
        if self.parser.unit_level(target["text"]):
            return target["text"]
        unit = _list_unit(text, target["start"], locations, bisect_right(ends, target["start"]))
        return f"{unit} {target['text']}" if unit else target["text"]

    def __call__(self, docs: list[Document]) -> list[Document]:
        for doc in docs:
            locations = [e for e in doc.entities if e["label"] == "LOCATION"]
            targets: list[dict[str, Any]] = []  # dicts that receive "admin", in document order
            for entity in doc.entities:
                if entity["label"] == "LOCATION":
                    targets.append(entity)
                elif entity["label"] == "POSITION" and "place" in entity.get("parts", {}):
                    if not entity["parts"]["place"].get("inferred"):
                        targets.append(entity["parts"]["place"])
                elif entity["label"] == "ORGANIZATION":
                    place = self.parser.place_in(entity["text"])
                    if place:
                        entity["place"] = place.shifted(entity["start"])
                        targets.append(entity["place"])
            ends = [t["end"] for t in locations]  # in text order, like the entities
            names = [self._with_list_unit(doc.text, t, locations, ends) for t in targets]
            for target, admin in zip(targets, self.linker.link(names, doc.text, doc.meta.get("date"))):
                if admin and not self._is_area(doc.text, target):
                    target["admin"] = admin
        return docs

    def _is_area(self, text: str, target: dict[str, Any]) -> bool:
        """A bare name after "khu vực" is the area around a place, not the unit."""
        return bool(self.area_before and not self.parser.unit_level(target["text"])
                    and self.area_before.search(text, max(0, target["start"] - 25), target["start"]))


_LIST_UNIT = re.compile(r"các\s+(xã|phường|thị trấn|huyện|quận|thị xã|tỉnh|thành phố)\s+$", re.IGNORECASE)
_LIST_GAP = re.compile(r"^[\s,;]*(?:và|,)?[\s,]*$")


def _list_unit(text: str, start: int, locations: list[dict[str, Any]], before: int) -> str | None:
    """The unit word of a list a bare place belongs to: "các xã Đạ Sar, Đưng K’Nớ, Lát" -> "xã".
    ``locations[:before]`` are the places that end before ``start``."""
    for k in range(before - 1, -1, -1):  # step back over the earlier items of the list
        if not _LIST_GAP.match(text[locations[k]["end"]:start]):
            break
        start = locations[k]["start"]
    match = _LIST_UNIT.search(text, max(0, start - 20), start)
    return match.group(1).lower() if match else None


def create(settings: dict[str, Any], base_dir: Path) -> PlaceTagger:
    return PlaceTagger(position_parser(settings, base_dir), settings.get("aliases"), settings.get("area_words"))
