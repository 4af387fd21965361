"""segment: words, with underthesea's CRF segmenter and the domain lexicon.

For each sentence: split it into syllables with offsets
(:mod:`pipeline.syllables`), tag them B/I with underthesea's bundled CRF model
(fed one tone placement, the new style of its VLSP 2013 training data, so
"Huyện uỷ" and "Huyện ủy" get the same features and the same words), then let the lexicon force its entries to be one
word. Syllables separated by a line break or an invisible character are never
joined, so a token never spans them.

The CRF model loads lazily, on the first batch (as in underthesea). ``model`` may also be
a directory in the same layout, such as one ``vnpipe train segmenter`` writes
(:mod:`pipeline.train.segmenter`, which featurizes its training data with this module's
syllables, tone style and :func:`crf_dictionary`).

>>> from pipeline import load
>>> doc = load()("Phó Bí thư Thường trực Huyện uỷ Đắk Song phát biểu.")
>>> [doc.token_text(t) for t in doc.tokens]
['Phó Bí thư', 'Thường trực', 'Huyện uỷ', 'Đắk Song', 'phát biểu', '.']
"""
from __future__ import annotations

import importlib.metadata
import importlib.util
import json
import re
from bisect import bisect_right
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterable

from ..config import resolve_path
from ..crf import FastCRFTagger, load_pickled
from ..document import Document, Token
from ..errors import ModelError
from ..lexicon import Lexicon, match_key
from ..resources import file_hash, fingerprint, read_lines
from ..syllables import CLAUSE_OPENERS, syllables
from ..tones import WORD_CACHE_SIZE, new_style_syllable

# Between two syllables of one word: nothing, or spaces without a line break.
_JOINABLE_GAP = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]*")


# The CRF sees at most this many syllables at once (a 5 MB line without
# punctuation must not become one sequence).
MAX_CRF_WINDOW = 200

# bounded like tones' word caches: an unbounded one grows with every new word of an archive
norm_key = lru_cache(maxsize=WORD_CACHE_SIZE)(match_key)


# An old-style tone on the o/u of an open oa/oe/uy: the only spellings new_style_syllable changes.
_OLD_STYLE_HINT = re.compile("[òóỏõọùúủũụ][aey]")


def crf_form(word: str) -> str:
    """A dictionary word as the CRF's dictionary features see it: lower case, new tone style."""
    word = word.lower()
    if not _OLD_STYLE_HINT.search(word):
        return word
    return " ".join(new_style_syllable(s) for s in word.split(" "))


def crf_dictionary(words: Iterable[str], extra_words: Iterable[str] = ()) -> set[str]:
    """The words the CRF's ``is_in_dict`` features look up: a model's dictionary as written and
    in CRF form, plus ``extra_words`` (the lexicon) in CRF form. ``vnpipe train segmenter``
    featurizes with this same set, so training and tagging see the same features."""
    dictionary = set(words)
    dictionary.update([crf_form(word) for word in dictionary])
    dictionary.update(crf_form(word) for word in extra_words)
    return dictionary


_APOSTROPHES = frozenset("’'‘ʼ")


def apostrophe_names(sent: list[tuple[int, int, str]], can_join: list[bool]) -> list[tuple[int, int]]:
    """Ethnic-minority names written with a space after the apostrophe ("K’ Thanh", "H’ Mai")
    are one word, as "K’Thanh" already is."""
    found = []
    for i in range(len(sent) - 2):
        prefix, mark, name = sent[i][2], sent[i + 1][2], sent[i + 2][2]
        if (
            mark in _APOSTROPHES and len(prefix) <= 2 and prefix.isupper() and name[:1].isupper()
            and sent[i][1] == sent[i + 1][0] and can_join[i + 1]
        ):
            found.append((i, i + 3))
    return found


def resolve_model(spec: str, base_dir: Path) -> Path:
    """``underthesea:NAME`` is a model bundled with underthesea; anything else is a directory."""
    if spec.startswith("underthesea:"):
        # find the package without importing it (importing underthesea costs ~0.7 s)
        found = importlib.util.find_spec("underthesea")
        if found is None or not found.submodule_search_locations:
            raise ModelError("underthesea is not installed", hint="pip install underthesea")
        package = Path(list(found.submodule_search_locations)[0])
        return package / "pipeline" / "word_tokenize" / "models" / spec.split(":", 1)[1]
    return resolve_path(spec, base_dir)


