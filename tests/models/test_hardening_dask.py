"""Issue 11, Dask connections: every attempt is bounded and ends in a clear error.

A local TCP server on 127.0.0.1 that accepts connections and never speaks (or speaks
something else) stands in for a port that is not a Dask scheduler; it stops itself when the
test ends (and after 30 s at most).
"""

from __future__ import annotations

import socket
import threading
import time

import numpy as np
import pytest

from softmaxlab import SoftmaxLabError
from softmaxlab.models import SoftmaxRegression, _dask


class SilentServer:
    """Accepts TCP connections on 127.0.0.1, sends ``greeting`` (nothing by default)."""

    def __init__(self, greeting: bytes = b"", lifetime: float = 30.0):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.greeting = greeting
        self.stop = threading.Event()
        self.accepted = 0
        self.conns: list[socket.socket] = []
        self.deadline = time.monotonic() + lifetime
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while not self.stop.is_set() and time.monotonic() < self.deadline:
            try:
                conn, _ = self.sock.accept()
            except (TimeoutError, OSError):
                continue
            self.accepted += 1
            if self.greeting:
                conn.sendall(self.greeting)
            self.conns.append(conn)
        for c in self.conns:
            c.close()
        self.sock.close()

    def close(self):
        self.stop.set()
        self.thread.join(5)

    @property
    def address(self):
        return f"tcp://127.0.0.1:{self.port}"


@pytest.fixture
def silent():
    server = SilentServer()
    yield server
    server.close()


def test_silent_peer_is_refused_within_the_timeout(silent, capfd):
    start = time.monotonic()
    with pytest.raises(OSError, match="accepted the connection but sent nothing") as info:
        _dask.connect(silent.address, timeout=1.0)
    assert time.monotonic() - start < 5.0
    assert silent.address in str(info.value)
    assert silent.accepted == 1
    assert "Exception ignored" not in capfd.readouterr().err


def test_peer_speaking_another_protocol_is_refused(capfd):
    server = SilentServer(greeting=b"SSH-2.0-OpenSSH_9.6\r\n")
    try:
        with pytest.raises(OSError, match="not as a Dask scheduler does"):
            _dask.connect(server.address, timeout=1.0)
    finally:
        server.close()
    assert "Exception ignored" not in capfd.readouterr().err


def test_fit_on_a_silent_scheduler_is_bounded(silent, monkeypatch, capfd):
    import dask.array as da

    monkeypatch.setattr(_dask, "CONNECT_TIMEOUT", 1.0)
    X = da.from_array(np.random.default_rng(0).normal(size=(40, 3)), chunks=(20, 3))
    y = np.arange(40) % 2
    clf = SoftmaxRegression()
    start = time.monotonic()
    with pytest.raises(OSError, match="Cannot connect to the Dask scheduler"):
        clf.fit(X, y, client=silent.address)
    assert time.monotonic() - start < 5.0
    assert not hasattr(clf, "coef_") and not hasattr(clf, "classes_")
    assert "Exception ignored" not in capfd.readouterr().err


def test_closed_port_is_refused_at_once():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()  # nothing listens there now
    start = time.monotonic()
    with pytest.raises(OSError, match="Cannot connect to the Dask scheduler"):
        _dask.connect(f"tcp://127.0.0.1:{port}", timeout=2.0)
    assert time.monotonic() - start < 2.5


@pytest.mark.parametrize(
    "address",
    [
        "nonsense",
        "tcp://host",
        "tcp://127.0.0.1:99999",
        "tcp://127.0.0.1:0",
        "tcp://::::",
        "tcp://127.0.0.1:80x",
        "udp://127.0.0.1:8786",
        "",
        5,
        b"tcp://127.0.0.1:8786",
    ],
)
def test_malformed_addresses_are_the_template_and_instant(address, capfd):
    start = time.monotonic()
    with pytest.raises(SoftmaxLabError, match=r"The 'client' parameter of SoftmaxRegression\.fit"):
        _dask.connect(address, timeout=5.0)
    assert time.monotonic() - start < 0.5
    assert "Exception ignored" not in capfd.readouterr().err


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("tcp://127.0.0.1:8786", ("127.0.0.1", 8786)),
        ("localhost:1", ("localhost", 1)),
        ("tcp://[::1]:65535", ("::1", 65535)),
        (" tcp://sched.example:8786 ", ("sched.example", 8786)),
    ],
)
def test_well_formed_addresses_parse(address, expected):
    assert _dask.parse_address(address) == expected


@pytest.mark.slow
def test_a_real_scheduler_still_connects():
    import distributed

    cluster = distributed.LocalCluster(
        n_workers=0, processes=False, protocol="tcp", dashboard_address=None
    )
    try:
        client = _dask.connect(cluster.scheduler_address, timeout=5.0)
        assert client.status == "running"
        client.close()
    finally:
        cluster.close()
