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

import sys
import types
from bisect import bisect_left, bisect_right
from typing import TYPE_CHECKING, Iterable, Sequence


def _import_spacy_without_its_cli() -> None:
    """``import spacy`` without spaCy's own command-line modules.

    spaCy's ``__init__`` imports ``spacy.cli.info``, which loads every spaCy command (Typer,
    requests, weasel): 0.3 s of each worker's 2.6 s start-up, for commands a worker never
    runs. A stand-in ``spacy.cli.info`` is seen only while spaCy initialises; ``spacy.info``
    then imports the real one when called, and ``import spacy.cli`` afterwards is the real
    package (``vnpipe train`` uses it).
    """
    if "spacy" in sys.modules:
        return
    stand_in = types.ModuleType("spacy.cli")
    stand_in_info = types.ModuleType("spacy.cli.info")

    def info(*args, **kwargs):
        from spacy.cli.info import info as real_info

        return real_info(*args, **kwargs)

    stand_in_info.info = info  # type: ignore[attr-defined]
    sys.modules["spacy.cli"], sys.modules["spacy.cli.info"] = stand_in, stand_in_info
    try:
        import spacy  # noqa: F401
    finally:
        for name, module in (("spacy.cli", stand_in), ("spacy.cli.info", stand_in_info)):
            if sys.modules.get(name) is module:
                del sys.modules[name]
        spacy_module = sys.modules.get("spacy")
        if spacy_module is not None and getattr(spacy_module, "cli", None) is stand_in:
            del spacy_module.cli


_import_spacy_without_its_cli()

import numpy  # noqa: E402
import spacy  # noqa: E402
from spacy.attrs import IS_PUNCT, IS_SPACE, LANG, LOWER, NORM, intify_attr  # noqa: E402
from spacy.tokens import Doc  # noqa: E402
from spacy.vocab import Vocab  # noqa: E402

from .document import Document, Token  # noqa: E402

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
        if token.start != position:  # most words follow the previous one after one space
            if words and token.start == position + 1 and text[position] == " ":
                spaces[-1] = True
            else:
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
    # Tone-folded norms, so both spellings share features. A token without a norm of its own has
    # its lexeme's (spaCy reads ``token.norm or lex.norm``), and ~99% of words fold to their
    # lexeme's norm (lower case): only the others ("Thành uỷ" -> "thành ủy") need setting, which
    # is cheaper than setting every norm as an array. The vocab's getter gives a lexeme's norm
    # without making a Lexeme object; a vocab without one is asked for the lexeme.
    lexeme_norm = vocab.lex_attr_getters.get(NORM) or (lambda word: vocab[word].norm_)
    norms = list(map(lexeme_norm, words))
    own = [token.norm for token in tokens]
    if len(own) < len(norms):  # filler tokens between the words: they keep their lexeme's norm
        own = [own[owner] if owner >= 0 else norm for owner, norm in zip(owners, norms)]
    if own != norms:
        for index, (mine, lexeme) in enumerate(zip(own, norms)):
            if mine != lexeme:
                norms[index] = spacy_doc[index].norm_ = mine
    return spacy_doc, words, norms


# The training corpus's most frequent words, written next to the model by `vnpipe train ner`.
COMMON_WORDS_FILE = "common_words.json"


def keep_lexemes(vocab: Vocab, words: Iterable[str]) -> None:
    """Give ``words`` permanent lexemes. The entities stage builds each batch's Docs inside a
    memory zone, which frees every lexeme it created; without this the most frequent words
    were rebuilt for every batch (~25 µs each: two thirds of the time spent building Docs)."""
    for word in words:
        vocab[word]


def compute_only_model_attributes(nlp) -> None:
    """Make new lexemes compute only the lexical attributes the model's features read (plus
    LOWER, NORM, LANG, and IS_PUNCT and IS_SPACE, which the entity rules trim by). spaCy
    computes 23 of them for each new word (stop word, URL, number, shape...), ~20 µs of the ~35 µs a lexeme costs, and each batch makes lexemes anew for its
    rare words (~40 per article). A model whose features this cannot find keeps them all."""
    columns = {intify_attr(column) for node in _model_layers(nlp) if node.name == "extract_features"
               for column in node.attrs["columns"]}
    if not columns:
        return
    keep = columns | {LOWER, NORM, LANG, IS_PUNCT, IS_SPACE}
    getters = nlp.vocab.lex_attr_getters or {}
    nlp.vocab.lex_attr_getters = {attr: get for attr, get in getters.items() if attr in keep}


def _model_layers(nlp) -> list:
    """Every layer of every component's model (a list: callers may rewire what they find)."""
    return [node for _, component in nlp.pipeline if hasattr(getattr(component, "model", None), "walk")
            for node in component.model.walk()]


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


def fold_embedding_mixers(nlp) -> int:
    """Fold each hash-embedding table into the layer that mixes the embeddings; returns how
    many embedding layers were folded.

    spaCy's MultiHashEmbed concatenates one hashed embedding per attribute (NORM, PREFIX,
    SUFFIX, SHAPE: each the sum of 4 table rows) and mixes them with a maxout layer: a
    (words x 384) by (384 x 288) product, a third of the tok2vec's arithmetic. That layer is
    linear before its maxout, so each table can be multiplied by its slice of the weights once,
    at load: a word then costs 16 row additions instead of the product. Same model, same
    results up to float rounding; ~21 MB more memory for models/ner. Inference only: a folded
    model cannot be trained or saved.
    """
    folded = 0
    for node in _model_layers(nlp):
        if _is_multi_hash_embed(node):
            node.layers[2:4] = [_folded_mixer(node.layers[2], node.layers[3])]
            folded += 1
    return folded


