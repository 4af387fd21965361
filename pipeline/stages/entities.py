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
from typing import Any

from ..config import resolve_path
from ..document import Document
from ..entity_rules import (HEADS_FILE, TAILS_FILE, BodyPlaces, Cue, CuedNames, GivenNames, NameRepair, PlaceGazetteer,
                            PlaceHeads, SpanRules, SpanTails, Words, clean_entities, phrase_keys, place_gazetteer,
                            word_keys)
from ..errors import ConfigError
from ..lexicon import phrase_key
from ..resources import fingerprint, read_model_meta
from ..tones import canonical_text, fold

SKIPPED_BLOCKS = frozenset({"boilerplate"})


class EntityRecognizer:
    name = "entities"

    def __init__(self, model_dir: Path, batch_words: int = 2000, gazetteer: PlaceGazetteer | None = None,
                 cued_names: CuedNames | None = None,
                 span_rules: SpanRules | None = None, given_names: GivenNames | None = None,
                 name_repair: NameRepair | None = None, span_tails: SpanTails | None = None,
                 place_heads: PlaceHeads | None = None, body_places: BodyPlaces | None = None):
        self.model_dir = model_dir
        self.batch_words = batch_words
        self.gazetteer = gazetteer
        self.cued_names = cued_names
        self.span_rules = span_rules
        self.given_names = given_names
        self.name_repair = name_repair
        self.span_tails = span_tails
        self.place_heads = place_heads
        self.body_places = body_places
        self._nlp = None
        self.version = f"vnpipe_ner/{self._meta_version()}"
        if gazetteer:
            mode = "override" if gazetteer.override else "fill"
            self.version += f"+gazetteer-{mode}-{fingerprint(gazetteer)}"
        # each rule in use, with a hash of its word lists: a changed list is a new version
        rules = {"cues": cued_names, "given": given_names, "rules": span_rules, "names": name_repair,
                 "tails": span_tails.seen if span_tails else None, "heads": place_heads, "bodies": body_places}
        self.version += "".join(f"+{tag}-{fingerprint(rule)}" for tag, rule in rules.items() if rule)

    def _annotate(self, nlp, spacy_docs: list):
        """Run the model over batches of at most ``batch_words`` words: its peak memory grows with
        the words of a batch (~14 KB each in the tok2vec), so a batch of long sentences must not
        set the run's peak."""
        batch: list = []
        words = 0
        for spacy_doc in spacy_docs:
            if batch and words + len(spacy_doc) > self.batch_words:
                yield from nlp.pipe(batch, batch_size=len(batch))
                batch, words = [], 0
            batch.append(spacy_doc)
            words += len(spacy_doc)
        if batch:
            yield from nlp.pipe(batch, batch_size=len(batch))

    def _meta_version(self) -> str:
        meta = read_model_meta(self.model_dir, "NER", "vnpipe train ner", "entities.model")
        trained = meta.get("vnpipe", {})
        corpus = trained.get("corpus_sha256", "unknown")
        # two models of one corpus (models/ner, models/ner_fast) differ by their config
        config = trained.get("config_sha256", "unknown")
        return f"{meta.get('version', '0.0.0')}+corpus-{corpus[:8]}+config-{config[:8]}"

    @property
    def nlp(self):
        if self._nlp is None:
            from .. import spacy_bridge  # first: it imports spaCy, and registers vnpipe's tokenizer for spacy.load

            import spacy
            from spacy.language import Language

            nlp = spacy.load(self.model_dir)
            spacy_bridge.compute_only_model_attributes(nlp)
            spacy_bridge.fold_embedding_mixers(nlp)
            spacy_bridge.fuse_window_encoders(nlp)
            common = self.model_dir / spacy_bridge.COMMON_WORDS_FILE
            if common.is_file():  # a speed-up only: the lexemes are the same either way
                spacy_bridge.keep_lexemes(nlp.vocab, json.loads(common.read_text(encoding="utf-8")))
            if "vnpipe_clean_entities" not in Language.factories:
                Language.component("vnpipe_clean_entities", func=clean_entities)
            nlp.add_pipe("vnpipe_clean_entities", last=True)
            self._nlp = nlp
        return self._nlp

    def __call__(self, docs: list[Document]) -> list[Document]:
        from ..spacy_bridge import stretches, to_spacy_doc

        nlp = self.nlp
        # strings and lexemes of this batch's words are freed when it is done: memory stays flat
        # over millions of documents (spaCy's vocabulary otherwise grows with every new word)
        with nlp.memory_zone():
            jobs = []  # (document, sentence start, spaCy doc, its words)
            for doc in docs:
                doc.entities = []
                skipped = [(b.start, b.end) for b in doc.blocks if b.kind in SKIPPED_BLOCKS]
                for sentence in doc.sentences:
                    if any(s <= sentence.start and sentence.end <= e for s, e in skipped):
                        continue
                    for start, end in stretches(doc, sentence.start, sentence.end, self.batch_words):
                        spacy_doc, texts, norms = to_spacy_doc(nlp.vocab, doc, start, end)
                        jobs.append((doc, start, spacy_doc, Words(texts, norms)))
            annotated = self._annotate(nlp, [job[2] for job in jobs])
            for (doc, offset, _, words), spacy_doc in zip(jobs, annotated):
                if self.gazetteer:  # after the model's clean-up, before the cue rules (as an entity_ruler was)
                    self.gazetteer.add_to(spacy_doc, words)
                if self.cued_names:
                    self.cued_names.add_to(spacy_doc, words)
                if self.given_names:
                    self.given_names.add_to(spacy_doc, words)
                for ent in spacy_doc.ents:
                    start, end, label = offset + ent.start_char, offset + ent.end_char, ent.label_
                    if self.span_rules:
                        refined = self.span_rules.refine(doc.text, start, end, label)
                        if refined is None:
                            continue
                        start, end, label = refined
                    if self.span_tails:
                        end = self.span_tails.trim(doc.text, start, end, label)
                    if self.place_heads:
                        low = max(offset, doc.entities[-1]["end"] if doc.entities else 0)
                        start, label = self.place_heads.extend(doc.text, start, label, low)
                    doc.entities.append({"start": start, "end": end, "label": label})
        for doc in docs:
            if self.body_places:
                doc.entities = self.body_places.apply(doc.text, doc.entities)
            if self.name_repair:
                doc.entities = self.name_repair.apply(doc.text, doc.entities)
            for entity in doc.entities:
                entity["text"] = doc.text[entity["start"]:entity["end"]]
                entity["norm"] = fold(entity["text"])
        return docs


