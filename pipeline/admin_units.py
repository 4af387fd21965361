"""Places linked to Vietnam's administrative units, before and after the 2025 reorganisation.

The data is the PyPI package ``vietnamadminunits`` (its SQLite tables ``admin_units_legacy``,
63 provinces with districts, and ``admin_units``, 34 provinces and wards from 2025-07-01, and
its converter table from the old units to the new), read straight from the package's data
folder. Nothing is typed in by hand here.

A LOCATION is read as a unit word and a name ("huyện Đắk Song" → district "Đắk Song"; a bare
name is tried as a province). Names are matched on letters only, without marks or spaces
("Đăk"/"Đắk", "N’Drung"/"N'Drung" alike). When several units share a name, the document's
other places decide (a commune in the district or province the document names); when they
cannot, the candidates are listed instead of a guess.

Which system a text uses comes from its publication date when the input gives one, else from
the years in the text, else from its places: a district, or a province that no longer exists,
means before 2025; otherwise the newer system is tried first.
"""
from __future__ import annotations

import os
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

from .errors import ModelError
from .tones import fold, stripped

# unit word (folded, no marks) -> levels it can name, most likely first
UNIT_WORDS = {
    "tinh": ("province",), "thanh pho": ("province", "district"), "tp.": ("province", "district"),
    "tp": ("province", "district"), "thu do": ("province",), "huyen": ("district",), "quan": ("district",),
    "thi xa": ("district",), "huyen dao": ("district",), "xa": ("commune",), "phuong": ("commune",), "thi tran": ("commune",),
    "dac khu": ("commune",),
}
_UNIT = re.compile(r"^(" + "|".join(sorted((re.escape(u) for u in UNIT_WORDS), key=len, reverse=True)) + r")\s+(?=\S)")
LEGACY, NEW = "before_2025", "from_2025"
# words that open a place which is not an administrative unit (without marks)
_NOT_UNIT_WORDS = frozenset("song suoi nui ho deo cau duong pho ngo hem thon ban buon bon lang ap xom to khu dao vinh "
                            "bien cho ga cang ben rung vuon mien vung".split())
_NOT_UNIT_PHRASES = ("cua khau", "khu cong nghiep", "khu kinh te", "cao nguyen")


def name_key(name: str) -> str:
    """Letters and digits only, without marks: "Đắk N’Drung" -> "dakndrung"."""
    return re.sub(r"[^0-9a-z]", "", stripped(name))


def package_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("vietnamadminunits")
    except PackageNotFoundError:
        return "missing"


@dataclass
class _Tables:
    provinces: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)  # system -> key -> unit
    districts: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # legacy only
    communes: dict[str, dict[str, list[dict[str, Any]]]] = field(default_factory=dict)  # system -> key -> units
    successors: dict[str, dict[str, Any]] = field(default_factory=dict)  # old unit code -> 2025 unit(s)
    predecessors: dict[str, set[str]] = field(default_factory=dict)  # 2025 province code -> old ones


def _data_dir():
    """The package's data folder, found without importing the package (its parser pulls in heavy modules)."""
    import importlib.util

    spec = importlib.util.find_spec("vietnamadminunits")
    if spec is None or not spec.submodule_search_locations:
        raise ModelError("The package vietnamadminunits is not installed", hint='pip install -e ".[dev]"')
    return Path(list(spec.submodule_search_locations)[0]) / "data"


_COLUMNS = ("province", "provinceShort", "provinceCode", "provinceKey", "provinceKeywords",
            "ward", "wardShort", "wardCode", "wardKey")
_LEGACY_COLUMNS = _COLUMNS + ("district", "districtShort", "districtCode", "districtKey", "districtKeywords")


def _rows(table: str) -> list[dict[str, Any]]:
    """The columns linking needs (the tables also hold coordinates and bounds: reading those costs 0.5 s)."""
    import sqlite3

    columns = _LEGACY_COLUMNS if table == "admin_units_legacy" else _COLUMNS
    with sqlite3.connect(f"file:{_data_dir() / 'dataset.db'}?mode=ro", uri=True) as connection:
        cursor = connection.execute(f"SELECT {', '.join(columns)} FROM [{table}]")  # noqa: S608 (fixed names)
        return [dict(zip(columns, row)) for row in cursor]


