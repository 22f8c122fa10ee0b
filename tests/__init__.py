"""The softmaxlab test suite.

Layout: every test folder is a package (an ``__init__.py`` in ``tests/`` and in each folder),
so with pytest's default import mode each test module is imported under its full dotted name
(``tests.core.test_softmax_accuracy``) with the project root on ``sys.path``. Two files of the
same basename in different folders (``conftest.py``, ``test_check.py``) never clash, and shared
helpers are imported one way only, absolutely: ``from tests._support.mpref import ...``.
"""
