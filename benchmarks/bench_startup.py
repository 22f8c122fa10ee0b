"""Start-up cost in fresh processes: ``import softmaxlab`` and ``softmaxlab compute 3 1 -3``.

Prints the median, min and max wall time of several new interpreters and the machine load.
The goals (issue 2 and 3): the import well under 0.5 s; the compute command under 0.5 s wall.

Run: ``python benchmarks/bench_startup.py [--repeat 9]``
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time


def _wall(cmd: list[str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args()
    exe = shutil.which("softmaxlab") or os.path.join(os.path.dirname(sys.executable), "softmaxlab")
    cases = {
        "python -c pass (interpreter only)": [sys.executable, "-c", "pass"],
        "python -c 'import numpy'": [sys.executable, "-c", "import numpy"],
        "python -c 'import softmaxlab'": [sys.executable, "-c", "import softmaxlab"],
        "softmaxlab compute 3 1 -3": [exe, "compute", "3", "1", "-3"],
    }
    print(f"load average before: {os.getloadavg()[0]:.2f}  (cores: {os.cpu_count()})")
    times: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(args.repeat):  # interleaved, so load drifts hit every case alike
        for name, cmd in cases.items():
            times[name].append(_wall(cmd))
    print(f"{'command':40s} {'median':>8s} {'min':>8s} {'max':>8s}")
    for name, ts in times.items():
        print(f"{name:40s} {statistics.median(ts):8.3f} {min(ts):8.3f} {max(ts):8.3f}")
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
