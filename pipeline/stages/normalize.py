"""normalize: NFC-compose the text and mark its blocks.

Nothing is deleted: web chrome, photo captions and bylines are *marked* as
blocks of their own kind, so every later offset still indexes the input text.

Blocks are built from lines. A newline ends a block unless the next line is
clearly the wrapped continuation of the previous one (the previous line has no
closing punctuation and the next starts in lower case). Then each block gets
one kind:

- ``boilerplate``: site chrome ("A- A A+ | Tăng tương phản Giảm tương phản"),
  i.e. a block nearly all of whose letters are covered by
  ``configs/boilerplate.txt`` patterns;
- ``caption``: a block wholly in parentheses, or starting with "Ảnh:";
- ``title``: the first content block, when short and without a final period;
- ``byline``: the last content block, when short and shaped like a name or a
  source ("Phạm Tuân", "Theo Báo Đắk Nông");
- ``paragraph``: everything else.

>>> from pipeline.stages.normalize import find_blocks, BlockRules
>>> text = "A- A A+ | Tăng tương phản\\nHội nghị tổng kết\\n(Các đại biểu dự Hội nghị)\\nNội dung chính.\\nPhạm Tuân"
>>> [(text[b.start:b.end], b.kind) for b in find_blocks(text, BlockRules.default())][1:]
[('Hội nghị tổng kết', 'title'), ('(Các đại biểu dự Hội nghị)', 'caption'), ('Nội dung chính.', 'paragraph'), ('Phạm Tuân', 'byline')]
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..config import configs_dir, resolve_path
from ..document import Block, Document
from ..errors import ConfigError
from ..resources import fingerprint, read_lines

# Characters that never belong to a block's edges: whitespace, zero-width and format
# characters (ZWSP, ZWJ, BOM, soft hyphen, bidi marks) and C0/C1 controls.
IGNORABLE = "\\s\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff\x00-\x1f\x7f-\x9f"
_CONTENT_LINE = re.compile(f"[^{IGNORABLE}](?:.*[^{IGNORABLE}])?")
_LETTER = re.compile(r"[^\W\d_]")
_ENDS_CLAUSE = re.compile(r"[.!?…:;\"”’)\]»]$")
_CAPTION_PREFIX = re.compile(r"^(?:[-–]\s*)?(?:ảnh|hình|photo|clip|video)(?:\s+minh\s+h[oọ]a)?\s*[:：]", re.IGNORECASE)
# "Ảnh TỰ TRUNG", "Ảnh VGP / Nguyễn Hoàng": a short photo credit (never "Ảnh hưởng ...", lower case)
_PHOTO_CREDIT = re.compile(r"^(?:[-–]\s*)?(?:Ảnh|ẢNH)\s+(\w)\S*(?:\s+\S+){0,7}$")
# "Ông Trần Văn A - Ảnh: TTXVN": a caption that ends with its photo credit
_CREDIT_SUFFIX = re.compile(r"[-–(]\s*(?:ảnh|nguồn ảnh|photo)\s*:[^.!?]*\)?\.?$", re.IGNORECASE)
_SOURCE_BYLINE = re.compile(r"^(?:theo|nguồn|tin(?:,| và)? ảnh|bài(?:,| và)? ảnh|nhóm pv|pv|ctv)\b", re.IGNORECASE)
_WORD = re.compile(r"\S+")
_TRAILING_NOTE = re.compile(r"\s*\([^()]*\)$")


def nfc(text: str) -> str:
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


@dataclass(frozen=True)
class BlockRules:
    boilerplate: re.Pattern[str]
    max_residue: float = 0.2
    boilerplate_max_words: int = 40
    title_max_words: int = 40
    byline_max_words: int = 8

    @classmethod
    def from_settings(cls, settings: dict[str, Any], base_dir: Path) -> "BlockRules":
        path = resolve_path(settings.get("boilerplate_patterns", "boilerplate.txt"), base_dir)
        patterns = read_lines(path)
        try:
            combined = re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)
        except re.error as err:
            raise ConfigError(f"Bad boilerplate pattern in {path}: {err}") from err
        return cls(
            boilerplate=combined,
            max_residue=float(settings.get("boilerplate_max_residue", 0.2)),
            boilerplate_max_words=int(settings.get("boilerplate_max_words", 40)),
            title_max_words=int(settings.get("title_max_words", 40)),
            byline_max_words=int(settings.get("byline_max_words", 8)),
        )

    @classmethod
    def default(cls) -> "BlockRules":
        return cls.from_settings({}, configs_dir())

    def is_boilerplate(self, text: str) -> bool:
        if text.count(" ") >= self.boilerplate_max_words:
            return False  # chrome is short; a long paragraph is content (and this keeps normalize cheap)
        letters = len(_LETTER.findall(text))
        if letters == 0:
            return True  # separators, counters, lone symbols: "***", "1.234", "|"
        residue = len(_LETTER.findall(self.boilerplate.sub(" ", text)))
        return residue <= self.max_residue * letters


def _content_lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of each line's content, without edge whitespace or invisible characters."""
    spans = []
    pos = 0
    for line in text.split("\n"):
        match = _CONTENT_LINE.search(line)
        if match:
            spans.append((pos + match.start(), pos + match.end()))
        else:
            spans.append(None)
        pos += len(line) + 1
    return spans


