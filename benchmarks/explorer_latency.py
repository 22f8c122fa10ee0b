"""Explorer responsiveness: slider-move latency in headless Chromium, and start-up time.

Not a test: it prints figures next to the goals of issue 14 (slider move p50 <= 50 ms and
p95 <= 100 ms, by mouse drag and by keyboard step; start-up to first page <= 6 s).

* Start-up: from launching ``python -m softmaxlab explore --port P`` (a fresh process) until
  the Softmax tab's chart is in the page of a headless Chromium; the median of ``--startups``
  fresh starts (the moves are timed on the first).
* Slider move: in the page, set a logit slider to a new value and fire its ``input`` event
  (what a drag does), then wait with a MutationObserver until the chart's probabilities (its
  bars' ``data-p``) change. (Until 2026-12-02 any change of the chart box's HTML stopped the
  clock, and Gradio's hidden status tracker in that box changes when a request starts: the
  clock often stopped ~15 ms in.) Since 2026-12-02 the bars follow a moving slider through the
  page's own preview (``tabs.softmax.preview_script``); the server answers the release.
* Mouse drag: a real drag by Playwright's mouse (button down on the track, moves 20 ms apart,
  button up); each time runs from the page's ``pointermove`` to the chart's new probabilities.
* Keyboard step: a slider focused and moved by ArrowRight / ArrowLeft key presses
  (Playwright's keyboard, a real key event). Two clocks: one starts just before the key
  press is sent, so it also holds the time Playwright takes to deliver it (several CDP round
  trips, slow when the 2 cores are busy); the other starts when the page receives the key
  (its ``keydown`` listener runs), which is what a reader pressing a key waits for.
* Release to the server's tables: a move and its release, until the server's chart, steps
  table and winner plots have replaced the preview (``#sm-view`` loses ``data-pending``):
  the browser event, Gradio's front end, the request over loopback, the Python callback, the
  response and the DOM update.

Usage:
``python benchmarks/explorer_latency.py [--moves 200] [--startups 3] [--chromium PATH]``
"""

from __future__ import annotations

import argparse
import math
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

# The chart's probabilities (its bars' data-p), not its innerHTML: Gradio's hidden status
# tracker sits inside the chart's box and changes as soon as a request starts ("processing |
# 0.1s"), which would stop the clock before the new chart arrives.
PROBS_JS = "const probs = (c) => [...c.querySelectorAll('.sl-bar')].map((e) => e.dataset.p).join();"

MOVE_JS = """
async ([n, slot]) => {
  PROBS
  const input = document.querySelector(`#sm-logit-${slot} input[type=range]`);
  const chart = document.querySelector('#sm-chart');
  const times = [];
  for (let i = 0; i < n; i++) {
    const before = probs(chart);
    const value = (-5 + (i % 100) * 0.1).toFixed(1);
    const done = new Promise((resolve) => {
      const obs = new MutationObserver(() => {
        if (probs(chart) !== before) { obs.disconnect(); resolve(); }
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
""".replace("PROBS", PROBS_JS)


ARM_JS = """
(slot) => {
  PROBS
  const chart = document.querySelector('#sm-chart');
  const input = document.querySelector(`#sm-logit-${slot} input[type=range]`);
  const before = probs(chart);
  const t0 = performance.now();
  let down = null;
  const opts = {once: true, capture: true};
  input.addEventListener('keydown', () => { down = performance.now(); }, opts);
  window.__slStep = new Promise((resolve) => {
    const obs = new MutationObserver(() => {
      if (probs(chart) !== before) {
        obs.disconnect();
        const t1 = performance.now();
        resolve([t1 - t0, down === null ? NaN : t1 - down]);
      }
    });
    obs.observe(chart, {subtree: true, childList: true, characterData: true, attributes: true});
  });
}
""".replace("PROBS", PROBS_JS)


DRAG_JS = """
(slot) => {
  PROBS
  const chart = document.querySelector('#sm-chart');
  const input = document.querySelector(`#sm-logit-${slot} input[type=range]`);
  window.__slDrag = [];
  let moved = null, before = probs(chart);
  input.addEventListener('pointermove', () => { moved = performance.now(); }, {capture: true});
  new MutationObserver(() => {
    const now = probs(chart);
    if (now !== before && moved !== null) {
      window.__slDrag.push(performance.now() - moved);
      moved = null;
    }
    before = now;
  }).observe(chart, {subtree: true, childList: true, characterData: true, attributes: true});
}
""".replace("PROBS", PROBS_JS)

SETTLE_JS = """
async ([n, slot]) => {
  const input = document.querySelector(`#sm-logit-${slot} input[type=range]`);
  const view = document.querySelector('#sm-view');
  const times = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    input.value = (-4 + (i % 80) * 0.1).toFixed(1);
    input.dispatchEvent(new Event('input', {bubbles: true}));
    input.dispatchEvent(new PointerEvent('pointerup', {bubbles: true}));
    await new Promise((resolve) => {
      const obs = new MutationObserver(() => {
        if (!('pending' in view.dataset)) { obs.disconnect(); resolve(); }
      });
      obs.observe(view, {attributes: true, attributeFilter: ['data-pending']});
    });
    times.push(performance.now() - t0);
    await new Promise((r) => setTimeout(r, 20));
  }
  return times;
}
"""


