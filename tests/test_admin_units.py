"""Linking places to administrative units (data: the vietnamadminunits package)."""
import sys

from pipeline.admin_units import LEGACY, NEW, PlaceLinker, PlaceReading, name_key, read_place

LINKER = PlaceLinker()


def test_name_keys_ignore_marks_spaces_and_apostrophes():
    assert name_key("Đắk N’Drung") == name_key("Đăk N'Drung") == "dakndrung"
    assert read_place("huyện Đắk Song") == PlaceReading("huyen", ("district",), "daksong")
    assert read_place("Đắk Nông").unit is None and read_place("Đắk Nông").key == "daknong"
    assert read_place("TP. Buôn Ma Thuột").levels == ("province", "district")
    assert read_place("Quận 7").key == "quan7"  # numbered units keep their word
    assert read_place("sông Mã") is None  # a river, not the district Sông Mã


def test_the_unit_word_must_agree():
    city, province = LINKER.link(["thành phố Kon Tum", "tỉnh Kon Tum"], "Năm 2023 ...")
    assert (city["level"], city["code"]) == ("district", "608") and province["code"] == "62"


def test_bare_names_need_the_document_and_lists_lend_their_unit_word(nlp):
    doc = nlp("Năm 2024, huyện Lạc Dương có các xã Đạ Sar, Đưng K’Nớ và Lát tham gia.")
    linked = {e["text"]: e.get("admin", {}).get("level") for e in doc.entities if e["label"] == "LOCATION"}
    assert linked.get("Lát") == "commune"


def test_old_units_get_codes_and_their_2025_successor():
    district, province, commune = LINKER.link(["huyện Đắk Song", "Đắk Nông", "xã Đắk N’Drung"])
    assert (district["level"], district["code"], district["system"]) == ("district", "665", LEGACY)
    assert province["code"] == "67" and province["successor"]["province"]["name"] == "Tỉnh Lâm Đồng"
    assert commune["district"]["code"] == "665"
    assert commune["successor"]["ward"]["name"] == "Xã Đức An"  # as the package's own converter says


def test_new_units_in_a_text_after_2025():
    ward, city = LINKER.link(["phường Hồng Hà", "Hà Nội"])
    assert ward["system"] == NEW and ward["province"]["code"] == "01" and "successor" not in ward
    assert city["level"] == "province"


def test_shared_names_are_settled_by_the_document_or_listed():
    alone = LINKER.link(["xã Tân Thành"])[0]
    assert "candidates" in alone and alone["ambiguous"] > 1
    in_context = LINKER.link(["huyện Krông Nô", "xã Tân Thành"])[1]
    assert in_context["district"]["name"] == "Huyện Krông Nô"


def test_exact_spelling_beats_a_markless_key():
    results = LINKER.link(["xã Tân Thanh", "xã Tân Thành"])
    for result in results:
        for candidate in result.get("candidates", [result]):
            assert candidate["name"].endswith(("Tân Thanh", "Tân Thành"))
    names = {c["name"] for c in results[0].get("candidates", [results[0]])}
    assert all(n.endswith("Tân Thanh") for n in names)


def test_not_units_and_unknown_names():
    assert LINKER.link(["Tây Nguyên", "miền Trung", "thôn 3", ""]) == [None, None, None, None]


def test_the_package_is_not_imported():
    """Its parser pulls in shapely and geopy (about 1 s): the data files are read directly."""
    LINKER.link(["Đắk Nông"])
    assert "vietnamadminunits.parser" not in sys.modules
