"""Former home of the whole explorer UI, kept so that old imports keep working.

The page shell now lives in :mod:`._shell` and each tab in its own module of :mod:`.tabs`.
"""

from __future__ import annotations

from ._shell import CSS, build_app, launch, make_theme

__all__ = ["CSS", "build_app", "launch", "make_theme"]
