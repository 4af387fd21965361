"""Regenerate ``configs/lexicon/places.txt`` from a maintained package.

The place names of the domain lexicon are not typed by hand: they come from
the PyPI package ``vietnamadminunits`` (MIT), which ships Vietnam's
administrative units both before the 2025-07-01 reorganisation (63 provinces,
their districts, wards and communes) and after it (34 provinces, their wards,
communes and special zones).  Install it anywhere (it is not a dependency of
vnpipe) and run::

    pip install vietnamadminunits
    python -m pipeline.lexicon_sources --output configs/lexicon/places.txt

What is written (see ``configs/lexicon/README.md`` for the rule):

* the bare names, without the unit word: "Đắk Song", not "huyện Đắk Song";
* every province and city (63 old, 34 new), every district (old) and special
  zone (new), and the commune/ward names selected by ``--communes`` (default
  ``distinctive``: see :func:`is_distinctive`);
* minus :data:`HOMOGRAPHS`, a few district names that running text mostly
  uses as something else (a common phrase, part of a person's name);
* a short hand-kept list of names the package does not have (regions that
  VLSP 2013 writes as one word, the pre-2025 name "Thừa Thiên Huế", ...);
* only names of two or more syllables: a single syllable ("Huế", "Vinh") is
  already one word and forces nothing;
* one tone-mark style (old style: "Hòa", "Thủy"), one apostrophe (’).

This module imports nothing outside the standard library at import time; the
package is imported inside :func:`main`.
"""
from __future__ import annotations

import argparse
import re
import sys
import unicodedata
from pathlib import Path
from typing import Iterable, Sequence

PACKAGE = "vietnamadminunits"

# Names the package does not hold but the news uses, each checked against how
# VLSP 2013 segments it (one word there, in most of its occurrences).  Names
# that VLSP splits or writes both ways are deliberately absent: "miền Trung",
# "Đồng bằng sông Cửu Long", "Bắc Trung Bộ" (bắc Trung_Bộ in 7 of 10), "Biển
# Đông" (biển Đông about as often as Biển_Đông), "Thành phố Hồ Chí Minh"
# (thành_phố Hồ_Chí_Minh: the name is "Hồ Chí Minh", which the package provides).
EXTRA_PLACES = (
    "Việt Nam",
    "Sài Gòn",
    "Thừa Thiên Huế",  # the province's name until 2025-01-01 (the package says "Huế")
    "Hà Tây",  # province merged into Hà Nội in 2008; frequent in older news
    "Tây Nguyên",
    "Tây Bắc",
    "Việt Bắc",
    "Bắc Bộ",
    "Trung Bộ",
    "Nam Bộ",
    "Nam Trung Bộ",
    "Đông Nam Bộ",  # joined in 13 of 22 VLSP occurrences; "Nam Bộ" alone would split it
    "Tây Nam Bộ",
    "Đông Nam Á",
    "Đồng Tháp Mười",
    "Cửu Long",
    "Trường Sa",
    "Hoàng Sa",
    "Thái Bình Dương",  # the Pacific: without it "Thái Bình" (province) would split it
)

# Administrative names that, in running text, are mostly something else: a
# common phrase ("chợ mới" new market, "cờ đỏ" red flag, "ngã năm" five-way
# crossing, "sông Lô" the river, "cầu Ông Lãnh" the bridge, "anh Sơn" brother
# Sơn) or the middle and given name of a person (Lê Thanh Hà, Lê Đức Thọ,
# Nguyễn Thanh Bình, An Dương Vương).  The lexicon is matched without regard to
# case and its matches win over the CRF, so forcing them would cut those words
# apart.  Chosen by two rules (names only; no text is kept):
# 1. VLSP 2013 training set: at least 5 occurrences, fewer than half of them
#    the name as one word, and a net loss of at least 5 correct words when forced;
# 2. a sample of 3,000 political news articles (vietnews): at least 5
#    capitalised occurrences, at least half of them right after a family name.
HOMOGRAPHS = frozenset(
    (
        # rule 1
        "An Dương", "Anh Sơn", "Cầu Ông Lãnh", "Chợ Mới", "Cờ Đỏ", "Đức Thọ", "Lý Nhân",
        "Ngã Năm", "Như Thanh", "Sông Lô", "Thanh Hà", "Thanh Sơn", "Vũ Quang", "Xuân Trường",
        # rule 2
        "Bắc Hà", "Bình Minh", "Duyên Hải", "Ngọc Hiển", "Phước Sơn", "Sơn Hà", "Thanh Bình",
        "Thanh Liêm", "Văn Lâm",
    )
)

