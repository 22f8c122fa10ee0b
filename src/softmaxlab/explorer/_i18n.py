"""Every string the explorer shows, in English, 简体中文 and 繁體中文.

The explorer never hard-codes a user-visible sentence: it asks :func:`t` for one by key. The
texts live in one catalogue per language (:mod:`.locales.en`, :mod:`.locales.zh_hans`,
:mod:`.locales.zh_hant`, plain dicts); a new string is added to all three. Keys are grouped
by tab (``sm.`` Softmax, ``cmp.`` Compare, ``prec.`` Precision, ``grad.`` Gradients, ``err.``
messages about bad entries). Placeholders use :meth:`str.format` syntax and are the same in
the three languages (a test checks this).

The language follows the browser's locale (``Accept-Language``) unless the page or the
command line chooses one: ``zh``, ``zh-CN``, ``zh-SG`` and ``zh-Hans`` map to 简体中文,
``zh-TW``, ``zh-HK``, ``zh-MO`` and ``zh-Hant`` to 繁體中文, anything else to English.

Examples
--------
>>> resolve_locale("zh-TW")
'zh-Hant'
>>> resolve_locale("zh-sg")
'zh-Hans'
>>> locale_from_accept_language("fr-CH, zh-HK;q=0.9, en;q=0.8")
'zh-Hant'
>>> t("tab.precision", "zh-Hans")
'数值精度'
"""

from __future__ import annotations

from .locales import en, zh_hans, zh_hant

LANGUAGES: tuple[str, ...] = ("en", "zh-Hans", "zh-Hant")
"""The languages of the explorer, as BCP 47 tags."""

LANGUAGE_NAMES: dict[str, str] = {"en": "English", "zh-Hans": "简体中文", "zh-Hant": "繁體中文"}
"""Each language's name in itself (what the language switch shows)."""

_HANS = ("zh", "zh-cn", "zh-sg", "zh-hans", "zh-my")
_HANT = ("zh-tw", "zh-hk", "zh-mo", "zh-hant")


def resolve_locale(tag: str | None) -> str | None:
    """Map one BCP 47 language tag to an explorer language, or None if it is not supported.

    ``zh-Hans-CN``, ``zh_CN`` and ``ZH-cn`` are understood; a script subtag wins over a
    region (``zh-Hant-CN`` is 繁體).

    Examples
    --------
    >>> [resolve_locale(x) for x in ["en-GB", "zh", "zh-Hant-CN", "zh_HK", "fr", None]]
    ['en', 'zh-Hans', 'zh-Hant', 'zh-Hant', None, None]
    """
    if not tag:
        return None
    norm = tag.strip().replace("_", "-").lower()
    if norm in ("en",) or norm.startswith("en-"):
        return "en"
    if norm != "zh" and not norm.startswith("zh-"):
        return None
    parts = norm.split("-")
    if "hant" in parts:
        return "zh-Hant"
    if "hans" in parts:
        return "zh-Hans"
    if any(norm == h or norm.startswith(h + "-") for h in _HANT):
        return "zh-Hant"
    return "zh-Hans"


def locale_from_accept_language(header: str | None, default: str = "en") -> str:
    """Pick the explorer language from an HTTP ``Accept-Language`` header.

    Entries are taken by decreasing quality; the first one :func:`resolve_locale` knows wins.

    Examples
    --------
    >>> locale_from_accept_language("de-DE,de;q=0.9,zh-CN;q=0.8")
    'zh-Hans'
    >>> locale_from_accept_language("")
    'en'
    """
    if not header:
        return default
    ranked: list[tuple[float, int, str]] = []
    for position, item in enumerate(header.split(",")):
        fields = item.strip().split(";")
        quality = 1.0
        for field in fields[1:]:
            field = field.strip()
            if field.startswith("q="):
                try:
                    quality = float(field[2:])
                except ValueError:
                    quality = 0.0
        ranked.append((-quality, position, fields[0].strip()))
    for _, _, tag in sorted(ranked):
        lang = resolve_locale(tag)
        if lang is not None:
            return lang
    return default


def normalize_lang(lang: str | None, default: str = "en") -> str:
    """Return ``lang`` as one of :data:`LANGUAGES` (unknown or empty gives ``default``)."""
    if lang in LANGUAGES:
        return str(lang)
    resolved = resolve_locale(lang)
    return resolved if resolved is not None else default


CATALOGUES: dict[str, dict[str, str]] = {
    "en": en.STRINGS,
    "zh-Hans": zh_hans.STRINGS,
    "zh-Hant": zh_hant.STRINGS,
}
"""One catalogue (key -> text) per language, each in its own module of :mod:`.locales`."""


def keys() -> list[str]:
    """All string keys, in the English catalogue's order (for tests and tools)."""
    return list(CATALOGUES["en"])


def t(key: str, lang: str, /, **params: object) -> str:
    """The string ``key`` in ``lang``, formatted with ``params``.

    An unknown ``lang`` falls back to English; an unknown ``key`` raises ``KeyError`` (a
    programming error, caught by the tests).

    Examples
    --------
    >>> t("err.too_few", "en", min=2, what=t("what.logits", "en"), n=1)
    'Enter at least 2 logits; got 1.'
    >>> t("tab.compare", "zh-Hant")
    '比較'
    """
    text = CATALOGUES[normalize_lang(lang)][key]
    return text.format(**params) if params else text
