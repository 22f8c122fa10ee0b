"""Issue 11, model files: a bad-input matrix of crafted files, each refused with the model-file
error naming the field, before any large array is decompressed; and saving that keeps modes,
follows symlinks and leaves nothing behind.

Crafted files are built here by hand (zipfile + the ``.npy`` format), and the version-2 digest
is recomputed here from its documented recipe (hashlib over the float64 bytes of ``coef`` and
``intercept`` and the canonical JSON of every other metadata field), so that a crafted file
that passes the checksum exercises the schema check alone.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import stat
import time
import zipfile

import numpy as np
import pytest
from sklearn.datasets import load_iris

from softmaxlab.models import ModelFileError, SoftmaxRegression, load_model, save_model


@pytest.fixture(scope="module")
def fitted():
    X, y = load_iris(return_X_y=True)
    labels = np.array(["c0", "c1", "c2"])[y]
    return SoftmaxRegression(max_iter=300).fit(X, labels), X


@pytest.fixture
def saved(tmp_path, fitted):
    return save_model(tmp_path / "m.npz", fitted[0], temperature=1.5)


def members_of(path):
    with zipfile.ZipFile(path) as zf:
        meta = json.loads(np.load(io.BytesIO(zf.read("metadata.npy"))).tobytes())
        coef = np.load(io.BytesIO(zf.read("coef.npy")))
        intercept = np.load(io.BytesIO(zf.read("intercept.npy")))
    return meta, coef, intercept


def sign(meta, coef, intercept):
    """The version-2 digest, recomputed from its documented recipe."""
    signed = {k: v for k, v in meta.items() if k != "sha256"}
    h = hashlib.sha256()
    h.update(np.ascontiguousarray(coef, dtype="<f8").tobytes())
    h.update(np.ascontiguousarray(intercept, dtype="<f8").tobytes())
    h.update(json.dumps(signed, sort_keys=True, separators=(",", ":")).encode("ascii"))
    return {**meta, "sha256": h.hexdigest()}


def npy_bytes(arr):
    buf = io.BytesIO()
    np.lib.format.write_array(buf, np.asarray(arr), allow_pickle=False)
    return buf.getvalue()


def write_archive(path, meta_text, coef, intercept, *, raw=None):
    """An archive of the three members; ``raw`` replaces a member by the given bytes."""
    raw = raw or {}
    text = meta_text if isinstance(meta_text, bytes) else meta_text.encode()
    members = {
        "metadata.npy": npy_bytes(np.frombuffer(text, np.uint8)),
        "coef.npy": npy_bytes(coef),
        "intercept.npy": npy_bytes(intercept),
    }
    members.update(raw)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def header_only(shape, dtype="<f8"):
    """A ``.npy`` header declaring ``shape`` followed by 16 bytes of data."""
    buf = io.BytesIO()
    np.lib.format.write_array_header_1_0(
        buf, {"descr": dtype, "fortran_order": False, "shape": shape}
    )
    return buf.getvalue() + b"\0" * 16


# ---------------------------------------------------------------- schema matrix (re-signed)
# Each entry edits one metadata field, re-signs the file (so only the schema can object) and
# names the fragment the error must contain (the field).
SCHEMA_CASES = [
    ("n_classes as a float", {"n_classes": 3.0}, "'n_classes'"),
    ("n_classes as a bool", {"n_classes": True}, "'n_classes'"),
    ("n_classes = 1", {"n_classes": 1}, "'n_classes'"),
    ("n_classes huge", {"n_classes": 10**30}, "'n_classes'"),
    ("n_features as a string", {"n_features": "4"}, "'n_features'"),
    ("n_features negative", {"n_features": -4}, "'n_features'"),
    ("classes_dtype cuts labels (<U1)", {"classes_dtype": "<U1"}, "'classes'"),
    ("classes_dtype makes booleans (|b1)", {"classes_dtype": "|b1"}, "'classes'"),
    ("classes_dtype object", {"classes_dtype": "|O"}, "'classes_dtype'"),
    ("classes_dtype datetime", {"classes_dtype": "<M8[s]"}, "'classes_dtype'"),
    ("classes_dtype garbage", {"classes_dtype": "not a dtype"}, "'classes_dtype'"),
    ("classes_dtype a list", {"classes_dtype": ["<U2"]}, "'classes_dtype'"),
    ("classes_dtype huge strings", {"classes_dtype": "<U99999"}, "'classes_dtype'"),
    ("duplicate labels", {"classes": ["c0", "c0", "c2"]}, "'classes'"),
    ("unsorted labels", {"classes": ["c2", "c1", "c0"]}, "'classes'"),
    ("nested labels", {"classes": [["c0"], "c1", "c2"]}, "'classes'"),
    ("numbers as str labels", {"classes": [0, 1, 2]}, "'classes'"),
    ("too few labels", {"classes": ["c0", "c1"]}, "'classes'"),
    ("labels not a list", {"classes": "c0c1c2"}, "'classes'"),
    ("int labels too big for int8", {"classes": [0, 1, 300], "classes_dtype": "|i1"}, "'classes'"),
    ("bool labels as ints", {"classes": [True, False, True], "classes_dtype": "<i8"}, "'classes'"),
    (
        "float labels NaN",
        {"classes": [0.0, 1.0, float("nan")], "classes_dtype": "<f8"},
        "'classes'",
    ),
    ("feature_names too short", {"feature_names": ["a", "b"]}, "'feature_names'"),
    ("feature_names duplicated", {"feature_names": ["a", "a", "b", "c"]}, "'feature_names'"),
    ("feature_names not strings", {"feature_names": [1, 2, 3, 4]}, "'feature_names'"),
    ("temperature negative", {"temperature": -1.0}, "'temperature'"),
    ("temperature zero", {"temperature": 0}, "'temperature'"),
    ("temperature a bool", {"temperature": True}, "'temperature'"),
    ("temperature a string", {"temperature": "1.5"}, "'temperature'"),
    ("params not an object", {"params": [1, 2]}, "'params'"),
    ("sha256 not hex", {"sha256": "xyz"}, "'sha256'"),
    ("unknown field", {"extra": 1}, "'extra'"),
    ("softmaxlab_version a number", {"softmaxlab_version": 1}, "'softmaxlab_version'"),
]


@pytest.mark.parametrize(
    ("what", "edit", "fragment"), SCHEMA_CASES, ids=[c[0] for c in SCHEMA_CASES]
)
def test_schema_matrix(tmp_path, saved, what, edit, fragment):
    meta, coef, intercept = members_of(saved)
    meta.update(edit)
    if "sha256" not in edit:
        meta = sign(meta, coef, intercept)
    p = write_archive(tmp_path / "crafted.npz", json.dumps(meta), coef, intercept)
    with pytest.raises(ModelFileError, match="Cannot load model file") as info:
        load_model(p)
    assert fragment in str(info.value), str(info.value)
    assert str(p) in str(info.value)


def test_missing_field_is_named(tmp_path, saved):
    meta, coef, intercept = members_of(saved)
    del meta["feature_names"]
    p = write_archive(tmp_path / "x.npz", json.dumps(meta), coef, intercept)
    with pytest.raises(ModelFileError, match="'feature_names' must be present") as info:
        load_model(p)
    assert info.value.parameter == "feature_names"


def test_resigned_neighbour_loads(tmp_path, saved, fitted):
    """The neighbour of the matrix: a file re-signed without edits loads and predicts alike."""
    meta, coef, intercept = members_of(saved)
    p = write_archive(
        tmp_path / "same.npz", json.dumps(sign(meta, coef, intercept)), coef, intercept
    )
    back = load_model(p)
    np.testing.assert_array_equal(back.model.predict(fitted[1]), fitted[0].predict(fitted[1]))
    assert back.model.classes_.tolist() == ["c0", "c1", "c2"]


# ------------------------------------------------ prediction-changing edits fail the checksum
@pytest.mark.parametrize(
    "edit",
    [
        {"feature_names": ["a", "b", "c", "d"]},
        {"temperature": 0.5},
        {"temperature": None},
        {"classes": ["c0", "c1", "c3"]},
        {"classes_dtype": "<U5"},  # survives the round trip: only the checksum can tell
        {"params": {}},
    ],
)
def test_unsigned_edits_fail_the_checksum(tmp_path, saved, edit):
    meta, coef, intercept = members_of(saved)
    meta.update(edit)
    p = write_archive(tmp_path / "edited.npz", json.dumps(meta), coef, intercept)
    with pytest.raises(ModelFileError, match="do not match their checksum") as info:
        load_model(p)
    assert info.value.parameter == "sha256"


def test_version_1_file_with_cut_labels_is_refused(tmp_path, saved):
    """A version-1 file's digest does not cover classes_dtype; the round-trip check does."""
    meta, coef, intercept = members_of(saved)
    h = hashlib.sha256()
    h.update(coef.astype("<f8").tobytes())
    h.update(intercept.astype("<f8").tobytes())
    h.update(json.dumps(meta["classes"], sort_keys=True).encode())
    meta.update(format_version=1, sha256=h.hexdigest())
    good = write_archive(tmp_path / "v1.npz", json.dumps(meta), coef, intercept)
    assert load_model(good).model.classes_.tolist() == ["c0", "c1", "c2"]  # v1 still reads
    meta["classes_dtype"] = "<U1"
    bad = write_archive(tmp_path / "v1cut.npz", json.dumps(meta), coef, intercept)
    with pytest.raises(ModelFileError, match="'classes'"):
        load_model(bad)


