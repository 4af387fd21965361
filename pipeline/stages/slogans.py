"""slogans: named emulation movements and campaigns, each with a theme.

The detector (:mod:`pipeline.slogan_finder`) reads each content block; the theme
classifier (:mod:`pipeline.themes`) labels every name found. Both come from
``models/slogans`` (rebuilt by ``vnpipe train slogans``) and load on first use.

Each slogan is ``{"start","end","text","label","score","scores"}``: ``label`` is the
best theme, ``scores`` the top themes with their probabilities, and ``score`` the
precision of the detection rule that found it, measured on the training corpus.

>>> from pipeline import load
>>> doc = load(stages=["slogans"])("Huyện phát động phong trào “Chung tay vì người nghèo - Không để ai bị bỏ lại phía sau”.")
>>> [(s["text"], s["label"]) for s in doc.slogans]
[('Chung tay vì người nghèo - Không để ai bị bỏ lại phía sau', 'poverty_welfare')]
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from ..config import resolve_path
from ..document import Document
from ..resources import read_lines, read_model_meta

SKIPPED_BLOCKS = frozenset({"boilerplate"})
# slogans read blocks only: words and entities are not needed (pipeline.nlp.load)
REQUIRES = ("normalize",)


class SloganTagger:
    name = "slogans"

    def __init__(self, model_dir: Path, top_themes: int = 3):
        self.model_dir = model_dir
        self.top_themes = top_themes
        self.meta = read_model_meta(model_dir, "Slogan", "vnpipe train slogans", "slogans.model")
        self.version = f"vnpipe_slogans/{self.meta.get('version', '0')}+corpus-{self.meta.get('corpus_sha256', '?')[:8]}"
        self._finder = None
        self._model = None

    def _load(self) -> None:
        from ..slogan_finder import SloganFinder
        from ..themes import ThemeModel

        self._finder = SloganFinder(read_lines(self.model_dir / "known_names.txt"))
        self._model = ThemeModel.load(self.model_dir)
        self._precision = {rule: v["precision"] for rule, v in self.meta.get("rule_precision", {}).items()}

    def classify(self, names: list[str], top: int | None = None) -> list[list[tuple[str, float]]]:
        """The best themes of each movement name, with probabilities."""
        if self._model is None:
            self._load()
        return self._model.predict(names, top=top or self.top_themes)

    def __call__(self, docs: list[Document]) -> list[Document]:
        if self._finder is None:
            self._load()
        found = []  # (document, start, end, rule)
        for doc in docs:
            doc.slogans = []
            blocks = [(b.start, b.end) for b in doc.blocks if b.kind not in SKIPPED_BLOCKS] or [(0, len(doc.text))]
            for start, end in blocks:
                for slogan in self._finder.find(doc.text[start:end]):
                    found.append((doc, start + slogan.start, start + slogan.end, slogan.rule))
        themes = self.classify([doc.text[s:e] for doc, s, e, _ in found])
        for (doc, start, end, rule), ranked in zip(found, themes):
            doc.slogans.append({
                "start": start, "end": end, "text": doc.text[start:end], "label": ranked[0][0],
                "score": self._precision.get(rule, 0.5), "rule": rule,
                "scores": {theme: round(p, 4) for theme, p in ranked},
            })
        return docs


def create(settings: dict[str, Any], base_dir: Path) -> SloganTagger:
    return SloganTagger(resolve_path(settings.get("model", "../models/slogans"), base_dir),
                        int(settings.get("top_themes", 3)))
