"""The movement-name detector on hand-written sentences (every case of issue 5)."""
import pytest
from hypothesis import given, settings, strategies as st

from pipeline.slogan_finder import SloganFinder
from pipeline.tones import stripped

FINDER = SloganFinder(known_names=["Toàn dân đoàn kết xây dựng đời sống văn hóa", "Quyết thắng"])


def names(text: str, finder: SloganFinder = FINDER) -> list[str]:
    return [text[s.start:s.end] for s in finder.find(text)]


@pytest.mark.parametrize("text, expected", [
    # curly and straight quotes, leading space inside the quotes
    ("Xã phát động phong trào “Dân vận khéo” năm 2024.", ["Dân vận khéo"]),
    ('Huyện triển khai cuộc vận động "Người Việt Nam ưu tiên dùng hàng Việt Nam".', ["Người Việt Nam ưu tiên dùng hàng Việt Nam"]),
    ("Phong trào thi đua: “ Thực hiện thắng lợi nhiệm vụ năm 2024 ” được phát động.", ["Thực hiện thắng lợi nhiệm vụ năm 2024"]),
    ("Đợt thi đua «Trăm ngày đêm» kết thúc.", ["Trăm ngày đêm"]),
    # a quote opened and never closed ends at the clause break
    ("Phong trào “Gia Lai chung tay vì người nghèo; phong trào “Dân vận khéo”.",
     ["Gia Lai chung tay vì người nghèo", "Dân vận khéo"]),
    ("Huyện phát động phong trào “Ngày Chủ nhật xanh. Hơn 2.000 người tham gia.", ["Ngày Chủ nhật xanh"]),
    # a name that itself starts with "Phong trào", and a list after one trigger
    ("Các phong trào trọng tâm như: “Học tốt”; “ Phong trào học tập và làm theo Bác”; “Xanh - sạch - đẹp”.",
     ["Học tốt", "Phong trào học tập và làm theo Bác", "Xanh - sạch - đẹp"]),
    ("Hai phong trào “Dạy tốt” và “Học tốt” được duy trì.", ["Dạy tốt", "Học tốt"]),
    # typos in the trigger
    ("Phòng trào “Đắk Nông chung sức xây dựng nông thôn mới” đạt kết quả.", ["Đắk Nông chung sức xây dựng nông thôn mới"]),
    ("Cuộc vân động “Vì người nghèo” quyên góp 2 tỷ đồng.", ["Vì người nghèo"]),
    # names without quotes: known names, and capitalised names up to a linking word
    ("Cuộc vận động toàn dân đoàn kết xây dựng đời sống văn hóa ở khu dân cư được chú trọng.",
     ["toàn dân đoàn kết xây dựng đời sống văn hóa"]),
    ("Lực lượng vũ trang đẩy mạnh phong trào thi đua Quyết thắng trong năm.", ["Quyết thắng"]),
    ("Đoàn phường làm theo phong trào Tuổi trẻ xung kích của Thành đoàn.", ["Tuổi trẻ xung kích"]),
    # single quotes with an apostrophe inside a name
    ("Cuộc vận động ‘Bon Bu Prăng K’Lơ sạch đẹp’ được phát động.", ["Bon Bu Prăng K’Lơ sạch đẹp"]),
])
def test_found_names(text, expected):
    assert names(text) == expected


@pytest.mark.parametrize("text", [
    "Tổng kết phong trào thi đua yêu nước năm 2023 và phương hướng năm 2024.",  # generic, no name
    "Các phong trào thi đua của huyện thu hút đông đảo nhân dân.",
    "Ông nói phong trào phải “đến nơi đến chốn”, không hình thức.",  # a quoted remark, not announced as a list
    "Cuốn sách “Phong trào thi đua yêu nước - những tấm gương” ra mắt.",  # a title
    "Hội thảo khoa học “Phong trào thi đua ái quốc: lịch sử và bài học” diễn ra sáng nay.",
    "Anh được tặng danh hiệu “Chiến sĩ thi đua cơ sở”.",  # an honour
    "Vùng đất “chín rồng” đón khách.",  # a nickname
    "Phong trào Đoàn và phong trào thanh thiếu nhi phát triển.",  # a body, not a name
    "Chiến dịch Điện Biên Phủ kết thúc thắng lợi.",  # campaign only with a quoted name
    "",
])
def test_not_slogans(text):
    assert names(text) == []


def test_stripped_keeps_offsets():
    text = "Phòng trào “Đắk Nông” – ỦY BAN"
    assert len(stripped(text)) == len(text)
    assert stripped(text).startswith("phong trao “dak nong”")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["phong trào", "cuộc vận động", "“", "”", '"', "«", "»", "‘", "’", ";", ".", ",",
                                 " ", "và", "Dân vận khéo", "Quyết thắng", "như:", "\n", "Phong trào", "x"]), max_size=30)
       | st.text(max_size=200))
def test_spans_are_inside_text_ordered_and_trimmed(pieces):
    text = "".join(pieces) if isinstance(pieces, list) else pieces
    previous_end = 0
    for found in FINDER.find(text):
        assert previous_end <= found.start < found.end <= len(text)
        surface = text[found.start:found.end]
        assert surface == surface.strip() and surface[0] not in "“”\"«»"
        previous_end = found.end