# First syllables of minority-language place names (Tây Nguyên, the northern
# mountains): a two-syllable commune name starting with one of them is kept.
# Syllables that are also frequent Vietnamese words ("bản", "hồng", "cư") are
# not here: "Hồng Phong" would break the person name "Lê Hồng Phong".
MINORITY_PREFIXES = frozenset(
    "a bó bon buôn chư đạ đăk đắk ea hua huổi ia kon krông lao lũng mù mường "
    "na nà nậm pa pà phìn sín sìn tà tả xín y".split()
)

# A syllable of standard Vietnamese spelling: onset, vowel cluster, final
# consonant (tone marks removed first).  Names with a syllable outside it
# ("Krông", "H’leo", "Đắk", "Ea") are minority-language names, distinctive.
_ONSETS = "ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|b|c|d|đ|g|h|k|l|m|n|p|r|s|t|v|x"
_VOWEL_CLUSTERS = sorted(
    (
        "a ă â e ê i o ô ơ u ư y ai ao au ay âu ây eo êu ia iê iu oa oă oe oi ôi ơi oo "
        "ua uâ uê ui uô uơ uy ưa ưi ươ ưu yê oai oay oao oeo uây uôi ươi ươu uya uyê uyu "
        "iêu yêu"
    ).split(),
    key=len,
    reverse=True,
)
_CODAS = "ch|nh|ng|c|m|n|p|t"
_KINH_SYLLABLE = re.compile(rf"^(?:{_ONSETS})?(?:{'|'.join(_VOWEL_CLUSTERS)})(?:{_CODAS})?$")

_NUMBER = re.compile(r"^\d+$")
_QUALIFIER = re.compile(r"\s*\([^)]*\)\s*$")  # "Kỳ Anh (Thị xã)" -> "Kỳ Anh"
_APOSTROPHES = str.maketrans({"'": "’", "‘": "’", "`": "’", "ʼ": "’"})
_TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"  # grave, acute, tilde, hook, dot
# Common-noun heads that some unit names carry ("Nông trường Việt Lâm"):
# VLSP writes them as a separate word, so such names are left out.
_COMMON_HEADS = ("nông trường", "lâm trường", "thị trấn", "phường", "xã")


def old_style(syllable: str) -> str:
    """Move the tone mark of an open "oa", "oe", "uy" to its first vowel ("hoà" -> "hòa")."""
    decomposed = unicodedata.normalize("NFD", syllable)
    match = re.search(r"([oOuU])([aAeEyY])([" + _TONE_MARKS + r"])$", decomposed)
    if not match:
        return unicodedata.normalize("NFC", syllable)
    first, second, mark = match.groups()
    if first.lower() == "u" and second.lower() != "y":
        return unicodedata.normalize("NFC", syllable)
    if first.lower() == "u" and decomposed[: match.start()].lower().endswith("q"):
        return unicodedata.normalize("NFC", syllable)  # "quý": the u belongs to the onset
    if first.lower() == "o" and second.lower() not in "ae":
        return unicodedata.normalize("NFC", syllable)
    rebuilt = decomposed[: match.start()] + first + mark + second
    return unicodedata.normalize("NFC", rebuilt)


