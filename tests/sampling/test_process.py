"""process_logits against the Hugging Face transformers logits warpers.

The reference is transformers' own TemperatureLogitsWarper, TopKLogitsWarper,
TopPLogitsWarper and MinPLogitsWarper, chained in the order of
``GenerationMixin._get_logits_processor`` (checked below from its source), run on torch
tensors. A token counts as removed by transformers when its processed score is -inf.
"""

from __future__ import annotations

import inspect
import itertools
import math
import zlib

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from transformers.generation import utils as hf_utils
from transformers.generation.logits_process import (
    LogitsProcessorList,
    MinPLogitsWarper,
    TemperatureLogitsWarper,
    TopKLogitsWarper,
    TopPLogitsWarper,
)

from softmaxlab import SoftmaxLabError
from softmaxlab.sampling import process_logits


def hf_process(
    x: np.ndarray,
    *,
    temperature: float = 1.0,
    top_k: int | None = None,
    top_p: float | None = None,
    min_p: float | None = None,
    min_tokens_to_keep: int = 1,
) -> tuple[np.ndarray, np.ndarray]:
    """Probabilities and removed mask (-inf scores) from the transformers warpers."""
    procs = LogitsProcessorList()
    # The conditions under which generate() adds each warper (generation/utils.py).
    if temperature != 1.0:
        procs.append(TemperatureLogitsWarper(float(temperature)))
    if top_k is not None and top_k != 0:
        procs.append(TopKLogitsWarper(top_k=top_k, min_tokens_to_keep=min_tokens_to_keep))
    if top_p is not None and top_p < 1.0:
        procs.append(TopPLogitsWarper(top_p=top_p, min_tokens_to_keep=min_tokens_to_keep))
    if min_p is not None:
        procs.append(MinPLogitsWarper(min_p=min_p, min_tokens_to_keep=min_tokens_to_keep))
    scores = procs(torch.zeros((x.shape[0], 1), dtype=torch.long), torch.from_numpy(x.copy()))
    probs = torch.softmax(scores, dim=-1)
    return probs.numpy(), torch.isinf(scores).numpy()


def test_pipeline_order_is_that_of_transformers_generate() -> None:
    src = inspect.getsource(hf_utils.GenerationMixin._get_logits_processor)
    positions = [
        src.index(name + "(")
        for name in ("TemperatureLogitsWarper", "TopKLogitsWarper", "TopPLogitsWarper")
    ]
    positions.append(src.index("MinPLogitsWarper("))
    assert positions == sorted(positions)


OPTIONS = [
    dict(temperature=t, top_k=k, top_p=p, min_p=m)
    for t, k, p, m in itertools.product(
        [1.0, 0.6, 1.7], [None, 1, 5, 40], [None, 0.5, 0.9, 1.0], [None, 0.0, 0.05, 0.3]
    )
]


@pytest.mark.parametrize("opts", OPTIONS, ids=lambda o: "-".join(f"{v}" for v in o.values()))
def test_matches_transformers_on_random_batches(opts: dict) -> None:
    rng = np.random.default_rng(zlib.crc32(repr(opts).encode()))
    x = rng.normal(scale=rng.uniform(0.5, 4.0, size=(32, 1)), size=(32, 30))
    probs, removed = process_logits(x, **opts)
    hf_probs, hf_inf = hf_process(x, **opts)
    np.testing.assert_array_equal(removed | np.isneginf(x), hf_inf)
    np.testing.assert_allclose(probs, hf_probs, rtol=1e-12, atol=1e-300)


@pytest.mark.parametrize("m", [2, 3, 7])
@pytest.mark.parametrize(
    "opts",
    [dict(top_k=1), dict(top_p=0.05), dict(min_p=0.9), dict(top_k=2, top_p=0.1, min_p=0.99)],
)
def test_min_tokens_to_keep_matches_transformers(m: int, opts: dict) -> None:
    rng = np.random.default_rng(m)
    x = rng.normal(scale=3.0, size=(40, 20))
    probs, removed = process_logits(x, min_tokens_to_keep=m, **opts)
    hf_probs, hf_inf = hf_process(x, min_tokens_to_keep=m, **opts)
    np.testing.assert_array_equal(removed, hf_inf)
    assert (~removed).sum(axis=1).min() >= m
    np.testing.assert_allclose(probs, hf_probs, rtol=1e-12)


