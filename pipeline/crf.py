"""A fast, exact re-implementation of underthesea's CRF word-segmentation tagger.

underthesea tags a sentence with ``underthesea_core``::

    features = CRFFeaturizer(templates, dictionary).process([[[s] for s in syllables]])[0]
    tags = CRFTagger().load("models.bin").tag(features)

The featurizer builds ~43 strings per syllable ("T[-1,0].lower=hội nghị", ...)
and the tagger looks each one up in the model's attribute dictionary: ~58 µs a
syllable, nearly all of it string building. :class:`FastCRFTagger` returns the
same tags much faster by exploiting how the templates decompose:

* Every template ``T[a]`` / ``T[a,b]`` (optionally ``.lower``, ``.isdigit``,
  ``.istitle``, ``.is_in_dict``) reads the ``m = b - a + 1`` syllables starting
  at ``i + a``, joined by single spaces, and nothing else.  So the weights
  contributed by *all* templates of length ``m`` that start at a given syllable
  are a function of that joined n-gram alone.  They are summed once per distinct
  n-gram (one row per start offset ``a``) and cached in a bounded table.
* Out-of-range windows take the value ``BOS`` when ``i + a < 0`` and ``EOS``
  otherwise (``i + b >= n``), exactly as in ``underthesea_core``; they become two
  reserved rows of each table.
* A batch of sentences then costs, per syllable, one dict lookup per n-gram
  length (keyed by the syllable, or the tuple of syllables), a handful of
  whole-batch numpy operations, and a Viterbi pass run on all sentences of the
  batch in lockstep with numpy (the longest ones, when that is cheaper, in plain
  Python).  Both do underthesea_core's float64 operations in its order, and
  break ties as it does (first maximum, i.e. the lower label id); CRFsuite
  models have no start/end transition weights.

The emission scores are the same weights summed in another order, so they may
differ from underthesea_core's in the last bits; a tag could only change on an
exact tie to ~1e-15, which the VLSP 2013 test set (96,560 syllables) does not have.

Template semantics (read from underthesea_core 3.3.2's featurizer and checked
against it by ``tests/test_crf.py``):

* ``lower`` is ``str.lower`` of the joined text;
* ``is_in_dict`` is ``text.lower() in dictionary`` (n-grams joined by " ");
* ``isdigit`` is True when the text parses as a Rust ``i32``: optional sign,
  ASCII digits only, value in range ("+5", "-3", "007" are digits; "½", "２",
  "2147483648" are not);
* ``istitle`` is True when every " "-separated part starts with a character
  equal to its own upper case (so "1abc", "+", "HÀ" are titles, "hà" is not).
  underthesea_core panics on an empty part (an empty syllable, or one with a
  leading/trailing space) before it has found a non-title part; here such a
  part is skipped instead.
* Case mappings come from Python's Unicode tables, underthesea_core's from
  Rust's; they differ only for characters added in recent Unicode versions.

The weights are read from the CRFsuite ``models.bin`` directly (header, FEAT
chunk, CQDB label and attribute dictionaries) with full float64 precision
(python-crfsuite's ``info()`` rounds them to 6 decimals and takes ~1.2 s); the
tagger loads in ~0.15 s plus ~0.25 s for unpickling ``dictionary.bin`` when no
dictionary is given, so no on-disk cache is needed.
"""
from __future__ import annotations

import re
import struct
from itertools import compress, repeat
from pathlib import Path

import numpy as np

from .errors import ModelError

__all__ = ["FastCRFTagger", "read_crfsuite_model", "parse_template"]

# Template syntax understood here; anything else in features.bin is refused at load.
_TEMPLATE = re.compile(r"T\[(-?\d+)(?:,(-?\d+))?\](?:\.(lower|isdigit|istitle|is_in_dict))?")

_I32_MIN, _I32_MAX = -(2**31), 2**31 - 1

# Syllables tagged per batch of numpy operations, and the bound on each n-gram cache.
_CHUNK_SYLLABLES = 20_000
_DEFAULT_CACHE_SIZE = 100_000

_BOS_ROW, _EOS_ROW = 0, 1
# Cost of one lockstep Viterbi step, in syllables of scalar Viterbi (measured: ~15 µs vs ~0.6 µs).
_LOCKSTEP_STEP_COST = 24


