"""The compiled core's row kernels at a git revision next to the working tree's, in one process.

Timing two builds of the extension in two processes on a noisy VM moves the figures by more
than a kernel change gains (the same call measured 1.8 ms in one run and 3.1 ms in the next).
This script instead compiles one SIMD level's kernels twice, from ``git show REV:`` of
``src/softmaxlab/_simd`` and from the working tree, under two names (``SLX_LEVEL``), links both
tables into one small C program and alternates them call by call. It prints the best time per
entry of each, the ratio base / new (above 1: the working tree is faster), and whether the two
outputs are bit-identical. The flags are setup.py's ``UNIX_FLAGS``; no Python, allocation or
thread pool is timed, only the kernel on one thread, on warm input and output.

Run: ``python benchmarks/kernel_ab.py [--rev HEAD] [--level avx2] [--reps 200]
[--cases 16x4096:softmax,4096x1000:log_softmax,100000x10:softmax,64x32000:fast,...]``.
A case is ROWSxCOLUMNS:OP with OP softmax, log_softmax, fast (precision="fast" softmax),
fast_log, softmax64, log_softmax64, ce or ce64 (the cross-entropy rows, float32 or float64:
target i % C for row i, no weight), ce_grad or ce_grad64 (the same with the gradient of the
mean); the outputs compared are the probabilities or the per-row loss parts and gradients.
The level must be one this CPU runs (``show_config()``).
"""

from __future__ import annotations

import argparse
import ast
import shutil
import subprocess
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SIMD = "src/softmaxlab/_simd"
DEFAULT_CASES = (
    "16x4096:softmax,4096x1000:softmax,64x32000:softmax,16x4096:log_softmax,"
    "4096x1000:fast,64x32000:fast,100000x10:softmax,100000x10:log_softmax,"
    "100000x10:softmax64,1000x20:log_softmax64"
)
OPS = {  # op -> (kernel: 0 sm32, 1 sm32f, 2 sm64; log flag)
    "softmax": (0, 0),
    "log_softmax": (0, 1),
    "fast": (1, 0),
    "fast_log": (1, 1),
    "softmax64": (2, 0),
    "log_softmax64": (2, 1),
    "ce_grad": (3, 0),
    "ce_grad64": (4, 0),
    "ce": (3, 1),
    "ce64": (4, 1),
}

MAIN_C = r"""
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "slx_kernels.h"
extern const slx_table TAB_BASE, TAB_NEW;
static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}
/* Cross-entropy (ops 3, 4; lg 1: the loss only): target i % n for row i, no weight, the
 * gradient of the mean over the rows; one set of per-row parts for each table. */
static slx_ce ce[2];
static void run(const slx_table *t, int op, void *x, void *o, intptr_t n, intptr_t rows, int lg,
                slx_ce *c)
{
    if (op == 0) t->sm32((const float *)x, (float *)o, n, 0, rows, 1.0, lg);
    else if (op == 1) t->sm32f((const float *)x, (float *)o, n, 0, rows, 1.0, lg);
    else if (op == 2) t->sm64((const double *)x, (double *)o, n, 0, rows, 1.0, lg);
    else if (op == 3) t->ce32((const float *)x, lg ? NULL : (float *)o, n, 0, rows, c);
    else t->ce64((const double *)x, lg ? NULL : (double *)o, n, 0, rows, c);
}
int main(int argc, char **argv)
{
    intptr_t rows = atol(argv[1]), n = atol(argv[2]);
    int op = atoi(argv[3]), lg = atoi(argv[4]), reps = atoi(argv[5]);
    size_t sz = (op == 2 || op == 4 ? 8 : 4) * (size_t)(rows * n);
    int64_t *target = malloc(sizeof(int64_t) * (size_t)rows);
    for (intptr_t i = 0; i < rows; i++)
        target[i] = i % n;
    size_t rb = sizeof(double) * (size_t)rows;
    for (int k = 0; k < 2; k++) {
        ce[k].target = target;
        ce[k].ignore = -100;
        ce[k].scale = 1.0 / (double)rows;
        ce[k].sum_w = (double)n;
        ce[k].nllw = calloc(1, rb);
        ce[k].smooth = calloc(1, rb);
        ce[k].wy = calloc(1, rb);
    }
    void *x = malloc(sz), *a = calloc(1, sz), *b = calloc(1, sz);
    srand(1);
    for (intptr_t i = 0; i < rows * n; i++) { /* N(0, 3^2) logits, Box-Muller */
        double u = (rand() + 1.0) / ((double)RAND_MAX + 2.0), v = rand() / (double)RAND_MAX;
        double z = 3.0 * sqrt(-2.0 * log(u)) * cos(6.283185307179586 * v);
        if (op == 2 || op == 4) ((double *)x)[i] = z; else ((float *)x)[i] = (float)z;
    }
    const slx_table *tab[2] = {&TAB_BASE, &TAB_NEW};
    void *out[2] = {a, b};
    double best[2] = {1e30, 1e30};
    for (int r = 0; r < reps; r++)
        for (int k = 0; k < 2; k++) {
            int j = (r & 1) ? 1 - k : k; /* alternate which one goes first */
            double t0 = now();
            run(tab[j], op, x, out[j], n, rows, lg, &ce[j]);
            double dt = now() - t0;
            best[j] = dt < best[j] ? dt : best[j];
        }
    printf("%.4f %.4f %d\n", best[0] * 1e9 / (double)(rows * n),
           best[1] * 1e9 / (double)(rows * n),
           memcmp(a, b, sz) == 0 && memcmp(ce[0].nllw, ce[1].nllw, rb) == 0 &&
               memcmp(ce[0].smooth, ce[1].smooth, rb) == 0);
    return 0;
}
"""