def mouse_drag(page: Any, n: int, slot: int) -> list[float]:
    """A real mouse drag of slider ``slot``: ``n`` pointer moves along its track, button down.

    Each time is from the page's ``pointermove`` to the chart's new probabilities (a move
    that changes no value draws nothing and is not counted).
    """
    track = page.locator(f"#sm-logit-{slot} input[type=range]")
    box = track.bounding_box()
    page.evaluate(DRAG_JS, slot)
    y = box["y"] + box["height"] / 2
    left, width = box["x"] + 8, box["width"] - 16
    page.mouse.move(left + width / 2, y)
    page.mouse.down()
    for i in range(n):
        phase = (i % 100) / 100
        frac = 2 * phase if phase < 0.5 else 2 - 2 * phase
        page.mouse.move(left + width * (0.2 + 0.6 * frac), y)
        time.sleep(0.02)
    page.mouse.up()
    page.wait_for_timeout(200)
    return [float(x) for x in page.evaluate("window.__slDrag")]


def key_steps(page: Any, n: int, slot: int) -> tuple[list[float], list[float]]:
    """``n`` keyboard steps of slider ``slot``, 50 to the right then 50 to the left, ...

    Returns the times from just before Playwright sends each key press, and from the moment
    the page received the key (its ``keydown`` listener), to the chart's change. A step whose
    chart changed before its key arrived (a late update of the step before) is left out.
    """
    page.focus(f"#sm-logit-{slot} input[type=range]")
    sent, received = [], []
    for i in range(n):
        page.evaluate(ARM_JS, slot)
        page.keyboard.press("ArrowRight" if (i // 50) % 2 == 0 else "ArrowLeft")
        a, b = page.evaluate("window.__slStep")
        if math.isnan(b):  # the chart changed before the key arrived (a late update): not a step
            continue
        sent.append(float(a))
        received.append(float(b))
        time.sleep(0.02)
    return sent, received


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def start_once(pw: Any, opts: argparse.Namespace, *, measure: bool) -> dict[str, Any]:
    """Start a fresh explorer process and a page on it; with ``measure``, time the moves."""
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
    out: dict[str, Any] = {}
    try:
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
        out["startup"], out["ready"] = time.perf_counter() - t0, ready[0]
        if measure:
            # Warm up (first requests open the event stream), then measure.
            page.evaluate(MOVE_JS, [10, 0])
            out["moves"] = page.evaluate(MOVE_JS, [opts.moves, 1])
            out["drag"] = mouse_drag(page, opts.moves, 0)
            out["keys"], out["keys_in_page"] = key_steps(page, opts.moves, 2)
            out["settle"] = page.evaluate(SETTLE_JS, [max(10, opts.moves // 4), 1])
        browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", type=int, default=200)
    parser.add_argument("--startups", type=int, default=3, help="fresh starts timed (median)")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    opts = parser.parse_args()

    from playwright.sync_api import sync_playwright

    load_before = os.getloadavg()[0]
    with sync_playwright() as pw:
        runs = [start_once(pw, opts, measure=i == 0) for i in range(max(1, opts.startups))]
    startups = [r["startup"] for r in runs]
    readies = [r["ready"] for r in runs]
    startup = statistics.median(startups)
    first = runs[0]
    times, keys, keys_in_page = first["moves"], first["keys"], first["keys_in_page"]

    print(f"{'measure':<34}{'value':>10}{'goal':>10}{'ratio':>8}")
    print(f"{'start-up to address printed (s)':<34}{statistics.median(readies):>10.2f}")
    print(f"{'start-up to first page (s)':<34}{startup:>10.2f}{6:>10.2f}{startup / 6:>8.2f}")
    print(
        f"  (median of {len(startups)} fresh starts: "
        + ", ".join(f"{x:.2f}" for x in startups)
        + ")"
    )
    rows = (
        ("slider move", times),
        ("mouse drag move", first["drag"]),
        ("keyboard step", keys),
        ("keyboard step, from keydown", keys_in_page),
        ("release to server's tables", first["settle"]),
    )
    for name, values in rows:
        p50, p95 = statistics.median(values), percentile(values, 0.95)
        print(f"{name + ' p50 (ms)':<34}{p50:>10.1f}{50:>10.1f}{p50 / 50:>8.2f}")
        print(f"{name + ' p95 (ms)':<34}{p95:>10.1f}{100:>10.1f}{p95 / 100:>8.2f}")
        print(
            f"{name + ' mean / max (ms)':<34}{statistics.mean(values):>10.1f}{max(values):>10.1f}"
        )
    print(
        f"moves, drag moves, steps and releases measured: {len(times)}, {len(first['drag'])}, "
        f"{len(keys)} and {len(first['settle'])} (after 10 warm-up moves), "
        f"2-core machine, headless Chromium; load average before {load_before:.2f}, "
        f"after {os.getloadavg()[0]:.2f}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
