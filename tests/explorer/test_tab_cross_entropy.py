"""The Cross-entropy tab: loss from the logits against PyTorch, mpmath and hand values.

References: ``torch.nn.functional.cross_entropy`` (with ``label_smoothing``), mpmath at 50
digits, and numbers derived by hand in the comments. Nothing expected comes from softmaxlab.
"""

from __future__ import annotations

import math
import re

import mpmath
import numpy as np
import pytest
import torch
import torch.nn.functional as F

from softmaxlab.explorer import _lessons as ls
from softmaxlab.explorer._i18n import LANGUAGES, keys
from softmaxlab.explorer._problems import InputProblem
from softmaxlab.explorer._render_lessons import cross_entropy_html
from softmaxlab.explorer.tabs import cross_entropy


def torch_ce(z: list[float], k: int, smoothing: float = 0.0) -> float:
    logits = torch.tensor([z], dtype=torch.float64)
    return float(F.cross_entropy(logits, torch.tensor([k]), label_smoothing=smoothing))


def data_value(page: str, elem_id: str) -> float:
    match = re.search(rf'id="{elem_id}" class="sl-formula" data-value="([^"]+)"', page)
    assert match, elem_id
    return float(match.group(1))


CASES = [
    ([2.0, 1.0, 0.1], 0, 0.0),
    ([2.0, 1.0, 0.1], 2, 0.1),
    ([-3.0, 0.5, 4.0, 1.0], 1, 0.25),
    ([1000.0, 0.0], 1, 0.0),
    ([1000.0, 0.0], 1, 0.3),
    ([-1000.0, 0.0, 1000.0], 0, 0.05),
    ([0.0, 0.0, 0.0], 2, 1.0),
]


@pytest.mark.parametrize(("z", "k", "eps"), CASES)
def test_losses_match_torch(z: list[float], k: int, eps: float) -> None:
    view = ls.cross_entropy_view(z, k, eps)
    assert view["loss"] == pytest.approx(torch_ce(z, k), rel=1e-13, abs=1e-13)
    assert view["smoothed_loss"] == pytest.approx(torch_ce(z, k, eps), rel=1e-13, abs=1e-13)
    # The two parts of the smoothed loss, each from torch: the nll and the uniform-target loss.
    uniform = torch.full((1, len(z)), 1.0 / len(z), dtype=torch.float64)
    spread = float(F.cross_entropy(torch.tensor([z], dtype=torch.float64), uniform))
    assert view["uniform_part"] == pytest.approx(spread, rel=1e-13)
    assert (1 - eps) * view["loss"] + eps * view["uniform_part"] == pytest.approx(
        view["smoothed_loss"], rel=1e-13, abs=1e-13
    )


@mpmath.workdps(50)
def test_steps_against_mpmath() -> None:
    z, k = [2.0, 1.0, 0.1], 0
    view = ls.cross_entropy_view(z, k, 0.0)
    e = [mpmath.exp(mpmath.mpf(v) - 2) for v in z]
    assert view["max"] == 2.0
    assert view["sum"] == pytest.approx(float(mpmath.fsum(e)), rel=1e-15)
    lse = 2 + mpmath.log(mpmath.fsum(e))
    assert view["lse"] == pytest.approx(float(lse), rel=1e-15)
    assert view["log_softmax"] == pytest.approx([float(v - lse) for v in z], rel=1e-14)
    # Hand value: log(e² + e + e^0.1) − 2 = 0.417029...
    assert view["loss"] == pytest.approx(
        math.log(math.exp(2) + math.e + math.exp(0.1)) - 2, rel=1e-14
    )
    assert view["smoothed_target"] == [1.0, 0.0, 0.0]


def test_large_logits_break_log_of_softmax_but_not_the_loss_from_logits() -> None:
    view = ls.cross_entropy_view([1000.0, 0.0], 1, 0.0)
    # By hand: logsumexp(1000, 0) = 1000 + log(1 + e^-1000) = 1000 in float64; L = 1000 − 0.
    assert view["loss"] == 1000.0 and view["lse"] == 1000.0
    assert view["naive_exp"][0] == math.inf and math.isnan(view["naive_p"][0])
    assert view["naive_p"][1] == 0.0 and view["naive_loss"] == math.inf
    assert view["probs"] == [1.0, 0.0]  # e^-1000 underflows to 0 in the stable softmax too
    assert view["log_of_softmax_loss"] == math.inf
    page = cross_entropy_html(view, "en")
    assert data_value(page, "ce-loss") == 1000.0
    assert data_value(page, "ce-log-loss") == math.inf
    assert "color:#d93025" in page  # the inf is flagged


def test_smoothed_target_by_hand() -> None:
    view = ls.cross_entropy_view([1.0, 2.0, 3.0, 4.0], 3, 0.2)
    # (1 − 0.2)·onehot(3) + 0.2 / 4 = [0.05, 0.05, 0.05, 0.85]
    assert view["smoothed_target"] == pytest.approx([0.05, 0.05, 0.05, 0.85], abs=1e-15)


@pytest.mark.parametrize(
    ("target", "smoothing", "key"),
    [
        (2, 0.1, "err.target"),
        (-1, 0.1, "err.target"),
        (0.5, 0.1, "err.target"),
        (None, 0.1, "err.target"),
        (0, 1.5, "err.range"),
        (0, -0.1, "err.range"),
        (0, None, "err.range"),
    ],
)
def test_bad_entries(target: object, smoothing: object, key: str) -> None:
    with pytest.raises(InputProblem) as info:
        ls.cross_entropy_view([1.0, 2.0], target, smoothing)
    assert info.value.key == key


def test_tab_keeps_the_old_steps_on_a_bad_entry_with_a_translated_message() -> None:
    out, message = cross_entropy.ce_output("1, x", 0, 0.1, "zh-Hant")
    assert (
        out == {"__type__": "update"}
        and "sl-error" in message
        and "&#x27;x&#x27;" in message
        and "不是數字" in message
    )
    out, message = cross_entropy.ce_output("1000, 0", 1, 0.1, "en")
    assert message == "" and data_value(out, "ce-loss") == 1000.0
    # 0.9 · 1000 + 0.1 · mean(1000, 0) = 950
    assert data_value(out, "ce-smoothed") == pytest.approx(950.0, rel=1e-15)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_html_in_each_language_has_no_raw_key(lang: str) -> None:
    for z, k, eps in CASES:
        page = cross_entropy_html(ls.cross_entropy_view(z, k, eps), lang)
        assert not [key for key in keys() if key in page]
        assert 'id="ce-steps"' in page


def test_random_cases_match_torch() -> None:
    gen = np.random.default_rng(3)
    for _ in range(30):
        n = int(gen.integers(2, 8))
        z = (gen.standard_normal(n) * float(gen.choice([1.0, 30.0, 400.0]))).tolist()
        k = int(gen.integers(n))
        eps = float(gen.random())
        view = ls.cross_entropy_view(z, k, eps)
        assert view["loss"] == pytest.approx(torch_ce(z, k), rel=1e-12, abs=1e-12)
        assert view["smoothed_loss"] == pytest.approx(torch_ce(z, k, eps), rel=1e-12, abs=1e-12)
