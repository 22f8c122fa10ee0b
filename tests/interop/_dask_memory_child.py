"""Run by test_dask_memory.py in a fresh process whose private memory is capped.

Usage: python _dask_memory_child.py MODE SRC DST ROWS COLS CHUNK HEADROOM_MB

The cap (RLIMIT_DATA) is the private memory in use after the imports plus HEADROOM_MB. It
counts what NumPy allocates, not the pages of files mapped shared, so it limits exactly what
an implementation that held the data in memory would need. Prints one line of figures and
exits 0, or 3 on MemoryError.
"""

from __future__ import annotations

import resource
import sys
import threading
import time
from typing import Any

import array_api_compat  # noqa: F401  (imported before the cap, as in a running program)
import dask.array as da
import dask.graph_manipulation  # noqa: F401
import numpy as np

import softmaxlab as sl


def status_mb(key: str) -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1]) // 1024
    raise KeyError(key)


class FileArray:
    """A read-only 2-D float32 array on disk that reads only the slice asked for.

    ``da.from_array`` copies objects that have a ``copy`` method (a ``np.memmap`` would be
    read into memory whole), so the file is mapped for each chunk read and unmapped after.
    """

    def __init__(self, path: str, shape: tuple[int, int]):
        self.path, self.shape = path, shape
        self.dtype = np.dtype(np.float32)
        self.ndim = 2

    def __getitem__(self, idx: Any) -> np.ndarray:
        mm = np.memmap(self.path, dtype=self.dtype, mode="r", shape=self.shape)
        out = np.array(mm[idx])
        del mm
        return out


def main() -> int:
    mode, src, dst = sys.argv[1:4]
    rows, cols, chunk, headroom = (int(v) for v in sys.argv[4:8])
    peak = [0]

    def sample() -> None:
        while True:
            peak[0] = max(peak[0], status_mb("RssAnon"))
            time.sleep(0.002)

    threading.Thread(target=sample, daemon=True).start()
    time.sleep(0.01)
    x = da.from_array(FileArray(src, (rows, cols)), chunks=(1, chunk), name=False)
    base_data, base_anon = status_mb("VmData"), status_mb("RssAnon")
    cap = (base_data + headroom) << 20
    resource.setrlimit(resource.RLIMIT_DATA, (cap, cap))
    t0 = time.perf_counter()
    try:
        if mode == "materialize":
            x.compute(scheduler="synchronous")
        elif mode == "logsumexp":
            lse = sl.logsumexp(x, axis=1).compute(scheduler="synchronous")
            np.save(dst, lse)
        else:
            y = sl.softmax(x, axis=1) if mode == "softmax" else sl.log_softmax(x, axis=1)
            out = np.memmap(dst, dtype=np.float32, mode="r+", shape=(rows, cols))
            da.store(y, out, scheduler="synchronous")
            out.flush()
    except MemoryError:
        print(f"{mode}: MemoryError under a cap of {base_data + headroom} MB")
        return 3
    print(
        f"{mode}: {time.perf_counter() - t0:.2f} s, private memory {base_anon} MB before, "
        f"peak {peak[0]} MB (cap {base_data + headroom} MB of VmData)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