class CRFSegmenter:
    """underthesea's CRF word segmenter (exact tags, via :class:`pipeline.crf.FastCRFTagger`),
    with the lexicon added to its dictionary features. Loads on first use."""

    def __init__(self, model_dir: Path, extra_words: list[str], cache_size: int = 20_000):
        self.model_dir = model_dir
        self.extra_words = extra_words
        self.cache_size = cache_size
        self._tagger: FastCRFTagger | None = None

    def _load(self) -> FastCRFTagger:
        path = self.model_dir / "dictionary.bin"
        if not path.is_file():
            raise ModelError(
                f"Word segmentation model incomplete: missing {path}",
                hint="Check segment.model in configs/pipeline.cfg, or reinstall underthesea",
            )
        dictionary = crf_dictionary(load_pickled(path), self.extra_words)
        return FastCRFTagger(self.model_dir, dictionary=dictionary, cache_size=self.cache_size)

    def knows(self, word: str) -> bool:
        """Is this word (syllables joined by spaces) in the dictionary the CRF's features use?"""
        if self._tagger is None:
            self._tagger = self._load()
        return crf_form(word) in self._tagger.dictionary

    def tag(self, sequences: list[list[str]]) -> list[list[str]]:
        """B-W/I-W tags for each sequence of syllables."""
        if self._tagger is None:
            self._tagger = self._load()
        windows, owners = [], []
        for k, seq in enumerate(sequences):
            for i in range(0, len(seq), MAX_CRF_WINDOW):
                windows.append(seq[i : i + MAX_CRF_WINDOW])
                owners.append(k)
        tags: list[list[str]] = [[] for _ in sequences]
        for owner, window_tags in zip(owners, self._tagger.tag(windows)):
            tags[owner].extend(window_tags)
        return tags


def split_at_case_changes(sent: list[tuple[int, int, str]], starts: list[bool],
                          is_word: Callable[[str], bool] = lambda _: True,
                          is_name: Callable[[str], bool] = lambda _: False) -> None:
    """A proper name is not glued to the common words around it.

    The CRF sometimes runs a name into the next or previous word ("huyện | Tân
    Biên trao", "toàn quốc Hội | Nông dân", "ĐBQH Hà Thị Xuân Mai"). Inside one
    CRF word, start a new word where
      - a lower-case syllable is followed by a capitalised one,
      - a capitalised syllable that is not the word's first is followed by a lower-case one,
      - an acronym (UBND, ĐBQH) is followed by a capitalised, not all-caps, syllable,
      - a word's capitalised first syllable is a name (``is_name``: a given name or
        surname, or a foreign word) in running text (not opening the sentence or a
        quote: "Chung tay" there is a slogan) followed by lower-case syllables, and neither the
        word nor its first two syllables are in the dictionary (``is_word``):
        "Bích | hào hứng", "Minzy | tố", while "Hôm qua", "Do vậy", "Bộ luật hình sự"
        and "An ninh mạng" stay whole.
    Lexicon entries ("Phó Bí thư") are applied afterwards and join what they cover.
    """
    def in_running_text(k: int) -> bool:  # not capitalised for opening a sentence or a quote
        return k > 0 and sent[k - 1][2][-1:] not in CLAUSE_OPENERS

    def crf_word(k: int) -> str:  # the whole CRF word that syllable k starts (the splits above do not count)
        return " ".join(u[2] for u in sent[k:ends[bisect_right(ends, k)]])

    ends = [i for i in range(1, len(sent)) if starts[i]] + [len(sent)]
    word_start = 0
    for i in range(1, len(sent)):
        if starts[i]:
            word_start = i
            continue
        prev, cur = sent[i - 1][2], sent[i][2]
        if not (prev[:1].isalpha() and cur[:1].isalpha()):
            continue
        lower_to_upper = prev[0].islower() and cur[0].isupper()
        upper_to_lower = prev[0].isupper() and cur[0].islower() and (
            i - 1 > word_start or in_running_text(i - 1) and is_name(prev) and not is_word(f"{prev} {cur}")
            and not is_word(crf_word(word_start)))
        acronym_to_name = len(prev) > 1 and prev.isupper() and cur[0].isupper() and not cur.isupper()
        if lower_to_upper or upper_to_lower or acronym_to_name:
            starts[i] = True
            word_start = i


def _force_word(starts: list[bool], i: int, j: int) -> None:
    """Make syllables i..j-1 exactly one word."""
    starts[i] = True
    for k in range(i + 1, j):
        starts[k] = False
    if j < len(starts):
        starts[j] = True


