"""Who holds which office: HOLDS(PERSON, POSITION) from the way Vietnamese news writes it.

Rules run within a sentence, on the entities and the text between them, strongest first:

1. ``title_name`` — a title right before a name, with only ranks or honorifics between:
   "Phó Thủ tướng Chính phủ Trần Hồng Hà", "Giám đốc Công an tỉnh, Đại tá Lê Văn Tám";
   a title that opens a list takes every name of it: "các Phó Chủ tịch UBND tỉnh: A, B và C";
2. ``name_titles`` — a name followed by a separator and a chain of titles:
   "đồng chí K’Thanh - TUV, Bí thư Huyện ủy, Chủ tịch HĐND huyện", "ông X (Giám đốc Sở)",
   "X, Chủ tịch UBND xã, cho biết"; the chain stops at a title that rule 1 gave to someone else;
3. ``appointment`` — a name, then (after its own titles, in the same clause) a verb of office and a
   title: "ông X, Phó Giám đốc Sở, được bổ nhiệm giữ chức Giám đốc Sở", "X trúng cử Chủ tịch UBND tỉnh";
   and "miễn nhiệm chức danh P đối với ông X";
4. ``titles_name`` — titles coordinated before a title that rule 1 linked: "Phó Bí thư, Chủ tịch UBND
   huyện X" gives X both.

A status word just before a title ("nguyên", "tân", "quyền", "phụ trách") is kept as ``status``.

>>> text = "Đồng chí K’Thanh - TUV, Bí thư Huyện ủy; Phó Chủ tịch UBND huyện Lê Văn Ba dự."
>>> ents = [{"start": 9, "end": 16, "label": "PERSON"}, {"start": 19, "end": 22, "label": "POSITION"},
...         {"start": 24, "end": 39, "label": "POSITION"}, {"start": 41, "end": 64, "label": "POSITION"},
...         {"start": 65, "end": 74, "label": "PERSON"}]
>>> [(h.person, h.position, h.rule) for h in HoldsFinder(["đồng chí"], ["nguyên"]).find(text, ents, [(0, len(text))])]
[(0, 1, 'name_titles'), (0, 2, 'name_titles'), (4, 3, 'title_name')]
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from typing import Any, Iterable, Sequence

from .tones import fold, stripped

PERSON, POSITION = "PERSON", "POSITION"


@dataclass(frozen=True)
class Holds:
    person: int
    position: int
    status: str | None
    rule: str


def _words_pattern(words: Iterable[str]) -> str:
    """Alternation of phrases on diacritic-stripped text, longest first."""
    keys = sorted({re.escape(stripped(" ".join(w.split()))) for w in words if w.strip()}, key=len, reverse=True)
    return "|".join(k.replace(r"\ ", r"\s+") for k in keys) or "(?!)"


class HoldsFinder:
    def __init__(self, person_prefixes: Iterable[str], status_words: Iterable[str]):
        prefix = _words_pattern(person_prefixes)
        status = _words_pattern(status_words)
        self._status_at_end = re.compile(rf"(?:^|(?<=\s))({status})\s*$")
        # between a title and the name it introduces: nothing, ranks, honorifics, "là", ":" or a comma before them
        self._title_to_name = re.compile(rf"^(?:(?:,|:|la|gom|la\s+cac)?\s*(?:cac\s+)?(?:(?:{prefix})\.?\s*)*)$")
        self._list_intro = re.compile(r"^(?::|la|gom)(?:\s|$)")
        self._office_verb = re.compile(
            r"(?:giu\s+chuc(?:\s+vu)?|giu\s+cuong\s+vi|lam|la|trung\s+cu|dam\s+nhan(?:\s+chuc(?:\s+vu)?)?|"
            r"dam\s+nhiem|kiem|bai\s+nhiem|chuc\s+danh)\s*$")
        self._other_people = re.compile(r"(?:^|\s)(?:cac|cung|nhung|voi)(?:\s|$)")  # "cùng các đồng chí là UVBTV"
        self._toward_person = re.compile(rf"^doi\s+voi\s*(?:(?:{prefix})\.?\s*)*$")
        self._list_separator = re.compile(rf"^(?:,|;|va)\s*(?:(?:{prefix})\.?\s*)*$")
        # between a name and the first title of its chain
        self._name_to_title = re.compile(rf"^(?:[-–—,(:]|,\s*hien\s+la|-\s*hien\s+la|la)\s*(?:({status})\s*)?$")
        # between two titles of one chain
        self._chain = re.compile(rf"^(?:[,;]|va|kiem|,\s*kiem|,\s*dong\s+thoi\s+la|[-–])\s*(?:({status})\s*)?$")

    def find(self, text: str, entities: Sequence[dict[str, Any]],
             sentences: Iterable[tuple[int, int]]) -> list[Holds]:
        plain = stripped(text)
        found: list[Holds] = []
        order = sorted(range(len(entities)), key=lambda i: entities[i]["start"])
        starts = [entities[i]["start"] for i in order]
        for start, end in sentences:  # entities by bisection: a scan per sentence is quadratic on long texts
            first, last = bisect_left(starts, start), bisect_left(starts, end)
            inside = sorted(i for i in order[first:last] if entities[i]["end"] <= end)
            found.extend(self._in_sentence(text, plain, entities, inside, start))
        return sorted(found, key=lambda h: (h.person, h.position))

    def _gap(self, plain: str, entities, a: int, b: int) -> str:
        return " ".join(plain[entities[a]["end"]:entities[b]["start"]].split())

    def _status(self, text: str, plain: str, entities, ids: list[int], k: int, sentence_start: int) -> str | None:
        left = entities[ids[k - 1]]["end"] if k else sentence_start
        match = self._status_at_end.search(plain, left, entities[ids[k]]["start"])
        return fold(" ".join(text[match.start(1):match.end(1)].split())) if match else None

    def _in_sentence(self, text: str, plain: str, entities, ids: list[int], sentence_start: int) -> list[Holds]:
        labels = [entities[i]["label"] for i in ids]
        holder: dict[int, tuple[list[int], str]] = {}  # position k -> (person ks, rule)

        # 1. title before the name(s)
        for k in range(len(ids) - 1):
            if labels[k] != POSITION or labels[k + 1] != PERSON:
                continue
            gap = self._gap(plain, entities, ids[k], ids[k + 1])
            if self._title_to_name.match(gap):
                people = [k + 1]
                if self._list_intro.match(gap):
                    j = k + 1
                    while (j + 1 < len(ids) and labels[j + 1] == PERSON
                           and self._list_separator.match(self._gap(plain, entities, ids[j], ids[j + 1]))):
                        j += 1
                        people.append(j)
                holder[k] = (people, "title_name")

        # 2. a name followed by a chain of titles
        for k in range(len(ids) - 1):
            if labels[k] != PERSON or labels[k + 1] != POSITION or k + 1 in holder:
                continue
            if not self._name_to_title.match(self._gap(plain, entities, ids[k], ids[k + 1])):
                continue
            j = k + 1
            while True:
                holder[j] = ([k], "name_titles")
                if j + 1 >= len(ids) or labels[j + 1] != POSITION or j + 1 in holder:
                    break
                if not self._chain.match(self._gap(plain, entities, ids[j], ids[j + 1])):
                    break
                j += 1

        # 3. a verb of office between a name (and its own titles) and a title, within one clause
        for k in range(len(ids)):
            if labels[k] != POSITION or k in holder:
                continue
            left = entities[ids[k - 1]]["end"] if k else sentence_start
            cue = " ".join(plain[left:entities[ids[k]]["start"]].split())
            if not self._office_verb.search(cue) or self._other_people.search(cue):
                continue
            if (k + 1 < len(ids) and labels[k + 1] == PERSON
                    and self._toward_person.match(self._gap(plain, entities, ids[k], ids[k + 1]))):
                holder[k] = ([k + 1], "appointment")
                continue
            j = k - 1
            while j >= 0 and labels[j] == POSITION:
                j -= 1
            if j >= 0 and labels[j] == PERSON and ";" not in plain[entities[ids[j]]["end"]:entities[ids[k]]["start"]]:
                holder[k] = ([j], "appointment")

        # 4. titles coordinated before a title given to the name after it
        for k in range(len(ids) - 2, -1, -1):
            if labels[k] == POSITION and k not in holder and k + 1 in holder and holder[k + 1][1] in (
                    "title_name", "titles_name") and labels[k + 1] == POSITION:
                if self._chain.match(self._gap(plain, entities, ids[k], ids[k + 1])):
                    holder[k] = (holder[k + 1][0], "titles_name")

        return [Holds(ids[p], ids[k], self._status(text, plain, entities, ids, k, sentence_start), rule)
                for k, (people, rule) in holder.items() for p in people]
