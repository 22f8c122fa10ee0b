"""One module per tab of the explorer, each with one ``build(ctx)``.

``build`` creates the tab's components through the factories of :class:`.._ui.Context`
(which register their catalogue keys for the language switch) and wires the tab's events to
plain functions: the tab's own ``*_output`` helpers, :mod:`.._callbacks` and
:mod:`.._models`. :data:`TABS` is the order of the tabs in the page; a new tab is one new
module added to it.
"""

from __future__ import annotations

from . import (
    action,
    attention,
    compare,
    cross_entropy,
    digit,
    gradients,
    lm,
    next_token,
    precision,
    segmentation,
    softmax,
    train,
)

TABS = (
    softmax,
    compare,
    precision,
    next_token,
    digit,
    train,
    cross_entropy,
    gradients,
    attention,
    segmentation,
    action,
    lm,
)
"""The tab modules in page order."""

__all__ = ["TABS"]
