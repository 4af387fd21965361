"""Find the names of emulation movements and campaigns in running text.

A movement name is introduced by a trigger ("phong trào", "cuộc vận động", "đợt thi
đua", …, typos such as "Phòng trào" included) and usually quoted. The finder reads
the text after each trigger:

- ``quoted``: a quotation right after the trigger (a few linking words allowed:
  "phong trào thi đua: “ Thực hiện …”"); the span is the text inside the quote marks
  without the spaces next to them;
- ``unclosed``: a quote opened and never closed ends at the clause break (";",
  the end of the sentence, or the next opening quote);
- ``list``: further quotations that follow one found name, separated by ";", "," or
  "và", belong to the same list ("… “A”; “B” và “C”");
- ``named``: a quotation whose text itself starts with a trigger
  (“Phong trào học tập và làm theo …”) needs no trigger before it;
- ``known``: without quotes, a known movement name (the names lexicon) right after a trigger;
- ``capitalised``: without quotes, a capitalised name right after a trigger, up to the
  clause break or a linking word ("phong trào Tuổi trẻ xung kích của Đoàn …").

Generic mentions have no name and give nothing ("phong trào thi đua yêu nước năm 2023").

>>> finder = SloganFinder(known_names=["Quyết thắng"])
>>> text = "Phát động phong trào thi đua: “ Dân vận khéo”; “Đắk Nông chung tay vì người nghèo; phong trào Quyết thắng."
>>> [(text[s.start:s.end], s.rule) for s in finder.find(text)]
[('Dân vận khéo', 'quoted'), ('Đắk Nông chung tay vì người nghèo', 'unclosed'), ('Quyết thắng', 'known')]
>>> finder.find("Các phong trào thi đua yêu nước năm 2023 được phát động; ông nói “phải làm ngay”.")
[]
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from typing import Iterable

from .tones import stripped


# Matched on the text with every diacritic stripped (đ -> d), so typos in tone or vowel
# marks ("Phòng trào", "phông trào", "chiến dich", "thi dua") still trigger.
TRIGGER = re.compile(
    r"(?<!\w)(?:phong\s*trao|phong\s*troa|phong\s+tra(?=\s*[“\"«])|cuoc\s+van\s+dong|dot\s+thi\s+dua|"
    r"chuong\s+trinh\s+huong\s+ung|chien\s+dich|huong\s+ung)(?:(?!\w)|(?=thi\s*dua))"
)
# triggers that only introduce a quoted name ("chiến dịch Điện Biên Phủ" is not a campaign name)
QUOTE_ONLY = re.compile(r"chien|huong|chuong")
# linking words allowed between a trigger and the name
GAP = re.compile(
    r"(?:\s+|[:\-–]|thi\s*dua|huong\s+ung|cao\s+diem|yeu\s+nuoc|dac\s+biet|lon|mang\s+ten|co\s+ten|"
    r"voi\s+ten\s+goi|voi\s+chu\s+de|chu\s+de|la|ve)(?!\w)|\s+"
)
# "các phong trào thi đua trọng tâm như: “A”; “B”": a list announced a few words after the trigger
LIST_INTRO = re.compile(r"(?::|\bnhu|\bgom|\bgom\s+co|\bla|\bnoi\s+dung|\bchu\s+de|\bten)\s*$")
MAX_INTRO_WORDS = 12
OPENERS = {"“": "”", '"': '"', "«": "»", "‘": "’", "„": "”"}
_EDGE = " \t\n“”\"«»‘’„"  # never at the edge of a name
# a name without quotes ends before one of these
_UNQUOTED_END = re.compile(
    r"\s*(?:[.;:()\[\]“”\"«»!?\n]|$)|\s(?:cua|trong|tai|do|duoc|da|dang|se|nham|voi|gan|o|tren|cho|va|den|tu|"
    r"vao|theo|giai\s+doan|nam\s+\d|thi|la|dat|gop|nay|bang|thu\s+hut)(?!\w)"
)
# a comma ends a name without quotes unless the name is still short ("Dạy tốt, học tốt")
MAX_WORDS_BEFORE_COMMA = 5
_LIST_SEPARATOR = re.compile(r"\s*(?:[;,]|và|cùng)?\s*")
_ANY_OPENER = re.compile(r"[“\"«‘„]\s*")
_CLAUSE_TO_QUOTE = re.compile(r"[^.;!?“\"«‘„\n]*?(?=[“\"«‘„])")
_SENTENCE_END = re.compile(r"[.!?…](?=\s+[^\W\d_a-zđ]|\s*$)|\n|;")
# capitalised words that start a body, not a name ("phong trào Đoàn", "phong trào Hội Nông dân")
_NOT_NAME_STARTS = frozenset({"doan", "hoi", "dang", "cong", "mat", "phu", "thanh", "nong", "cuu", "ban", "uy"})
# a quotation after these is a title, not a movement ("cuốn sách “Phong trào thi đua …”")
_TITLE_WORDS = re.compile(
    r"(?:sach|hoi\s+thao|toa\s+dam|hoi\s+thi|cuoc\s+thi|chuong\s+trinh|bai\s+hat|phim|trien\s+lam|giai|"
    r"chuyen\s+de|de\s+tai|tac\s+pham|bai\s+viet|hoi\s+nghi|dien\s+dan|ky\s+yeu|tap\s+san|chuyen\s+muc)(?!\w)"
)


@dataclass(frozen=True)
class FoundSlogan:
    start: int
    end: int
    rule: str


class SloganFinder:
    def __init__(self, known_names: Iterable[str] = (), max_unquoted_words: int = 20):
        # known names are matched on stripped text, like the triggers
        keys = {" ".join(stripped(n).split()) for n in known_names if n.strip()}
        self._known_first: dict[str, list[str]] = {}
        for key in sorted(keys, key=len, reverse=True):
            self._known_first.setdefault(key.split(" ", 1)[0], []).append(key)
        self.max_unquoted_words = max_unquoted_words

    def find(self, text: str) -> list[FoundSlogan]:
        plain = stripped(text)
        named_quotes = self._named_quotes(text, plain)  # once: rescanning from each position is quadratic
        openers = [opener for opener, _ in named_quotes]
        found: list[FoundSlogan] = []
        pos = 0
        while True:
            trigger = TRIGGER.search(plain, pos)
            k = bisect_left(openers, pos)
            named = named_quotes[k][1] if k < len(named_quotes) else None
            if named and (not trigger or named.start <= trigger.start()):
                found.extend(self._with_list(text, named))
                pos = found[-1].end + 1
                continue
            if not trigger:
                return found
            spans = self._after_trigger(text, plain, trigger)
            found.extend(spans)
            pos = spans[-1].end + 1 if spans else trigger.end()

    # -- quotations -------------------------------------------------------------------------
    def _quoted(self, text: str, opener_at: int, rule: str) -> FoundSlogan | None:
        opener = text[opener_at]
        closer = OPENERS[opener]
        start = opener_at + 1
        while start < len(text) and text[start] in _EDGE:
            start += 1
        brk = _SENTENCE_END.search(text, start)
        limit = brk.start() if brk else len(text)
        if opener != closer:  # a second “ before any ” means the first was never closed
            again = text.find(opener, start, limit)
            limit = again if again >= 0 else limit
        end = self._closer(text, start, closer, limit)
        if end is None:
            end, rule = limit, "unclosed"
        while end > start and text[end - 1] in _EDGE + ",":
            end -= 1
        if end <= start or not any(c.isalpha() for c in text[start:end]):
            return None
        return FoundSlogan(start, end, rule)

    @staticmethod
    def _closer(text: str, start: int, closer: str, limit: int) -> int | None:
        i = text.find(closer, start, limit)
        while i >= 0 and closer == "’" and i + 1 < len(text) and text[i + 1].isalpha():
            i = text.find(closer, i + 1, limit)  # an apostrophe inside a word ("K’Thanh")
        return i if i >= 0 else None

    def _with_list(self, text: str, first: FoundSlogan) -> list[FoundSlogan]:
        """The found name plus the quotations that continue its list."""
        spans = [first]
        while True:
            k = spans[-1].end
            while k < len(text) and text[k] in " \t”\"»’":
                k += 1
            m = _LIST_SEPARATOR.match(text, k)
            if not m or m.end() >= len(text) or text[m.end()] not in OPENERS:
                return spans
            nxt = self._quoted(text, m.end(), "list")
            if nxt is None:
                return spans
            spans.append(nxt)

    def _named_quotes(self, text: str, plain: str) -> list[tuple[int, FoundSlogan]]:
        """(opener offset, name) of every quotation whose own text starts with a trigger
        (“Phong trào …”), unless it is the title of a book, a conference or a contest."""
        named = []
        for m in _ANY_OPENER.finditer(text):
            trig = TRIGGER.match(plain, m.end())
            if not trig or QUOTE_ONLY.match(trig.group()) or _TITLE_WORDS.search(plain, max(0, m.start() - 30), m.start()):
                continue
            found = self._quoted(text, m.start(), "named")
            if found and found.end - found.start > len(trig.group()) + 3:
                named.append((m.start(), found))
        return named

    # -- after a trigger --------------------------------------------------------------------
    def _after_trigger(self, text: str, plain: str, trigger: re.Match) -> list[FoundSlogan]:
        i = trigger.end()
        for _ in range(8):
            m = GAP.match(plain, i)
            if not m or m.end() == i:
                break
            i = m.end()
        if i < len(text) and text[i] in OPENERS:
            first = self._quoted(text, i, "quoted")
            return self._with_list(text, first) if first else []
        announced = self._announced_list(text, plain, i)
        if announced is not None:
            first = self._quoted(text, announced, "list")
            return self._with_list(text, first) if first else []
        if QUOTE_ONLY.match(trigger.group()) or i >= len(text):
            return []
        known = self._known_at(plain, i)
        if known:
            return self._with_list(text, FoundSlogan(i, known, "known"))
        if text[i].isupper() and plain[i:].split(" ", 1)[0] not in _NOT_NAME_STARTS:
            end = self._unquoted_end(text, plain, i)
            if end and len(text[i:end].split()) >= 2:
                return [FoundSlogan(i, end, "capitalised")]
        return []

    @staticmethod
    def _announced_list(text: str, plain: str, i: int) -> int | None:
        """Where a list announced after the trigger opens ("… trọng tâm như: “A”")."""
        m = _CLAUSE_TO_QUOTE.match(text, i)
        if not m or len(text[i:m.end()].split()) > MAX_INTRO_WORDS:
            return None
        return m.end() if LIST_INTRO.search(plain, i, m.end()) else None

    def _known_at(self, plain: str, i: int) -> int | None:
        first = plain[i:].split(" ", 1)[0]
        for key in self._known_first.get(first, ()):
            end = i + len(key)
            if plain.startswith(key, i) and (end == len(plain) or not plain[end].isalnum()):
                return end
        return None

    def _unquoted_end(self, text: str, plain: str, i: int) -> int | None:
        end = i + 1
        while True:
            m = min((x for x in (_UNQUOTED_END.search(plain, end), TRIGGER.search(plain, end)) if x),
                    key=lambda x: x.start(), default=None)
            comma = text.find(", ", end, m.start() if m else len(text))
            if comma < 0:
                end = m.start() if m else len(text)
                break
            if len(text[i:comma].split()) > MAX_WORDS_BEFORE_COMMA or not text[comma + 2:comma + 3].islower():
                end = comma
                break
            end = comma + 2
        if len(text[i:end].split()) > self.max_unquoted_words:
            return None
        return end