def _unix_flags() -> list[str]:
    """setup.py's UNIX_FLAGS, read without running setup()."""
    tree = ast.parse((ROOT / "setup.py").read_text())
    for node in tree.body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "UNIX_FLAGS":
            return [str(v) for v in ast.literal_eval(node.value)]
    raise SystemExit("setup.py has no UNIX_FLAGS")


def _export(rev: str, dest: Path) -> None:
    """The files of src/softmaxlab/_simd at ``rev`` into ``dest``."""
    names = subprocess.run(
        ["git", "ls-tree", "--name-only", f"{rev}:{SIMD}"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    for name in names:
        blob = subprocess.run(
            ["git", "show", f"{rev}:{SIMD}/{name}"], cwd=ROOT, check=True, capture_output=True
        ).stdout
        (dest / name).write_bytes(blob)


def _compile(src: Path, level: str, name: str, out: Path, flags: list[str]) -> None:
    """kern_<level>.c of ``src`` with its SLX_LEVEL renamed ``name``, into the object ``out``."""
    text = (src / f"kern_{level}.c").read_text()
    renamed = text.replace(f"#define SLX_LEVEL {level}", f"#define SLX_LEVEL {name}")
    if renamed == text:
        raise SystemExit(f"kern_{level}.c defines no SLX_LEVEL {level}")
    unit = src / f"ab_{name}.c"
    unit.write_text(renamed)
    subprocess.run(["cc", *flags, f"-I{src}", "-c", str(unit), "-o", str(out)], check=True)


def _build(rev: str, level: str, work: Path) -> Path:
    flags = _unix_flags()
    base, new = work / "base", work / "new"
    base.mkdir()
    _export(rev, base)
    shutil.copytree(ROOT / SIMD, new, ignore=shutil.ignore_patterns("*.so", "__pycache__"))
    _compile(base, level, f"{level}_ab_base", work / "base.o", flags)
    _compile(new, level, f"{level}_ab_new", work / "new.o", flags)
    main = work / "main.c"
    main.write_text(
        MAIN_C.replace("TAB_BASE", f"slx_table_{level}_ab_base").replace(
            "TAB_NEW", f"slx_table_{level}_ab_new"
        )
    )
    exe = work / "ab"
    cmd = ["cc", *flags, f"-I{new}", str(main), str(work / "base.o"), str(work / "new.o")]
    subprocess.run([*cmd, "-lm", "-o", str(exe)], check=True)
    return exe


def _parse_case(case: str) -> tuple[int, int, int, int]:
    """ROWSxCOLUMNS:OP as (rows, columns, kernel, log)."""
    shape, _, op = case.partition(":")
    try:
        rows, n = (int(v) for v in shape.split("x"))
        kernel, log = OPS[op]
    except (KeyError, ValueError):
        msg = f"case {case!r}: expected ROWSxCOLUMNS:OP, OP one of {sorted(OPS)}"
        raise SystemExit(msg) from None
    return rows, n, kernel, log


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rev", default="HEAD", help="git revision of the base kernels")
    ap.add_argument("--level", default="avx2", choices=["baseline", "avx2", "avx512"])
    ap.add_argument("--reps", type=int, default=200)
    ap.add_argument("--cases", default=DEFAULT_CASES)
    args = ap.parse_args()
    cases = [(case, *_parse_case(case)) for case in args.cases.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        exe = _build(args.rev, args.level, Path(tmp))
        print(f"level {args.level}: base = {args.rev}, new = working tree; best of {args.reps}")
        print(f"{'case':24s} {'base ns/entry':>13s} {'new ns/entry':>12s} base/new  same bits")
        for case, rows, n, kernel, log in cases:
            argv = [str(exe), str(rows), str(n), str(kernel), str(log), str(args.reps)]
            res = subprocess.run(argv, check=True, capture_output=True, text=True).stdout.split()
            tb, tn, same = float(res[0]), float(res[1]), res[2] == "1"
            print(f"{case:24s} {tb:13.3f} {tn:12.3f} {tb / tn:8.3f}  {'yes' if same else 'no'}")


if __name__ == "__main__":
    main()