# ------------------------------------------------------------- raw JSON that Python chokes on
RAW_JSON = [
    ("n_classes 1e400", lambda t: t.replace('"n_classes": 3', '"n_classes": 1e400'), "'n_classes'"),
    ("deeply nested", lambda t: "[" * 200000 + "]" * 200000, "nested too deeply"),
    (
        "nested in a field",
        lambda t: t.replace('"params": {', '"params": {"x": ' + "[" * 100000 + "]" * 100000 + ", "),
        "nested too deeply",
    ),
    (
        "int of 5000 digits",
        lambda t: t.replace('"n_classes": 3', '"n_classes": ' + "9" * 5000),
        "not valid JSON",
    ),
    ("not UTF-8", lambda t: b"\xff\xfe{", "not valid JSON"),
    ("a JSON list", lambda t: "[1, 2]", "no 'format'"),
    (
        "NaN temperature",
        lambda t: t.replace('"temperature": 1.5', '"temperature": NaN'),
        "'temperature'",
    ),
    (
        "Infinity temperature",
        lambda t: t.replace('"temperature": 1.5', '"temperature": Infinity'),
        "'temperature'",
    ),
]


@pytest.mark.parametrize(("what", "craft", "fragment"), RAW_JSON, ids=[c[0] for c in RAW_JSON])
def test_raw_json_matrix(tmp_path, saved, what, craft, fragment):
    meta, coef, intercept = members_of(saved)
    p = write_archive(tmp_path / "raw.npz", craft(json.dumps(meta)), coef, intercept)
    with pytest.raises(ModelFileError) as info:
        load_model(p)
    assert fragment in str(info.value), str(info.value)