def _paragraphs(text: str) -> list[tuple[int, int]]:
    """Join wrapped lines; every other line break ends a block."""
    blocks: list[list[int]] = []
    previous_blank = True
    for span in _content_lines(text):
        if span is None:
            previous_blank = True
            continue
        start, end = span
        if not previous_blank and blocks:
            last = text[blocks[-1][0] : blocks[-1][1]]
            if not _ENDS_CLAUSE.search(last) and text[start].islower():
                blocks[-1][1] = end
                continue
        blocks.append([start, end])
        previous_blank = False
    return [(s, e) for s, e in blocks]


def _is_caption(text: str) -> bool:
    if _CAPTION_PREFIX.match(text) or _CREDIT_SUFFIX.search(text):
        return True
    credit = _PHOTO_CREDIT.match(text)
    if credit and credit.group(1).isupper():
        return True
    stripped = text.rstrip(".")
    if not (stripped.startswith("(") and stripped.endswith(")")):
        return False
    depth = 0
    for i, char in enumerate(stripped):
        depth += char == "("
        depth -= char == ")"
        if depth == 0 and i < len(stripped) - 1:
            return False  # "(a) text (b)": the first parenthesis closes early
    return True


def _is_byline(text: str, max_words: int) -> bool:
    text = _TRAILING_NOTE.sub("", text)  # "Mộc Miên (Tổng hợp)", "Hà Anh (TTXVN)"
    words = [w for w in _WORD.findall(text) if _LETTER.search(w)]
    if not words or len(words) > max_words or text.endswith((".", ":", ";", ",")):
        return False
    if _SOURCE_BYLINE.match(text):
        return True
    return all(_LETTER.search(w).group().isupper() for w in words)


def find_blocks(text: str, rules: BlockRules) -> list[Block]:
    blocks = []
    for start, end in _paragraphs(text):
        chunk = text[start:end]
        if rules.is_boilerplate(chunk):
            kind = "boilerplate"
        elif _is_caption(chunk):
            kind = "caption"
        else:
            kind = "paragraph"
        blocks.append(Block(start, end, kind))
    content = [b for b in blocks if b.kind == "paragraph"]
    if content:
        first = content[0]
        chunk = text[first.start : first.end]
        if "\n" not in chunk and len(chunk.split()) <= rules.title_max_words and not chunk.endswith("."):
            first.kind = "title"
    if len(content) > 1:
        last = content[-1]
        if _is_byline(text[last.start : last.end], rules.byline_max_words):
            last.kind = "byline"
    return blocks


class Normalizer:
    name = "normalize"

    def __init__(self, rules: BlockRules, rules_fingerprint: str):
        self.rules = rules
        self.version = f"vnpipe-normalize/0.1.0+{rules_fingerprint}"

    def __call__(self, docs: list[Document]) -> list[Document]:
        for doc in docs:
            doc.text = nfc(doc.text)
            doc.blocks = find_blocks(doc.text, self.rules)
        return docs


def create(settings: dict[str, Any], base_dir: Path) -> Normalizer:
    rules = BlockRules.from_settings(settings, base_dir)
    settings_used = (rules.max_residue, rules.boilerplate_max_words, rules.title_max_words, rules.byline_max_words)
    return Normalizer(rules, fingerprint(rules.boilerplate.pattern, *settings_used))
