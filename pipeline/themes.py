"""Theme classifier for movement names: hashed word and character n-grams, TF-IDF, a
multinomial logistic regression.

Training uses scikit-learn (``HashingVectorizer``, ``TfidfTransformer``,
``LogisticRegression``). Prediction does not: the same features are computed here
(:func:`features_of`, identical to scikit-learn's, which a test checks) and a model is
plain numpy arrays — the hashed columns seen in training, their idf and weights — so
it loads fast, without pickles, and with any scikit-learn version or none.

>>> model = ThemeModel.fit(["Dạy tốt, học tốt", "Khuyến học, khuyến tài", "Toàn dân bảo vệ an ninh Tổ quốc",
...                         "Vì an ninh Tổ quốc"], ["education", "education", "security_defense", "security_defense"])
>>> model.predict(["Học tập suốt đời"])[0][0][0]
'education'
"""
from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from .errors import ModelError
from .tones import fold

DEFAULT_FEATURES = {"word_ngrams": [1, 2], "char_ngrams": [2, 5], "n_features": 2**18}
_TOKEN = re.compile(r"(?u)\b\w+\b")
_WHITE = re.compile(r"\s\s+")


def _text(name: str) -> str:
    return fold(" ".join(name.split()))


# -- features, exactly as scikit-learn's HashingVectorizer computes them -------------------------
def murmurhash3_32(data: bytes, seed: int = 0) -> int:
    """MurmurHash3 x86 32-bit, signed, as ``sklearn.utils.murmurhash3_32``."""
    c1, c2, mask = 0xCC9E2D51, 0x1B873593, 0xFFFFFFFF
    h = seed & mask
    blocks = len(data) // 4
    for i in range(blocks):
        k = int.from_bytes(data[4 * i:4 * i + 4], "little")
        k = (k * c1) & mask
        k = ((k << 15) | (k >> 17)) & mask
        k = (k * c2) & mask
        h ^= k
        h = ((h << 13) | (h >> 19)) & mask
        h = (h * 5 + 0xE6546B64) & mask
    tail, k = data[4 * blocks:], 0
    if len(tail) >= 3:
        k ^= tail[2] << 16
    if len(tail) >= 2:
        k ^= tail[1] << 8
    if tail:
        k ^= tail[0]
        k = (k * c1) & mask
        k = ((k << 15) | (k >> 17)) & mask
        k = (k * c2) & mask
        h ^= k
    h ^= len(data)
    h ^= h >> 16
    h = (h * 0x85EBCA6B) & mask
    h ^= h >> 13
    h = (h * 0xC2B2AE35) & mask
    h ^= h >> 16
    return h - (1 << 32) if h & 0x80000000 else h


def _word_ngrams(text: str, low: int, high: int) -> list[str]:
    tokens = _TOKEN.findall(text)
    grams = list(tokens) if low == 1 else []
    for n in range(max(low, 2), min(high, len(tokens)) + 1):
        grams.extend(" ".join(tokens[i:i + n]) for i in range(len(tokens) - n + 1))
    return grams


def _char_wb_ngrams(text: str, low: int, high: int) -> list[str]:
    grams = []
    for word in _WHITE.sub(" ", text).split():
        word = f" {word} "
        for n in range(low, high + 1):
            offset = 0
            grams.append(word[offset:offset + n])
            while offset + n < len(word):
                offset += 1
                grams.append(word[offset:offset + n])
            if offset == 0:  # a word shorter than n is counted once
                break
    return grams


def features_of(name: str, features: dict[str, Any]) -> Counter:
    """Hashed column -> count for one name: word n-grams in the first ``n_features`` columns,
    character n-grams in the next ``n_features``."""
    text, size = _text(name), int(features["n_features"])
    counts: Counter = Counter()
    for offset, grams in ((0, _word_ngrams(text, *features["word_ngrams"])),
                          (size, _char_wb_ngrams(text, *features["char_ngrams"]))):
        for gram in grams:
            h = murmurhash3_32(gram.encode("utf-8"))
            # as sklearn's _hashing_fast: abs(INT32_MIN) would overflow there
            column = (2147483647 - (size - 1)) % size if h == -2147483648 else abs(h) % size
            counts[offset + column] += 1
    return counts


def _counts_matrix(texts: Sequence[str], features: dict[str, Any]):
    """The training matrix, with scikit-learn (same columns as :func:`features_of`)."""
    from scipy.sparse import hstack
    from sklearn.feature_extraction.text import HashingVectorizer

    common = {"n_features": int(features["n_features"]), "alternate_sign": False, "norm": None,
              "lowercase": False, "dtype": np.float64}
    words = HashingVectorizer(analyzer="word", ngram_range=tuple(features["word_ngrams"]),
                              token_pattern=_TOKEN.pattern, **common)
    chars = HashingVectorizer(analyzer="char_wb", ngram_range=tuple(features["char_ngrams"]), **common)
    folded = [_text(t) for t in texts]
    return hstack([words.transform(folded), chars.transform(folded)]).tocsr()


