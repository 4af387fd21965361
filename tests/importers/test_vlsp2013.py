from pipeline.importers import vlsp2013


def test_tagged_words_become_token_offsets(tmp_path):
    path = tmp_path / "a.pos"
    path.write_text("<pTitle>\nHội_đồng_nhân_dân/N xã/N họp/V ,/CH bàn/V 1/2/M việc/N ./CH\n", encoding="utf-8")
    (record,) = vlsp2013.read(path)
    assert record["id"] == "a.pos:0" and record["text"] == "Hội đồng nhân dân xã họp, bàn 1/2 việc."
    assert [record["text"][s:e] for s, e in record["tokens"]] == ["Hội đồng nhân dân", "xã", "họp", ",", "bàn", "1/2",
                                                                  "việc", "."]
    (plain,) = vlsp2013.read(path, plain=True)
    assert plain["text"] == "Hội đồng nhân dân xã họp , bàn 1/2 việc ."