# -------------------------------------------- sizes are checked before any array is read
def test_declared_huge_coef_is_refused_from_its_header(tmp_path, saved):
    """(2, 2.5e8) declared in the header of a tiny member: refused at once, nothing inflated."""
    meta, coef, intercept = members_of(saved)
    p = write_archive(
        tmp_path / "huge.npz",
        json.dumps(meta),
        coef,
        intercept,
        raw={"coef.npy": header_only((3, 250_000_000))},
    )
    start = time.perf_counter()
    with pytest.raises(
        ModelFileError, match=r"'coef' has dtype float64 and shape \(3, 250000000\)"
    ):
        load_model(p)
    assert time.perf_counter() - start < 2.0


@pytest.mark.parametrize(
    ("k", "d", "fragment"),
    [
        (2, 250_000_000, "'n_features' must be an int in [1, 16777216]"),
        (9, 1 << 24, "'n_features' must be at most 134217728 // n_classes"),
    ],
)
def test_metadata_declaring_huge_counts_is_refused(tmp_path, saved, k, d, fragment):
    meta, coef, intercept = members_of(saved)
    meta.update(n_classes=k, n_features=d, classes=[f"c{i}" for i in range(k)])
    p = write_archive(
        tmp_path / "big.npz", json.dumps(sign(meta, coef, intercept)), coef, intercept
    )
    with pytest.raises(ModelFileError) as info:
        load_model(p)
    assert fragment in str(info.value)


def test_member_inflating_past_its_header_is_refused(tmp_path, saved):
    """A zip member whose uncompressed size exceeds what its header declares (a zip bomb)."""
    meta, coef, intercept = members_of(saved)
    bomb = npy_bytes(intercept) + b"\0" * 20_000_000  # 20 MB of zeros, ~20 kB compressed
    p = write_archive(
        tmp_path / "bomb.npz", json.dumps(meta), coef, intercept, raw={"intercept.npy": bomb}
    )
    assert p.stat().st_size < 200_000
    with pytest.raises(ModelFileError, match="larger than its header declares"):
        load_model(p)


def test_huge_metadata_header_is_refused(tmp_path, saved):
    _, coef, intercept = members_of(saved)
    raw = {"metadata.npy": header_only((10**12,), dtype="|u1")}
    p = write_archive(tmp_path / "meta.npz", "{}", coef, intercept, raw=raw)
    with pytest.raises(ModelFileError, match="metadata is not UTF-8 JSON bytes of at most"):
        load_model(p)


