"""Issue 11: a bad-input matrix over the public functions outside the compiled core.

Each case is a hostile or edge input to one public function of ``core/_loss.py``,
``core/_grad.py``, ``core/_activations.py``, ``sampling/attention.py`` or ``interop/`` (the
PyTorch/Dask paths). It expects either

- a clear error: a ``SoftmaxLabError`` (a ValueError, or a TypeError too) whose message
  follows the template "The 'x' parameter of f must be …. Got … instead." with the
  parameter named in the ``parameter`` field — never NumPy's own words; or
- a documented value, checked against an independent reference (torch, a hand-derived
  value), never against softmaxlab itself.

``MATRIX`` is also read by the report of the hardening work (tried / clear error /
documented value).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest
import torch
import torch.nn.functional as F

import softmaxlab as sl
from softmaxlab import SoftmaxLabError
from softmaxlab._validation import check_bool
from softmaxlab.sampling import scaled_dot_product_attention as sdpa

Z = np.array([[1.0, 2.0, 0.5], [0.0, -1.0, 3.0]])  # 2 samples, 3 classes
T = np.array([0, 2])
Q, K, V = np.ones((3, 4)), np.ones((5, 4)), np.ones((5, 2))
RAGGED = [[1.0, 2.0], [3.0]]
TEMPLATE = re.compile(r"^The '[^']+' parameter( of \w+)? must .+\. Got .+ instead\.$", re.S)
# NumPy's own words, which must never reach the user.
LEAKS = ("inhomogeneous", "setting an array element", "could not convert", "operands could not")


@dataclass(frozen=True)
class Err:
    """A clear error naming ``parameter`` (``kind`` is ValueError or TypeError)."""

    kind: type[Exception]
    parameter: str


@dataclass(frozen=True)
class Val:
    """A documented value: ``check(result)`` asserts it against a reference."""

    check: Callable[[Any], None]


def _close(expected: Any) -> Val:
    def check(result: Any) -> None:
        np.testing.assert_allclose(np.asarray(result), np.asarray(expected), rtol=1e-12)

    return Val(check)


def _nan() -> Val:
    def check(result: Any) -> None:
        assert np.all(np.isnan(np.asarray(result)))

    return Val(check)


def _shape(shape: tuple[int, ...]) -> Val:
    def check(result: Any) -> None:
        assert np.asarray(result).shape == shape

    return Val(check)


def _torch_ce(z: Any, t: Any, **kw: Any) -> float:
    if "weight" in kw:
        kw["weight"] = torch.tensor(kw["weight"])
    z64 = torch.tensor(np.asarray(z, dtype=np.float64))
    return float(F.cross_entropy(z64, torch.tensor(t), **kw))


def _torch_sdpa(q: Any, k: Any, v: Any, **kw: Any) -> np.ndarray:
    return F.scaled_dot_product_attention(*map(torch.tensor, (q, k, v)), **kw).numpy()


CE = sl.cross_entropy
TZ = torch.tensor(Z)
TT = torch.tensor(T)

# (id, function call, expectation)
MATRIX: list[tuple[str, Callable[[], Any], Err | Val]] = [
    # --- cross_entropy: logits ---
    ("ce logits string", lambda: CE("abc", T), Err(TypeError, "logits")),
    ("ce logits ragged", lambda: CE(RAGGED, T), Err(TypeError, "logits")),
    ("ce logits strings", lambda: CE([["a", "b"]], [0]), Err(TypeError, "logits")),
    ("ce logits dict", lambda: CE({}, [0]), Err(TypeError, "logits")),
    ("ce logits complex", lambda: CE(Z + 1j, T), Err(TypeError, "logits")),
    ("ce logits 0-d", lambda: CE(3.0, 0), Err(ValueError, "logits")),
    ("ce logits huge int", lambda: CE([[10**400, 1]], [0]), Err(TypeError, "logits")),
    ("ce logits bool", lambda: CE([[True, False]], [0]), _close(_torch_ce([[1.0, 0.0]], [0]))),
    ("ce logits inf", lambda: CE([[np.inf, 0.0]], [0]), _nan()),  # torch: NaN too
    ("ce logits nan", lambda: CE([[np.nan, 0.0]], [1]), _nan()),
    ("ce empty rows", lambda: CE(np.zeros((0, 3)), np.zeros(0, int)), _nan()),
    # --- cross_entropy: target ---
    ("ce target ragged", lambda: CE(Z, [[0], [0, 1]]), Err(TypeError, "target")),
    ("ce target strings", lambda: CE(Z, ["a", "b"]), Err(TypeError, "target")),
    ("ce target bool", lambda: CE(Z, [True, False]), Err(TypeError, "target")),
    ("ce target None", lambda: CE(Z, None), Err(TypeError, "target")),
    ("ce target out of range", lambda: CE(Z, [0, 3]), Err(ValueError, "target")),
    ("ce target negative", lambda: CE(Z, [-1, 0]), Err(ValueError, "target")),
    ("ce target huge int", lambda: CE(Z, [2**70, 0]), Err(TypeError, "target")),
    (
        "ce target uint64 wraps",
        lambda: CE(Z, np.array([2**64 - 100, 0], np.uint64)),
        Err(ValueError, "target"),
    ),
    ("ce target shape", lambda: CE(Z, [0, 1, 2]), Err(ValueError, "target")),
    ("ce probs shape", lambda: CE(Z, np.ones((2, 2))), Err(ValueError, "target")),
    ("ce probs ragged", lambda: CE(Z, [[0.5, 0.5], [1.0]]), Err(TypeError, "target")),
    # --- cross_entropy: options ---
    ("ce axis float", lambda: CE(Z, T, axis=1.0), Err(ValueError, "axis")),
    ("ce axis bool", lambda: CE(Z, T, axis=True), Err(ValueError, "axis")),
    ("ce axis tuple", lambda: CE(Z, T, axis=(0, 1)), Err(ValueError, "axis")),
    ("ce axis None", lambda: CE(Z, T, axis=None), Err(ValueError, "axis")),
    ("ce axis out of range", lambda: CE(Z, T, axis=2), Err(ValueError, "axis")),
    ("ce axis string", lambda: CE(Z, T, axis="0"), Err(ValueError, "axis")),
    ("ce weight length", lambda: CE(Z, T, weight=[1.0, 2.0]), Err(ValueError, "weight")),
    ("ce weight strings", lambda: CE(Z, T, weight=["a"] * 3), Err(TypeError, "weight")),
    ("ce weight ragged", lambda: CE(Z, T, weight=RAGGED), Err(TypeError, "weight")),
    (
        "ce weight negative",  # allowed, as in torch
        lambda: CE(Z, T, weight=[-1.0, 2.0, 3.0]),
        _close(_torch_ce(Z, T, weight=np.array([-1.0, 2.0, 3.0]))),
    ),
    ("ce weight nan", lambda: CE(Z, T, weight=[np.nan, 1.0, 1.0]), _nan()),  # torch: NaN
    ("ce ignore_index float", lambda: CE(Z, T, ignore_index=1.5), Err(ValueError, "ignore_index")),
    ("ce ignore_index bool", lambda: CE(Z, T, ignore_index=True), Err(ValueError, "ignore_index")),
    ("ce ignore_index str", lambda: CE(Z, T, ignore_index="x"), Err(ValueError, "ignore_index")),
    ("ce ignore_index huge", lambda: CE(Z, T, ignore_index=2**70), _close(_torch_ce(Z, T))),
    (
        "ce smoothing nan",
        lambda: CE(Z, T, label_smoothing=math.nan),
        Err(ValueError, "label_smoothing"),
    ),
    (
        "ce smoothing negative",
        lambda: CE(Z, T, label_smoothing=-0.1),
        Err(ValueError, "label_smoothing"),
    ),
    ("ce smoothing > 1", lambda: CE(Z, T, label_smoothing=1.5), Err(ValueError, "label_smoothing")),
    (
        "ce smoothing str",
        lambda: CE(Z, T, label_smoothing="0.1"),
        Err(ValueError, "label_smoothing"),
    ),
    (
        "ce smoothing bool",
        lambda: CE(Z, T, label_smoothing=True),
        Err(ValueError, "label_smoothing"),
    ),
    ("ce reduction unknown", lambda: CE(Z, T, reduction="avg"), Err(ValueError, "reduction")),
    ("ce reduction None", lambda: CE(Z, T, reduction=None), Err(ValueError, "reduction")),
    ("ce reduction list", lambda: CE(Z, T, reduction=["mean"]), Err(ValueError, "reduction")),
    (
        "ce reduction array",
        lambda: CE(Z, T, reduction=np.array(["mean", "sum"])),
        Err(ValueError, "reduction"),
    ),
    ("ce backend unknown", lambda: CE(Z, T, backend="gpu"), Err(ValueError, "backend")),
    ("ce backend int", lambda: CE(Z, T, backend=1), Err(ValueError, "backend")),
    (
        "ce numba with probs",
        lambda: CE(Z, np.full((2, 3), 1 / 3), backend="numba"),
        Err(ValueError, "backend"),
    ),
    ("ce grad logits ragged", lambda: sl.cross_entropy_grad(RAGGED, T), Err(TypeError, "logits")),
    (
        "ce and grad target strings",
        lambda: sl.cross_entropy_and_grad(Z, ["a", "b"]),
        Err(TypeError, "target"),
    ),
    # --- softmax_jacobian / softmax_vjp ---
    ("jac x string", lambda: sl.softmax_jacobian("abc"), Err(TypeError, "x")),
    ("jac x ragged", lambda: sl.softmax_jacobian(RAGGED), Err(TypeError, "x")),
    ("jac x 0-d", lambda: sl.softmax_jacobian(1.0), Err(ValueError, "x")),
    (
        "jac T nan",
        lambda: sl.softmax_jacobian([1.0, 2.0], temperature=math.nan),
        Err(ValueError, "temperature"),
    ),
    (
        "jac T inf",
        lambda: sl.softmax_jacobian([1.0, 2.0], temperature=math.inf),
        Err(ValueError, "temperature"),
    ),
    (
        "jac T negative",
        lambda: sl.softmax_jacobian([1.0], temperature=-1.0),
        Err(ValueError, "temperature"),
    ),
    (
        "jac T bool",
        lambda: sl.softmax_jacobian([1.0], temperature=True),
        Err(ValueError, "temperature"),
    ),
    (
        "jac T str",
        lambda: sl.softmax_jacobian([1.0], temperature="1"),
        Err(ValueError, "temperature"),
    ),
    ("jac axis tuple", lambda: sl.softmax_jacobian(Z, axis=(0, 1)), Err(ValueError, "axis")),
    ("jac axis range", lambda: sl.softmax_jacobian(Z, axis=3), Err(ValueError, "axis")),
    ("jac empty", lambda: sl.softmax_jacobian(np.zeros(0)), _shape((0, 0))),
    ("jac one entry", lambda: sl.softmax_jacobian([5.0]), _close([[0.0]])),  # p = 1: p(1-p)
    ("vjp shapes", lambda: sl.softmax_vjp(np.ones(3) / 3, np.ones(2)), Err(ValueError, "v")),
    ("vjp v strings", lambda: sl.softmax_vjp(np.ones(2) / 2, ["a", "b"]), Err(TypeError, "v")),
    ("vjp probs ragged", lambda: sl.softmax_vjp(RAGGED, RAGGED), Err(TypeError, "probs")),
    ("vjp probs 0-d", lambda: sl.softmax_vjp(0.5, 1.0), Err(ValueError, "probs")),
    ("vjp axis float", lambda: sl.softmax_vjp(Z, Z, axis=1.5), Err(ValueError, "axis")),
    # --- sigmoid / log_sigmoid / sparsemax ---
    ("sigmoid string", lambda: sl.sigmoid("a"), Err(TypeError, "x")),
    ("sigmoid mixed", lambda: sl.sigmoid([1, "a"]), Err(TypeError, "x")),
    ("sigmoid ragged", lambda: sl.sigmoid(RAGGED), Err(TypeError, "x")),
    ("sigmoid huge int", lambda: sl.sigmoid(10**400), Err(TypeError, "x")),
    ("sigmoid complex", lambda: sl.sigmoid(1j), Err(TypeError, "x")),
    ("sigmoid 0-d", lambda: sl.sigmoid(0.0), _close(0.5)),
    ("sigmoid bool", lambda: sl.sigmoid([True]), _close([1 / (1 + math.exp(-1))])),
    ("sigmoid empty", lambda: sl.sigmoid([]), _shape((0,))),
    ("log_sigmoid inf", lambda: sl.log_sigmoid([np.inf, -np.inf]), _close([0.0, -np.inf])),
    ("log_sigmoid complex", lambda: sl.log_sigmoid([1j]), Err(TypeError, "x")),
    ("sparsemax 0-d", lambda: sl.sparsemax(3.0), _close(1.0)),
    ("sparsemax 0-d inf", lambda: sl.sparsemax(np.inf), _nan()),
    ("sparsemax 0-d axis", lambda: sl.sparsemax(3.0, axis=1), Err(ValueError, "axis")),
    ("sparsemax axis range", lambda: sl.sparsemax([1.0, 2.0], axis=2), Err(ValueError, "axis")),
    ("sparsemax axis str", lambda: sl.sparsemax([1.0, 2.0], axis="x"), Err(ValueError, "axis")),
    ("sparsemax ragged", lambda: sl.sparsemax(RAGGED), Err(TypeError, "x")),
    ("sparsemax empty", lambda: sl.sparsemax(np.zeros((2, 0))), _shape((2, 0))),
    ("sparsemax inf", lambda: sl.sparsemax([np.inf, 1.0]), _nan()),
    # --- scaled_dot_product_attention ---
    ("sdpa q 1-D", lambda: sdpa(np.ones(4), K, V), Err(ValueError, "q")),
    ("sdpa q strings", lambda: sdpa([["a"]], K, V), Err(TypeError, "q")),
    ("sdpa k ragged", lambda: sdpa(Q, RAGGED, V), Err(TypeError, "k")),
    ("sdpa E mismatch", lambda: sdpa(Q, np.ones((5, 3)), V), Err(ValueError, "k")),
    ("sdpa S mismatch", lambda: sdpa(Q, K, np.ones((6, 2))), Err(ValueError, "v")),
    (
        "sdpa batch mismatch",
        lambda: sdpa(np.ones((2, 3, 4)), np.ones((3, 5, 4)), np.ones((3, 5, 2))),
        Err(ValueError, "k"),
    ),
    ("sdpa mask int", lambda: sdpa(Q, K, V, mask=np.ones((3, 5), int)), Err(TypeError, "mask")),
    (
        "sdpa mask ragged",
        lambda: sdpa(Q, K, V, mask=[[True], [True, False]]),
        Err(TypeError, "mask"),
    ),
    ("sdpa mask strings", lambda: sdpa(Q, K, V, mask=[["a"] * 5] * 3), Err(TypeError, "mask")),
    ("sdpa mask shape", lambda: sdpa(Q, K, V, mask=np.ones((4, 5), bool)), Err(ValueError, "mask")),
    ("sdpa scale nan", lambda: sdpa(Q, K, V, scale=math.nan), Err(ValueError, "scale")),
    ("sdpa scale inf", lambda: sdpa(Q, K, V, scale=math.inf), Err(ValueError, "scale")),
    ("sdpa scale str", lambda: sdpa(Q, K, V, scale="1"), Err(ValueError, "scale")),
    ("sdpa scale bool", lambda: sdpa(Q, K, V, scale=True), Err(ValueError, "scale")),
    ("sdpa causal str", lambda: sdpa(Q, K, V, is_causal="no"), Err(TypeError, "is_causal")),
    ("sdpa causal int", lambda: sdpa(Q, K, V, is_causal=1), Err(TypeError, "is_causal")),
    ("sdpa weights int", lambda: sdpa(Q, K, V, return_weights=1), Err(TypeError, "return_weights")),
    (
        "sdpa scale numpy int",
        lambda: sdpa(Q, K, np.arange(10.0).reshape(5, 2), scale=np.int64(2)),
        _close(_torch_sdpa(Q, K, np.arange(10.0).reshape(5, 2), scale=2.0)),
    ),
    (
        "sdpa all masked",
        lambda: sdpa(Q, K, V, mask=np.zeros((3, 5), bool)),
        _close(np.zeros((3, 2))),  # torch 2.13 returns 0 too
    ),
    (
        "sdpa no key",
        lambda: sdpa(Q, np.ones((0, 4)), np.ones((0, 2))),
        _close(_torch_sdpa(Q, np.ones((0, 4)), np.ones((0, 2)))),
    ),
    ("sdpa no query", lambda: sdpa(np.ones((0, 4)), K, V), _shape((0, 2))),
    # --- interop: PyTorch and Dask inputs ---
    (
        "torch lse return_sign str",
        lambda: sl.logsumexp(TZ, return_sign="no"),
        Err(TypeError, "return_sign"),
    ),
    (
        "torch lse return_sign True",
        lambda: sl.logsumexp(TZ, return_sign=True),
        Err(ValueError, "return_sign"),
    ),
    (
        "torch lse keepdims str",
        lambda: sl.logsumexp(TZ, keepdims="yes"),
        Err(TypeError, "keepdims"),
    ),
    ("torch lse keepdims int", lambda: sl.logsumexp(TZ, keepdims=1), Err(TypeError, "keepdims")),
    (
        "torch lse keepdims np.bool_",
        lambda: sl.logsumexp(TZ, axis=1, keepdims=np.True_).numpy(),
        _close(torch.logsumexp(TZ, dim=1, keepdim=True).numpy()),
    ),
    ("torch lse b", lambda: sl.logsumexp(TZ, b=np.ones((2, 3))), Err(ValueError, "b")),
    ("torch softmax backend", lambda: sl.softmax(TZ, backend="numba"), Err(ValueError, "backend")),
    (
        "torch where ragged",
        lambda: sl.softmax(TZ, where=[[True], [True, False]]),
        Err(TypeError, "where"),
    ),
    (
        "torch where int",
        lambda: sl.softmax(TZ, where=torch.ones(2, 3, dtype=torch.int64)),
        Err(TypeError, "where"),
    ),
    (
        "torch where shape",
        lambda: sl.softmax(TZ, where=torch.ones(4, dtype=torch.bool)),
        Err(ValueError, "where"),
    ),
    (
        "torch x complex",
        lambda: sl.softmax(torch.zeros(2, dtype=torch.complex64)),
        Err(TypeError, "x"),
    ),
    ("torch ce target ragged", lambda: CE(TZ, [[0], [0, 1]]), Err(TypeError, "target")),
    ("torch ce target bool", lambda: CE(TZ, torch.tensor([True, False])), Err(TypeError, "target")),
    ("torch ce target range", lambda: CE(TZ, torch.tensor([0, 3])), Err(ValueError, "target")),
    ("torch ce target shape", lambda: CE(TZ, torch.tensor([0, 1, 2])), Err(ValueError, "target")),
    ("torch ce probs shape", lambda: CE(TZ, torch.ones(2, 2)), Err(ValueError, "target")),
    ("torch ce 0-d", lambda: CE(torch.tensor(1.0), torch.tensor(0)), Err(ValueError, "logits")),
    ("torch ce weight", lambda: CE(TZ, TT, weight=torch.ones(2)), Err(ValueError, "weight")),
    ("torch ce reduction", lambda: CE(TZ, TT, reduction=["mean"]), Err(ValueError, "reduction")),
    (
        "torch ce smoothing",
        lambda: CE(TZ, TT, label_smoothing=2.0),
        Err(ValueError, "label_smoothing"),
    ),
    (
        "torch ce ignore_index",
        lambda: CE(TZ, TT, ignore_index=0.5),
        Err(ValueError, "ignore_index"),
    ),
    ("torch ce axis", lambda: CE(TZ, TT, axis=(0,)), Err(ValueError, "axis")),
    (
        "torch ce no class",
        lambda: CE(torch.zeros(2, 0), torch.tensor([-100, -100])).numpy(),
        _nan(),  # torch: NaN
    ),
    ("dask ce", lambda: CE(_dask_zeros(), T), Err(TypeError, "logits")),
    # --- numpy where= (checked in _validation) ---
    (
        "softmax where ragged",
        lambda: sl.softmax(Z, where=[[True], [True, False]]),
        Err(TypeError, "where"),
    ),
    (
        "logsumexp where ragged",
        lambda: sl.logsumexp(Z, where=[[True], [True, False]]),
        Err(TypeError, "where"),
    ),
    (
        "softmax where strings",
        lambda: sl.softmax(Z, where=[["a"] * 3] * 2),
        Err(TypeError, "where"),
    ),
]


def _dask_zeros() -> Any:
    import dask.array as da

    return da.zeros((2, 3), chunks=1)


@pytest.mark.parametrize(("name", "call", "expect"), MATRIX, ids=[m[0] for m in MATRIX])
def test_bad_input_matrix(name: str, call: Callable[[], Any], expect: Err | Val) -> None:
    if isinstance(expect, Val):
        expect.check(call())
        return
    with pytest.raises(expect.kind) as info:
        call()
    err = info.value
    assert isinstance(err, SoftmaxLabError), f"{type(err).__name__}: {err}"
    assert err.parameter == expect.parameter
    message = str(err)
    assert TEMPLATE.match(message), message
    assert f"'{expect.parameter}' parameter" in message
    assert not any(leak in message for leak in LEAKS), message
    assert err.allowed and err.value  # the fields the CLI and the explorer show


def test_matrix_is_large_and_has_no_duplicate_ids() -> None:
    names = [m[0] for m in MATRIX]
    assert len(names) == len(set(names))
    assert len(MATRIX) >= 60


# --- check_bool itself ---


@pytest.mark.parametrize("value", [True, False, np.True_, np.False_, np.array(True)])
def test_check_bool_accepts_booleans(value) -> None:
    out = check_bool(value, "flag", func="f")
    assert type(out) is bool and out == bool(value)


@pytest.mark.parametrize(
    "value", ["no", "", "False", 0, 1, 0.0, 1.0, None, [], [True], np.array([True]), np.int64(1)]
)
def test_check_bool_refuses_everything_else(value) -> None:
    with pytest.raises(TypeError) as info:
        check_bool(value, "return_sign", func="logsumexp")
    err = info.value
    assert isinstance(err, SoftmaxLabError) and isinstance(err, ValueError)
    assert err.parameter == "return_sign" and err.function == "logsumexp"
    assert str(err).startswith("The 'return_sign' parameter of logsumexp must be a bool")


def test_a_huge_bad_entry_is_described_briefly() -> None:
    """A ragged list of 300,001 rows: the message shows its start, not 3 MB of repr."""
    big = [[0.0, 0.0, 0.0]] * 300_000 + [[1.0]]
    for call in (lambda: sl.softmax(big), lambda: CE(Z, big), lambda: sl.sigmoid([big])):
        with pytest.raises(TypeError) as info:
            call()
        message = str(info.value)
        assert len(message) < 300 and message.endswith("... instead.")
        assert TEMPLATE.match(message) and not any(leak in message for leak in LEAKS)