class _Sentinel:
    """A window out of the sentence; never equal to any syllable string."""

    def __init__(self, name: str):
        self.name = name

    def __repr__(self) -> str:
        return self.name


BOS, EOS = _Sentinel("BOS"), _Sentinel("EOS")


# ---------------------------------------------------------------------------
# CRFsuite model file
# ---------------------------------------------------------------------------


def _read_cqdb(buf: bytes, start: int, what: str) -> list[str]:
    """The strings of a CQDB string->id database at ``start``, indexed by id.

    Layout: header (``CQDB``, size, flag, byte order, number of ids, offset of the
    backward links), 256 hash-table references, then per string ``id:u32
    ksize:u32 key\\0``; the backward links give each id's entry offset.
    """
    if len(buf) < start + 24 or buf[start : start + 4] != b"CQDB":
        raise ModelError(f"CRFsuite model: no CQDB {what} dictionary at offset {start}")
    _size, _flag, _byteorder, count, bwd_offset = struct.unpack_from("<5I", buf, start + 4)
    if count == 0:
        return []
    try:
        links = np.frombuffer(buf, dtype="<u4", count=count, offset=start + bwd_offset).astype(np.int64) + start
        words = np.frombuffer(buf, dtype=np.uint8)
        head = words[links[:, None] + np.arange(8)].astype(np.int64)  # id and ksize, little-endian
    except (ValueError, IndexError) as err:
        raise ModelError(f"CRFsuite model: corrupt {what} dictionary") from err
    scale = np.array([1, 1 << 8, 1 << 16, 1 << 24], dtype=np.int64)
    ids, sizes = head[:, :4] @ scale, head[:, 4:] @ scale
    ends = links + 8 + sizes
    if not np.array_equal(ids, np.arange(count)) or sizes.min() < 1 or ends.max() > len(buf):
        raise ModelError(f"CRFsuite model: corrupt {what} dictionary")
    keys = [buf[lo:hi] for lo, hi in zip((links + 8).tolist(), (ends - 1).tolist())]  # drop the NUL
    joined = b"\0".join(keys)
    if joined.count(b"\0") != count - 1:  # a NUL inside a key
        raise ModelError(f"CRFsuite model: corrupt {what} dictionary")
    try:
        return joined.decode("utf-8").split("\0")
    except UnicodeDecodeError as err:
        raise ModelError(f"CRFsuite model: {what} dictionary is not UTF-8") from err


def read_crfsuite_model(path: Path) -> tuple[list[str], list[str], np.ndarray, np.ndarray]:
    """Read a CRFsuite (``lCRF``/``FOMC``) model file.

    Returns ``(labels, attributes, state, transitions)``: ``state[attr_id, label_id]``
    is the state-feature weight (0.0 when absent) and ``transitions[prev, cur]`` the
    transition weight.  Raises :class:`ModelError` for anything else.
    """
    try:
        buf = Path(path).read_bytes()
    except OSError as err:
        raise ModelError(f"Cannot read CRF model {path}: {err}") from err
    try:
        return _parse_crfsuite(buf, path)
    except (struct.error, ValueError, IndexError, OverflowError) as err:
        raise ModelError(f"Corrupt CRFsuite model {path}: {err}") from err


def _parse_crfsuite(buf: bytes, path: Path) -> tuple[list[str], list[str], np.ndarray, np.ndarray]:
    if len(buf) < 48 or buf[:4] != b"lCRF" or buf[8:12] != b"FOMC":
        raise ModelError(f"Not a CRFsuite CRF1d model: {path}")
    (_size, _type, _version, _num_features, num_labels, num_attrs, off_features, off_labels, off_attrs,
     _off_labelrefs, _off_attrrefs) = struct.unpack_from("<I4sIIIIIIIII", buf, 4)
    if buf[off_features : off_features + 4] != b"FEAT":
        raise ModelError(f"CRFsuite model without a FEAT chunk: {path}")
    _chunk_size, num = struct.unpack_from("<2I", buf, off_features + 4)
    table = np.frombuffer(
        buf,
        dtype=np.dtype([("type", "<u4"), ("src", "<u4"), ("dst", "<u4"), ("weight", "<f8")]),
        count=num,
        offset=off_features + 12,
    )
    labels = _read_cqdb(buf, off_labels, "label")
    attributes = _read_cqdb(buf, off_attrs, "attribute")
    if len(labels) != num_labels or len(attributes) != num_attrs:
        raise ModelError(f"CRFsuite model header disagrees with its dictionaries: {path}")
    if not labels:
        raise ModelError(f"CRFsuite model without labels: {path}")
    is_state = table["type"] == 0
    is_trans = table["type"] == 1
    if not np.all(is_state | is_trans):
        raise ModelError(f"CRFsuite model with unknown feature types: {path}")
    state = np.zeros((num_attrs, num_labels))
    transitions = np.zeros((num_labels, num_labels))
    s, t = table[is_state], table[is_trans]
    if s.size and (s["src"].max() >= num_attrs or s["dst"].max() >= num_labels):
        raise ModelError(f"CRFsuite model: state feature out of range: {path}")
    if t.size and max(t["src"].max(), t["dst"].max()) >= num_labels:
        raise ModelError(f"CRFsuite model: transition feature out of range: {path}")
    np.add.at(state, (s["src"].astype(np.intp), s["dst"].astype(np.intp)), s["weight"])
    np.add.at(transitions, (t["src"].astype(np.intp), t["dst"].astype(np.intp)), t["weight"])
    return labels, attributes, state, transitions