def _is_multi_hash_embed(node) -> bool:
    names = [layer.name for layer in getattr(node, "layers", [])]
    return (len(names) == 5 and names[0] == "extract_features" and names[1] == "list2ragged"
            and names[2].startswith("with_array(ints-getitem>>hashembed")
            and names[3] == "with_array(maxout>>layernorm>>dropout)" and names[4] == "ragged2list")


def _folded_mixer(embeddings, mixer):
    """One layer doing ``with_array(concatenate(hash embeddings)) >> with_array(maxout >> layernorm)``
    at inference, from tables premultiplied by the maxout's weights."""
    from thinc.api import Model, with_array

    maxout, layernorm = mixer.layers[0].layers[0].layers
    n_out, n_pieces, n_in = maxout.get_param("W").shape
    weights = maxout.get_param("W").reshape(n_out * n_pieces, n_in)
    bias = maxout.get_param("b").reshape(n_out * n_pieces)
    tables, offset = [], 0
    for getitem_and_embed in embeddings.layers[0].layers:
        embed = getitem_and_embed.layers[-1]
        vectors = embed.get_param("E")
        width = vectors.shape[1]
        premultiplied = maxout.ops.gemm(vectors, weights[:, offset:offset + width], trans2=True)
        tables.append((embed.attrs["column"], embed.attrs["seed"], premultiplied))
        offset += width
    if offset != n_in:
        raise ValueError(f"embedding widths add up to {offset}, the mixer reads {n_in}")
    gain, shift = layernorm.get_param("G"), layernorm.get_param("b")

    def forward(model, features, is_train):
        if is_train:
            raise NotImplementedError("a folded embedding layer is for inference only")
        ops = model.ops
        mixed = ops.alloc2f(features.shape[0], n_out * n_pieces)
        mixed += bias
        for column, seed, table in tables:
            keys = ops.hash(ops.as_contig(features[:, column], dtype="uint64"), seed) % table.shape[0]
            mixed += ops.gather_add(table, keys)
        return _maxout_layernorm(mixed, n_out, n_pieces, gain, shift), None

    return with_array(Model("folded_hashembed_maxout", forward, ops=maxout.ops))


def fuse_window_encoders(nlp) -> int:
    """Run each tok2vec's stack of window layers as one layer; returns how many stacks were fused.

    spaCy's MaxoutWindowEncoder is ``depth`` blocks of ``residual(expand_window >> maxout >>
    layernorm >> dropout)``, each a few thinc Model calls. At inference the fused layer does the
    same arithmetic with the same numpy and thinc calls, except two: the maxout takes the larger
    piece with ``numpy.maximum`` instead of thinc's ``maxout``, which also records which piece
    won (for training) and took twice as long; and the layer norm subtracts the mean once
    instead of twice. The results are the same to the bit (a test checks the vectors).
    Inference only, like :func:`fold_embedding_mixers`.
    """
    fused = 0
    for node in _model_layers(nlp):
        stack = node.layers[0] if node.name.startswith("with_array(") and node.layers else None
        blocks = _window_blocks(stack) if stack is not None else None
        if blocks:
            node.layers[0] = _fused_window_stack(blocks)
            fused += 1
    return fused


_WINDOW_BLOCK = "residual(expand_window>>maxout>>layernorm>>dropout)"


def _window_blocks(stack) -> list | None:
    """The (window, maxout, layernorm) layers of a chain of window blocks, or None."""
    blocks = stack.layers if stack.name.startswith(_WINDOW_BLOCK + ">>") else [stack]
    if not blocks or any(block.name != _WINDOW_BLOCK for block in blocks):
        return None
    found = []
    for block in blocks:
        window, rest = block.layers[0].layers
        (maxout, layernorm), _dropout = rest.layers[0].layers, rest.layers[1]
        found.append((window.attrs["window_size"], maxout, layernorm))
    return found


def _fused_window_stack(blocks):
    from thinc.api import Model

    params = []
    for window, maxout, layernorm in blocks:
        n_out, n_pieces, n_in = maxout.get_param("W").shape
        weights = maxout.get_param("W").reshape(n_out * n_pieces, n_in)
        params.append((window, n_out, n_pieces, weights, maxout.get_param("b").reshape(n_out * n_pieces),
                       layernorm.get_param("G"), layernorm.get_param("b")))

    def forward(model, X, is_train):
        if is_train:
            raise NotImplementedError("a fused window encoder is for inference only")
        ops = model.ops
        for window, n_out, n_pieces, weights, bias, gain, shift in params:
            if len(X) == 0:
                return X, None
            mixed = ops.gemm(ops.seq2col(X, window), weights, trans2=True)
            mixed += bias
            X = X + _maxout_layernorm(mixed, n_out, n_pieces, gain, shift)
        return X, None

    return Model("fused_window_encoder", forward, ops=blocks[0][1].ops)


def _maxout_layernorm(mixed, n_out: int, n_pieces: int, gain, shift):
    """thinc's ``maxout >> layernorm`` at inference on the (words, n_out * n_pieces) pre-activations,
    to the bit: the larger piece, then (X - mean) / sqrt(var + 1e-8) * G + b."""
    pieces = mixed.reshape(len(mixed), n_out, n_pieces)
    best = numpy.maximum(pieces[:, :, 0], pieces[:, :, 1]) if n_pieces > 1 else pieces[:, :, 0].copy()
    for piece in range(2, n_pieces):
        numpy.maximum(best, pieces[:, :, piece], out=best)
    centred = best - best.mean(axis=1, keepdims=True)
    variance = (centred * centred).mean(axis=1, keepdims=True) + 1e-08
    normed = centred * variance ** (-1.0 / 2.0)
    normed *= gain
    normed += shift
    return normed