def clean_name(raw: str | None) -> list[str]:
    """The bare name(s) in one package value: qualifiers, numbers and joined pairs handled."""
    if not raw:
        return []
    text = unicodedata.normalize("NFC", raw).translate(_APOSTROPHES)
    text = _QUALIFIER.sub("", text).strip()
    names = []
    # "Bà Rịa - Vũng Tàu", "Văn Miếu - Quốc Tử Giám": each side is a name.
    for part in re.split(r"\s*[-–]\s*", text):
        words = [w for w in part.split() if not _NUMBER.match(w)]  # "Mỹ Đình 1", "1 Bảo Lộc"
        if not words:
            continue
        if " ".join(words[:2]).lower() in _COMMON_HEADS or words[0].lower() in _COMMON_HEADS:
            continue
        fixed = []
        for word in words:
            word = old_style(word)
            if word[0].islower():  # the package lowercases some vowel-initial syllables ("Đại áng")
                word = word[0].upper() + word[1:]
            fixed.append(word)
        names.append(" ".join(fixed))
    return names


def sort_key(entry: str) -> tuple[str, str]:
    """Alphabetical in Vietnamese order, roughly: base letters first, đ after d."""
    base = unicodedata.normalize("NFD", entry.lower().replace("đ", "d\uffff"))
    base = "".join(c for c in base if not unicodedata.combining(c))
    return base, entry


def fold_key(entry: str) -> str:
    """Duplicate detection: case, tone placement and apostrophes folded."""
    return " ".join(old_style(w).lower() for w in entry.translate(_APOSTROPHES).split())


def is_standard_syllable(syllable: str) -> bool:
    """Whether a syllable is spelled like a standard (Kinh) Vietnamese one."""
    if len(syllable) == 1 and syllable.isupper():
        return True  # "An Bình B": a letter suffix says nothing
    bare = unicodedata.normalize("NFD", syllable.lower())
    bare = unicodedata.normalize("NFC", "".join(c for c in bare if c not in _TONE_MARKS))
    return bool(_KINH_SYLLABLE.match(bare))


def is_distinctive(name: str) -> bool:
    """A commune/ward name worth forcing as one word.

    Two-syllable names of standard Vietnamese syllables ("Tân Tiến", "Bảo An",
    "Thứ Ba", "Lê Thanh") are mostly ordinary words, phrases or parts of
    person names, and forcing them breaks running text far more often than it
    helps; they are left out.  Kept: names of three or more syllables
    ("Tân Sơn Nhất", "Phú Mỹ Hưng"), names with a minority-language syllable
    ("Đắk N’Drung", "Ea Tul") and names starting with a minority-language
    place-name prefix ("Ia Mơ", "Nậm Cắn", "Mường Hum").
    """
    words = name.split()
    if len(words) >= 3:
        return True
    if words[0].lower() in MINORITY_PREFIXES:
        return True
    return not all(is_standard_syllable(w) for w in words)


def collect(rows_legacy: Iterable[dict], rows_2025: Iterable[dict], communes: str) -> dict[str, set[str]]:
    """Names by kind ("province", "district", "commune", "extra") from the package's rows."""
    kinds: dict[str, set[str]] = {"province": set(), "district": set(), "commune": set(), "extra": set()}
    for row in rows_legacy:
        kinds["province"].update(clean_name(row.get("provinceShort")))
        kinds["district"].update(clean_name(row.get("districtShort")))
        if communes != "none":
            kinds["commune"].update(clean_name(row.get("wardShort")))
    for row in rows_2025:
        kinds["province"].update(clean_name(row.get("provinceShort")))
        if row.get("wardType") == "Đặc khu":  # special zones (Phú Quốc, Côn Đảo): district-sized
            kinds["district"].update(clean_name(row.get("wardShort")))
        elif communes != "none":
            kinds["commune"].update(clean_name(row.get("wardShort")))
    kinds["extra"].update(EXTRA_PLACES)
    if communes == "distinctive":
        kinds["commune"] = {n for n in kinds["commune"] if is_distinctive(n)}
    return kinds