# ---------------------------------------------------------------------------
# Feature templates
# ---------------------------------------------------------------------------


def parse_template(syntax: str) -> tuple[int, int, str | None]:
    """``"T[-1,1].is_in_dict"`` -> ``(-1, 1, "is_in_dict")``; ``"T[2]"`` -> ``(2, 2, None)``.

    Raises :class:`ModelError` for anything FastCRFTagger does not implement
    exactly (columns, other functions, reversed ranges).
    """
    match = _TEMPLATE.fullmatch(syntax)
    if match is None:
        raise ModelError(f"Unsupported CRF feature template {syntax!r}",
                         hint="FastCRFTagger implements T[a], T[a,b] and .lower/.isdigit/.istitle/.is_in_dict")
    a = int(match.group(1))
    b = int(match.group(2)) if match.group(2) is not None else a
    if b < a:
        raise ModelError(f"Unsupported CRF feature template {syntax!r}: reversed range")
    return a, b, match.group(3)


def rust_isdigit(text: str) -> bool:
    """underthesea_core's ``isdigit``: ``text.parse::<i32>().is_ok()``."""
    body = text[1:] if text[:1] in ("+", "-") else text
    if not (body.isascii() and body.isdigit()):
        return False
    return _I32_MIN <= int(text) <= _I32_MAX


def rust_istitle(text: str) -> bool:
    """underthesea_core's ``istitle``: each " "-separated part starts with an upper-case-stable char.

    An empty part is skipped (``""[:1]`` is its own upper case); underthesea_core panics there.
    """
    first = text[:1]
    if first != first.upper():
        return False  # most n-grams start with a lower-case syllable: no need to split
    for part in text.split(" "):
        first = part[:1]
        if first != first.upper():
            return False
    return True


# ---------------------------------------------------------------------------
# N-gram weight tables
# ---------------------------------------------------------------------------


_FLAG_FUNCTIONS = ("isdigit", "istitle", "is_in_dict")  # functions whose value is "True"/"False"