@pytest.mark.parametrize(
    "opts",
    [
        dict(top_k=1),
        dict(top_k=2),
        dict(top_k=4),
        dict(top_p=0.3),
        dict(top_p=0.6),
        dict(top_p=0.95),
        dict(min_p=0.4),
        dict(min_p=1.0),
        dict(top_k=3, top_p=0.5),
        dict(top_k=5, top_p=0.8, min_p=0.2),
    ],
)
def test_ties_match_transformers(opts: dict) -> None:
    # Small integer logits: many exact ties, at the k-th value and at the top-p boundary.
    # Our rule: among tied logits the lower index ranks first. transformers' top-p sorts
    # ascending with torch.sort, stable on CPU for rows of <= 16 elements, so it keeps the
    # *higher* index of a tie first; on the reversed vocabulary that is our rule. (Top-k keeps
    # every tie and min-p with min_tokens_to_keep=1 never cuts a tied maximum: both are
    # symmetric under the reversal.)
    rng = np.random.default_rng(7)
    x = rng.integers(-2, 3, size=(200, 9)).astype(np.float64)
    probs, removed = process_logits(x, **opts)
    hf_probs, hf_inf = hf_process(x[:, ::-1], **opts)
    np.testing.assert_array_equal(removed, hf_inf[:, ::-1])
    np.testing.assert_allclose(probs, hf_probs[:, ::-1], rtol=1e-12)


def _reference_rule(
    row: list[float], *, top_k: int | None, top_p: float | None, min_p: float | None, m: int = 1
) -> list[bool]:
    """The documented rule written out per row (removed mask): rank by (-logit, index)."""
    n = len(row)
    keep = [True] * n
    if top_k is not None:
        kth = sorted(row, reverse=True)[min(max(top_k, m), n) - 1]
        keep = [v >= kth for v in row]

    def probs() -> list[float]:
        top = max(v for v, k in zip(row, keep, strict=True) if k)
        e = [math.exp(v - top) if k else 0.0 for v, k in zip(row, keep, strict=True)]
        total = math.fsum(e)
        return [v / total for v in e]

    rank = sorted(range(n), key=lambda i: (-row[i], i))
    if top_p is not None and top_p < 1.0:
        p, above, new = probs(), 0.0, [False] * n
        for r, i in enumerate(rank):
            if keep[i]:
                new[i] = above < top_p or r < m
                above += p[i]
        keep = new
    if min_p is not None:
        p = probs()
        protected = set(rank[:m])
        keep = [k and (p[i] >= min_p * max(p) or i in protected) for i, k in enumerate(keep)]
    return [not k for k in keep]


@pytest.mark.parametrize("n", [17, 40, 300])
@pytest.mark.parametrize(
    "opts",
    [
        dict(top_k=3),
        dict(top_p=0.3),
        dict(top_p=0.62),
        dict(top_p=0.95),
        dict(min_p=0.4, m=3),
        dict(top_p=0.37, m=4),
        dict(top_k=5, top_p=0.55, min_p=0.2),
    ],
)
def test_ties_follow_the_lower_index_rule_for_large_vocabularies(n: int, opts: dict) -> None:
    # Issue 11: beyond 16 tokens torch.sort is not stable, so transformers has no tie rule
    # there; ours holds for every size. Reference: the rule written out in Python above.
    m = opts.pop("m", 1)
    full = {"top_k": None, "top_p": None, "min_p": None, **opts}
    rng = np.random.default_rng(n)
    x = rng.integers(-2, 3, size=(30, n)).astype(np.float64)
    _, removed = process_logits(x, min_tokens_to_keep=m, **opts)
    expected = [_reference_rule(row.tolist(), m=m, **full) for row in x]
    np.testing.assert_array_equal(removed, expected)


