"""50 concurrent sessions driven from loopback all get their own, correct answers.

Each session is a separate ``gradio_client.Client`` (its own session hash) calling the Softmax
tab's ``/softmax`` endpoint with different logits; answers are checked against plain-Python
exp-normalise. The run is bounded: 50 sessions, 180 s in all.
"""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor, wait

import pytest

from tests._support.mpref import ref_softmax

N_SESSIONS = 50


@pytest.mark.slow
def test_fifty_concurrent_sessions_get_correct_answers(explorer_url: str) -> None:
    from gradio_client import Client

    def session(i: int) -> tuple[int, list[float], list[float]]:
        client = Client(
            explorer_url,
            verbose=False,
            analytics_enabled=False,  # the client would otherwise report to gradio.app
            download_files=False,
            httpx_kwargs={"timeout": 120},  # 50 sessions at once on 2 busy cores
        )
        logits = [round(-3.0 + 0.1 * i, 1), 1.0, round(2.0 - 0.05 * i, 2)]
        log10_t = round(-1.0 + 0.04 * i, 2)
        # Then the winner-takes-all plots and the temperature slider (its value and message).
        chart, details, _winner, message, _slider = client.predict(
            "en", log10_t, *logits, *([0.0] * 7), api_name="/softmax"
        )
        assert message == ""
        assert "sl-sum" in details
        got = [float(v) for v in re.findall(r'data-p="([^"]+)"', chart)]
        return i, got, ref_softmax(logits, 10.0**log10_t)

    with ThreadPoolExecutor(max_workers=N_SESSIONS) as pool:
        futures = [pool.submit(session, i) for i in range(N_SESSIONS)]
        done, pending = wait(futures, timeout=180)
    assert not pending, f"{len(pending)} sessions did not finish in 180 s"
    for future in done:
        i, got, expected = future.result()
        assert len(got) == 3, i
        assert all(abs(g - e) <= 1e-12 for g, e in zip(got, expected, strict=True)), (i, got)
