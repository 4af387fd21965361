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

Which system a text uses is read from the text: a district, or a province that no longer
exists, means before 2025; otherwise the newer system is tried first.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
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


def _data_dir():
    """The package's data folder, found without importing the package (its parser pulls in heavy modules)."""
    import importlib.util
    from pathlib import Path

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


def _spelled_name(place: str) -> str:
    """The place's name without its unit word, folded but with its marks ("xã Tân Thành" -> "tân thành")."""
    words = place.split()
    plain = " ".join(stripped(place).split())
    match = _UNIT.match(plain)
    if match:
        words = words[len(match.group(1).split()):]
    return fold(" ".join(words))


class PlaceLinker:
    """Links the places of one document together, so that they can disambiguate each other."""

    def link(self, places: Iterable[str], text: str = "") -> list[dict[str, Any] | None]:
        """The unit of each place (None: not a unit), read together; ``text`` is the document, whose
        years tell the system when its places do not."""
        places = list(places)
        tables = _tables()
        readings = [read_place(p) for p in places]
        system = self._system(readings, tables, text)
        first = [self._candidates(r, tables) for r in readings]
        # the document's provinces and districts, in both systems, from its places named with a unit word
        sure = [c[0] for c, r in zip(first, readings) if len(c) == 1 and r and (r.unit or c[0]["level"] == "province")]
        provinces: set[str] = set()
        for found in sure:
            for code in (found["code"] if found["level"] == "province" else None, found.get("province", {}).get("code")):
                if code:
                    provinces.add(code)
                    provinces.update(v["province"]["code"] for v in [tables.successors.get("p" + code, {})] if v)
        districts = {c["code"] for c in sure if c["level"] == "district"}
        return [self._choose(c, r, provinces, districts, system, _spelled_name(p))
                for c, r, p in zip(first, readings, places)]

    @staticmethod
    def _system(readings, tables: _Tables, text: str) -> str:
        years = [int(y) for y in _YEAR.findall(text)]
        if years and max(years) <= 2024:
            return LEGACY
        for reading in readings:
            if not reading:
                continue
            if reading.unit and reading.levels == ("district",) and reading.key in tables.districts:
                return LEGACY
            if (reading.unit in (None, "tinh") and reading.key in tables.provinces[LEGACY]
                    and reading.key not in tables.provinces[NEW]):
                return LEGACY
        return NEW

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
    def _choose(candidates, reading, provinces: set[str], districts: set[str], system: str,
                spelled: str) -> dict[str, Any] | None:
        if not candidates:
            return None
        if reading.unit:  # the written unit word agrees with the official one: "thành phố Kon Tum" is not the province
            written = _UNIT_TYPES.get(reading.unit, reading.unit)
            candidates = [c for c in candidates if _unit_type(c["name"]) == written] or candidates
        if len(candidates) > 1:  # "Tân Thành" is not "Tân Thanh", though their keys are equal
            candidates = [c for c in candidates if fold(c.get("short", "")) == spelled] or candidates
        in_context = [c for c in candidates if c.get("district", {}).get("code") in districts] or \
                     [c for c in candidates if c.get("province", {}).get("code") in provinces or
                      (c["level"] == "province" and c["code"] in provinces)]
        if reading.unit is None and candidates[0]["level"] != "province":
            # a bare name: a district the data has only once, or a unit the document's places vouch for
            districts_only = [c for c in (in_context or candidates) if c["level"] == "district"]
            if len(districts_only) == 1 and system == LEGACY:  # no districts after 2025
                in_context = districts_only
            elif not in_context:
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
