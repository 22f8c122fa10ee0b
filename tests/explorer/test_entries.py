"""The one check of every slider and number box (``explorer._entries``), without a browser.

Expected values are written out by hand from the rules (clamp to the range, halves round up,
empty / unreadable / non-finite entries go back to the starting value).
"""

from __future__ import annotations

import math
import time
from typing import Any

import gradio as gr
import pytest

from softmaxlab._validation import SoftmaxLabError
from softmaxlab.explorer._entries import Entry, guard

TEMPERATURE = Entry("what.temperature", 0.05, 10.0, default=1.0)
SEED = Entry("what.seed", 0, 9999, default=0, integer=True)


@pytest.mark.parametrize(
    ("value", "fixed", "key"),
    [
        (2.0, 2.0, None),
        ("2.5", 2.5, None),
        ("−0.5", 0.05, "err.entry_range"),  # a typographic minus is a minus
        (50, 10.0, "err.entry_range"),
        (-1, 0.05, "err.entry_range"),
        (None, 1.0, "err.entry_empty"),
        ("   ", 1.0, "err.entry_empty"),
        ("abc", 1.0, "err.entry_not_number"),
        (True, 1.0, "err.entry_not_number"),
        ([1, 2], 1.0, "err.entry_not_number"),
        (float("nan"), 1.0, "err.entry_not_finite"),
        ("NaN", 1.0, "err.entry_not_finite"),
        ("inf", 1.0, "err.entry_not_finite"),
        ("-Infinity", 1.0, "err.entry_not_finite"),
        ("1e999", 1.0, "err.entry_not_finite"),
    ],
)
def test_temperature_entry(value: Any, fixed: float, key: str | None) -> None:
    got, problem = TEMPERATURE.check(value)
    assert got == fixed and isinstance(got, float)
    assert (problem.key if problem else None) == key


@pytest.mark.parametrize(
    ("value", "fixed", "key"),
    [
        (3, 3, None),
        (-5, 0, "err.entry_range"),
        (2.5, 3, "err.entry_integer"),
        (2.4, 2, "err.entry_integer"),
        (1e12, 9999, "err.entry_range"),
        (None, 0, "err.entry_empty"),
    ],
)
def test_seed_entry_is_a_whole_number(value: Any, fixed: int, key: str | None) -> None:
    got, problem = SEED.check(value)
    assert got == fixed and isinstance(got, int)
    assert (problem.key if problem else None) == key


def test_problem_is_a_shared_validation_error_in_each_language() -> None:
    _, problem = SEED.check(-5)
    assert isinstance(problem, SoftmaxLabError) and isinstance(problem, ValueError)
    assert (problem.parameter, problem.allowed, problem.value) == (
        "seed",
        "an integer in [0, 9999]",
        "-5",
    )
    assert (
        problem.message("en") == "seed: -5 is outside the allowed range [0, 9999]; it was set to 0."
    )
    assert problem.message("zh-Hans") == "随机种子：-5 超出允许范围 [0, 9999]，已改为 0。"
    assert problem.message("zh-Hant") == "隨機種子：-5 超出允許範圍 [0, 9999]，已改為 0。"


def test_8_mb_entry_is_refused_at_once_and_quoted_short() -> None:
    huge = "7" * 8_000_000  # digits: float() would read it, slowly, as one huge number
    start = time.perf_counter()
    got, problem = TEMPERATURE.check(huge)
    assert time.perf_counter() - start < 0.05
    assert got == 1.0 and problem is not None and problem.key == "err.entry_not_number"
    for lang in ("en", "zh-Hans", "zh-Hant"):
        text = problem.message(lang)
        assert len(text) < 120 and "7" * 30 in text and "7" * 50 not in text


def _wired() -> tuple[Any, Any, Any, Any]:
    with gr.Blocks():
        lang = gr.Radio(["en", "zh-Hans"], value="en")
        slider = gr.Slider(0, 10, value=5)
        box = gr.Number(1.0)
        out = gr.HTML()
    slider.entry, slider.language = Entry("what.temperature", 0, 10, default=5.0), lang
    box.entry, box.language = Entry("what.seed", 0, 9, default=1, integer=True), lang
    return lang, slider, box, out


