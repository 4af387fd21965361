"""relations: who holds which office, each office taken apart, and one record per person.

Reads the entities of each sentence and fills:

- ``relations``: ``{"label": "HOLDS", "head": i, "tail": j, "rule", "status"?}`` with ``head`` a
  PERSON and ``tail`` a POSITION index into ``entities`` (:mod:`pipeline.relation_rules`);
- on every POSITION entity: ``parts`` (``head``, ``organization``, ``place`` with offsets; a place
  left implicit is read from the document and marked ``inferred``), ``norm`` with abbreviations
  expanded, and ``status`` when a status word precedes it (:mod:`pipeline.positions`);
- ``people``: one record per person (:mod:`pipeline.people`), with the positions they hold.

>>> from pipeline import load
>>> doc = load()("Đồng chí K’Thanh - TUV, Bí thư Huyện uỷ huyện Đắk Song phát biểu.")
>>> [(p["name"], [q["text"] for q in p["positions"]]) for p in doc.people]
[('K’Thanh', ['TUV', 'Bí thư Huyện uỷ huyện Đắk Song'])]
"""
from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from ..config import resolve_path
from ..corpus import Rules
from ..document import Document
from ..errors import ConfigError
from ..people import group_mentions, person_key
from ..positions import PositionParser
from ..relation_rules import HoldsFinder
from ..resources import fingerprint, read_lines


class RelationTagger:
    name = "relations"

    def __init__(self, finder: HoldsFinder, parser: PositionParser, version_hash: str):
        self.finder = finder
        self.parser = parser
        self.version = f"vnpipe-relations/0.1.0+{version_hash}"

    def __call__(self, docs: list[Document]) -> list[Document]:
        for doc in docs:
            self._positions(doc)
            holds = self.finder.find(doc.text, doc.entities, [(s.start, s.end) for s in doc.sentences])
            doc.relations = []
            for h in holds:
                relation = {"label": "HOLDS", "head": h.person, "tail": h.position, "rule": h.rule}
                if h.status:
                    relation["status"] = h.status
                    doc.entities[h.position]["status"] = h.status
                doc.relations.append(relation)
            doc.people = self._people(doc)
        return docs

    def _positions(self, doc: Document) -> None:
        places_by_level = self._places_by_level(doc)
        for entity in doc.entities:
            if entity["label"] != "POSITION":
                continue
            parsed = self.parser.parse(entity["text"])
            parts: dict[str, Any] = {"head": parsed.head.shifted(entity["start"])}
            if parsed.organization:
                parts["organization"] = parsed.organization.shifted(entity["start"])
            if parsed.place:
                parts["place"] = parsed.place.shifted(entity["start"])
            elif parsed.level and len(places_by_level.get(parsed.level, ())) == 1:
                place = places_by_level[parsed.level][0]
                parts["place"] = {"start": place["start"], "end": place["end"], "text": place["text"], "inferred": True}
            entity["parts"] = parts
            entity["norm"] = parsed.norm

    def _places_by_level(self, doc: Document) -> dict[str, list[dict[str, Any]]]:
        """The document's distinct places of each level, told by their unit word ("huyện Đắk Song")."""
        found: dict[str, dict[str, dict[str, Any]]] = {}
        for entity in doc.entities:
            if entity["label"] == "LOCATION":
                level = self.parser.unit_level(entity["text"])
                if level:
                    found.setdefault(level, {}).setdefault(entity["norm"], entity)
        return {level: list(places.values()) for level, places in found.items()}

    @staticmethod
    def _people(doc: Document) -> list[dict[str, Any]]:
        persons = [i for i, e in enumerate(doc.entities) if e["label"] == "PERSON"]
        held: dict[int, list[dict[str, Any]]] = {}
        for relation in doc.relations:
            held.setdefault(relation["head"], []).append(relation)
        people = []
        for group in group_mentions([doc.entities[i]["text"] for i in persons]):
            mentions = [persons[g] for g in group]
            name = max((doc.entities[i]["text"] for i in mentions), key=lambda t: (len(t.split()), len(t)))
            positions: dict[str, dict[str, Any]] = {}  # one per distinct office (norm), first mention first
            for relation in sorted((r for i in mentions for r in held.get(i, [])), key=lambda r: r["tail"]):
                position = doc.entities[relation["tail"]]
                record = positions.setdefault(position["norm"], {"entity": relation["tail"], "text": position["text"],
                                                                 "norm": position["norm"], "entities": []})
                record["entities"].append(relation["tail"])
                if "status" in relation:
                    record.setdefault("status", relation["status"])
            people.append({"name": name, "norm": person_key(name), "mentions": mentions,
                           "positions": list(positions.values())})
        return people


def _terms(settings: dict[str, Any], base_dir: Path) -> dict[str, Any]:
    path = resolve_path(settings.get("positions", "positions.toml"), base_dir)
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as err:
        raise ConfigError(f"Cannot read {path} ({err})") from None


def position_parser(settings: dict[str, Any], base_dir: Path, terms: dict[str, Any] | None = None) -> PositionParser:
    """The title reader configured by a [relations]-style section (also used by the places stage)."""
    terms = terms if terms is not None else _terms(settings, base_dir)
    heads = list(terms.get("heads", []))
    for lexicon in settings.get("title_lexicons", []):
        heads.extend(read_lines(resolve_path(lexicon, base_dir)))
    places = [line for file in settings.get("places", []) for line in read_lines(resolve_path(file, base_dir))]
    return PositionParser(heads, terms.get("head_modifiers", []), terms.get("abbreviations", {}),
                          settings.get("unit_words", []), terms.get("levels", {}), places)


def create(settings: dict[str, Any], base_dir: Path) -> RelationTagger:
    terms = _terms(settings, base_dir)
    parser = position_parser(settings, base_dir, terms)
    heads = sorted(h for h in parser.heads)
    rules = Rules.load(resolve_path(settings.get("annotation_rules", "annotation_rules.toml"), base_dir))
    finder = HoldsFinder(rules.person_openers, terms.get("status_words", []))
    return RelationTagger(finder, parser, fingerprint([terms, heads, sorted(rules.person_openers)]))