@dataclass
class ThemeModel:
    classes: list[str]
    columns: np.ndarray  # sorted hashed columns seen in training
    idf: np.ndarray  # idf of each of those columns
    weights: np.ndarray  # columns × classes
    intercept: np.ndarray
    features: dict[str, Any] = field(default_factory=lambda: dict(DEFAULT_FEATURES))
    multi_label: bool = False  # one-vs-rest: each class's probability on its own (sigmoid), not a softmax

    @classmethod
    def fit(cls, texts: Sequence[str], labels: Sequence[str], C: float = 10.0,
            features: dict[str, Any] | None = None, seed: int = 0) -> "ThemeModel":
        from sklearn.feature_extraction.text import TfidfTransformer
        from sklearn.linear_model import LogisticRegression

        features = dict(features or DEFAULT_FEATURES)
        # smooth idf of a term no training name has, ln((1 + n) / 1) + 1: it still counts in a name's l2 norm
        features["unseen_idf"] = float(np.log(1 + len(texts)) + 1)
        tfidf = TfidfTransformer(sublinear_tf=True)
        x = tfidf.fit_transform(_counts_matrix(texts, features))
        used = np.unique(x.indices)  # columns seen in training; the others can never weigh anything
        clf = LogisticRegression(C=C, max_iter=2000, random_state=seed)
        clf.fit(x[:, used], list(labels))
        coef, intercept = clf.coef_, clf.intercept_
        if len(clf.classes_) == 2:  # binary: sklearn keeps one row; two symmetric rows give the same softmax
            coef, intercept = np.vstack([-coef[0], coef[0]]) / 2, np.array([-intercept[0], intercept[0]]) / 2
        return cls([str(c) for c in clf.classes_], used.astype(np.int64), tfidf.idf_[used].astype(np.float64),
                   coef.T.astype(np.float64), intercept.astype(np.float64), features)

    @classmethod
    def fit_multi(cls, texts: Sequence[str], label_sets: Sequence[Sequence[str]], C: float = 10.0,
                  features: dict[str, Any] | None = None, seed: int = 0) -> "ThemeModel":
        """A multi-label model: one logistic regression per class on the same features."""
        from sklearn.feature_extraction.text import TfidfTransformer
        from sklearn.linear_model import LogisticRegression
        from sklearn.multiclass import OneVsRestClassifier
        from sklearn.preprocessing import MultiLabelBinarizer

        features = dict(features or DEFAULT_FEATURES)
        features["unseen_idf"] = float(np.log(1 + len(texts)) + 1)
        tfidf = TfidfTransformer(sublinear_tf=True)
        x = tfidf.fit_transform(_counts_matrix(texts, features))
        used = np.unique(x.indices)
        binarizer = MultiLabelBinarizer()
        y = binarizer.fit_transform([list(labels) for labels in label_sets])
        # liblinear: one small binary problem per class, several times faster than lbfgs here
        clf = OneVsRestClassifier(LogisticRegression(C=C, solver="liblinear", random_state=seed)).fit(x[:, used], y)
        # a class every (or no) example has is a constant: no weights, a saturated intercept
        coef = np.vstack([getattr(e, "coef_", np.zeros((1, len(used)))) for e in clf.estimators_])
        intercept = np.concatenate([e.intercept_ if hasattr(e, "intercept_") else [20.0 if e.y_ else -20.0]
                                    for e in clf.estimators_])
        return cls([str(c) for c in binarizer.classes_], used.astype(np.int64), tfidf.idf_[used].astype(np.float64),
                   coef.T.astype(np.float64), intercept.astype(np.float64), features, multi_label=True)

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        scores = np.tile(self.intercept, (len(texts), 1))
        for row, name in enumerate(texts):
            counts = features_of(name, self.features)
            if not counts:
                continue
            cols = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
            tf = np.log(np.fromiter(counts.values(), dtype=np.float64, count=len(counts))) + 1  # sublinear tf
            at = np.searchsorted(self.columns, cols)
            known = (at < len(self.columns)) & (self.columns[np.minimum(at, len(self.columns) - 1)] == cols)
            # the l2 norm counts unseen columns too, with the idf TfidfTransformer gives a never-seen term
            weights = tf * np.where(known, self.idf[np.minimum(at, len(self.idf) - 1)], self._unseen_idf)
            weights /= np.sqrt((weights ** 2).sum())
            scores[row] += weights[known] @ self.weights[at[known]]
        if self.multi_label:
            return 1 / (1 + np.exp(-scores))
        scores -= scores.max(axis=1, keepdims=True)
        exp = np.exp(scores)
        return exp / exp.sum(axis=1, keepdims=True)

    @property
    def _unseen_idf(self) -> float:
        return float(self.features["unseen_idf"])

    def predict(self, texts: Sequence[str], top: int = 3) -> list[list[tuple[str, float]]]:
        """The ``top`` themes of each text with their probabilities, best first."""
        if not texts:
            return []
        probs = self.probabilities(texts)
        order = np.argsort(-probs, axis=1)[:, :top]
        return [[(self.classes[j], float(row[j])) for j in idx] for row, idx in zip(probs, order)]

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(directory / "theme_model.npz", columns=self.columns, idf=self.idf,
                            weights=self.weights.astype(np.float32), intercept=self.intercept)
        (directory / "classes.json").write_text(
            json.dumps({"classes": self.classes, "features": self.features,
                        **({"multi_label": True} if self.multi_label else {})}, ensure_ascii=False, indent=1) + "\n",
            encoding="utf-8")

    @classmethod
    def load(cls, directory: Path) -> "ThemeModel":
        try:
            head = json.loads((directory / "classes.json").read_text(encoding="utf-8"))
            arrays = np.load(directory / "theme_model.npz")
            return cls(head["classes"], arrays["columns"], arrays["idf"], arrays["weights"].astype(np.float64),
                       arrays["intercept"], head["features"], head.get("multi_label", False))
        except (OSError, ValueError, KeyError) as err:
            raise ModelError(f"Theme model in {directory} is missing or damaged ({err})",
                             hint="Rebuild it with `vnpipe train slogans`") from None
