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

from pathlib import Path
from typing import Any

from ..admin_units import PlaceLinker, package_version
from ..document import Document
from .relations import position_parser

# the entities stage and, when present, the relations stage (for POSITION parts)
REQUIRES = ("entities",)


class PlaceTagger:
    name = "places"

    def __init__(self, parser):
        self.parser = parser
        self.linker = PlaceLinker()
        self.version = f"vnpipe-places/0.1.0+vietnamadminunits-{package_version()}"

    def __call__(self, docs: list[Document]) -> list[Document]:
        for doc in docs:
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
            for target, admin in zip(targets, self.linker.link(t["text"] for t in targets)):
                if admin:
                    target["admin"] = admin
        return docs


def create(settings: dict[str, Any], base_dir: Path) -> PlaceTagger:
    return PlaceTagger(position_parser(settings, base_dir))
