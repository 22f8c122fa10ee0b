"""Model files: round trip, and clear errors for truncated, tampered and foreign files."""

from __future__ import annotations

import json
import os
import pickle
import zipfile

import numpy as np
import pytest
from sklearn.datasets import load_iris, load_wine

from softmaxlab.models import (
    ModelFileError,
    SoftmaxRegression,
    load_model,
    save_model,
)


@pytest.fixture(scope="module")
def fitted():
    X, y = load_iris(return_X_y=True)
    return SoftmaxRegression(max_iter=500).fit(X, y), X


def test_round_trip(tmp_path, fitted):
    clf, X = fitted
    p = clf.save(tmp_path / "m.npz", temperature=1.25)
    back = load_model(p)
    assert back.temperature == 1.25
    np.testing.assert_array_equal(back.model.coef_, clf.coef_)
    np.testing.assert_array_equal(back.model.intercept_, clf.intercept_)
    np.testing.assert_array_equal(back.model.predict_proba(X), clf.predict_proba(X))
    assert back.model.get_params() == clf.get_params()
    assert back.metadata["format_version"] == 2  # v2: the digest covers all metadata
    assert SoftmaxRegression.load(p).n_features_in_ == 4


def test_round_trip_string_classes_feature_names_and_c_inf(tmp_path):
    import pandas as pd

    X, y = load_wine(return_X_y=True, as_frame=True)
    labels = np.array(["red", "rosé", "white"])[y.to_numpy()]
    clf = SoftmaxRegression(C=np.inf, max_iter=50).fit((X - X.mean()) / X.std(), labels)
    p = save_model(tmp_path / "w.npz", clf)
    back = load_model(p).model
    assert back.C == np.inf
    assert back.classes_.tolist() == ["red", "rosé", "white"]
    assert list(back.feature_names_in_) == list(X.columns)
    Z = (X - X.mean()) / X.std()
    assert isinstance(Z, pd.DataFrame)
    np.testing.assert_array_equal(back.predict(Z), clf.predict(Z))


def test_class_weight_dict_keeps_its_label_types(tmp_path):
    X, y = load_iris(return_X_y=True)
    clf = SoftmaxRegression(max_iter=500, class_weight={0: 1.0, 1: 2.0, 2: 0.5}).fit(X, y)
    back = load_model(save_model(tmp_path / "cw.npz", clf)).model
    assert back.class_weight == {0: 1.0, 1: 2.0, 2: 0.5}
    refit = back.fit(X, y)  # the restored parameters are usable as they are
    np.testing.assert_allclose(refit.coef_, clf.coef_)


def test_file_is_a_plain_npz_without_pickles(tmp_path, fitted):
    p = save_model(tmp_path / "m.npz", fitted[0])
    with zipfile.ZipFile(p) as zf:
        assert sorted(zf.namelist()) == ["coef.npy", "intercept.npy", "metadata.npy"]
    with np.load(p, allow_pickle=False) as data:
        meta = json.loads(data["metadata"].tobytes())
    assert meta["format"] == "softmaxlab-model"
    assert meta["classes"] == [0, 1, 2]


def rewrite(path, **members):
    """Rewrite the archive with some members replaced (a tampered file)."""
    with np.load(path, allow_pickle=False) as data:
        arrays = {k: data[k] for k in data.files}
    arrays.update(members)
    arrays = {k: v for k, v in arrays.items() if v is not None}
    with open(path, "wb") as fh:
        np.savez(fh, **arrays)


def meta_of(path):
    with np.load(path, allow_pickle=False) as data:
        return json.loads(data["metadata"].tobytes())


def blob(meta):
    return np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8)


