"""Strings in three languages and the choice of language from a locale."""

from __future__ import annotations

import re
import string

import pytest

from softmaxlab.explorer import _i18n
from softmaxlab.explorer._i18n import (
    LANGUAGES,
    locale_from_accept_language,
    normalize_lang,
    resolve_locale,
    t,
)

HAN = re.compile(r"[\u4e00-\u9fff]")


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def texts(key: str) -> list[str]:
    """The text of ``key`` in each language's catalogue (KeyError if one lacks it)."""
    return [_i18n.CATALOGUES[lang][key] for lang in LANGUAGES]


def test_one_catalogue_per_language_with_the_same_keys() -> None:
    assert set(_i18n.CATALOGUES) == set(LANGUAGES) and len(LANGUAGES) == 3
    english = set(_i18n.CATALOGUES["en"])
    for lang in LANGUAGES:
        catalogue = _i18n.CATALOGUES[lang]
        assert set(catalogue) == english, lang
        assert all(isinstance(v, str) for v in catalogue.values()), lang


@pytest.mark.parametrize("key", _i18n.keys())
def test_every_string_exists_in_three_languages_with_the_same_placeholders(key: str) -> None:
    found = texts(key)
    assert len(found) == len(LANGUAGES) == 3
    assert all(text.strip() for text in found)
    assert fields(found[0]) == fields(found[1]) == fields(found[2]), key


def test_chinese_strings_are_really_translated() -> None:
    translated = [k for k in _i18n.keys() if HAN.search(texts(k)[1])]
    # Titles made only of symbols or formulas may be identical; sentences must not be.
    assert len(translated) > 0.6 * len(_i18n.keys())
    for key in translated:
        en, _hans, hant = texts(key)
        assert not HAN.search(en), key
        assert HAN.search(hant), key


@pytest.mark.parametrize(
    ("key", "simplified", "traditional"),
    [
        ("tab.compare", "对比", "比較"),
        ("col.prob", "概率", "機率"),
        ("sm.sum_label", "求和检验", "求和檢驗"),
        ("tab.next_token", "下一个词元", "下一個詞元"),
    ],
)
def test_the_two_scripts_differ_where_they_should(
    key: str, simplified: str, traditional: str
) -> None:
    assert t(key, "zh-Hans") == simplified
    assert t(key, "zh-Hant") == traditional


@pytest.mark.parametrize(
    ("tag", "lang"),
    [
        ("zh", "zh-Hans"),
        ("zh-CN", "zh-Hans"),
        ("zh-SG", "zh-Hans"),
        ("zh-Hans", "zh-Hans"),
        ("zh-Hans-HK", "zh-Hans"),
        ("zh-TW", "zh-Hant"),
        ("zh-HK", "zh-Hant"),
        ("zh-MO", "zh-Hant"),
        ("zh-Hant", "zh-Hant"),
        ("zh_tw", "zh-Hant"),
        ("en", "en"),
        ("en-US", "en"),
        ("fr-FR", None),
        ("", None),
        (None, None),
    ],
)
def test_resolve_locale(tag: str | None, lang: str | None) -> None:
    assert resolve_locale(tag) == lang


@pytest.mark.parametrize(
    ("header", "lang"),
    [
        ("zh-TW,zh;q=0.9,en-US;q=0.8", "zh-Hant"),
        ("en-US,en;q=0.9,zh-CN;q=0.8", "en"),
        ("fr-FR,fr;q=0.9,zh-CN;q=0.8", "zh-Hans"),
        ("de;q=0.5, zh-HK;q=0.7, en;q=0.6", "zh-Hant"),
        ("fr", "en"),
        ("zh-CN;q=bad, en;q=0.1", "en"),
        (None, "en"),
    ],
)
def test_accept_language_header(header: str | None, lang: str) -> None:
    assert locale_from_accept_language(header) == lang


def test_unknown_language_falls_back_to_english() -> None:
    assert normalize_lang("xx") == "en"
    assert normalize_lang("zh-MO") == "zh-Hant"
    assert t("tab.precision", "xx") == "Precision"
    with pytest.raises(KeyError):
        t("no.such.key", "en")