def entries(kinds: dict[str, set[str]], min_syllables: int = 2) -> list[str]:
    """Names of at least ``min_syllables``, one per folded key, homographs left out, sorted."""
    chosen: dict[str, str] = {}
    skip = {fold_key(name) for name in HOMOGRAPHS}
    for kind in ("extra", "province", "district", "commune"):
        for name in sorted(kinds[kind]):  # sorted: the same spelling wins on every run
            if len(name.split()) < min_syllables or fold_key(name) in skip:
                continue
            chosen.setdefault(fold_key(name), name)
    return sorted(chosen.values(), key=sort_key)


def render(names: Sequence[str], version: str, communes: str, counts: dict[str, int], kind: str = "all") -> str:
    if kind == "province":
        return "\n".join([
            "# Provinces and centrally-run cities, before and after 2025-07-01 (one name per line, no unit word),",
            "# for the NER gazetteer (pipeline/stages/entities.py). Single syllables included.",
            f"# GENERATED by `python -m pipeline.lexicon_sources --kind province` from {PACKAGE} {version} (MIT).",
            "# Do not edit by hand: rerun the generator.",
            *names,
        ]) + "\n"
    header = [
        "# Place names for the word segmenter's domain lexicon (one name per line, no unit word).",
        f"# GENERATED by `python -m pipeline.lexicon_sources` from the PyPI package {PACKAGE} {version}",
        "# (MIT; tables admin_units_legacy = before 2025-07-01, admin_units = after), plus the",
        "# hand-kept EXTRA_PLACES of pipeline/lexicon_sources.py (regions VLSP 2013 writes as one word).",
        f"# Provinces old+new, pre-2025 districts, special zones, communes/wards: {communes};",
        "# left out: single syllables and the HOMOGRAPHS of the generator.",
        "# Counts of multi-syllable names before deduplication: "
        + ", ".join(f"{k} {v}" for k, v in counts.items())
        + ".",
        "# Do not edit by hand: change the generator and rerun it (see configs/lexicon/README.md).",
    ]
    return "\n".join(header + list(names)) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m pipeline.lexicon_sources",
        description=f"Regenerate the place-name lexicon from the {PACKAGE} package.",
    )
    parser.add_argument("--output", "-o", default="configs/lexicon/places.txt", help="file to write ('-' for stdout)")
    parser.add_argument(
        "--communes",
        choices=("distinctive", "all", "none"),
        default="distinctive",
        help="which commune/ward names to include (default: distinctive)",
    )
    parser.add_argument(
        "--kind",
        choices=("all", "province"),
        default="all",
        help="all place names (the segmenter lexicon) or only provinces/cities, old and new (the NER gazetteer)",
    )
    args = parser.parse_args(argv)

    try:  # lazy: importing this module must work without the package
        from importlib.metadata import version as package_version

        from vietnamadminunits.database import get_data
    except ImportError as err:
        print(f"error: {PACKAGE} is not installed ({err}); run: pip install {PACKAGE}", file=sys.stderr)
        return 2
    version = package_version(PACKAGE)
    legacy = get_data(["provinceShort", "districtShort", "wardShort"], table="admin_units_legacy")
    current = get_data(["provinceShort", "wardShort", "wardType"], table="admin_units")
    kinds = collect(legacy, current, args.communes)
    if args.kind == "province":
        kinds = {"province": kinds["province"], "district": set(), "commune": set(), "extra": set()}
    counts = {k: sum(1 for n in v if len(n.split()) > 1) for k, v in kinds.items()}
    names = entries(kinds, min_syllables=1 if args.kind == "province" else 2)
    text = render(names, version, args.communes, counts, args.kind)
    if args.output == "-":
        sys.stdout.write(text)
    else:
        out = Path(args.output)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
        print(f"wrote {len(names)} names to {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
