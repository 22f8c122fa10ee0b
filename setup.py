"""Build of the optional compiled SIMD core (``softmaxlab._simd._core``).

All project metadata lives in ``pyproject.toml``; this file only declares the C extension.
The extension is optional: where the compiler is missing or fails, the build warns and goes
on, and softmaxlab runs on its NumPy reference path (``softmaxlab.show_config()`` says so).

Flags: ``-O3`` and IEEE arithmetic kept (no ``-ffast-math``: special values and the
compensated sums rely on it; ``-ffp-contract=off`` so that only the explicit fused
multiply-adds are fused). Never ``-march=native``: the base flags give a binary for any
x86-64, and the AVX2 and AVX-512 translation units select their own targets, chosen at run
time by the CPU's features.
"""

from __future__ import annotations

import sys

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

SIMD = "src/softmaxlab/_simd"
UNIX_FLAGS = [
    "-O3",
    "-fno-math-errno",
    "-fno-trapping-math",
    "-ffp-contract=off",
    "-fvisibility=hidden",
]


def numpy_api() -> tuple[list[str], list[tuple[str, str | None]]]:
    """NumPy's include directory and SLX_NUMPY_API, or nothing where NumPy is not importable.

    The core takes its arrays through the buffer protocol; NumPy's C API serves only to
    allocate the results of small calls (``PyArray_NewLikeArray``, a few times cheaper than
    calling ``numpy.empty_like``). Without it the core calls ``numpy.empty_like``.
    """
    try:
        import numpy
    except ImportError:
        return [], []
    return [numpy.get_include()], [("SLX_NUMPY_API", "1")]


NUMPY_INCLUDE, NUMPY_MACROS = numpy_api()


class OptionalBuildExt(build_ext):
    """build_ext that warns instead of failing when the C core cannot be compiled."""

    def build_extensions(self) -> None:
        if self.compiler.compiler_type != "msvc":
            for ext in self.extensions:
                ext.extra_compile_args = [*UNIX_FLAGS, *ext.extra_compile_args]
        super().build_extensions()

    def run(self) -> None:
        try:
            super().run()
        except Exception as exc:  # no compiler at all, or an unusable one
            self._skip(exc)

    def build_extension(self, ext: Extension) -> None:
        try:
            super().build_extension(ext)
        except Exception as exc:
            self._skip(exc)

    @staticmethod
    def _skip(exc: BaseException) -> None:
        msg = (
            f"WARNING: softmaxlab's compiled SIMD core was not built ({exc}); "
            "softmaxlab will run on its NumPy reference path."
        )
        print(msg, file=sys.stderr)


setup(
    ext_modules=[
        Extension(
            "softmaxlab._simd._core",
            sources=[
                f"{SIMD}/_core.c",
                f"{SIMD}/kern_baseline.c",
                f"{SIMD}/kern_avx2.c",
                f"{SIMD}/kern_avx512.c",
            ],
            depends=[
                f"{SIMD}/kernels.inc",
                f"{SIMD}/short_rows.inc",
                f"{SIMD}/short_t16.inc",
                f"{SIMD}/short_avx2.inc",
                f"{SIMD}/short64_avx2.inc",
                f"{SIMD}/ce_rows.inc",
                f"{SIMD}/linear_ce.inc",
                f"{SIMD}/linear_ce_t.inc",
                f"{SIMD}/exp_t16.inc",
                f"{SIMD}/exp_t64.inc",
                f"{SIMD}/exp_avx2.inc",
                f"{SIMD}/fast32.inc",
                f"{SIMD}/pool.inc",
                f"{SIMD}/slx_kernels.h",
            ],
            include_dirs=[SIMD, *NUMPY_INCLUDE],
            define_macros=NUMPY_MACROS,
            libraries=[] if sys.platform == "win32" else ["m"],
            # The core's thread pool (pool.inc): POSIX threads (in libc on recent glibc,
            # libpthread on older ones, such as manylinux2014's).
            extra_compile_args=[] if sys.platform == "win32" else ["-pthread"],
            extra_link_args=[] if sys.platform == "win32" else ["-pthread"],
        )
    ],
    cmdclass={"build_ext": OptionalBuildExt},
)
