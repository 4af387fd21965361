from pipeline.importers import conllu
from pipeline.importers.base import ImportStats

SENTENCES = """# sent_id = s1
# text = Chủ tịch xã đi họp.
1\tChủ tịch\tchủ tịch\tNOUN\tN\t_\t3\tnsubj\t_\t_
2\txã\txã\tNOUN\tN\t_\t1\tnmod\t_\t_
3\tđi\tđi\tVERB\tV\t_\t0\troot\t_\t_
4\thọp\thọp\tVERB\tV\t_\t3\txcomp\t_\tSpaceAfter=No
5\t.\t.\tPUNCT\t.\t_\t3\tpunct\t_\t_

1\tBà\tbà\tNOUN\tN\t_\t2\tnsubj\t_\t_
2\tcười\tcười\tVERB\tV\t_\t0\troot\t_\tSpaceAfter=No
2.1\tx\tx\tX\tX\t_\t_\t_\t_\t_
3\t!\t!\tPUNCT\t!\t_\t2\tpunct\t_\t_

# text = chữ khác hẳn
1\tThành phố\tthành phố\tNOUN\tN\t_\t0\troot\t_\t_
"""


def test_words_become_token_offsets(tmp_path):
    path = tmp_path / "vi.conllu"
    path.write_text(SENTENCES, encoding="utf-8")
    stats = ImportStats()
    first, second, third = conllu.read(path, stats)
    assert first["id"] == "s1" and first["text"] == "Chủ tịch xã đi họp."
    assert [first["text"][s:e] for s, e in first["tokens"]] == ["Chủ tịch", "xã", "đi", "họp", "."]
    assert second["id"] == "vi.conllu:1" and second["text"] == "Bà cười!"  # rebuilt with SpaceAfter, 2.1 skipped
    assert [second["text"][s:e] for s, e in second["tokens"]] == ["Bà", "cười", "!"]
    assert third["text"] == "Thành phố" and stats.quirks  # # text that does not match is not trusted
    assert all(record["spans"] == [] for record in (first, second, third))