def test_tied_vocabulary_of_twenty_keeps_the_first_tokens() -> None:
    # Hand-worked: 20 equal logits, p = 0.05 each. With top_p = 0.52 a token stays while the
    # mass ranked above it is < 0.52: ranks 0..10, i.e. the 11 lowest indices.
    removed = process_logits(np.zeros(20), top_p=0.52).removed
    assert removed.tolist() == [False] * 11 + [True] * 9
    # min_tokens_to_keep protects the lowest indices among ties too.
    removed = process_logits(np.zeros(20), min_p=1.0, top_p=0.01, min_tokens_to_keep=3).removed
    assert removed.tolist() == [False] * 3 + [True] * 17


def test_float32_matches_transformers() -> None:
    rng = np.random.default_rng(3)
    x = rng.normal(scale=2.0, size=(64, 50)).astype(np.float32)
    for opts in (dict(top_k=10), dict(top_p=0.8), dict(min_p=0.1, temperature=0.7)):
        probs, removed = process_logits(x, **opts)
        hf_probs, hf_inf = hf_process(x, **opts)
        assert probs.dtype == np.float32
        np.testing.assert_array_equal(removed, hf_inf)
        np.testing.assert_allclose(probs, hf_probs, rtol=1e-5)


def test_top_k_keeps_ties_at_the_kth_value() -> None:
    # Hand-worked: the 2nd largest value 1.0 appears twice, so three tokens stay.
    probs, removed = process_logits([3.0, 1.0, 1.0, 0.0], top_k=2)
    assert removed.tolist() == [False, False, False, True]
    e = np.exp([3.0, 1.0, 1.0])
    np.testing.assert_allclose(probs, [*(e / e.sum()), 0.0], rtol=1e-15)


def test_top_p_keeps_the_token_that_crosses_the_threshold() -> None:
    # probabilities 0.5, 0.3, 0.2: the head [0.5] has mass 0.5 < 0.6, so 0.3 is added.
    x = np.log([0.5, 0.3, 0.2])
    assert process_logits(x, top_p=0.6).removed.tolist() == [False, False, True]
    assert process_logits(x, top_p=0.5).removed.tolist() == [False, True, True]
    assert process_logits(x, top_p=0.4).removed.tolist() == [False, True, True]
    # The most likely token always stays, however small top_p is.
    assert process_logits(x, top_p=1e-9).removed.tolist() == [False, True, True]
    assert not process_logits(x, top_p=1.0).removed.any()


def test_min_p_is_relative_to_the_top_probability() -> None:
    x = np.log([0.5, 0.3, 0.15, 0.05])
    # threshold 0.2 * 0.5 = 0.1: only 0.05 goes.
    assert process_logits(x, min_p=0.2).removed.tolist() == [False, False, False, True]
    # threshold 0.5 * 0.5 = 0.25.
    probs, removed = process_logits(x, min_p=0.5)
    assert removed.tolist() == [False, False, True, True]
    np.testing.assert_allclose(probs, [0.625, 0.375, 0.0, 0.0], rtol=1e-14)
    assert process_logits(x, min_p=1.0).removed.tolist() == [False, True, True, True]
    # Strictly below the threshold goes: tied maxima all stay with min_p = 1.
    assert process_logits([2.0, 2.0, 1.0], min_p=1.0).removed.tolist() == [False, False, True]


def test_temperature_zero_keeps_only_the_maxima() -> None:
    probs, removed = process_logits([1.0, 3.0, 3.0, -np.inf, 2.0], temperature=0, top_k=1)
    assert probs.tolist() == [0.0, 0.5, 0.5, 0.0, 0.0]
    assert removed.tolist() == [True, False, False, False, True]


def test_temperature_equals_scaled_logits() -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(5, 7))
    a = process_logits(x, temperature=0.3, top_p=0.8)
    b = process_logits(x / 0.3, top_p=0.8)
    np.testing.assert_array_equal(a.removed, b.removed)
    np.testing.assert_allclose(a.probs, b.probs, rtol=1e-13)