def test_guard_reports_on_the_control_that_moved() -> None:
    lang, slider, box, out = _wired()
    seen: list[tuple[Any, ...]] = []

    def fn(s: float, b: int) -> str:
        seen.append((s, b))
        return f"{s}/{b}"

    handler, ins, outs = guard(fn, [slider, box], [out], trigger=slider)
    assert ins == [slider, box, lang] and outs == [out, slider]
    html, update = handler(50.0, -2, "zh-Hans")
    assert seen == [(10.0, 0)] and html == "10.0/0"  # both checked, the handler sees 10 and 0
    assert update["value"] == 10.0 and "已改为 10" in update["info"]
    html, update = handler(3.0, 2, "en")
    assert html == "3.0/2" and update == gr.update(info="")


def test_guard_after_a_button_reports_on_every_control() -> None:
    lang, slider, box, out = _wired()

    def fn(s: float, b: int, lg: str) -> tuple[str, Any]:
        return f"{s}/{b}/{lg}", gr.skip()

    handler, ins, outs = guard(fn, [slider, box, lang], [out, box], None)
    assert ins == [slider, box, lang] and outs == [out, box, slider]
    html, box_update, slider_update = handler(math.nan, 4.0, "en")
    assert html == "5.0/4/en" and box_update == gr.skip()
    assert slider_update["value"] == 5.0 and "not a finite number" in slider_update["info"]
    # The box is an output of the handler too: its skip becomes the replaced value + reason.
    html, box_update, slider_update = handler(2.0, "", "en")
    assert html == "2.0/1/en" and slider_update == gr.update(info="")
    assert box_update["value"] == 1 and "the box is empty" in box_update["info"]


def test_guard_leaves_handlers_without_controls_alone() -> None:
    lang, _, _, out = _wired()

    def fn(x: str) -> str:
        return x

    assert guard(fn, [lang], out) == (fn, [lang], [out])


# ---------------------------------------------------------------------- in_range, the one check


@pytest.mark.parametrize(
    ("value", "kwargs", "expected"),
    [
        (3.0, {}, 3.0),
        (1, {}, 1.0),
        ("2.5", {}, 2.5),
        (10.0, {}, 10.0),
        (1.0, {"whole": True}, 1.0),
        (10.0, {"low_open": True}, 10.0),
    ],
)
def test_in_range_takes_values_inside(value: object, kwargs: dict, expected: float) -> None:
    from softmaxlab.explorer._problems import in_range

    assert in_range(value, "N", 1, 10, **kwargs) == expected


@pytest.mark.parametrize(
    ("value", "kwargs"),
    [
        (None, {}),
        (float("nan"), {}),
        (float("inf"), {}),
        (-float("inf"), {}),
        (0.999, {}),
        (10.001, {}),
        (True, {}),
        ("abc", {}),
        ([1], {}),
        (2.5, {"whole": True}),
        (1.0, {"low_open": True}),
    ],
)
def test_in_range_refuses_with_the_pages_message(value: object, kwargs: dict) -> None:
    from softmaxlab.explorer._problems import InputProblem, in_range

    with pytest.raises(InputProblem) as info:
        in_range(value, "N", 1, 10, **kwargs)
    problem = info.value
    assert problem.key == "err.range" and problem.params["what"] == "N"
    assert (problem.params["low"], problem.params["high"]) == (1, 10)
    assert problem.params["value"] is value
    for lang in ("en", "zh-Hans", "zh-Hant"):
        assert "[1, 10]" in problem.message(lang)


def test_in_range_shows_the_ends_as_given_and_takes_another_key() -> None:
    from softmaxlab.explorer._problems import InputProblem, in_range

    with pytest.raises(InputProblem) as info:
        in_range(0.0, "C", 1e-4, 1e4, shown=("1e-4", "1e4"))
    assert "[1e-4, 1e4]" in info.value.message("en")
    with pytest.raises(InputProblem) as info:
        in_range(1.5, "what.arms", 2, 10, whole=True, key="act.err_int")
    assert info.value.key == "act.err_int"
