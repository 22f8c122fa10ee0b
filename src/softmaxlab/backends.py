"""The former name of :mod:`softmaxlab.interop`, kept so that existing imports keep working.

The array adapters were renamed so that the word *backend* keeps one meaning in softmaxlab:
the ``backend=`` option of the public functions (``'auto'``, ``'numpy'``, ``'compiled'``).
"""

from .interop import *  # noqa: F403 (the same names)
from .interop import __all__ as __all__
