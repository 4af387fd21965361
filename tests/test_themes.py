import numpy as np
import pytest

from pipeline.errors import ModelError
from pipeline.themes import ThemeModel

TEXTS = ["Dạy tốt, học tốt", "Khuyến học, khuyến tài", "Xây dựng xã hội học tập",
         "Toàn dân bảo vệ an ninh Tổ quốc", "Vì an ninh Tổ quốc", "Thi đua Quyết thắng",
         "Chống rác thải nhựa", "Ngày Chủ nhật xanh", "Xanh - sạch - đẹp"]
THEMES = ["education"] * 3 + ["security_defense"] * 3 + ["environment"] * 3


def test_fit_predicts_probabilities_best_first():
    model = ThemeModel.fit(TEXTS, THEMES)
    (ranked,) = model.predict(["Học tập suốt đời, khuyến học"], top=3)
    assert ranked[0][0] == "education"
    assert [p for _, p in ranked] == sorted((p for _, p in ranked), reverse=True)
    assert sum(p for _, p in ranked) <= 1.0 + 1e-6
    assert model.predict([]) == []


def test_tone_style_and_case_do_not_change_the_theme():
    model = ThemeModel.fit(TEXTS, THEMES)
    assert np.allclose(model.probabilities(["Khuyến học"]), model.probabilities(["KHUYẾN HỌC"]))
    assert np.allclose(model.probabilities(["hoà bình"]), model.probabilities(["hòa bình"]))


def test_save_and_load_give_the_same_probabilities(tmp_path):
    model = ThemeModel.fit(TEXTS, THEMES)
    model.save(tmp_path / "m")
    loaded = ThemeModel.load(tmp_path / "m")
    assert loaded.classes == model.classes
    assert np.allclose(loaded.probabilities(TEXTS), model.probabilities(TEXTS))


def test_training_is_deterministic():
    a, b = ThemeModel.fit(TEXTS, THEMES), ThemeModel.fit(TEXTS, THEMES)
    assert (a.coef != b.coef).nnz == 0 and np.array_equal(a.intercept, b.intercept)


def test_two_themes_work_too():
    model = ThemeModel.fit(TEXTS[:6], THEMES[:6])
    assert model.predict(["Khuyến học"], top=2)[0][0][0] == "education"


def test_missing_model_is_a_model_error(tmp_path):
    with pytest.raises(ModelError):
        ThemeModel.load(tmp_path)
