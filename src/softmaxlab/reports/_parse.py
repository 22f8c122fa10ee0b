"""Parsing what a learner types: one number, a list of numbers, a ``token: logit`` vocabulary.

One set of rules for the command line and the explorer. Errors are :class:`ParseProblem`: an
English one-line message (what the CLI prints) plus a ``code`` and ``fields`` (what the
explorer translates), so no caller has to parse a message.
"""

from __future__ import annotations

import math
import re
from typing import Any

from .._validation import SoftmaxLabError

__all__ = ["ParseProblem", "parse_number", "parse_numbers", "parse_vocabulary"]

_MAX_SHOWN = 40

# Minus and plus signs a keyboard or a copied formula may give: U+2212 MINUS SIGN and the
# full-width forms of CJK input methods.
_SIGNS = str.maketrans({"−": "-", "－": "-", "＋": "+"})
_NUMBER_SEPARATORS = re.compile(r"[,\s，、;；]+")
_ENTRY_SEPARATORS = re.compile(r"[,，]")


class ParseProblem(SoftmaxLabError):
    """Text that cannot be read, with a code and fields for a translated message.

    Attributes
    ----------
    code : str
        One of ``empty``, ``empty_entry``, ``not_number``, ``not_finite``, ``too_few``,
        ``too_many``, ``no_logit``, ``no_token``, ``duplicate_token``, ``all_banned``.
    fields : dict
        The values the message mentions: ``what`` (``'logits'``, ``'vocabulary'``),
        ``index`` (1-based entry), ``value`` (the text as typed), ``token``, ``n``,
        ``min``, ``max``.

    Examples
    --------
    >>> try:
    ...     parse_numbers("1, x")
    ... except ParseProblem as exc:
    ...     print(exc.code, exc.fields["index"], exc.fields["value"])
    ...     print(exc)
    not_number 2 x
    'x' is not a number (entry 2 of the logits)
    """

    def __init__(self, code: str, message: str, **fields: Any) -> None:
        super().__init__(message)
        self.code = code
        self.fields = fields


def _show(value: str) -> str:
    """``repr`` of a user string, shortened so that an error message stays one readable line."""
    text = repr(value)
    return text if len(text) <= _MAX_SHOWN else text[: _MAX_SHOWN - 4] + "...'"


def _short(value: str) -> str:
    return value if len(value) <= _MAX_SHOWN else value[: _MAX_SHOWN - 3] + "..."


def parse_number(text: str) -> float:
    """One number as Python writes floats, with ``−`` and full-width signs accepted.

    Accepts surrounding whitespace, a sign, exponents and ``inf``/``infinity``/``nan`` in any
    case; refuses ``_`` digit separators (``float`` accepts ``1_0``; nobody means that here).

    Raises
    ------
    ValueError
        ``'<text>' is not a number``.

    Examples
    --------
    >>> parse_number("-1.5e-3"), parse_number(" −inf "), parse_number("３")
    (-0.0015, -inf, 3.0)
    >>> parse_number("1_0")
    Traceback (most recent call last):
    ...
    ValueError: '1_0' is not a number
    """
    stripped = text.strip().translate(_SIGNS)
    try:
        if not stripped or "_" in stripped:
            raise ValueError
        return float(stripped)
    except ValueError:
        raise ValueError(f"{_show(text)} is not a number") from None


def parse_numbers(
    text: str | None,
    *,
    what: str = "logits",
    min_count: int = 1,
    max_count: int | None = None,
    finite: bool = True,
) -> list[float]:
    """Numbers separated by commas, spaces, semicolons or their full-width forms.

    Raises
    ------
    ParseProblem
        ``empty`` (nothing typed), ``not_number``, ``not_finite`` (NaN or ±inf when
        ``finite``), ``too_few`` / ``too_many`` against ``min_count`` / ``max_count``.

    Examples
    --------
    >>> parse_numbers("3, 1 −3；1e3")
    [3.0, 1.0, -3.0, 1000.0]
    >>> parse_numbers("1, inf", finite=False)
    [1.0, inf]
    """
    words = [w for w in _NUMBER_SEPARATORS.split((text or "").strip()) if w]
    if not words:
        raise ParseProblem(
            "empty", f"the {what} are empty: give at least {min_count}", what=what, min=min_count
        )
    values: list[float] = []
    for i, word in enumerate(words, start=1):
        try:
            value = parse_number(word)
        except ValueError:
            raise ParseProblem(
                "not_number",
                f"{_show(word)} is not a number (entry {i} of the {what})",
                what=what,
                index=i,
                value=_short(word),
            ) from None
        if finite and not math.isfinite(value):
            raise ParseProblem(
                "not_finite",
                f"entry {i} of the {what} is {word}; only finite numbers are allowed here",
                what=what,
                index=i,
                value=_short(word),
            )
        values.append(value)
    _check_count(len(values), what, min_count, max_count)
    return values


