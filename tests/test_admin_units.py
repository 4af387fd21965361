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


def test_a_publication_date_chooses_the_system():
    before = LINKER.link(["xã Ea M’Droh"], "", "2024-03-01")[0]
    after = LINKER.link(["xã Ea M’Droh"], "", "2025-08-01")[0]
    assert (before["system"], after["system"]) == (LEGACY, NEW)
    assert before["code"] != after["code"]


def test_dates_in_several_forms():
    from pipeline.admin_units import _system_of_date

    assert _system_of_date("15/03/2025") == LEGACY and _system_of_date("01/08/2025") == NEW
    assert _system_of_date("2025-07-01T08:00:00") == NEW and _system_of_date("2019") == LEGACY
    assert _system_of_date("2025") is None and _system_of_date("hôm qua") is None and _system_of_date(None) is None


def test_places_only_one_system_has_vote_for_it():
    # xã Tuy Phong exists only from 2025: the old province is named as a former one
    bac_binh = LINKER.link(["tỉnh Bình Thuận", "xã Tuy Phong", "xã Liên Hương", "xã Bắc Bình"])[3]
    assert bac_binh["system"] == NEW and bac_binh["province"]["name"] == "Tỉnh Lâm Đồng"


def test_a_communes_district_is_context_for_its_neighbours():
    # xã Ea Kly is in huyện Krông Pắc only; so is the Hòa An of the same sentence
    ea_kly, hoa_an = LINKER.link(["xã Ea Kly", "xã Hòa An"], "Năm 2020")
    assert hoa_an["district"]["code"] == ea_kly["district"]["code"]


def test_two_ambiguous_places_settle_each_other():
    # two provinces have a huyện An Lão; only one of them has a xã An Vinh
    district, commune = LINKER.link(["huyện An Lão", "xã An Vinh"], "Năm 2019")
    assert "code" in district and "code" in commune
    assert commune["district"]["code"] == district["code"]


def test_a_bare_name_written_with_its_unit_word_elsewhere_is_that_unit():
    district, bare = LINKER.link(["huyện Krông Năng", "Krông Năng"], "Năm 2021")
    assert bare["level"] == "district" and bare["code"] == district["code"]


def test_former_names_by_alias_and_no_old_districts_after_2025():
    linker = PlaceLinker({"Thừa Thiên Huế": "Huế"})
    assert linker.link(["tỉnh Thừa Thiên Huế"], "Năm 2023")[0]["code"] == "46"
    assert LINKER.link(["tỉnh Lâm Đồng", "Đà Lạt"], "", "2026-01-01")[1] is None  # a city of districts: now wards
    assert LINKER.link(["tỉnh Lâm Đồng", "Đà Lạt"], "", "2024-01-01")[1]["code"] == "672"


def test_area_words_keep_a_name_from_linking(nlp):
    doc = nlp("Năm 2026, cán bộ tỉnh Gia Lai chuyển công tác từ khu vực Pleiku về phường Quy Nhơn.")
    linked = {e["text"]: "admin" in e for e in doc.entities if e["label"] == "LOCATION"}
    assert linked.get("Pleiku") is False and linked.get("phường Quy Nhơn") is True


def test_the_tables_are_cached_per_data_version_and_code(tmp_path, monkeypatch):
    import pickle

    from pipeline import admin_units

    monkeypatch.setenv("VNPIPE_CACHE", str(tmp_path))
    admin_units._tables.cache_clear()
    try:
        built = admin_units._tables()
        (cache,) = tmp_path.glob("admin-units-*.pickle")
        assert admin_units.package_version() in cache.name
        assert pickle.loads(cache.read_bytes()).districts.keys() == built.districts.keys()
        cache.write_bytes(b"not a pickle")  # a broken cache is rebuilt, not fatal
        admin_units._tables.cache_clear()
        assert admin_units._tables().provinces.keys() == built.provinces.keys()
    finally:
        admin_units._tables.cache_clear()