def cued_names(settings: dict[str, Any], base_dir: Path) -> CuedNames | None:
    """Cue words from the config: ``honorifics`` cue PERSON runs, ``country_cues`` cue one
    of the ``countries_short`` names ("sang Nhật")."""
    cues = []
    if settings.get("honorifics"):
        cues.append(Cue("PERSON", word_keys(settings, "honorifics")))
    if settings.get("country_cues") and settings.get("countries_short"):
        names = phrase_keys(settings["countries_short"], base_dir)
        cues.append(Cue("LOCATION", word_keys(settings, "country_cues"), frozenset(names), 1))
    if not cues:
        return None
    return CuedNames(tuple(cues), frozenset(phrase_keys(settings.get("not_names", []), base_dir)))


def span_rules(settings: dict[str, Any], base_dir: Path) -> SpanRules | None:
    if not settings.get("span_rules", True):
        return None
    return SpanRules(
        honorifics=frozenset(phrase_key(h) for h in settings.get("honorifics", []) if " " not in h),
        surnames=frozenset(phrase_keys(settings.get("surnames", []), base_dir)),
        known_places=_known_places(settings, base_dir),
        place_words=word_keys(settings, "place_words"),
        title_starts=frozenset(phrase_keys(settings.get("title_words", []), base_dir)),
        body_starts=frozenset(phrase_keys(settings.get("body_words", []), base_dir)),
        countries_short=frozenset(phrase_keys(settings.get("countries_short", []), base_dir)),
        function_words=frozenset(phrase_keys(settings.get("function_words", []), base_dir)),
        language_cues=word_keys(settings, "language_cues"),
        plural_words=word_keys(settings, "plural_words"),
        unit_words=word_keys(settings, "unit_words"),
    )


def name_repair(settings: dict[str, Any], base_dir: Path) -> NameRepair | None:
    if not settings.get("name_repair", True):
        return None
    return NameRepair(
        surnames=frozenset(phrase_keys(settings.get("surnames", []), base_dir)),
        given=frozenset(phrase_keys(settings.get("given_names", []) + settings.get("clan_names", []), base_dir)),
        honorifics=word_keys(settings, "honorifics"),
        known_places=_known_places(settings, base_dir),
        named_after=tuple(canonical_text(w) for w in settings.get("named_after", [])),
    )


def _known_places(settings: dict[str, Any], base_dir: Path) -> frozenset[str]:
    """Every gazetteer place: a name that is one of them is not taken for a person."""
    return frozenset(phrase_keys(settings.get("gazetteer_places", []) + settings.get("gazetteer_bare", []), base_dir))


def _learnt(settings: dict[str, Any], key: str, model_dir: Path, filename: str) -> Any:
    """What ``vnpipe train ner`` learnt next to the model for rule ``key`` (None: off, or a model without it)."""
    path = model_dir / filename
    if not settings.get(key, True) or not path.is_file():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def span_tails(settings: dict[str, Any], model_dir: Path) -> SpanTails | None:
    tails = _learnt(settings, "span_tails", model_dir, TAILS_FILE)
    return SpanTails({label: frozenset(found) for label, found in tails.items()}) if tails is not None else None


def place_heads(settings: dict[str, Any], model_dir: Path) -> PlaceHeads | None:
    words = _learnt(settings, "place_heads", model_dir, HEADS_FILE)
    return PlaceHeads(frozenset(words), plural_words=word_keys(settings, "plural_words")) if words is not None else None


def body_places(settings: dict[str, Any], base_dir: Path) -> BodyPlaces | None:
    if not settings.get("body_places", True) or not settings.get("body_words"):
        return None
    return BodyPlaces(frozenset(phrase_keys(settings["body_words"], base_dir)),
                      word_keys(settings, "unit_words"))


def given_names(settings: dict[str, Any], base_dir: Path) -> GivenNames | None:
    if not settings.get("given_names"):
        return None
    return GivenNames(frozenset(phrase_keys(settings["given_names"], base_dir)),
                      word_keys(settings, "place_words"))


def create(settings: dict[str, Any], base_dir: Path) -> EntityRecognizer:
    mode = str(settings.get("gazetteer_mode", "fill"))
    if mode not in ("fill", "override", "none"):
        raise ConfigError(f"entities.gazetteer_mode must be fill, override or none, not {mode!r}")
    model_dir = resolve_path(settings.get("model", "../models/ner"), base_dir)
    return EntityRecognizer(
        model_dir,
        int(settings.get("batch_words", 2000)),
        place_gazetteer(settings, base_dir, mode == "override") if mode != "none" else None,
        cued_names(settings, base_dir),
        span_rules(settings, base_dir),
        given_names(settings, base_dir),
        name_repair(settings, base_dir),
        span_tails(settings, model_dir),
        place_heads(settings, model_dir),
        body_places(settings, base_dir),
    )
