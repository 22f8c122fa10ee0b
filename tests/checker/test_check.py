"""``softmaxlab.check``: the battery judged against independent references.

The battery's own reference is compared with mpmath at 50 digits; independent correct
softmaxes (SciPy, PyTorch, a log-space one written here) must pass every case, and the
reference learner files of ``examples/check/`` must fail exactly the cases of their mistake,
with that mistake's reason and hint.
"""

from __future__ import annotations

import importlib.util
import json
import math
import re
import string
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch
from scipy import special

import softmaxlab
from softmaxlab.checker import CASES, MESSAGES, CheckResult, check
from softmaxlab.checker._judge import reference, tolerance_ulps
from tests._support.mpref import ref_softmax

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "check"
STABILITY = {case.name for case in CASES if case.stability}
ALL = [case.name for case in CASES]


def load(name: str, function: str = "softmax") -> Any:
    spec = importlib.util.spec_from_file_location(f"check_example_{name}", EXAMPLES / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return getattr(module, function)


def failed(result: CheckResult) -> dict[str, str]:
    return {case.name: case.code for case in result.cases if case.failed}


def not_applicable(result: CheckResult) -> set[str]:
    return {case.name for case in result.cases if case.status == "not applicable"}


# --- the reference and the tolerance ---------------------------------------------------------


def _mp_softmax(x: np.ndarray, axis: int, temperature: float = 1.0) -> np.ndarray:
    moved = np.moveaxis(np.asarray(x, dtype=np.float64), axis, -1)
    out = np.empty(moved.shape)
    for idx in np.ndindex(*moved.shape[:-1]):
        out[idx] = ref_softmax(moved[idx], temperature)
    return np.moveaxis(out, -1, axis)


@pytest.mark.parametrize("case", [c for c in CASES if c.check not in ("dtype", "unchanged")])
def test_the_battery_reference_is_exact(case: Any) -> None:
    x = case.make()
    t = case.keyword_value if case.needs == "temperature" else 1.0
    want = _mp_softmax(np.asarray(x), case.axis, t)
    got = reference(case, x, case.keyword_value)
    eps = np.finfo(np.float64).eps
    ulps = np.abs(got - want) / (eps * np.maximum(want, np.finfo(np.float64).tiny))
    assert ulps.max() <= 2.0


def test_course_examples_are_the_courses_numbers() -> None:
    # Values the course writes by hand: [3, 1, -3] -> 0.88, 0.12, 0.00; [1, 2, 3] -> 0.09, ...
    by_name = {case.name: case for case in CASES}
    course = reference(by_name["course_example"], by_name["course_example"].make(), None)
    assert np.round(course, 2).tolist() == [0.88, 0.12, 0.0]
    increasing = reference(by_name["increasing"], by_name["increasing"].make(), None)
    assert np.round(increasing, 2).tolist() == [0.09, 0.24, 0.67]


def _shifted(x: Any, axis: int = -1) -> np.ndarray:
    x = np.asarray(x)
    e = np.exp(x - np.max(x, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)


def test_four_ulps_of_noise_pass_and_sixty_four_fail() -> None:
    eps = np.finfo(np.float64).eps

    def close(x: Any) -> np.ndarray:
        return _shifted(x) * (1 + 4 * eps)

    def far(x: Any) -> np.ndarray:
        return _shifted(x) * (1 + 64 * eps)

    assert "course_example" not in failed(check(close))
    result = check(far)
    assert result["course_example"].code == "values"
    assert "ulps off" in result["course_example"].reason


def test_tolerance_grows_with_the_logits_size() -> None:
    # A log-space softmax rounds x - logsumexp(x): about |x|·ε, within the stated tolerance.
    large = next(case for case in CASES if case.name == "large_equal")
    assert tolerance_ulps(large, large.make()) == 16 + 2 * 1000
    stated = check(_log_space)
    assert (
        stated["large_equal"].tolerance == "each pᵢ within 2016 ulps (float64) of the exact value"
    )
    assert stated["course_example"].tolerance.startswith("each pᵢ within 22 ulps (float64)")
    assert stated["float32_accuracy"].tolerance.endswith(
        "within 20 ulps (float32) of the exact value"
    )
    assert stated["sum_to_one"].tolerance == "|Σp − 1| ≤ n·ε = 2.22e-13"


# --- correct functions pass ------------------------------------------------------------------


def _log_space(x: Any) -> np.ndarray:
    x = np.asarray(x)
    return np.exp(x - special.logsumexp(x, axis=-1, keepdims=True))


def _torch_softmax(x: Any, dim: int = -1) -> torch.Tensor:
    t = torch.as_tensor(np.asarray(x))
    return torch.softmax(t, dim=dim)


def test_the_example_solution_passes_every_case() -> None:
    result = check(load("correct"))
    assert result.passed
    assert result.n_passed == len(CASES) and not not_applicable(result)


@pytest.mark.parametrize(
    ("fn", "na"),
    [
        (special.softmax, {"temperature"}),
        (_torch_softmax, {"temperature"}),
        (_log_space, {"temperature", "batch_columns"}),
    ],
    ids=["scipy", "torch", "log-space"],
)
def test_independent_softmaxes_pass(fn: Any, na: set[str]) -> None:
    result = check(fn)
    assert failed(result) == {}
    assert not_applicable(result) == na
    assert result.passed  # not applicable neither passes nor fails


def test_not_applicable_is_not_counted_as_passed() -> None:
    result = check(_log_space)
    assert result["temperature"].status == "not applicable"
    assert not result["temperature"].passed and not result["temperature"].failed
    assert result.n_passed + result.n_not_applicable == len(CASES)


# --- the reference learner files fail exactly their mistake ----------------------------------


def test_naive_fails_exactly_the_overflow_cases() -> None:
    result = check(load("naive"))
    assert set(failed(result)) == STABILITY
    for name in STABILITY:
        assert result[name].code in ("overflow", "underflow")
        assert result[name].hint.startswith("Subtract the maximum first")
    assert "exp(1000) overflows" in result["large_gap"].reason
    assert "exp(100) overflows" in result["float32_large"].reason
    assert "0 / 0" in result["very_negative"].reason


@pytest.mark.parametrize(
    ("example", "code"), [("wrong_axis", "wrong_axis"), ("whole_array", "whole_array")]
)
def test_wrong_axis_fails_the_batch_case(example: str, code: str) -> None:
    result = check(load(example))
    assert failed(result) == {"batch_rows": code}
    assert "axis" in result["batch_rows"].reason


def test_in_place_fails_the_unchanged_case() -> None:
    result = check(load("in_place"))
    assert failed(result) == {"input_unchanged": "mutated"}
    reason = result["input_unchanged"].reason
    assert reason.startswith("Your function changed its input: it was [3, 1, -3], after the")
    assert reason.endswith("it is [0.878878, 0.118943, 0.00217852].")


def test_multiplied_temperature_fails_the_temperature_case() -> None:
    result = check(load("temperature_times"))
    assert failed(result) == {"temperature": "temp_multiplied"}


def test_ignored_temperature_is_named() -> None:
    def ignores(x: Any, t: float = 1.0) -> np.ndarray:
        return _shifted(x)

    assert failed(check(ignores)) == {"temperature": "temp_ignored"}


def test_axis_keyword_is_used_for_both_batch_cases() -> None:
    def fixed_last(x: Any, axis: int = -1) -> np.ndarray:
        return _shifted(x, -1)  # ignores its axis

    result = check(fixed_last)
    assert failed(result) == {"batch_columns": "wrong_axis"}


# --- functions that misbehave ----------------------------------------------------------------


def test_a_raising_function_fails_every_case_without_raising() -> None:
    def broken(x: Any) -> Any:
        return 1 / 0

    result = check(broken)
    assert set(failed(result)) == set(ALL) - not_applicable(result)
    assert (
        result["course_example"].reason
        == "Your function raised ZeroDivisionError: division by zero."
    )
    assert result["list_input"].code == "list_raised"


def test_list_input_failure_suggests_asarray() -> None:
    def array_only(x: Any) -> Any:
        e = np.exp(x - x.max())  # a list has no .max()
        return e / e.sum()

    result = check(array_only)
    assert result["list_input"].code == "list_raised"
    assert "np.asarray" in result["list_input"].hint


def test_nan_returned_is_a_failure() -> None:
    result = check(lambda x: np.full(np.shape(x), np.nan))
    assert result["course_example"].code == "nan"
    assert result["course_example"].reason == "3 of 3 results are NaN."
    assert result["large_gap"].code == "overflow"


@pytest.mark.parametrize(
    ("fn", "code"),
    [
        (lambda x: None, "none"),
        (lambda x: "probabilities", "not_numeric"),
        (lambda x: float(np.sum(np.exp(x))), "scalar"),
        (lambda x: _shifted(x).ravel()[:1], "shape"),
        (lambda x: np.exp(x), "not_normalised"),
    ],
    ids=["none", "text", "scalar", "shape", "unnormalised"],
)
def test_wrong_results_are_named(fn: Any, code: str) -> None:
    assert check(fn)["course_example"].code == code


def test_float32_dtype_and_precision() -> None:
    def upcast(x: Any) -> np.ndarray:
        return _shifted(np.asarray(x, dtype=np.float64))

    assert failed(check(upcast)) == {"float32_dtype": "dtype"}

    def torch_from_list(x: Any) -> torch.Tensor:
        return torch.softmax(torch.as_tensor(x), dim=-1)  # a list becomes float32

    assert failed(check(torch_from_list)) == {"list_input": "precision"}


def test_ties_must_be_exactly_equal() -> None:
    def lopsided(x: Any) -> np.ndarray:
        y = _shifted(x)
        if y.shape == (3,):
            y[0] = np.nextafter(y[0], 1.0)  # one ulp: within tolerance, but not a tie
        return y

    assert check(lopsided)["ties"].code == "ties"


def test_system_exit_is_a_failed_case() -> None:
    result = check(lambda x: sys.exit(3))
    assert result["single"].code == "raised" and "SystemExit" in result["single"].reason


def test_a_hanging_call_times_out_and_the_rest_is_not_run() -> None:
    release = threading.Event()

    def hangs_on_large(x: Any) -> np.ndarray:
        if np.max(np.abs(np.asarray(x))) >= 1000:
            release.wait(60)  # "hangs" until the test ends
        return _shifted(x)

    start = time.perf_counter()
    try:
        result = check(hangs_on_large, timeout=0.3)
    finally:
        release.set()
    assert time.perf_counter() - start < 10
    assert result["course_example"].passed and result["increasing"].passed
    assert result["large_equal"].code == "timeout"
    assert "0.3 s" in result["large_equal"].reason
    after = ALL[ALL.index("large_equal") + 1 :]
    for name in after:
        assert result[name].status in ("not run", "not applicable")
    assert result["ties"].failed and not result.passed


# --- the result object -----------------------------------------------------------------------


def test_result_shows_and_serialises() -> None:
    result = check(load("naive"))
    text = repr(result)
    assert text.splitlines()[0].startswith("Checking softmax against softmaxlab.softmax: 11 passed")
    assert "✗ large_gap" in text and "hint: Subtract the maximum first" in text
    html = result._repr_html_()
    assert html.count("<tr>") == len(CASES) + 1 and "<table>" in html
    doc = json.loads(json.dumps(result.to_dict(), allow_nan=False))
    assert doc["counts"] == {"passed": 11, "failed": 4, "not_applicable": 2, "total": len(CASES)}
    assert [case["name"] for case in doc["cases"]] == ALL
    assert len(result) == len(CASES) and [c.name for c in result] == ALL
    with pytest.raises(KeyError):
        result["nope"]


def test_html_escapes_the_function_name() -> None:
    def f(x: Any) -> np.ndarray:
        return _shifted(x)

    f.__qualname__ = "<script>"
    assert "<script>" not in check(f)._repr_html_()


# --- languages -------------------------------------------------------------------------------


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_catalogues_have_the_same_keys_and_placeholders() -> None:
    en = MESSAGES["en"]
    for lang in ("zh-Hans", "zh-Hant"):
        assert set(MESSAGES[lang]) == set(en), lang
        for key, text in en.items():
            assert _fields(MESSAGES[lang][key]) == _fields(text), (lang, key)
    for case in CASES:
        assert f"title.{case.name}" in en
    reasons = {k.removeprefix("reason.") for k in en if k.startswith("reason.")}
    hints = {k.removeprefix("hint.") for k in en if k.startswith("hint.")}
    assert reasons == hints


@pytest.mark.parametrize("lang", ["zh-Hans", "zh-Hant"])
def test_chinese_reports_have_the_same_cases(lang: str) -> None:
    en = check(load("naive"))
    zh = check(load("naive"), lang=lang)
    assert [(c.name, c.status, c.code) for c in zh] == [(c.name, c.status, c.code) for c in en]
    assert zh["large_gap"].hint.startswith("先減去最大值" if lang == "zh-Hant" else "先减去最大值")
    assert zh.summary().startswith("11 项通过" if lang == "zh-Hans" else "11 項通過")


def test_chinese_punctuation_is_full_width() -> None:
    # No ASCII comma, colon, semicolon or stop right after a Chinese character.
    mixed = re.compile(r"[\u4e00-\u9fff][,:;.!?]")
    for lang in ("zh-Hans", "zh-Hant"):
        for key, text in MESSAGES[lang].items():
            assert not mixed.search(text), (lang, key, text)
            assert not text.isascii() or key.startswith("tol.sum"), (lang, key)


def test_language_aliases() -> None:
    assert check(load("correct"), lang="zh_hant").lang == "zh-Hant"


# --- bad arguments ---------------------------------------------------------------------------


def test_bad_arguments_follow_the_template() -> None:
    with pytest.raises(TypeError, match=r"^The 'fn' parameter of check must be a callable"):
        check(3)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"^The 'lang' parameter of check must be one of .*'fr'"):
        check(_shifted, lang="fr")
    with pytest.raises(ValueError, match=r"^The 'timeout' parameter of check must be"):
        check(_shifted, timeout=0)


def test_import_softmaxlab_does_not_load_the_checker() -> None:
    code = (
        "import sys, softmaxlab; print('softmaxlab.checker' in sys.modules); "
        "f = softmaxlab.check; import softmaxlab.checker as c; print(f is c.check)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    ).stdout.split()
    assert out == ["False", "True"]


def test_public_entry_point() -> None:
    assert softmaxlab.check is check
    assert math.isfinite(check(load("correct")).timeout)
