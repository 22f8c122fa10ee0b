"""The test suite's own layout (see ``tests/__init__.py``).

Every folder of ``tests/`` is a package, test modules import shared helpers absolutely
(``from tests._support...``) and never from a sibling by a bare name, the one ulp measure
lives in ``tests._support.mpref``, and no test module sets the global mpmath precision.
"""

from __future__ import annotations

import ast
import functools
import re
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
# Modules that still set the global mpmath precision, each with the reason; may only shrink.
GLOBAL_PRECISION: dict[str, str] = {}
ULP_NAME = re.compile(r"^_*(max_)?ulps?(\d+)?(_error|_errors|_diff)?$")


@functools.cache
def _modules() -> list[tuple[str, ast.Module]]:
    out = []
    for path in sorted(TESTS.rglob("*.py")):
        if "__pycache__" not in path.parts:
            rel = path.relative_to(TESTS).as_posix()
            out.append((rel, ast.parse(path.read_text(encoding="utf-8"), rel)))
    return out


def test_every_test_folder_is_a_package() -> None:
    folders = {p.parent for p in TESTS.rglob("*.py") if "__pycache__" not in p.parts}
    missing = sorted(
        str(f.relative_to(TESTS.parent)) for f in folders if not (f / "__init__.py").exists()
    )
    assert not missing, missing


def test_helpers_are_imported_absolutely() -> None:
    siblings = {p.stem for p in TESTS.rglob("*.py")} - {"__init__"}
    bad = []
    for rel, tree in _modules():
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.level or node.module in siblings):
                bad.append((rel, node.lineno, node.module))
            elif isinstance(node, ast.Import):
                bad += [(rel, node.lineno, a.name) for a in node.names if a.name in siblings]
    assert not bad, bad


def test_one_ulp_measure() -> None:
    defs = [
        (rel, node.name)
        for rel, tree in _modules()
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef) and ULP_NAME.match(node.name)
    ]
    assert {rel for rel, _ in defs} == {"_support/mpref.py"}, defs


def test_no_module_sets_the_global_mpmath_precision() -> None:
    setters = set()
    for rel, tree in _modules():
        for node in ast.walk(tree):
            targets = node.targets if isinstance(node, ast.Assign) else []
            if isinstance(node, ast.AugAssign | ast.AnnAssign):
                targets = [node.target]
            for t in targets:
                if isinstance(t, ast.Attribute) and t.attr in ("dps", "prec"):
                    setters.add(rel)
    assert setters <= set(GLOBAL_PRECISION), sorted(setters - set(GLOBAL_PRECISION))