class Segmenter:
    name = "segment"

    def __init__(self, crf: CRFSegmenter, lexicon: Lexicon, lexicon_wins: bool, version: str,
                 split_case_changes: bool = True, name_syllables: frozenset[str] = frozenset()):
        self.crf = crf
        self.name_syllables = name_syllables
        self.lexicon = lexicon
        self.lexicon_wins = lexicon_wins
        self.split_case_changes = split_case_changes
        self.version = version

    def __call__(self, docs: list[Document]) -> list[Document]:
        for doc in docs:
            self.segment(doc)
        return docs

    def segment(self, doc: Document) -> None:
        text = doc.text
        units = [syllables(text, s.start, s.end) for s in doc.sentences]
        forms = [[new_style_syllable(u[2]) for u in sent] for sent in units]
        tokens: list[Token] = []
        for sent, tags in zip(units, self.crf.tag(forms)):
            tokens.extend(self._words(text, sent, tags))
        doc.tokens = tokens

    def _is_name(self, syllable: str) -> bool:
        """A given name or surname, or a word the dictionary does not know (a foreign name)."""
        return norm_key(syllable) in self.name_syllables or not self.crf.knows(syllable)

    def _words(self, text: str, sent: list[tuple[int, int, str]], tags: list[str]) -> list[Token]:
        n = len(sent)
        begins, ends = [u[0] for u in sent], [u[1] for u in sent]
        # most syllables of a word are one space apart: test that before the gap pattern
        can_join = [b == a or (b == a + 1 and text[a] == " ") or _JOINABLE_GAP.fullmatch(text, a, b) is not None
                    for a, b in zip(ends, begins[1:])]
        starts = [i == 0 or tag != "I-W" or not can_join[i - 1] for i, tag in enumerate(tags)]
        keys = [norm_key(u[2]) for u in sent]
        capitalised = [u[2][:1].isupper() for u in sent]
        if self.split_case_changes:
            split_at_case_changes(sent, starts, self.crf.knows, self._is_name)
        if n and not _APOSTROPHES.isdisjoint(text[begins[0]:ends[-1]]):  # rare: skip the scan
            for i, j in apostrophe_names(sent, can_join):
                _force_word(starts, i, j)
        for i, j in self.lexicon.matches(keys, can_join, capitalised):
            # By default the lexicon only joins: it never cuts a word the CRF found
            # (a district named "Đức Trọng" must not split the person "Ngô Đức Trọng").
            if self.lexicon_wins or (starts[i] and (j == n or starts[j])):
                _force_word(starts, i, j)
        if not n:
            return []
        edges = [i for i in range(1, n) if starts[i]]
        firsts, lasts = [0, *edges], [*edges, n]
        word_ends = [ends[j - 1] for j in lasts]
        size = len(text)
        return list(map(Token, [begins[i] for i in firsts], word_ends,
                        [keys[i] if j == i + 1 else self._norm(keys, begins, ends, i, j) for i, j in zip(firsts, lasts)],
                        [end < size and text[end].isspace() for end in word_ends]))

    @staticmethod
    def _norm(keys: list[str], begins: list[int], ends: list[int], i: int, j: int) -> str:
        """The norm of syllables i..j-1 as one word: a space only where the text has one."""
        norm = keys[i]
        for k in range(i + 1, j):
            norm += (" " if ends[k - 1] < begins[k] else "") + keys[k]
        return norm


MODEL_FILES = ("models.bin", "features.bin", "dictionary.bin")


def check_model_dir(model_dir: Path) -> None:
    """Fail now, not at the first batch, when a model directory lacks a file the tagger reads."""
    missing = [name for name in MODEL_FILES if not (model_dir / name).is_file()]
    if missing:
        raise ModelError(
            f"Word segmentation model incomplete: {model_dir} has no {', '.join(missing)}",
            hint="Point segment.model (--segmenter) at a directory written by `vnpipe train segmenter`, "
                 "or at an underthesea model (underthesea:NAME)",
        )


def model_version(spec: str, model_dir: Path) -> str:
    """underthesea-VERSION/NAME for a bundled model. For a directory its name and a hash of
    its weights (two trainings on the same data differ), and for one `vnpipe train segmenter`
    wrote, its vnpipe version and the hash of its training data too."""
    if spec.startswith("underthesea:"):
        return f"underthesea-{importlib.metadata.version('underthesea')}/{spec.split(':', 1)[1]}"
    weights = f"+model-{file_hash([model_dir / 'models.bin'])[:8]}"
    try:
        meta = json.loads((model_dir / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        meta = {}
    if isinstance(meta, dict) and meta.get("name") == "vnpipe_segmenter":
        trained = f"{model_dir.name}+data-{str(meta.get('data_sha256'))[:8]}"
        return f"vnpipe-segmenter-{meta.get('version')}/{trained}{weights}"
    return f"crf/{model_dir.name}{weights}"


def create(settings: dict[str, Any], base_dir: Path) -> Segmenter:
    spec = str(settings.get("model", "underthesea:ws_crf_vlsp2013_20230727"))
    lexicon = Lexicon.from_files(resolve_path(p, base_dir) for p in settings.get("lexicon", []))
    model_dir = resolve_model(spec, base_dir)
    if not spec.startswith("underthesea:"):
        check_model_dir(model_dir)
    crf = CRFSegmenter(model_dir, list(lexicon.entries()), int(settings.get("cache_size", 20_000)))
    version = f"{model_version(spec, model_dir)}+lexicon-{lexicon.fingerprint}"
    lexicon_wins = bool(settings.get("lexicon_wins", True))
    split_case = bool(settings.get("split_case_changes", True))
    names = frozenset(norm_key(line) for path in settings.get("name_syllables", [])
                      for line in read_lines(resolve_path(path, base_dir)))
    version += ("+lexicon-wins" if lexicon_wins else "") + ("+case" if split_case else "")
    version += f"+names-{fingerprint(names)}" if split_case and names else ""  # the name split follows the list
    return Segmenter(crf, lexicon, lexicon_wins, version, split_case, names)
