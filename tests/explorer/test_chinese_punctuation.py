"""Chinese pages use full-width punctuation in prose (issue 14): the catalogues and the text
the page assembles from them (message boxes, the sum line, lists of names)."""

from __future__ import annotations

import re

import pytest

from softmaxlab.explorer import _callbacks as cb
from softmaxlab.explorer import _render as rd
from softmaxlab.explorer._html import error_box
from softmaxlab.explorer._i18n import CATALOGUES

HAN = "[\u3400-\u9fff]"
# ASCII prose punctuation right after a Chinese character (a formula's parentheses are fine).
MIXED = re.compile(rf"{HAN}[,:;?!]")
# The one place an ASCII colon belongs: the syntax of a vocabulary line, typed as shown.
TYPED_SYNTAX = ("词元: logit", "詞元: logit")


@pytest.mark.parametrize("lang", ["zh-Hans", "zh-Hant"])
def test_catalogue_prose_uses_full_width_punctuation(lang: str) -> None:
    bad = {}
    for key, text in CATALOGUES[lang].items():
        stripped = text
        for syntax in TYPED_SYNTAX:
            stripped = stripped.replace(syntax, "")
        if MIXED.search(stripped):
            bad[key] = text
    assert bad == {}


@pytest.mark.parametrize(("lang", "colon"), [("zh-Hans", "："), ("zh-Hant", "："), ("en", ": ")])
def test_assembled_text_uses_the_language_punctuation(lang: str, colon: str) -> None:
    box = re.sub(r"<[^>]+>", "", error_box("X", lang))
    assert box.endswith(colon + "X")
    details = rd.softmax_details(cb.softmax_view([1.0, 1.0, 0.0], ["A", "B", "C"], 0.0), lang)
    line = re.sub(r"<[^>]+>", "", re.search(r'<p class="sl-sum".*?</p>', details).group(0))
    assert line.split(colon)[0] in ("求和检验", "求和檢驗", "Sum check")
    if lang != "en":
        assert ": " not in box and ": " not in line
        assert "A、B" in details  # the tied winners listed with the enumeration comma
