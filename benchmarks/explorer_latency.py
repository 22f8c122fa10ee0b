"""Explorer responsiveness: slider-move latency in headless Chromium, and start-up time.

Not a test: it prints figures next to the goals of issue 14 (slider move p50 <= 50 ms and
p95 <= 100 ms, by mouse drag and by keyboard step; start-up to first page <= 6 s).

* Start-up: from launching ``python -m softmaxlab explore --port P`` (a fresh process) until
  the Softmax tab's chart is in the page of a headless Chromium.
* Slider move: in the page, set a logit slider to a new value and fire its ``input`` event
  (what a drag does), then wait with a MutationObserver until the chart changes. The time
  covers the browser event, the request over loopback, the Python callback, the response and
  the DOM update.
* Keyboard step: the same slider focused and moved by ArrowRight / ArrowLeft key presses
  (Playwright's keyboard, a real key event); the clock starts just before the key press is
  sent, so it also holds the few milliseconds Playwright takes to deliver it.

Usage: ``python benchmarks/explorer_latency.py [--moves 200] [--chromium /usr/bin/chromium]``
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from typing import Any

ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]

MOVE_JS = """
async ([n, slot]) => {
  const input = document.querySelector(`#sm-logit-${slot} input[type=range]`);
  const chart = document.querySelector('#sm-chart');
  const times = [];
  for (let i = 0; i < n; i++) {
    const before = chart.innerHTML;
    const value = (-5 + (i % 100) * 0.1).toFixed(1);
    const done = new Promise((resolve) => {
      const obs = new MutationObserver(() => {
        if (chart.innerHTML !== before) { obs.disconnect(); resolve(); }
      });
      obs.observe(chart, {subtree: true, childList: true, characterData: true, attributes: true});
    });
    const t0 = performance.now();
    input.value = value;
    input.dispatchEvent(new Event('input', {bubbles: true}));
    await done;
    times.push(performance.now() - t0);
    await new Promise((r) => setTimeout(r, 20));
  }
  return times;
}
"""


ARM_JS = """
() => {
  const chart = document.querySelector('#sm-chart');
  const before = chart.innerHTML;
  const t0 = performance.now();
  window.__slStep = new Promise((resolve) => {
    const obs = new MutationObserver(() => {
      if (chart.innerHTML !== before) { obs.disconnect(); resolve(performance.now() - t0); }
    });
    obs.observe(chart, {subtree: true, childList: true, characterData: true, attributes: true});
  });
}
"""


def key_steps(page: Any, n: int, slot: int) -> list[float]:
    """``n`` keyboard steps of slider ``slot``, 50 to the right then 50 to the left, ..."""
    page.focus(f"#sm-logit-{slot} input[type=range]")
    times = []
    for i in range(n):
        page.evaluate(ARM_JS)
        page.keyboard.press("ArrowRight" if (i // 50) % 2 == 0 else "ArrowLeft")
        times.append(float(page.evaluate("window.__slStep")))
        time.sleep(0.02)
    return times


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", type=int, default=200)
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    opts = parser.parse_args()

    from playwright.sync_api import sync_playwright

    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    env = dict(os.environ, GRADIO_ANALYTICS_ENABLED="False")
    t0 = time.perf_counter()
    server = subprocess.Popen(
        [sys.executable, "-m", "softmaxlab", "explore", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    ready: list[float] = []

    def watch() -> None:
        assert server.stdout is not None
        for line in server.stdout:
            if "running at" in line and not ready:
                ready.append(time.perf_counter() - t0)

    threading.Thread(target=watch, daemon=True).start()
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=opts.chromium, args=ARGS)
            page = browser.new_page()
            while not ready:
                if server.poll() is not None:
                    raise SystemExit("the explorer exited before serving")
                time.sleep(0.02)
            while True:
                if server.poll() is not None:
                    raise SystemExit("the explorer exited before serving")
                try:
                    page.goto(url, wait_until="load", timeout=2000)
                    break
                except Exception:
                    time.sleep(0.05)
            page.wait_for_selector("#sm-chart .sl-bar", timeout=30_000)
            startup = time.perf_counter() - t0
            # Warm up (first requests open the event stream), then measure.
            page.evaluate(MOVE_JS, [10, 0])
            times = page.evaluate(MOVE_JS, [opts.moves, 1])
            keys = key_steps(page, opts.moves, 2)
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)

    print(f"{'measure':<34}{'value':>10}{'goal':>10}{'ratio':>8}")
    print(f"{'start-up to address printed (s)':<34}{ready[0]:>10.2f}")
    print(f"{'start-up to first page (s)':<34}{startup:>10.2f}{6:>10.2f}{startup / 6:>8.2f}")
    for name, values in (("slider move", times), ("keyboard step", keys)):
        p50, p95 = statistics.median(values), percentile(values, 0.95)
        print(f"{name + ' p50 (ms)':<34}{p50:>10.1f}{50:>10.1f}{p50 / 50:>8.2f}")
        print(f"{name + ' p95 (ms)':<34}{p95:>10.1f}{100:>10.1f}{p95 / 100:>8.2f}")
        print(
            f"{name + ' mean / max (ms)':<34}{statistics.mean(values):>10.1f}{max(values):>10.1f}"
        )
    print(
        f"moves and steps measured: {len(times)} and {len(keys)} (after 10 warm-up moves), "
        "2-core machine, headless Chromium"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