@pytest.mark.parametrize("axis", [0, 1, -3])
def test_axis_equals_moving_the_axis_last(axis: int) -> None:
    rng = np.random.default_rng(1)
    x = rng.normal(size=(6, 7, 8))
    got = process_logits(x, top_k=3, top_p=0.7, axis=axis)
    ref = process_logits(np.moveaxis(x, axis, -1), top_k=3, top_p=0.7)
    np.testing.assert_array_equal(got.probs, np.moveaxis(ref.probs, -1, axis))
    np.testing.assert_array_equal(got.removed, np.moveaxis(ref.removed, -1, axis))


def test_special_values_per_row() -> None:
    x = np.array(
        [
            [1.0, np.nan, 0.0],
            [1.0, np.inf, 0.0],
            [-np.inf, -np.inf, -np.inf],
            [0.0, -np.inf, 2.0],
        ]
    )
    probs, removed = process_logits(x, top_p=0.5)
    assert np.isnan(probs[:3]).all()
    assert not removed[:3].any()
    # -inf has probability 0 and is not flagged; the finite rows are unaffected.
    assert removed[3].tolist() == [True, False, False]
    assert probs[3].tolist() == [0.0, 0.0, 1.0]


def test_dtype_and_empty() -> None:
    assert process_logits(np.zeros(3, np.float32)).probs.dtype == np.float32
    assert process_logits([1, 2, 3]).probs.dtype == np.float64
    p, r = process_logits(np.zeros((0, 4)), top_k=2)
    assert p.shape == (0, 4) and r.shape == (0, 4) and r.dtype == bool


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            dict(top_p=1.5),
            "The 'top_p' parameter of process_logits must be a number in the range (0, 1]. "
            "Got 1.5 instead.",
        ),
        (dict(top_p=0.0), "'top_p' parameter of process_logits must be a number in the range"),
        (dict(top_k=0), "The 'top_k' parameter of process_logits must be an int >= 1 or None"),
        (dict(top_k=2.5), "'top_k'"),
        (dict(top_k=True), "'top_k'"),
        (
            dict(min_p=-0.1),
            "The 'min_p' parameter of process_logits must be a number in the range [0, 1]",
        ),
        (dict(temperature=-1.0), "'temperature' parameter of process_logits must be a finite"),
        (dict(temperature=np.inf), "'temperature'"),
        (dict(temperature="hot"), "'temperature'"),
        (dict(min_tokens_to_keep=0), "'min_tokens_to_keep'"),
        (dict(axis=2), "'axis'"),
        (dict(axis=(0, 1)), "'axis'"),
    ],
)
def test_invalid_options(kwargs: dict, message: str) -> None:
    with pytest.raises(SoftmaxLabError) as info:
        process_logits(np.zeros((2, 3)), **kwargs)
    assert message in str(info.value)


def test_invalid_logits() -> None:
    with pytest.raises(ValueError, match="at least 1-D"):
        process_logits(1.0)
    with pytest.raises(TypeError, match="'logits'"):
        process_logits(["a", "b"])


logit_rows = hnp.arrays(
    np.float64,
    hnp.array_shapes(min_dims=2, max_dims=2, min_side=1, max_side=12),
    elements=st.floats(-30, 30),
)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(
    x=logit_rows,
    temperature=st.sampled_from([0.0, 0.5, 1.0, 2.0]),
    top_k=st.none() | st.integers(1, 14),
    top_p=st.none() | st.floats(0.01, 1.0),
    min_p=st.none() | st.floats(0.0, 1.0),
)
def test_invariants(x, temperature, top_k, top_p, min_p) -> None:
    probs, removed = process_logits(
        x, temperature=temperature, top_k=top_k, top_p=top_p, min_p=min_p
    )
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, rtol=1e-12)
    assert (probs[removed] == 0).all()
    # A most likely token is never removed (among tied maxima, top-p may keep only some).
    assert (~removed & (x == x.max(axis=1, keepdims=True))).any(axis=1).all()
    # Kept tokens form a head: every token with a larger logit than a kept one is kept.
    for row, rem in zip(x, removed, strict=True):
        if rem.any() and (~rem).any():
            assert row[~rem].min() >= row[rem].max()
