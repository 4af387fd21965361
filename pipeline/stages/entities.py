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
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..config import resolve_path
from ..document import Document
from ..errors import ModelError
from ..tones import fold

if TYPE_CHECKING:
    from spacy.tokens import Span

SKIPPED_BLOCKS = frozenset({"boilerplate"})


def _trim_punctuation(ent: "Span") -> "Span | None":
    """An entity never starts or ends with a punctuation token ("huyện;" -> "huyện")."""
    from spacy.tokens import Span

    start, end = ent.start, ent.end
    doc = ent.doc
    while start < end and (doc[start].is_punct or doc[start].is_space):
        start += 1
    while end > start and (doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    if start == end:
        return None
    return ent if (start, end) == (ent.start, ent.end) else Span(doc, start, end, label=ent.label_)


class EntityRecognizer:
    name = "entities"

    def __init__(self, model_dir: Path, batch_size: int = 256):
        self.model_dir = model_dir
        self.batch_size = batch_size
        self._nlp = None
        self.version = f"vnpipe_ner/{self._meta_version()}"

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

            from .. import spacy_bridge  # noqa: F401  (registers vnpipe's tokenizer for spacy.load)

            self._nlp = spacy.load(self.model_dir)
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
            for ent in spacy_doc.ents:
                ent = _trim_punctuation(ent)
                if ent is None:
                    continue
                start, end = offset + ent.start_char, offset + ent.end_char
                text = doc.text[start:end]
                doc.entities.append({"start": start, "end": end, "label": ent.label_, "text": text, "norm": fold(text)})
        return docs


def create(settings: dict[str, Any], base_dir: Path) -> EntityRecognizer:
    return EntityRecognizer(resolve_path(settings.get("model", "../models/ner"), base_dir),
                            int(settings.get("batch_size", 256)))