def test_truncated_file(tmp_path, fitted):
    p = save_model(tmp_path / "m.npz", fitted[0])
    data = p.read_bytes()
    p.write_bytes(data[: len(data) // 2])
    with pytest.raises(ModelFileError, match=f"Cannot load model file '{p}'"):
        load_model(p)


def test_tampered_values_fail_the_checksum(tmp_path, fitted):
    p = save_model(tmp_path / "m.npz", fitted[0])
    coef = fitted[0].coef_.copy()
    coef[0, 0] += 1e-3
    rewrite(p, coef=coef)
    with pytest.raises(ModelFileError, match="do not match their checksum"):
        load_model(p)


def test_tampered_shape(tmp_path, fitted):
    p = save_model(tmp_path / "m.npz", fitted[0])
    rewrite(p, coef=np.zeros((3, 5)))
    with pytest.raises(ModelFileError, match="'coef' has dtype float64 and shape \\(3, 5\\)"):
        load_model(p)


def test_tampered_dtype(tmp_path, fitted):
    p = save_model(tmp_path / "m.npz", fitted[0])
    rewrite(p, intercept=fitted[0].intercept_.astype(np.float32))
    with pytest.raises(ModelFileError, match="'intercept' has dtype float32"):
        load_model(p)


def test_newer_format_version(tmp_path, fitted):
    p = save_model(tmp_path / "m.npz", fitted[0])
    meta = meta_of(p)
    meta["format_version"] = 3
    rewrite(p, metadata=blob(meta))
    with pytest.raises(ModelFileError, match="format version 3, newer"):
        load_model(p)


def test_object_array_is_never_unpickled(tmp_path, fitted):
    p = save_model(tmp_path / "m.npz", fitted[0])
    marker = tmp_path / "pwned"

    class Evil:
        def __reduce__(self):
            return (open, (str(marker), "w"))

    with np.load(p, allow_pickle=False) as data:
        arrays = {k: data[k] for k in data.files}
    evil = np.empty(1, dtype=object)
    evil[0] = Evil()
    arrays["coef"] = evil
    with open(p, "wb") as fh:
        np.savez(fh, **arrays)
    with pytest.raises(ModelFileError, match="cannot be read safely"):
        load_model(p)
    assert not marker.exists()


@pytest.mark.parametrize(
    ("content", "match"),
    [
        (b"", "not a NumPy .npz archive"),
        (b"hello, world\n", "not a NumPy .npz archive"),
        (pickle.dumps({"coef": 1}), "not a NumPy .npz archive"),
    ],
)
def test_foreign_files(tmp_path, content, match):
    p = tmp_path / "foreign.npz"
    p.write_bytes(content)
    with pytest.raises(ModelFileError, match=match) as info:
        load_model(p)
    assert str(p) in str(info.value)


def test_other_npz_and_npy(tmp_path):
    p = tmp_path / "other.npz"
    np.savez(p, a=np.arange(3))
    with pytest.raises(ModelFileError, match="members \\['a'\\]"):
        load_model(p)
    q = tmp_path / "single.npy"
    np.save(q, np.arange(3))
    with pytest.raises(ModelFileError, match=r"a single \.npy array"):
        load_model(q)
    r = tmp_path / "fake.npz"
    np.savez(
        r,
        metadata=np.frombuffer(b'{"format": "other"}', np.uint8),
        coef=np.zeros(1),
        intercept=np.zeros(1),
    )
    with pytest.raises(ModelFileError, match="no 'format': 'softmaxlab-model'"):
        load_model(r)


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(ModelFileError, match="no such file"):
        load_model(tmp_path / "nope.npz")
    with pytest.raises(ModelFileError, match="directory"):
        load_model(tmp_path)


def test_failed_save_leaves_the_old_file_intact(tmp_path, fitted, monkeypatch):
    p = save_model(tmp_path / "m.npz", fitted[0], temperature=2.0)
    before = p.read_bytes()

    def boom(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(np, "savez_compressed", boom)
    with pytest.raises(OSError, match="disk full"):
        save_model(p, fitted[0])
    assert p.read_bytes() == before
    assert os.listdir(tmp_path) == ["m.npz"]  # no temporary file left behind


def test_save_rejects_unfitted_and_bad_temperature(tmp_path, fitted):
    with pytest.raises(TypeError, match="fitted SoftmaxRegression"):
        save_model(tmp_path / "x.npz", SoftmaxRegression())
    with pytest.raises(ValueError, match="'temperature' parameter of save_model"):
        save_model(tmp_path / "x.npz", fitted[0], temperature=-1.0)
    assert not (tmp_path / "x.npz").exists()