@lru_cache(maxsize=None)  # 10,000 rows name 63 provinces and 700 districts
def _keys(short: str, keywords: str | None) -> frozenset[str]:
    """A unit's name key and the data's own spelling variants ("thuathienhue" for today's "Huế")."""
    import json

    keys = {name_key(short)}
    for keyword in json.loads(keywords) if keywords else []:
        if len(keyword) > 3:  # "hn", "hcm": abbreviations match too much
            keys.add(keyword)
    return frozenset(keys)


@lru_cache(maxsize=1)
def _tables() -> _Tables:
    """The linking tables, from a cache file when one was written for this data and this code
    (building them from the package's files is about a fifth of a run's start-up)."""
    import pickle

    cache = _cache_file()
    try:
        with open(cache, "rb") as stream:
            return pickle.load(stream)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, TypeError):
        pass
    tables = _build_tables()
    try:  # written atomically; a cache that cannot be written is simply not used
        cache.parent.mkdir(parents=True, exist_ok=True)
        partial = cache.with_suffix(f".{os.getpid()}.partial")
        with open(partial, "wb") as stream:
            pickle.dump(tables, stream, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(partial, cache)
    except OSError:
        pass
    return tables


def _cache_file() -> Path:
    """``$VNPIPE_CACHE`` (default ``~/.cache/vnpipe``), named by the data's version and this file's hash."""
    from .resources import file_hash

    folder = os.environ.get("VNPIPE_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "vnpipe")
    return Path(folder) / f"admin-units-{package_version()}-{file_hash([Path(__file__)])[:12]}.pickle"


def _build_tables() -> _Tables:
    import json

    tables = _Tables(provinces={LEGACY: {}, NEW: {}}, communes={LEGACY: {}, NEW: {}})
    new_units: dict[tuple[str, str], dict[str, Any]] = {}
    new_provinces: dict[str, dict[str, Any]] = {}
    for row in _rows("admin_units"):
        province = {"name": row["province"], "code": row["provinceCode"]}
        new_provinces[row["provinceKey"]] = province
        for key in _keys(row["provinceShort"], row.get("provinceKeywords")):
            tables.provinces[NEW].setdefault(key, {"level": "province", "short": row["provinceShort"], **province})
        if row["ward"]:
            unit = {"level": "commune", "name": row["ward"], "code": row["wardCode"], "short": row["wardShort"],
                    "province": province}
            new_units[(row["provinceKey"], row["wardKey"])] = unit
            tables.communes[NEW].setdefault(name_key(row["wardShort"]), []).append(unit)
    converter = json.loads((_data_dir() / "converter_2025.json").read_text(encoding="utf-8"))
    province_after = {old: new for new, olds in converter["DICT_PROVINCE"].items() for old in olds}
    ward_after: dict[str, tuple[str, str]] = {}
    for new_province, wards in converter["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for new_ward, olds in wards.items():
            for old in olds:
                ward_after[old] = (new_province, new_ward)
    for new_province, olds in converter["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old, options in olds.items():  # a divided ward: the converter's default part
            best = next((o for o in options if o.get("isDefaultNewWard")), options[0] if options else None)
            if best:
                ward_after[old] = (new_province, best["newWardKey"])
    seen_districts: set[str] = set()
    for row in _rows("admin_units_legacy"):
        province = {"name": row["province"], "code": row["provinceCode"]}
        after = new_provinces.get(province_after.get(row["provinceKey"], ""))
        for key in _keys(row["provinceShort"], row.get("provinceKeywords")):
            tables.provinces[LEGACY].setdefault(key, {"level": "province", "short": row["provinceShort"], **province})
        if after:
            tables.successors.setdefault("p" + row["provinceCode"], {"province": after})
            tables.predecessors.setdefault(after["code"], set()).add(row["provinceCode"])
            tables.successors.setdefault("d" + row["districtCode"], {"province": after})
        district = {"level": "district", "name": row["district"], "code": row["districtCode"],
                    "short": row["districtShort"], "province": province}
        if row["districtCode"] not in seen_districts:
            seen_districts.add(row["districtCode"])
            for key in _keys(row["districtShort"], row.get("districtKeywords")):
                tables.districts.setdefault(key, []).append(district)
        if not row["ward"]:
            continue
        tables.communes[LEGACY].setdefault(name_key(row["wardShort"]), []).append(
            {"level": "commune", "name": row["ward"], "code": row["wardCode"], "short": row["wardShort"],
             "province": province, "district": {"name": row["district"], "code": row["districtCode"]}})
        new = new_units.get(ward_after.get(f"{row['provinceKey']}_{row['districtKey']}_{row['wardKey']}", ("", "")))
        if new:
            tables.successors["w" + row["wardCode"]] = {
                "province": new["province"], "ward": {"name": new["name"], "code": new["code"]}}
        elif after:
            tables.successors["w" + row["wardCode"]] = {"province": after}
    return tables


@dataclass(frozen=True)
class PlaceReading:
    unit: str | None  # the unit word as written, without marks ("thanh pho"), or None for a bare name
    levels: tuple[str, ...]
    key: str


def read_place(text: str) -> PlaceReading | None:
    """How a place names a unit: its unit word, the levels that allows, and the name's key.

    A bare name may be any level: the linker accepts a district or commune only when the
    document's other places single it out ("Đắk Song" in an article about Đắk Nông).
    """
    plain = " ".join(stripped(text).split())
    match = _UNIT.match(plain)
    if match:
        name = plain[match.end():]
        key = name_key(plain) if name.isdigit() else name_key(name)  # "Quận 7": numbered units keep the word
        return PlaceReading(match.group(1), UNIT_WORDS[match.group(1)], key)
    if plain.split(" ", 1)[0] in _NOT_UNIT_WORDS or plain.startswith(_NOT_UNIT_PHRASES):
        return None  # "sông Mã" is a river, not the district Sông Mã
    key = name_key(plain)
    return PlaceReading(None, ("province", "district", "commune"), key) if key else None


_UNIT_TYPES = {"tp.": "thanh pho", "tp": "thanh pho", "huyen dao": "huyen", "thu do": "thanh pho"}


def _unit_type(official_name: str) -> str:
    """The unit word of an official name ("Thành phố Kon Tum" -> "thanh pho")."""
    plain = " ".join(stripped(official_name).split())
    match = _UNIT.match(plain)
    return match.group(1) if match else ""


_YEAR = re.compile(r"(?<!\d)(19[4-9]\d|20\d\d)(?!\d)")


def _agreeing(candidates: list[dict[str, Any]], reading: PlaceReading) -> list[dict[str, Any]]:
    """The candidates whose official unit word is the one written ("thành phố Kon Tum" is not
    the province), or all of them when none is."""
    if not reading.unit:
        return candidates
    written = _UNIT_TYPES.get(reading.unit, reading.unit)
    return [c for c in candidates if _unit_type(c["name"]) == written] or candidates


def _district_code(unit: dict[str, Any]) -> str | None:
    """A district's own code, or the code of the district a commune is in (None after 2025)."""
    return unit["code"] if unit["level"] == "district" else unit.get("district", {}).get("code")


def _spelled_name(place: str) -> str:
    """The place's name without its unit word, folded but with its marks ("xã Tân Thành" -> "tân thành")."""
    words = place.split()
    plain = " ".join(stripped(place).split())
    match = _UNIT.match(plain)
    if match:
        words = words[len(match.group(1).split()):]
    return fold(" ".join(words))


class PlaceLinker:
    """Links the places of one document together, so that they can disambiguate each other.

    ``aliases`` maps former or informal names to the data's ("Thừa Thiên Huế" -> "Huế").
    """

    def __init__(self, aliases: dict[str, str] | None = None):
        self.aliases = {name_key(k): name_key(v) for k, v in (aliases or {}).items()}

    def link(self, places: Iterable[str], text: str = "", date: str | None = None) -> list[dict[str, Any] | None]:
        """The unit of each place (None: not a unit), read together. The system (before or from
        2025) is the one of ``date`` (the publication date, when the input gives one), else of
        the years in ``text``, else of the places themselves."""
        places = list(places)
        tables = _tables()
        readings = [self._aliased(read_place(p)) for p in places]
        first = [self._candidates(r, tables) for r in readings]
        system = _system_of_date(date) or self._system(readings, first, text)
        spelled = [_spelled_name(p) for p in places]
        # places that name one unit on their own (with a unit word, or a province) give the context
        alone = [self._choose(c, r, _Context(), system, s) for c, r, s in zip(first, readings, spelled)]
        context = _Context()
        for unit, reading in zip(alone, readings):
            if unit and "code" in unit and (reading.unit or unit["level"] == "province"):
                context.add(unit, tables)
        # districts that ambiguous places may be in: "huyện An Lão" (two provinces have one) and
        # "xã An Vinh" settle each other when only one An Lão has an An Vinh
        maybe = [{_district_code(c) for c in found} - {None} if reading and reading.unit else set()
                 for found, reading in zip(first, readings)]
        counts = Counter(code for codes in maybe for code in codes)
        return [self._choose(c, r, context.near(counts, own), system, s)
                for c, r, s, own in zip(first, readings, spelled, maybe)]

    def _aliased(self, reading: PlaceReading | None) -> PlaceReading | None:
        if reading and reading.key in self.aliases:
            return PlaceReading(reading.unit, reading.levels, self.aliases[reading.key])
        return reading

    @staticmethod
    def _system(readings, candidates, text: str) -> str:
        """The text's system: its years, else a vote of the places only one system has
        ("huyện" names a district: before 2025; "xã Tuy Phong" exists only from 2025)."""
        years = [int(y) for y in _YEAR.findall(text)]
        if years and max(years) <= 2024:
            return LEGACY
        votes = {LEGACY: 0, NEW: 0}
        for reading, found in zip(readings, candidates):
            if not reading or not found:
                continue
            found = _agreeing(found, reading)
            systems = {c["system"] for c in found}
            if len(systems) == 1:
                votes[systems.pop()] += 1
        return LEGACY if votes[LEGACY] > votes[NEW] or (votes[LEGACY] and votes[LEGACY] == votes[NEW]) else NEW

    @staticmethod
    def _candidates(reading: PlaceReading | None, tables: _Tables) -> list[dict[str, Any]]:
        if not reading:
            return []
        found: list[dict[str, Any]] = []
        for level in reading.levels:
            if level == "province":
                found += [dict(tables.provinces[system][reading.key], system=system)
                          for system in (LEGACY, NEW) if reading.key in tables.provinces[system]]
            elif level == "district":
                found += [dict(d, system=LEGACY) for d in tables.districts.get(reading.key, [])]
            else:
                found += [dict(c, system=system) for system in (LEGACY, NEW)
                          for c in tables.communes[system].get(reading.key, [])]
            if found and reading.unit is None and level == "province":
                return found  # a bare province name is the province
        return found

    @staticmethod
    def _choose(candidates, reading, context: "_Context", system: str, spelled: str) -> dict[str, Any] | None:
        if not candidates:
            return None
        every = candidates
        candidates = _agreeing(candidates, reading)
        if len(candidates) > 1:  # "Tân Thành" is not "Tân Thanh", though their keys are equal
            candidates = [c for c in candidates if fold(c.get("short", "")) == spelled] or candidates
        in_context = (context.named(candidates) if reading.unit is None else []) or \
            context.in_districts(candidates) or context.in_provinces(candidates) or \
            context.in_districts(every) or context.nearby(candidates)  # "xã Hùng Sơn" for the thị trấn
        if reading.unit is None and candidates[0]["level"] != "province":
            # a bare name: a district the data has only once, or a unit the document's places vouch for
            districts_only = [c for c in (in_context or candidates) if c["level"] == "district"]
            if len(districts_only) == 1 and system == LEGACY:  # no districts after 2025
                in_context = districts_only
            elif not in_context or (system != LEGACY and all(c["level"] == "district" for c in in_context)):
                return None
        candidates = in_context or candidates
        if len({c["system"] for c in candidates}) > 1:
            candidates = [c for c in candidates if c["system"] == system] or candidates  # the text's system
        if len(candidates) > 1:
            return {"candidates": [{k: c[k] for k in ("level", "name", "code", "province", "system") if k in c}
                                   for c in candidates[:5]], "ambiguous": len(candidates)}
        unit = {k: v for k, v in candidates[0].items() if k != "short"}
        if unit["system"] == LEGACY:
            successor = _tables().successors.get(unit["level"][0].replace("c", "w") + unit["code"])
            if successor:
                unit["successor"] = successor
        return unit


# a publication date: year-month first ("2025-08-01T…"), or day/month/year ("01/08/2025"), or a year
@dataclass
class _Context:
    """The units a document's unambiguous places name, in both systems' codes."""

    provinces: set[tuple[str, str]] = field(default_factory=set)  # (system, code): codes repeat across systems
    districts: set[str] = field(default_factory=set)
    # districts that the document's places may be in (how many places), and those of the place itself
    maybe_districts: Counter = field(default_factory=Counter)
    own_districts: set[str] = field(default_factory=set)

    def add(self, unit: dict[str, Any], tables: _Tables) -> None:
        district = _district_code(unit)
        if district:  # a commune's district too: its neighbours are likely there
            self.districts.add(district)
        code = unit["code"] if unit["level"] == "province" else unit["province"]["code"]
        self.provinces.add((unit["system"], code))
        if unit["system"] == LEGACY:
            successor = tables.successors.get("p" + code)  # an old province: its 2025 successor too
            if successor:
                self.provinces.add((NEW, successor["province"]["code"]))
        else:
            self.provinces.update((LEGACY, old) for old in tables.predecessors.get(code, ()))

    def near(self, maybe_districts: Counter, own_districts: set[str]) -> "_Context":
        """This context, seen from one place: the districts the *other* places may be in count."""
        return _Context(self.provinces, self.districts, maybe_districts, own_districts)

    def named(self, candidates):
        """A bare name the document also writes with its unit word ("huyện Krông Năng" ... "Krông Năng")."""
        return [c for c in candidates if c["level"] == "district" and c["code"] in self.districts
                or c["level"] == "province" and (c["system"], c["code"]) in self.provinces]

    def in_districts(self, candidates):
        return [c for c in candidates if c.get("district", {}).get("code") in self.districts]

    def in_provinces(self, candidates):
        return [c for c in candidates if (c["system"], c["code"] if c["level"] == "province"
                                          else c["province"]["code"]) in self.provinces]

    def nearby(self, candidates):
        def others_may_be_in(code):
            return code is not None and self.maybe_districts[code] > (code in self.own_districts)

        return [c for c in candidates if others_may_be_in(_district_code(c))]


_DATE_FORMS = (re.compile(r"(?<!\d)(?P<year>(?:19|20)\d\d)[-/.](?P<month>\d{1,2})(?!\d)"),
               re.compile(r"(?<!\d)(?P<month>\d{1,2})[-/.](?P<year>(?:19|20)\d\d)(?!\d)"),
               re.compile(r"(?<!\d)(?P<year>(?:19|20)\d\d)(?!\d)"))
_REORGANISED = (2025, 7)  # the 34-province system from 1 July 2025


def _system_of_date(date: str | None) -> str | None:
    """The system in force on a publication date, or None when the date does not say."""
    for form in _DATE_FORMS:
        match = form.search(str(date or ""))
        if match:
            year, month = int(match.group("year")), int(match.groupdict().get("month") or 0)
            if year != _REORGANISED[0]:
                return LEGACY if year < _REORGANISED[0] else NEW
            return (LEGACY if month < _REORGANISED[1] else NEW) if month else None
    return None