class _NgramTable:
    """Cached summed weights of the templates of one length ``m``, per n-gram.

    ``index`` maps an n-gram (a syllable when m = 1, else a tuple of m
    syllables; or the BOS/EOS sentinels) to a row of
    ``weights``, where ``weights[row, k, y]`` is the total weight for label ``y``
    of all templates of this length that start at offset ``offsets[k]``.

    A new n-gram costs a few lookups, not one per template: the weights are
    pre-summed per raw value (``T[a,b]=...``), per lower-cased value (``.lower``)
    and per combination of the True/False functions, and its row is
    ``raw[...] + lower[...] + flags[...]``, computed for all new n-grams of a
    batch at once.
    """

    def __init__(self, m: int, templates: list[tuple[int, dict[str, int], str | None]], offsets: list[int],
                 state: np.ndarray, dictionary: frozenset[str], max_size: int):
        self.m = m
        self.offsets = offsets
        self.dictionary = dictionary
        self.max_size = max_size
        shape = (len(offsets), state.shape[1])
        functions = {function for _k, _values, function in templates}
        self.uses_lower = "lower" in functions
        self.flag_functions = [f for f in _FLAG_FUNCTIONS if f in functions]

        raw_index: dict[str, int] = {}
        lower_index: dict[str, int] = {}
        for _k, values, function in templates:
            if function is None or function == "lower":
                index = raw_index if function is None else lower_index
                for value in values:
                    index.setdefault(value, len(index) + 1)  # row 0: no weight
        raw = np.zeros((len(raw_index) + 1, *shape))
        lower = np.zeros((len(lower_index) + 1, *shape))
        flags = np.zeros((2 ** len(self.flag_functions), *shape))
        fixed = {"BOS": np.zeros(shape), "EOS": np.zeros(shape)}
        for k, values, function in templates:
            for value, block in fixed.items():
                if value in values:
                    block[k] += state[values[value]]
            if function is None or function == "lower":
                index, table = (raw_index, raw) if function is None else (lower_index, lower)
                rows = np.fromiter((index[v] for v in values), dtype=np.intp, count=len(values))
                attrs = np.fromiter(values.values(), dtype=np.intp, count=len(values))
                table[rows, k] += state[attrs]  # each value once per template: no repeated rows
            else:
                bit = 1 << self.flag_functions.index(function)
                for code in range(len(flags)):
                    attr = values.get("True" if code & bit else "False")
                    if attr is not None:
                        flags[code, k] += state[attr]
        self.raw_index, self.lower_index = raw_index, lower_index
        self.raw, self.lower, self.flags = raw, lower, flags
        self.weights = np.zeros((1024, *shape))
        self.weights[_BOS_ROW] = fixed["BOS"]
        self.weights[_EOS_ROW] = fixed["EOS"]
        self.index: dict[object, int] = {}
        self.reset()

    def reset(self) -> None:
        """Forget every cached n-gram (the BOS and EOS rows stay)."""
        self.index = {BOS: _BOS_ROW, EOS: _EOS_ROW}

    def make_room(self, needed: int) -> None:
        """Forget every cached n-gram if ``needed`` more could overflow the bound."""
        if len(self.index) + needed > self.max_size:
            self.reset()

    def value_rows(self, texts: list[str]) -> np.ndarray:
        """The (len(texts), offsets, labels) weights of the templates on each joined n-gram."""
        raw_get = self.raw_index.get
        result = self.raw[[raw_get(t, 0) for t in texts]]
        lows = [t.lower() for t in texts] if self.uses_lower or "is_in_dict" in self.flag_functions else texts
        if self.uses_lower:
            lower_get = self.lower_index.get
            result += self.lower[[lower_get(t, 0) for t in lows]]
        if self.flag_functions:
            code = np.zeros(len(texts), dtype=np.intp)
            for bit, function in enumerate(self.flag_functions):
                if function == "is_in_dict":
                    dictionary = self.dictionary
                    flag = [t in dictionary for t in lows]
                elif function == "istitle":
                    flag = list(map(rust_istitle, texts))
                else:
                    flag = list(map(rust_isdigit, texts))
                code |= np.array(flag, dtype=np.intp) << bit
            result += self.flags[code]
        return result

    def rows(self, keys: list) -> np.ndarray:
        """``weights`` rows for ``keys``, adding the n-grams not seen before.

        A key is a syllable (m = 1), a tuple of m syllables, or BOS/EOS.
        """
        get = self.index.get
        ids = np.fromiter(map(get, keys, repeat(-1)), dtype=np.intp, count=len(keys))
        missing = ids < 0
        if missing.any():
            missing_keys = list(compress(keys, missing.tolist()))
            new = list(dict.fromkeys(missing_keys))
            first = len(self.index)
            end = first + len(new)
            if end > len(self.weights):
                # Doubling, but not far past the bound (rows are reused after a reset).
                size = max(end, min(2 * len(self.weights), self.max_size + _CHUNK_SYLLABLES + 2))
                grown = np.zeros((size, *self.weights.shape[1:]))
                grown[:first] = self.weights[:first]
                self.weights = grown
            self.weights[first:end] = self.value_rows(new if self.m == 1 else list(map(" ".join, new)))
            self.index.update(zip(new, range(first, end)))
            ids[missing] = np.fromiter(map(self.index.__getitem__, missing_keys), dtype=np.intp,
                                       count=len(missing_keys))
        return self.weights[ids]


# ---------------------------------------------------------------------------
# The tagger
# ---------------------------------------------------------------------------