def _check_count(n: int, what: str, min_count: int, max_count: int | None) -> None:
    if n < min_count:
        raise ParseProblem(
            "too_few", f"give at least {min_count} {what}; got {n}", what=what, min=min_count, n=n
        )
    if max_count is not None and n > max_count:
        raise ParseProblem(
            "too_many", f"give at most {max_count} {what}; got {n}", what=what, max=max_count, n=n
        )


def _vocabulary_entries(text: str) -> list[tuple[int, str]]:
    """Entries with their 1-based positions; blank lines are skipped, empty fields are not."""
    entries: list[tuple[int, str]] = []
    for line in text.splitlines():
        if not line.strip():
            continue
        for field in _ENTRY_SEPARATORS.split(line):
            entry = field.strip()
            position = len(entries) + 1
            if not entry:
                raise ParseProblem(
                    "empty_entry",
                    f"vocabulary entry {position} is empty (two commas in a row or a trailing "
                    "comma)",
                    what="vocabulary",
                    index=position,
                    value="",
                )
            entries.append((position, entry))
    return entries


def _vocabulary_logit(position: int, entry: str) -> tuple[str, float]:
    if ":" not in entry.replace("：", ":"):
        raise ParseProblem(
            "no_logit",
            f"the vocabulary entry {_show(entry)} has no logit; "
            f"write it as '{_short(entry)}:<logit>'",
            what="vocabulary",
            index=position,
            value=_short(entry),
        )
    head, _, tail = entry.replace("：", ":").rpartition(":")
    token, value = head.strip(), tail.strip()
    if not token:
        raise ParseProblem(
            "no_token",
            f"the vocabulary entry {_show(entry)} has no token before the colon",
            what="vocabulary",
            index=position,
            value=_short(entry),
        )
    if not value:
        raise ParseProblem(
            "no_logit",
            f"the token {_show(token)} has no logit after the colon",
            what="vocabulary",
            index=position,
            value=_short(entry),
        )
    try:
        logit = parse_number(value)
    except ValueError:
        raise ParseProblem(
            "not_number",
            f"the logit of {_show(token)} is not a number: {_show(value)}",
            what="vocabulary",
            index=position,
            value=_short(value),
        ) from None
    if math.isnan(logit) or logit == math.inf:
        raise ParseProblem(
            "not_finite",
            f"the logit of {_show(token)} must be a finite number or -inf. Got {_show(value)}",
            what="vocabulary",
            index=position,
            value=_short(value),
        )
    return token, logit


def parse_vocabulary(
    text: str | None, *, min_tokens: int = 1, max_tokens: int | None = None
) -> tuple[list[str], list[float]]:
    """Tokens and logits from ``"the:2.1, a:1.5"`` or one ``token: logit`` per line.

    The rules, for the CLI and the explorer alike:

    * entries are separated by commas (ASCII or full-width) or line breaks; blank lines are
      skipped, an empty entry between two commas is an error;
    * the **last** colon (ASCII or full-width) separates token and logit, so a token may hold
      colons; whitespace around both is ignored;
    * a logit is a finite number or ``-inf`` (a banned token), read by :func:`parse_number`;
    * tokens are distinct, and at least one logit is above ``-inf``.

    Raises
    ------
    ParseProblem
        ``empty``, ``empty_entry``, ``no_logit``, ``no_token``, ``not_number``,
        ``not_finite``, ``duplicate_token``, ``too_few``, ``too_many`` or ``all_banned``; the
        message names the entry.

    Examples
    --------
    >>> parse_vocabulary("the:2.1, a:−1.5 ,x:y:0")
    (['the', 'a', 'x:y'], [2.1, -1.5, 0.0])
    >>> parse_vocabulary("mat: 3.2\\nfloor：2.6, moon: -inf\\n")
    (['mat', 'floor', 'moon'], [3.2, 2.6, -inf])
    >>> parse_vocabulary("the:2.1,the:1")
    Traceback (most recent call last):
    ...
    softmaxlab.reports._parse.ParseProblem: the token 'the' appears twice in the vocabulary
    """
    entries = _vocabulary_entries(text or "")
    if not entries:
        raise ParseProblem(
            "empty",
            "the vocabulary is empty; give tokens and logits as 'token:logit,token:logit'",
            what="vocabulary",
            min=min_tokens,
        )
    tokens: list[str] = []
    logits: list[float] = []
    for position, entry in entries:
        token, logit = _vocabulary_logit(position, entry)
        if token in tokens:
            raise ParseProblem(
                "duplicate_token",
                f"the token {_show(token)} appears twice in the vocabulary",
                token=token,
                index=position,
            )
        tokens.append(token)
        logits.append(logit)
    _check_count(len(tokens), "tokens", min_tokens, max_tokens)
    if all(v == -math.inf for v in logits):
        raise ParseProblem(
            "all_banned",
            "every logit is -inf: there is nothing to sample",
            what="vocabulary",
            index=1,
            value="-inf",
        )
    return tokens, logits
