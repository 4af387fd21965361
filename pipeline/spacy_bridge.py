"""spaCy sees vnpipe's words: a registered tokenizer and Doc construction.

The NER model is a spaCy pipeline whose tokenizer is vnpipe's own segmenter
(normalize + sentences + segment), registered as ``vnpipe.WordTokenizer.v1`` so
that ``configs/ner.cfg`` can name it and ``spacy.load`` can rebuild it. It is
picklable (``__reduce__``) so models can be sent to worker processes.

Text between two vnpipe tokens that is not a single space (a line break, two
spaces, a zero-width space) becomes its own spaCy token, because a spaCy Doc
must reproduce the text exactly; those filler tokens never carry entities.

>>> import spacy
>>> nlp = spacy.blank("vi", config={"nlp": {"tokenizer": {"@tokenizers": "vnpipe.WordTokenizer.v1"}}})
>>> [t.text for t in nlp("Phó Bí thư Huyện ủy phát biểu.")]
['Phó Bí thư', 'Huyện ủy', 'phát biểu', '.']
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from typing import TYPE_CHECKING, Iterable, Sequence

import numpy
import spacy
from spacy.attrs import NORM
from spacy.tokens import Doc
from spacy.vocab import Vocab

from .document import Document, Token

if TYPE_CHECKING:
    from .nlp import Pipeline

_SEGMENTER: "Pipeline | None" = None


def segmenter() -> "Pipeline":
    """The process-wide normalize+sentences+segment pipeline (loaded once, lazily)."""
    global _SEGMENTER
    if _SEGMENTER is None:
        from .nlp import load

        _SEGMENTER = load(stages=["segment"])
    return _SEGMENTER


def words_and_spaces(text: str, tokens: Sequence[Token], start: int, end: int) -> tuple[list[str], list[bool], list[int]]:
    """spaCy words/spaces for ``text[start:end]`` and, for each word, the index of its vnpipe token (-1 = filler)."""
    words: list[str] = []
    spaces: list[bool] = []
    owners: list[int] = []

    def add_gap(gap: str) -> None:
        if gap.startswith(" ") and words and not spaces[-1]:
            spaces[-1], gap = True, gap[1:]
        if gap:
            words.append(gap)
            spaces.append(False)
            owners.append(-1)

    position = start
    for index, token in enumerate(tokens):
        add_gap(text[position : token.start])
        words.append(text[token.start : token.end])
        spaces.append(False)
        owners.append(index)
        position = token.end
    add_gap(text[position:end])
    return words, spaces, owners


def _token_start(token: Token) -> int:
    return token.start


def _token_end(token: Token) -> int:
    return token.end


def stretches(doc: Document, start: int, end: int, max_words: int) -> list[tuple[int, int]]:
    """``doc.text[start:end]`` cut at word edges into stretches of at most ``max_words`` words.

    A sentence is one stretch unless it is longer: a line without punctuation may be one
    5 MB "sentence", and a model's memory grows with the words of one Doc (~14 KB each).
    """
    first = bisect_left(doc.tokens, start, key=_token_start)
    last = bisect_left(doc.tokens, end, lo=first, key=_token_start)
    edges = [start, *(doc.tokens[k].start for k in range(first + max_words, last, max_words)), end]
    return list(zip(edges, edges[1:]))


def to_spacy_doc(vocab: Vocab, doc: Document, start: int = 0,
                 end: int | None = None) -> tuple[Doc, list[str], list[str]]:
    """A spaCy Doc over ``doc.text[start:end]`` made of ``doc``'s tokens in that range, with
    its token texts and norms as plain lists (the entity rules read those instead of the
    Doc: a Token object per word costs as much as the rules' work)."""
    end = len(doc.text) if end is None else end
    # tokens are sorted and never overlap: bisect instead of scanning the document per sentence
    first = bisect_left(doc.tokens, start, key=_token_start)
    tokens = doc.tokens[first : bisect_right(doc.tokens, end, lo=first, key=_token_end)]
    words, spaces, owners = words_and_spaces(doc.text, tokens, start, end)
    spacy_doc = Doc(vocab, words=words, spaces=spaces)
    # tone-folded norms, so both spellings share features; set as one array (a Token object per
    # word cost as much as building the Doc)
    norms = [tokens[owner].norm if owner >= 0 else vocab[word].norm_ for owner, word in zip(owners, words)]
    if norms:
        add = vocab.strings.add
        spacy_doc.from_array([NORM], numpy.array([add(norm) for norm in norms], dtype="uint64").reshape(-1, 1))
    return spacy_doc, words, norms


# The training corpus's most frequent words, written next to the model by `vnpipe train ner`.
COMMON_WORDS_FILE = "common_words.json"


def keep_lexemes(vocab: Vocab, words: Iterable[str]) -> None:
    """Give ``words`` permanent lexemes. The entities stage builds each batch's Docs inside a
    memory zone, which frees every lexeme it created; without this the most frequent words
    were rebuilt for every batch (~25 µs each: two thirds of the time spent building Docs)."""
    for word in words:
        vocab[word]


class WordTokenizer:
    """A spaCy tokenizer backed by vnpipe's segmenter."""

    def __init__(self, vocab: Vocab):
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        doc = segmenter()(Document(id="spacy", text=text))
        if doc.text != text:  # NFC changed the text: spaCy needs it unchanged, so segment the composed
            raise ValueError("WordTokenizer needs NFC text; normalize it first (unicodedata.normalize('NFC', ...))")
        return to_spacy_doc(self.vocab, doc)[0]

    def pipe(self, texts: Iterable[str], batch_size: int = 64):
        for text in texts:
            yield self(text)

    def __reduce__(self):
        return (WordTokenizer, (self.vocab,))

    # The tokenizer has no state of its own: everything comes from configs/ and the segment model.
    def to_disk(self, path, *, exclude=()):
        pass

    def from_disk(self, path, *, exclude=()):
        return self

    def to_bytes(self, *, exclude=()):
        return b""

    def from_bytes(self, data, *, exclude=()):
        return self


@spacy.registry.tokenizers("vnpipe.WordTokenizer.v1")
def create_tokenizer():
    def make(nlp) -> WordTokenizer:
        return WordTokenizer(nlp.vocab)

    return make
