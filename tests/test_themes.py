import numpy as np
import pytest

from pipeline.errors import ModelError
from pipeline.themes import ThemeModel, _counts_matrix, features_of, murmurhash3_32

TEXTS = ["Dạy tốt, học tốt", "Khuyến học, khuyến tài", "Xây dựng xã hội học tập",
         "Toàn dân bảo vệ an ninh Tổ quốc", "Vì an ninh Tổ quốc", "Thi đua Quyết thắng",
         "Chống rác thải nhựa", "Ngày Chủ nhật xanh", "Xanh - sạch - đẹp"]
THEMES = ["education"] * 3 + ["security_defense"] * 3 + ["environment"] * 3


def test_murmurhash_matches_scikit_learn():
    from sklearn.utils import murmurhash3_32 as reference

    for text in ["", "a", "ab", "abc", "abcd", "học tốt", " ủy ", "Đắk N’Drung", "x" * 37]:
        assert murmurhash3_32(text.encode("utf-8")) == reference(text.encode("utf-8"), seed=0)


def test_features_match_scikit_learn_hashing_vectorizer():
    names = TEXTS + ["  Phong trào  “5K”  ", "A", "Cuộc vận động K’Lơ - 2024", ""]
    features = {"word_ngrams": [1, 2], "char_ngrams": [2, 5], "n_features": 2**10}
    matrix = _counts_matrix(names, features)
    for row, name in enumerate(names):
        ours = features_of(name, features)
        theirs = {int(c): v for c, v in zip(matrix[row].indices, matrix[row].data)}
        assert dict(ours) == theirs


def test_predictions_match_scikit_learn_pipeline():
    from sklearn.feature_extraction.text import TfidfTransformer
    from sklearn.linear_model import LogisticRegression

    model = ThemeModel.fit(TEXTS, THEMES, C=10.0)
    tfidf = TfidfTransformer(sublinear_tf=True)
    x = tfidf.fit_transform(_counts_matrix(TEXTS, model.features))
    clf = LogisticRegression(C=10.0, max_iter=2000, random_state=0).fit(x[:, model.columns], THEMES)
    queries = ["Học tập suốt đời học học", "rác thải nhựa", "Hoàn toàn mới lạ"]
    expected = clf.predict_proba(tfidf.transform(_counts_matrix(queries, model.features))[:, model.columns])
    assert np.allclose(model.probabilities(queries), expected, atol=1e-6)


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
    assert np.allclose(loaded.probabilities(TEXTS), model.probabilities(TEXTS), atol=1e-6)


def test_training_is_deterministic():
    a, b = ThemeModel.fit(TEXTS, THEMES), ThemeModel.fit(TEXTS, THEMES)
    assert np.array_equal(a.weights, b.weights) and np.array_equal(a.intercept, b.intercept)


def test_two_themes_work_too():
    model = ThemeModel.fit(TEXTS[:6], THEMES[:6])
    assert model.predict(["Khuyến học"], top=2)[0][0][0] == "education"


def test_missing_model_is_a_model_error(tmp_path):
    with pytest.raises(ModelError):
        ThemeModel.load(tmp_path)
