"""entities: PERSON, POSITION, ORGANIZATION, LOCATION with a trained spaCy model.

Each sentence of a content block becomes a spaCy Doc made of vnpipe's own words
(:mod:`pipeline.spacy_bridge`), so entity edges always fall on word edges and
offsets map straight back to the document text. Boilerplate blocks are skipped.
The model loads lazily, on the first batch; ``models/ner`` is rebuilt by
``vnpipe train ner``.

>>> from pipeline import load
>>> doc = load()("Đồng chí Ngô Đức Trọng - Phó Bí thư Huyện ủy phát biểu.")
>>> sorted({e["label"] for e in doc.entities}) >= ["PERSON"]
True
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..config import resolve_path
from ..document import Document
from ..errors import ConfigError, ModelError
from ..lexicon import phrase_key
from ..resources import fingerprint, read_lines
from ..tones import fold

if TYPE_CHECKING:
    from spacy.tokens import Span

SKIPPED_BLOCKS = frozenset({"boilerplate"})


_PAIRS = {"“": "”", "\"": "\"", "«": "»", "‘": "’", "(": ")", "[": "]"}


def _trim_punctuation(ent: "Span") -> "Span | None":
    """An entity never starts or ends with punctuation ("huyện;" -> "huyện"), and an entity
    that opens a quote or bracket without closing it ("Phòng trào “Đắk Nông") is dropped."""
    from spacy.tokens import Span

    start, end = ent.start, ent.end
    doc = ent.doc
    while start < end and (doc[start].is_punct or doc[start].is_space):
        start += 1
    while end > start and (doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    if start == end:
        return None
    inside = [t.text for t in doc[start:end]]
    for opener, closer in _PAIRS.items():
        if opener == closer:
            if inside.count(opener) % 2:
                return None
        elif inside.count(opener) != inside.count(closer):
            return None
    return ent if (start, end) == (ent.start, ent.end) else Span(doc, start, end, label=ent.label_)


def clean_entities(doc):
    """spaCy component between the model and the gazetteer (so the gazetteer can fill what is dropped)."""
    doc.ents = [span for span in (_trim_punctuation(e) for e in doc.ents) if span is not None]
    return doc


def _phrase_keys(paths: list[str], base_dir: Path) -> set[str]:
    """Token norms of every line of the given resource files."""
    return {phrase_key(line) for path in paths for line in read_lines(resolve_path(path, base_dir))}


def gazetteer_patterns(settings: dict[str, Any], base_dir: Path) -> list[dict[str, Any]]:
    """EntityRuler token patterns for LOCATION, matched on vnpipe norms (tone- and case-folded).

    - a unit word followed by a known place name: "huyện Đắk Song", "TP. Hồ Chí Minh";
    - a capitalised province, country or world-city name alone: "Đắk Nông", "Trung Quốc".
    """
    places = _phrase_keys(settings.get("gazetteer_places", []), base_dir)
    bare = _phrase_keys(settings.get("gazetteer_bare", []), base_dir)
    bare -= {phrase_key(n) for n in settings.get("gazetteer_bare_exclude", [])}
    units = sorted({phrase_key(u) for u in settings.get("unit_words", [])})
    if not (places or bare):
        return []
    return [
        {"label": "LOCATION", "pattern": [{"NORM": {"IN": units}}, {"NORM": {"IN": sorted(places | bare)}}]},
        {"label": "LOCATION", "pattern": [{"NORM": {"IN": sorted(bare)}, "IS_LOWER": False}]},
    ]


@dataclass(frozen=True)
class HonorificNames:
    """A capitalised run right after an honorific is a person's name ("chị Minh", "ông Trần Văn An").

    Applied after the model, only where it found nothing; the run stops at the first
    token that is not capitalised or is a known title/organisation word ("ông Bí thư").
    """

    honorifics: frozenset[str]
    not_names: frozenset[str]
    max_tokens: int = 4

    def add_to(self, spacy_doc) -> None:
        from spacy.tokens import Span
        from spacy.util import filter_spans

        taken = {i for ent in spacy_doc.ents for i in range(ent.start, ent.end)}
        found = []
        i, n = 0, len(spacy_doc)
        while i < n - 1:
            if spacy_doc[i].norm_ in self.honorifics and i not in taken:
                j = i + 1
                while (j < n and j - i <= self.max_tokens and j not in taken and spacy_doc[j].text[:1].isupper()
                       and spacy_doc[j].norm_ not in self.not_names and not spacy_doc[j].is_punct):
                    j += 1
                if j > i + 1:
                    found.append(Span(spacy_doc, i + 1, j, label="PERSON"))
                    i = j
                    continue
            i += 1
        if found:
            spacy_doc.ents = filter_spans(list(spacy_doc.ents) + found)


class EntityRecognizer:
    name = "entities"

    def __init__(self, model_dir: Path, batch_size: int = 256, gazetteer: list[dict[str, Any]] | None = None,
                 gazetteer_mode: str = "fill", honorific_names: HonorificNames | None = None):
        self.model_dir = model_dir
        self.batch_size = batch_size
        self.gazetteer = gazetteer or []
        self.gazetteer_mode = gazetteer_mode
        self.honorific_names = honorific_names
        self._nlp = None
        self.version = f"vnpipe_ner/{self._meta_version()}"
        if self.gazetteer and gazetteer_mode != "none":
            self.version += f"+gazetteer-{gazetteer_mode}-{fingerprint(self.gazetteer)}"
        if honorific_names:
            self.version += f"+honorifics-{fingerprint(sorted(honorific_names.honorifics))}"

    def _meta_version(self) -> str:
        meta_path = self.model_dir / "meta.json"
        if not meta_path.is_file():
            raise ModelError(
                f"NER model not found: {self.model_dir}",
                hint="Train it with `vnpipe train ner`, or point entities.model in configs/pipeline.cfg at a model",
            )
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        corpus = meta.get("vnpipe", {}).get("corpus_sha256", "unknown")
        return f"{meta.get('version', '0.0.0')}+corpus-{corpus[:8]}"

    @property
    def nlp(self):
        if self._nlp is None:
            import spacy
            from spacy.language import Language

            from .. import spacy_bridge  # noqa: F401  (registers vnpipe's tokenizer for spacy.load)

            nlp = spacy.load(self.model_dir)
            if "vnpipe_clean_entities" not in Language.factories:
                Language.component("vnpipe_clean_entities", func=clean_entities)
            nlp.add_pipe("vnpipe_clean_entities", last=True)
            if self.gazetteer and self.gazetteer_mode != "none":
                # after the model: "fill" only labels what the model left alone, "override" wins over it
                ruler = nlp.add_pipe("entity_ruler", name="vnpipe_gazetteer", last=True,
                                     config={"overwrite_ents": self.gazetteer_mode == "override", "validate": False})
                ruler.add_patterns(self.gazetteer)
            self._nlp = nlp
        return self._nlp

    def __call__(self, docs: list[Document]) -> list[Document]:
        from ..spacy_bridge import to_spacy_doc

        nlp = self.nlp
        jobs = []  # (document, sentence start, spaCy doc)
        for doc in docs:
            doc.entities = []
            skipped = [(b.start, b.end) for b in doc.blocks if b.kind in SKIPPED_BLOCKS]
            for sentence in doc.sentences:
                if any(s <= sentence.start and sentence.end <= e for s, e in skipped):
                    continue
                spacy_doc, _ = to_spacy_doc(nlp.vocab, doc, sentence.start, sentence.end)
                jobs.append((doc, sentence.start, spacy_doc))
        annotated = nlp.pipe((job[2] for job in jobs), batch_size=self.batch_size)
        for (doc, offset, _), spacy_doc in zip(jobs, annotated):
            if self.honorific_names:
                self.honorific_names.add_to(spacy_doc)
            for ent in spacy_doc.ents:
                start, end = offset + ent.start_char, offset + ent.end_char
                text = doc.text[start:end]
                doc.entities.append({"start": start, "end": end, "label": ent.label_, "text": text, "norm": fold(text)})
        return docs


def honorific_names(settings: dict[str, Any], base_dir: Path) -> HonorificNames | None:
    honorifics = settings.get("honorifics", [])
    if not honorifics:
        return None
    not_names = _phrase_keys(settings.get("not_names", []), base_dir)
    return HonorificNames(frozenset(phrase_key(h) for h in honorifics), frozenset(not_names))


def create(settings: dict[str, Any], base_dir: Path) -> EntityRecognizer:
    mode = str(settings.get("gazetteer_mode", "fill"))
    if mode not in ("fill", "override", "none"):
        raise ConfigError(f"entities.gazetteer_mode must be fill, override or none, not {mode!r}")
    return EntityRecognizer(
        resolve_path(settings.get("model", "../models/ner"), base_dir),
        int(settings.get("batch_size", 256)),
        gazetteer_patterns(settings, base_dir) if mode != "none" else [],
        mode,
        honorific_names(settings, base_dir),
    )