def load_pickled(path: Path):
    """A joblib file holding plain Python objects (underthesea's features.bin, dictionary.bin).

    Those are ordinary pickles, which the C unpickler reads ~6x faster than
    ``joblib.load`` (0.08 s vs 0.45 s for the 72k-word dictionary); joblib is the
    fallback for files it compressed or that hold numpy arrays. Like joblib, this
    trusts the file: load only models you installed."""
    import pickle

    try:
        with open(path, "rb") as f:
            return pickle.load(f)
    except Exception:
        import joblib

        return joblib.load(path)


class FastCRFTagger:
    """underthesea_core's CRFFeaturizer + CRFTagger: the same tags, many times faster.

    ``model_dir`` holds ``models.bin`` (CRFsuite), ``features.bin`` (joblib list
    of templates) and ``dictionary.bin`` (joblib set of lower-case words);
    ``dictionary``, when given, is used instead of ``dictionary.bin`` (it is
    copied: later changes to the caller's set are not seen).  Everything loads
    here (~0.15 s, plus ~0.25 s for ``dictionary.bin`` when it is read).

    ``cache_size`` bounds each of the per-n-gram-length weight caches (a cache
    is emptied when it would grow past it).  Not thread-safe: give each thread
    its own tagger.
    """

    def __init__(self, model_dir: Path, dictionary: set[str] | None = None,
                 cache_size: int = _DEFAULT_CACHE_SIZE):
        model_dir = Path(model_dir)
        names = ["models.bin", "features.bin"] + (["dictionary.bin"] if dictionary is None else [])
        missing = [str(model_dir / n) for n in names if not (model_dir / n).is_file()]
        if missing:
            raise ModelError(f"CRF model incomplete: missing {', '.join(missing)}")
        templates = list(load_pickled(model_dir / "features.bin"))
        if dictionary is None:
            dictionary = load_pickled(model_dir / "dictionary.bin")
        self.model_dir = model_dir
        self.templates = templates
        self.dictionary = frozenset(dictionary)

        parsed = [(syntax, *parse_template(syntax)) for syntax in templates]
        labels, attributes, state, transitions = read_crfsuite_model(model_dir / "models.bin")
        self.labels = labels
        self.transitions = transitions
        self._trans = [[float(x) for x in row] for row in transitions.tolist()]

        # value -> attribute id, per template syntax (attributes of other templates never fire).
        values: dict[str, dict[str, int]] = {syntax: {} for syntax in templates}
        for attr_id, attr in enumerate(attributes):
            syntax, sep, value = attr.partition("=")
            if sep and syntax in values:
                values[syntax][value] = attr_id

        # Group the templates by n-gram length; offsets index the blocks of a table row.
        by_length: dict[int, list[tuple[int, str, str | None]]] = {}
        for syntax, a, b, function in parsed:
            by_length.setdefault(b - a + 1, []).append((a, syntax, function))
        self._pad = max([abs(a) for _s, a, _b, _f in parsed], default=0)
        self._tables: list[_NgramTable] = []
        for m in sorted(by_length):
            offsets = sorted({a for a, _s, _f in by_length[m]})
            members = [(offsets.index(a), values[syntax], function) for a, syntax, function in by_length[m]]
            self._tables.append(_NgramTable(m, members, offsets, state, self.dictionary, cache_size))

    # -- public API ---------------------------------------------------------

    def tag(self, sentences: list[list[str]]) -> list[list[str]]:
        """The model's labels (B-W/I-W) for each sentence of syllables."""
        # Batches of sentences of similar length: the lockstep Viterbi then runs
        # about as many steps as the batch's syllables per sentence.
        order = sorted(range(len(sentences)), key=lambda s: len(sentences[s]))
        out: list[list[str]] = [[] for _ in sentences]
        chunk: list[int] = []
        count = 0
        for s in order:
            if not sentences[s]:
                continue
            chunk.append(s)
            count += len(sentences[s])
            if count >= _CHUNK_SYLLABLES:
                self._tag_chunk(sentences, chunk, count, out)
                chunk, count = [], 0
        if chunk:
            self._tag_chunk(sentences, chunk, count, out)
        return out

    def emissions(self, sentence: list[str]) -> np.ndarray:
        """The (n, labels) state scores of one sentence (sum of its fired state features)."""
        if not sentence:
            return np.zeros((0, len(self.labels)))
        return self._emissions([sentence], len(sentence))[1][self._pad : self._pad + len(sentence)]

    # -- internals ----------------------------------------------------------

    def _emissions(self, sentences: list[list[str]], count: int) -> tuple[list[int], np.ndarray]:
        """State scores for a batch laid out as padded segments of ``n + 2*pad`` rows."""
        pad = self._pad
        starts = []
        total = 0
        for sentence in sentences:
            starts.append(total)
            total += len(sentence) + 2 * pad
        scores = np.zeros((total, len(self.labels)))
        for table in self._tables:
            table.make_room(count)
            m = table.m
            # Segment row r of a sentence is the window starting at j = r - pad.
            # Windows are keyed by their syllables (a tuple when m > 1): all the
            # templates read is the syllables joined by " ", so keys that join
            # alike ("a b", "c") and ("a", "b c") just get equal rows.
            keys: list = []
            bos = [BOS] * pad
            for sentence in sentences:
                n = len(sentence)
                keys += bos
                if m == 1:
                    keys += sentence
                    k = n
                elif n >= m:
                    keys += zip(*[sentence[s:] for s in range(m)])
                    k = n - m + 1
                else:
                    k = 0
                keys += [EOS] * (n + pad - k)
            rows = table.rows(keys)
            # Position i (segment row i + pad) reads the window starting at i + a.
            for k, a in enumerate(table.offsets):
                scores[pad : total - pad] += rows[pad + a : total - pad + a, k]
        return starts, scores

    def _tag_chunk(self, sentences: list[list[str]], chunk: list[int], count: int,
                   out: list[list[str]]) -> None:
        """Tag the (non-empty) ``sentences[s]`` for ``s`` in ``chunk`` into ``out[s]``."""
        batch = [sentences[s] for s in chunk]
        starts, scores = self._emissions(batch, count)
        paths = self._viterbi(scores, [start + self._pad for start in starts], [len(b) for b in batch])
        labels = self.labels
        for s, path in zip(chunk, paths):
            out[s] = [labels[y] for y in path]

    def _viterbi(self, scores: np.ndarray, firsts: list[int], lengths: list[int]) -> list[list[int]]:
        """Best label ids of each sentence ``scores[firsts[s] : firsts[s] + lengths[s]]``.

        The lockstep Viterbi costs one round of numpy calls per position of the
        longest sentence; the scalar one, a few Python operations per syllable.
        The longest sentences go to the scalar one while that is cheaper.
        """
        order = sorted(range(len(lengths)), key=lengths.__getitem__, reverse=True)
        longest = [lengths[s] for s in order] + [0]
        best_cost, scalar = _LOCKSTEP_STEP_COST * longest[0], 0
        done = 0
        for k in range(1, len(order) + 1):
            done += longest[k - 1]
            cost = done + _LOCKSTEP_STEP_COST * longest[k]
            if cost < best_cost:
                best_cost, scalar = cost, k
        paths: list[list[int]] = [[] for _ in lengths]
        for s in order[:scalar]:
            paths[s] = self._viterbi_scalar(scores[firsts[s] : firsts[s] + lengths[s]])
        rest = order[scalar:]
        if rest:
            for s, path in zip(rest, self._viterbi_lockstep(scores, [firsts[s] for s in rest],
                                                            [lengths[s] for s in rest])):
                paths[s] = path
        return paths

    def _viterbi_scalar(self, emission: np.ndarray) -> list[int]:
        """underthesea_core's Viterbi on one sentence's (n, labels) emission scores, in Python."""
        columns = [emission[:, y].tolist() for y in range(emission.shape[1])]
        if len(columns) == 2:
            (t00, t01), (t10, t11) = self._trans
            rows = zip(*columns)
            s0, s1 = next(rows)
            back = []  # bit y: best previous label for the current label y
            push = back.append
            for e0, e1 in rows:
                a, b, c, d = s0 + t00, s1 + t10, s0 + t01, s1 + t11
                if b > a:
                    if d > c:
                        s0, s1 = b + e0, d + e1
                        push(3)
                    else:
                        s0, s1 = b + e0, c + e1
                        push(1)
                elif d > c:
                    s0, s1 = a + e0, d + e1
                    push(2)
                else:
                    s0, s1 = a + e0, c + e1
                    push(0)
            y = 1 if s1 > s0 else 0
            path = [y]
            for code in reversed(back):
                y = (code >> y) & 1
                path.append(y)
            path.reverse()
            return path
        trans = self._trans
        num = len(columns)
        score = [column[0] for column in columns]
        pointers = []
        for t in range(1, len(columns[0])):
            new, pointer = [], []
            for y in range(num):
                best, arg = float("-inf"), 0
                for yp in range(num):
                    value = score[yp] + trans[yp][y]
                    if value > best:
                        best, arg = value, yp
                new.append(best + columns[y][t])
                pointer.append(arg)
            score = new
            pointers.append(pointer)
        best, y = float("-inf"), 0
        for label in range(num):
            if score[label] > best:
                best, y = score[label], label
        path = [y]
        for pointer in reversed(pointers):
            y = pointer[y]
            path.append(y)
        path.reverse()
        return path

    def _viterbi_lockstep(self, scores: np.ndarray, firsts: list[int], lengths: list[int]) -> list[list[int]]:
        """underthesea_core's Viterbi, run on several sentences in lockstep (one numpy step per position).

        Sentence ``s`` has the emission scores ``scores[firsts[s] : firsts[s] + lengths[s]]``.
        As in underthesea_core, ``score[t][y] = max_y' (score[t-1][y'] + trans[y'][y]) +
        emission[t][y]``, the first maximum winning ties (``np.argmax`` and the strict
        ``>`` below do the same), with the same float64 additions in the same order.
        """
        order = sorted(range(len(lengths)), key=lengths.__getitem__, reverse=True)
        n_max = lengths[order[0]]
        count = len(order)
        ascending = np.array([lengths[s] for s in reversed(order)])
        # active[t]: how many sentences (a prefix of ``order``) have a position t.
        active = (count - np.searchsorted(ascending, np.arange(n_max), side="right")).tolist()
        rows = np.array([firsts[s] for s in order])[None, :] + np.arange(n_max)[:, None]
        emission = scores[np.minimum(rows, len(scores) - 1)]  # (n_max, S, labels); rows past a sentence unused
        path = np.zeros((n_max, count), dtype=np.intp)
        if len(self.labels) == 2:
            (t00, t01), (t10, t11) = self._trans
            e0, e1 = np.ascontiguousarray(emission[:, :, 0]), np.ascontiguousarray(emission[:, :, 1])
            back0 = np.zeros((n_max, count), dtype=bool)  # best previous label is 1, for label 0
            back1 = np.zeros((n_max, count), dtype=bool)  # ... for label 1
            s0, s1 = e0[0].copy(), e1[0].copy()
            for t in range(1, n_max):
                a = active[t]
                p0, p1 = s0[:a], s1[:a]
                from0, from1 = p0 + t00, p1 + t10
                b0 = np.greater(from1, from0, out=back0[t, :a])
                to0 = np.where(b0, from1, from0)
                from0, from1 = p0 + t01, p1 + t11
                b1 = np.greater(from1, from0, out=back1[t, :a])
                to1 = np.where(b1, from1, from0)
                np.add(to0, e0[t, :a], out=p0)
                np.add(to1, e1[t, :a], out=p1)
            y = (s1 > s0).astype(np.intp)
            for t in range(n_max - 1, -1, -1):
                a = active[t]
                path[t, :a] = y[:a]
                if t:
                    y[:a] = np.where(y[:a], back1[t, :a], back0[t, :a])
        else:
            trans = self.transitions[None, :, :]
            back = np.zeros((n_max, count, len(self.labels)), dtype=np.intp)
            score = emission[0].copy()
            for t in range(1, n_max):
                a = active[t]
                candidates = score[:a, :, None] + trans  # (a, previous label, label)
                best = candidates.argmax(axis=1)
                back[t, :a] = best
                score[:a] = np.take_along_axis(candidates, best[:, None, :], axis=1)[:, 0, :] + emission[t, :a]
            y = score.argmax(axis=1)
            columns = np.arange(count)
            for t in range(n_max - 1, -1, -1):
                a = active[t]
                path[t, :a] = y[:a]
                if t:
                    y[:a] = back[t, columns[:a], y[:a]]
        by_sentence = path.T.tolist()
        paths: list[list[int]] = [[] for _ in lengths]
        for rank, s in enumerate(order):
            paths[s] = by_sentence[rank][: lengths[s]]
        return paths
