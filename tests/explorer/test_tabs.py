"""Each tab's plain handlers, without a browser: answers, and messages instead of tracebacks."""

from __future__ import annotations

import html
import math
import re

import pytest

from softmaxlab.explorer import _callbacks, _shell, _ui
from softmaxlab.explorer.tabs import (
    TABS,
    compare,
    digit,
    gradients,
    next_token,
    precision,
    softmax,
    train,
)


def test_handlers_turn_bad_entries_into_messages() -> None:
    _chart, _details, _winner, message = softmax.softmax_outputs(
        ["A", "A"], "zh-Hant", 0.0, [1.0, 2.0]
    )
    assert "sl-error" in message and "'A'" in html.unescape(message)
    assert "sl-error" in compare.compare_output("1, x", "en")
    assert "sl-error" in precision.precision_output("", "en")
    assert "sl-error" in gradients.gradient_output("1, 2", 5, 1.0, "en")
    assert "sl-error" in next_token.next_token_output("", 1.0, 0, 1.0, 0.0, 0, "en")
    assert "sl-error" in next_token.histogram_output("a: 1\nb: 2", 1.0, 0, 1.0, 0.0, 0, 0, "en")
    page, view = digit.digit_output(None, False, "en")
    assert "sl-error" in page and view is None
    page, view = train.train_output("nope", 1.0, 10, "en")
    assert "sl-error" in page and view is None


def test_unexpected_errors_show_no_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(_: object) -> None:
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr(_callbacks, "compare_view", broken)
    page = compare.compare_output("1, 2", "en")
    assert "sl-error" in page and "RuntimeError" in page
    assert "secret internal detail" not in page and "Traceback" not in page


def test_every_tab_module_has_one_build() -> None:
    assert [m.__name__.rsplit(".", 1)[1] for m in TABS] == [
        "softmax",
        "compare",
        "precision",
        "next_token",
        "digit",
        "train",
        "cross_entropy",
        "gradients",
        "attention",
        "segmentation",
        "action",
        "lm",
    ]
    assert all(callable(m.build) for m in TABS)


def test_rename_and_refusals_keep_the_page() -> None:
    out = softmax.rename("x, y", ["A", "B"], "en", 0.0, 1.0, 2.0)
    assert out[0] == ["x", "y"] and out[1] == "x, y"
    # Two classes: removing one is refused; everything but the message is left alone.
    out = softmax.apply_action(_callbacks.remove_class, ["A", "B"], "en", 0.0, 1.0, 2.0)
    assert len(out) == 2 + softmax.N_SLOTS + 4
    assert "sl-error" in out[-1]


def test_shift_preset_keeps_the_probabilities() -> None:
    # 3, 1, -3 moved by a constant: exp-normalise by hand before and after.
    out = softmax.apply_preset("shift", ["A", "B", "C"], "en", 0.0, 3.0, 1.0, -3.0)
    names, _box, sliders = out[0], out[1], out[2 : 2 + softmax.N_SLOTS]
    values = [u["value"] for u in sliders[:3]]
    c = values[0] - 3.0
    assert names == ["A", "B", "C"] and c != 0
    assert values == pytest.approx([3.0 + c, 1.0 + c, -3.0 + c], abs=1e-12)
    assert "sl-note" in out[-1]
    # The chart still shows softmax(3, 1, -3), exp-normalised here by hand.
    shown = [float(v) for v in re.findall(r'data-p="([^"]+)"', out[-4])]
    e = [math.exp(v - 3.0) for v in (3.0, 1.0, -3.0)]
    assert shown == pytest.approx([v / math.fsum(e) for v in e], abs=1e-15)


def test_every_text_is_registered_with_its_key() -> None:
    import gradio as gr

    ctx = _ui.Context("zh-Hans")
    with gr.Blocks():
        _shell.build_header(ctx)
        for tab in TABS:
            tab.build(ctx)
    keys = [text.key for text in ctx.texts]
    assert len(keys) == len(set(keys)), "a key registered twice"
    for text in ctx.texts:
        shown = getattr(text.component, text.attr)
        assert shown == text.render("zh-Hans"), text.key
    # The relabel updates match the outputs one to one, and carry the other language's text.
    values = [getattr(c, "value", None) for c in ctx.language_inputs()[1:]]
    updates = _ui.relabel(ctx, "zh-Hant", *values)
    assert len(updates) == len(ctx.language_outputs())
    by_key = {text.key: u for text, u in zip(ctx.texts, updates[1:], strict=False)}
    assert by_key["tab.compare"]["label"] == "比較"
    assert by_key["app.title"]["value"] == "# softmaxlab 探索器"
    assert by_key["sm.presets"]["value"] == "**預設**"
