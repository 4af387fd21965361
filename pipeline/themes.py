"""Theme classifier for movement names: hashed word and character n-grams, TF-IDF, a
multinomial logistic regression.

The features are hashed (no vocabulary to store), so a trained model is four plain
arrays (idf, coefficients, intercepts, classes) saved with numpy: it loads without
pickles and does not depend on the installed scikit-learn version.

>>> model = ThemeModel.fit(["Dạy tốt, học tốt", "Khuyến học, khuyến tài", "Toàn dân bảo vệ an ninh Tổ quốc",
...                         "Vì an ninh Tổ quốc"], ["education", "education", "security_defense", "security_defense"])
>>> model.predict(["Học tập suốt đời"])[0][0][0]
'education'
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from .errors import ModelError
from .tones import fold

DEFAULT_FEATURES = {"word_ngrams": [1, 2], "char_ngrams": [2, 5], "n_features": 2**18}


def _text(name: str) -> str:
    return fold(" ".join(name.split()))


def vectorizers(features: dict[str, Any]):
    from sklearn.feature_extraction.text import HashingVectorizer

    common = {"n_features": int(features["n_features"]), "alternate_sign": False, "norm": None,
              "lowercase": False, "dtype": np.float32}
    return (
        HashingVectorizer(analyzer="word", ngram_range=tuple(features["word_ngrams"]), token_pattern=r"(?u)\b\w+\b",
                          **common),
        HashingVectorizer(analyzer="char_wb", ngram_range=tuple(features["char_ngrams"]), **common),
    )


def _counts(texts: Sequence[str], features: dict[str, Any]):
    from scipy.sparse import hstack

    words, chars = vectorizers(features)
    folded = [_text(t) for t in texts]
    return hstack([words.transform(folded), chars.transform(folded)]).tocsr()


@dataclass
class ThemeModel:
    classes: list[str]
    idf: np.ndarray
    coef: Any  # scipy.sparse CSR, classes × features
    intercept: np.ndarray
    features: dict[str, Any] = field(default_factory=lambda: dict(DEFAULT_FEATURES))

    @classmethod
    def fit(cls, texts: Sequence[str], labels: Sequence[str], C: float = 10.0,
            features: dict[str, Any] | None = None, seed: int = 0) -> "ThemeModel":
        from scipy.sparse import csr_matrix
        from sklearn.feature_extraction.text import TfidfTransformer
        from sklearn.linear_model import LogisticRegression

        features = dict(features or DEFAULT_FEATURES)
        tfidf = TfidfTransformer(sublinear_tf=True)
        x = tfidf.fit_transform(_counts(texts, features))
        used = np.unique(x.indices)  # hashed columns seen in training; the others keep weight 0
        clf = LogisticRegression(C=C, max_iter=2000, random_state=seed)
        clf.fit(x[:, used], list(labels))
        weights = clf.coef_ if len(clf.classes_) > 2 else np.vstack([-clf.coef_[0], clf.coef_[0]]) / 2
        intercept = clf.intercept_ if len(clf.classes_) > 2 else np.array([-clf.intercept_[0], clf.intercept_[0]]) / 2
        rows, cols = np.nonzero(weights)
        coef = csr_matrix((weights[rows, cols].astype(np.float32), (rows, used[cols])), shape=(len(weights), x.shape[1]))
        intercept = intercept.astype(np.float32)
        return cls([str(c) for c in clf.classes_], tfidf.idf_.astype(np.float32), coef, intercept, features)

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        from sklearn.preprocessing import normalize

        counts = _counts(texts, self.features)
        counts.data = np.log(counts.data) + 1  # sublinear tf, as TfidfTransformer does
        x = normalize(counts.multiply(self.idf).tocsr())
        scores = np.asarray((x @ self.coef.T).todense()) + self.intercept
        scores -= scores.max(axis=1, keepdims=True)
        exp = np.exp(scores)
        return exp / exp.sum(axis=1, keepdims=True)

    def predict(self, texts: Sequence[str], top: int = 3) -> list[list[tuple[str, float]]]:
        """The ``top`` themes of each text with their probabilities, best first."""
        if not texts:
            return []
        probs = self.probabilities(texts)
        order = np.argsort(-probs, axis=1)[:, :top]
        return [[(self.classes[j], float(row[j])) for j in idx] for row, idx in zip(probs, order)]

    def save(self, directory: Path) -> None:
        from scipy.sparse import save_npz

        directory.mkdir(parents=True, exist_ok=True)
        save_npz(directory / "coef.npz", self.coef, compressed=True)
        np.savez_compressed(directory / "weights.npz", idf=self.idf, intercept=self.intercept)
        (directory / "classes.json").write_text(
            json.dumps({"classes": self.classes, "features": self.features}, ensure_ascii=False, indent=1) + "\n",
            encoding="utf-8")

    @classmethod
    def load(cls, directory: Path) -> "ThemeModel":
        from scipy.sparse import load_npz

        try:
            head = json.loads((directory / "classes.json").read_text(encoding="utf-8"))
            weights = np.load(directory / "weights.npz")
            coef = load_npz(directory / "coef.npz").tocsr()
        except (OSError, ValueError, KeyError) as err:
            raise ModelError(f"Theme model in {directory} is missing or damaged ({err})",
                             hint="Rebuild it with `vnpipe train slogans`") from None
        return cls(head["classes"], weights["idf"], coef, weights["intercept"], head["features"])
