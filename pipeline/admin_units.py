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
    "thi xa": ("district",), "xa": ("commune",), "phuong": ("commune",), "thi tran": ("commune",),
    "dac khu": ("commune",),
}
_UNIT = re.compile(r"^(" + "|".join(sorted((re.escape(u) for u in UNIT_WORDS), key=len, reverse=True)) + r")\s+(?=\S)")
LEGACY, NEW = "before_2025", "from_2025"


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


def _rows(table: str) -> list[dict[str, Any]]:
    import sqlite3

    with sqlite3.connect(f"file:{_data_dir() / 'dataset.db'}?mode=ro", uri=True) as connection:
        connection.row_factory = sqlite3.Row
        return [dict(r) for r in connection.execute(f"SELECT * FROM [{table}]")]  # noqa: S608 (fixed names)


@lru_cache(maxsize=1)
def _tables() -> _Tables:
    import json

    tables = _Tables(provinces={LEGACY: {}, NEW: {}}, communes={LEGACY: {}, NEW: {}})
    new_units: dict[tuple[str, str], dict[str, Any]] = {}
    new_provinces: dict[str, dict[str, Any]] = {}
    for row in _rows("admin_units"):
        province = {"name": row["province"], "code": row["provinceCode"]}
        new_provinces[row["provinceKey"]] = province
        tables.provinces[NEW].setdefault(name_key(row["provinceShort"]), {"level": "province", **province})
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
    for row in _rows("admin_units_legacy"):
        province = {"name": row["province"], "code": row["provinceCode"]}
        after = new_provinces.get(province_after.get(row["provinceKey"], ""))
        tables.provinces[LEGACY].setdefault(name_key(row["provinceShort"]), {"level": "province", **province})
        if after:
            tables.successors.setdefault("p" + row["provinceCode"], {"province": after})
            tables.successors.setdefault("d" + row["districtCode"], {"province": after})
        district = {"level": "district", "name": row["district"], "code": row["districtCode"],
                    "short": row["districtShort"], "province": province}
        options = tables.districts.setdefault(name_key(row["districtShort"]), [])
        if district not in options:
            options.append(district)
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


def read_place(text: str) -> tuple[tuple[str, ...], str] | None:
    """(levels the unit word allows, name key) of a place, or None when it names no unit."""
    plain = " ".join(stripped(text).split())
    match = _UNIT.match(plain)
    if match:
        return UNIT_WORDS[match.group(1)], name_key(plain[match.end():])
    key = name_key(plain)
    return (("province",), key) if key else None


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

    def link(self, places: Iterable[str]) -> list[dict[str, Any] | None]:
        places = list(places)
        tables = _tables()
        readings = [read_place(p) for p in places]
        system = self._system(readings, tables)
        first = [self._candidates(r, tables, system) for r in readings]
        # the document's provinces and districts, in both systems, from its unambiguous places
        provinces: set[str] = set()
        for found in (c[0] for c in first if len(c) == 1):
            for code in (found["code"] if found["level"] == "province" else None, found.get("province", {}).get("code")):
                if code:
                    provinces.add(code)
                    provinces.update(v["province"]["code"] for v in [tables.successors.get("p" + code, {})] if v)
        districts = {c[0]["code"] for c in first if len(c) == 1 and c[0]["level"] == "district"}
        spelled = [_spelled_name(p) for p in places]
        return [self._choose(c, provinces, districts, system, name) for c, name in zip(first, spelled)]

    @staticmethod
    def _system(readings, tables: _Tables) -> str:
        for reading in readings:
            if not reading:
                continue
            levels, key = reading
            if levels == ("district",) and key in tables.districts:
                return LEGACY
            if "province" in levels and key in tables.provinces[LEGACY] and key not in tables.provinces[NEW]:
                return LEGACY
        return NEW

    @staticmethod
    def _candidates(reading, tables: _Tables, system: str) -> list[dict[str, Any]]:
        if not reading:
            return []
        levels, key = reading
        for level in levels:
            if level == "province":
                found = tables.provinces[system].get(key) or tables.provinces[LEGACY if system == NEW else NEW].get(key)
                if found:
                    return [dict(found, system=system if key in tables.provinces[system] else
                                 (LEGACY if system == NEW else NEW))]
            elif level == "district" and key in tables.districts:
                return [dict(d, system=LEGACY) for d in tables.districts[key]]
            elif level == "commune":  # both systems: the document's provinces choose, its system breaks ties
                found = [dict(c, system=where) for where in (system, LEGACY if system == NEW else NEW)
                         for c in tables.communes[where].get(key, [])]
                if found:
                    return found
        return []

    @staticmethod
    def _choose(candidates, provinces: set[str], districts: set[str], system: str,
                spelled: str = "") -> dict[str, Any] | None:
        if len(candidates) > 1 and spelled:  # "Tân Thành" is not "Tân Thanh", though their keys are equal
            candidates = [c for c in candidates if fold(c.get("short", "")) == spelled] or candidates
        if len(candidates) > 1:
            narrowed = [c for c in candidates if c.get("district", {}).get("code") in districts] or \
                       [c for c in candidates if c.get("province", {}).get("code") in provinces]
            candidates = narrowed or candidates
        if len(candidates) > 1 and len({c["system"] for c in candidates}) > 1:
            candidates = [c for c in candidates if c["system"] == system] or candidates  # the text's system
        if not candidates:
            return None
        if len(candidates) > 1:
            return {"candidates": [{k: c[k] for k in ("level", "name", "code", "province", "system") if k in c}
                                   for c in candidates[:5]], "ambiguous": len(candidates)}
        unit = {k: v for k, v in candidates[0].items() if k != "short"}
        if unit["system"] == LEGACY:
            successor = _tables().successors.get(unit["level"][0].replace("c", "w") + unit["code"])
            if successor:
                unit["successor"] = successor
        return unit