def test_truncated_member_data(tmp_path, saved):
    meta, coef, intercept = members_of(saved)
    short = npy_bytes(coef)[:-8]
    p = write_archive(
        tmp_path / "short.npz", json.dumps(meta), coef, intercept, raw={"coef.npy": short}
    )
    with pytest.raises(ModelFileError, match="truncated or corrupted"):
        load_model(p)


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (header_only((10**11,)).replace(b"\0" * 16, b""), "a single .npy array"),
        (b"PK\x03\x04garbage", "not a NumPy .npz archive"),
        (b"\x93NUMPY garbage", "a single .npy array"),
    ],
)
def test_foreign_files_never_mention_pickles(tmp_path, content, fragment):
    p = tmp_path / "f.npz"
    p.write_bytes(content)
    with pytest.raises(ModelFileError, match="Cannot load model file") as info:
        load_model(p)
    assert fragment in str(info.value)
    assert "allow_pickle" not in str(info.value)


def test_fortran_order_and_extra_members(tmp_path, saved):
    meta, coef, intercept = members_of(saved)
    buf = io.BytesIO()
    np.lib.format.write_array(buf, np.asfortranarray(np.ones((3, 4))), allow_pickle=False)
    p = write_archive(
        tmp_path / "f.npz", json.dumps(meta), coef, intercept, raw={"coef.npy": buf.getvalue()}
    )
    with pytest.raises(ModelFileError, match="Fortran order"):
        load_model(p)
    q = write_archive(
        tmp_path / "e.npz", json.dumps(meta), coef, intercept, raw={"extra.npy": npy_bytes([1])}
    )
    with pytest.raises(ModelFileError, match="members"):
        load_model(q)


# ------------------------------------------------------------------- saving: modes, links
@pytest.fixture
def umask_027():
    old = os.umask(0o027)
    yield
    os.umask(old)


def mode(p):
    return stat.S_IMODE(os.stat(p).st_mode)


def test_new_file_follows_the_umask(tmp_path, fitted, umask_027):
    p = save_model(tmp_path / "new.npz", fitted[0])
    assert mode(p) == 0o640  # 0o666 & ~0o027, as open() would give


@pytest.mark.parametrize("old_mode", [0o600, 0o644, 0o664])
def test_overwrite_keeps_the_mode(tmp_path, fitted, old_mode):
    p = tmp_path / "m.npz"
    p.write_bytes(b"old")
    os.chmod(p, old_mode)
    save_model(p, fitted[0])
    assert mode(p) == old_mode
    assert load_model(p).model.classes_.tolist() == ["c0", "c1", "c2"]


def test_symlink_is_followed(tmp_path, fitted):
    real = tmp_path / "real" / "m.npz"
    real.parent.mkdir()
    save_model(real, fitted[0], temperature=2.0)
    link = tmp_path / "link.npz"
    link.symlink_to(real)
    save_model(link, fitted[0], temperature=3.0)
    assert link.is_symlink()
    assert load_model(real).temperature == 3.0
    assert sorted(os.listdir(real.parent)) == ["m.npz"]
    dangling = tmp_path / "dangling.npz"
    dangling.symlink_to(tmp_path / "real" / "target.npz")
    save_model(dangling, fitted[0])
    assert dangling.is_symlink() and (tmp_path / "real" / "target.npz").is_file()


def test_crash_during_save_leaves_no_temp_file(tmp_path, fitted, monkeypatch):
    p = save_model(tmp_path / "m.npz", fitted[0])
    before = p.read_bytes()

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        save_model(p, fitted[0], temperature=9.0)
    assert p.read_bytes() == before
    assert os.listdir(tmp_path) == ["m.npz"]


@pytest.mark.parametrize("bad", [-1.0, 0.0, float("inf"), float("nan"), "2", True])
def test_save_refuses_bad_temperature_with_the_template(tmp_path, fitted, bad):
    with pytest.raises(ValueError, match="The 'temperature' parameter of save_model must be"):
        save_model(tmp_path / "t.npz", fitted[0], temperature=bad)
    assert not (tmp_path / "t.npz").exists()


def test_save_refuses_labels_the_format_cannot_hold(tmp_path):
    X = np.array([[0.0], [1.0], [2.0], [3.0]])
    y = np.array(["a" * 2000, "b", "a" * 2000, "b"])
    clf = SoftmaxRegression().fit(X, y)
    with pytest.raises(ValueError, match="The 'model' parameter of save_model"):
        save_model(tmp_path / "long.npz", clf)
    assert not (tmp_path / "long.npz").exists()
