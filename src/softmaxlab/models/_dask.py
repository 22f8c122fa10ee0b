"""Data-parallel fitting and lazy prediction on Dask arrays.

The rows of ``X`` are split into the chunks of a Dask array that live on the workers of a
``dask.distributed`` cluster. Each loss evaluation sends the (small) coefficient vector to
every chunk, computes that chunk's share of the loss and gradient with
:class:`MultinomialLoss` there (normalised by the total sample weight, so the shares add up),
and sums the shares on the client, where the optimiser (L-BFGS) runs. Chunks are summed in a
fixed order whatever worker computed them; chunks lost with a worker are recomputed from
their task graph and the fit goes on to the same result (up to the last bits that BLAS may
round differently in another process).

Prediction stays lazy: ``predict_proba`` returns a Dask array computed block by block.

Nothing here imports Dask until a Dask array is seen.
"""

from __future__ import annotations

import contextlib
import itertools
import re
import socket
import threading
import time
import traceback
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .._validation import param_error
from ._loss import MultinomialLoss

__all__ = [
    "CONNECT_TIMEOUT",
    "DaskLoss",
    "check_speaks_dask",
    "connect",
    "get_client",
    "is_dask_array",
    "parse_address",
    "prepare_fit_inputs",
    "shutdown_embedded_cluster",
]

_lock = threading.Lock()
_embedded: Any = None  # the Client of the LocalCluster started on demand


def is_dask_array(x: Any) -> bool:
    """True for a ``dask.array.Array`` (checked without importing Dask)."""
    return type(x).__module__.startswith("dask.array") and hasattr(x, "chunks")


#: Seconds that connecting to a scheduler address may take, handshake included.
CONNECT_TIMEOUT = 10.0

_ADDRESS = re.compile(r"^(?:tcp://)?(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_.-]+):([0-9]{1,5})$")
_ADDRESS_WORDS = "a scheduler address 'tcp://host:port' (or 'host:port'), port in 1..65535"


def parse_address(address: Any) -> tuple[str, int]:
    """``(host, port)`` of a scheduler address ``tcp://host:port``, ``host:port`` or
    ``tcp://[ipv6]:port``; anything else raises the standard ``'client'`` parameter error.

    >>> parse_address("tcp://127.0.0.1:8786"), parse_address("[::1]:8786")
    (('127.0.0.1', 8786), ('::1', 8786))
    """
    m = _ADDRESS.match(address.strip()) if isinstance(address, str) else None
    if m is None or not 1 <= int(m[2]) <= 65535:
        raise param_error("client", _ADDRESS_WORDS, address, func="SoftmaxRegression.fit")
    return m[1].strip("[]"), int(m[2])


def _unreachable(address: str, why: str) -> OSError:
    return OSError(f"Cannot connect to the Dask scheduler at {address!r}: {why}.")


def check_speaks_dask(host: str, port: int, timeout: float) -> None:
    """Connect by TCP and wait (at most ``timeout`` s) for the scheduler's handshake.

    A Dask scheduler sends its handshake (a msgpack map with a ``compression`` key) as soon
    as a connection opens; a peer that accepts the connection but sends nothing, or sends
    something else, is not one. Raises OSError naming the address.
    """
    address = f"tcp://{host}:{port}" if ":" not in host else f"tcp://[{host}]:{port}"
    deadline = time.monotonic() + timeout
    try:
        sock = socket.create_connection((host, port), timeout=timeout)
    except TimeoutError:
        raise _unreachable(address, f"no answer within {timeout:g} s") from None
    except OSError as exc:
        raise _unreachable(address, exc.strerror or str(exc)) from None
    received = b""
    with sock:
        while b"compression" not in received and len(received) < 4096:
            left = deadline - time.monotonic()
            if left <= 0:
                break
            sock.settimeout(left)
            try:
                chunk = sock.recv(4096)
            except TimeoutError:
                break
            except OSError as exc:
                raise _unreachable(address, exc.strerror or str(exc)) from None
            if not chunk:
                break
            received += chunk
    if b"compression" not in received:
        what = (
            "it accepted the connection but sent nothing"
            if not received
            else ("it answered, but not as a Dask scheduler does")
        )
        raise _unreachable(address, f"{what} within {timeout:g} s (is this a Dask scheduler?)")


def connect(address: Any, timeout: float = CONNECT_TIMEOUT) -> Any:
    """A ``distributed.Client`` of the scheduler at ``address``, within ``timeout`` seconds.

    The address is parsed first (:func:`parse_address`), then the peer must send a Dask
    handshake within the timeout (:func:`check_speaks_dask`: a port that accepts TCP and
    stays silent would otherwise hang the client forever), then the client connects with the
    same timeout. A client that fails half-way is closed here, so nothing is left for
    ``Client.__del__`` to stall on. Raises the ``'client'`` parameter error or OSError.
    """
    from distributed import Client

    host, port = parse_address(address)
    check_speaks_dask(host, port, timeout)
    try:
        return Client(address.strip(), set_as_default=False, timeout=f"{timeout}s")
    except (OSError, TimeoutError, ValueError) as exc:
        _close_half_made(exc, Client)
        raise _unreachable(address, str(exc) or type(exc).__name__) from None


def _close_half_made(exc: BaseException, client_type: Any) -> None:
    """Close the Client whose ``__init__`` raised ``exc`` (found in its traceback), briefly,
    so that its ``__del__`` has nothing left to do (it would block for twice the timeout)."""
    for frame, _ in traceback.walk_tb(exc.__traceback__):
        obj: Any = frame.f_locals.get("self")
        if isinstance(obj, client_type):
            with contextlib.suppress(Exception):
                obj.close(timeout=1)
            with contextlib.suppress(Exception):
                obj.status = "closed"
            break
    exc.__traceback__ = None


def get_client(address: Any = None) -> Any:
    """The Dask client to use.

    ``address`` may be a ``distributed.Client`` (returned as is) or a scheduler address such as
    ``"tcp://host:8786"`` (connected to by :func:`connect`, within :data:`CONNECT_TIMEOUT`
    seconds, handshake included). With None, the current default client is used if
    there is one (a ``Client(...)`` created by the caller); otherwise a ``LocalCluster`` (2
    worker processes, one thread each, no dashboard) is started once and reused, and closed
    by :func:`shutdown_embedded_cluster` or at exit.
    """
    global _embedded
    from distributed import Client, LocalCluster, default_client

    if isinstance(address, Client):
        return address
    if address is not None:
        return connect(address, CONNECT_TIMEOUT)
    try:
        return default_client()
    except ValueError:
        pass
    with _lock:
        if _embedded is None or _embedded.status != "running":
            cluster = LocalCluster(
                n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
            )
            _embedded = Client(cluster, set_as_default=False)
        return _embedded


def shutdown_embedded_cluster() -> None:
    """Close the LocalCluster started by :func:`get_client`, if any."""
    global _embedded
    with _lock:
        if _embedded is not None:
            cluster = _embedded.cluster
            _embedded.close()
            if cluster is not None:
                cluster.close()
            _embedded = None


def prepare_fit_inputs(
    X: Any, y: Any, sample_weight: Any, solver: str
) -> tuple[Any, NDArray[Any], Any]:
    """Check a Dask fit and bring ``y`` and ``sample_weight`` to the client.

    ``X`` stays a Dask array (cast to float64 unless floating); ``y`` and the weights, one
    number per row, become NumPy arrays. Raises ValueError for a solver other than 'lbfgs',
    an ``X`` that is not 2-D, or a ``y`` of the wrong shape.
    """
    if solver != "lbfgs":
        raise ValueError(
            "SoftmaxRegression fits Dask arrays with solver='lbfgs' only. Got "
            f"solver={solver!r} instead."
        )
    if X.ndim != 2:
        raise ValueError(f"Expected a 2-D Dask array X. Got {X.ndim} dimensions instead.")
    if X.dtype.kind not in "f":
        X = X.astype(np.float64)
    y = np.asarray(y.compute() if is_dask_array(y) else y)
    if sample_weight is not None and is_dask_array(sample_weight):
        sample_weight = sample_weight.compute()
    if y.shape != (X.shape[0],):
        raise ValueError(
            f"y must have one label per row of X ({X.shape[0]}). Got shape {y.shape} instead."
        )
    return X, y, sample_weight


def _identity(x: Any) -> Any:
    return x


def _part_loss_gradient(
    loss: MultinomialLoss, coef: NDArray[Any], X: Any, y: Any, sw: Any, total: float
) -> tuple[float, NDArray[Any]]:
    """One chunk's share of the data term (no penalty) and its gradient."""
    return loss.loss_gradient(coef, X, y, sw, 0.0, scale=total)


class DaskLoss:
    """The loss of :class:`MultinomialLoss` summed over the row chunks of a Dask array.

    Parameters
    ----------
    loss : MultinomialLoss
    X : dask.array.Array, shape (n_samples, n_features)
        Rechunked to one block of columns; the row chunks are computed and kept on the
        workers.
    y : ndarray of int, shape (n_samples,)
        Encoded labels (class indices), split like the rows of ``X``.
    sample_weight : ndarray or None
    client : distributed.Client
    """

    def __init__(
        self, loss: MultinomialLoss, X: Any, y: NDArray[Any], sample_weight: Any, client: Any
    ):
        from dask import delayed

        self.loss = loss
        # Workers take the NumPy path: importing numba and compiling kernels inside a
        # memory-limited worker costs a few hundred MB and seconds, and can get it killed.
        self.worker_loss = MultinomialLoss(loss.n_classes, loss.fit_intercept, backend="numpy")
        self.client = client
        X = X.rechunk({1: X.shape[1]})
        bounds = np.cumsum((0, *X.chunks[0]))
        self.n_features = int(X.shape[1])
        self.total = float(len(y)) if sample_weight is None else float(np.sum(sample_weight))
        # The row blocks stay on the workers; y and the weights travel inside the task graph
        # (not scattered), so a lost chunk can always be recomputed.
        self.x_parts = client.compute(list(X.to_delayed().ravel()))
        self.y_parts = client.compute(
            [delayed(_identity)(y[a:b]) for a, b in itertools.pairwise(bounds)]
        )
        if sample_weight is None:
            self.w_parts: list[Any] = [None] * len(self.x_parts)
        else:
            sw = np.asarray(sample_weight, dtype=np.float64)
            self.w_parts = client.compute(
                [delayed(_identity)(sw[a:b]) for a, b in itertools.pairwise(bounds)]
            )
        self.n_evaluations = 0

    def loss_gradient(
        self, coef: NDArray[Any], l2_reg_strength: float = 0.0
    ) -> tuple[float, NDArray[Any]]:
        """Objective and gradient (as :meth:`MultinomialLoss.loss_gradient` on all rows)."""
        futures = [
            self.client.submit(
                _part_loss_gradient,
                self.worker_loss,
                coef,
                xp,
                yp,
                wp,
                self.total,
                pure=False,
                retries=3,
            )
            for xp, yp, wp in zip(self.x_parts, self.y_parts, self.w_parts, strict=True)
        ]
        parts = self.client.gather(futures)
        self.n_evaluations += 1
        value = 0.0
        grad = np.zeros_like(coef, dtype=np.float64)
        for f, g in parts:  # a fixed order, whatever worker computed what
            value += f
            grad += g
        W, _ = self.loss.unpack(coef, self.n_features)
        value += 0.5 * l2_reg_strength * float(np.sum(W * W))
        gW, _ = self.loss.unpack(grad, self.n_features)
        gW += l2_reg_strength * W  # a view into grad
        return value, grad

    def release(self) -> None:
        """Forget the chunks held on the cluster."""
        for futures in (self.x_parts, self.y_parts, self.w_parts):
            for f in futures:
                if f is not None:
                    f.release()


def _block_logits(block: NDArray[Any], coef: NDArray[Any], intercept: NDArray[Any]) -> Any:
    dt = block.dtype if block.dtype in (np.float32, np.float64) else np.float64
    return block @ coef.T.astype(dt) + intercept.astype(dt)


def _block_proba(
    block: NDArray[Any], coef: NDArray[Any], intercept: NDArray[Any], log: bool
) -> NDArray[Any]:
    from ..core import log_softmax, softmax

    z = _block_logits(block, coef, intercept)
    # NumPy path on workers (see DaskLoss): no JIT inside a memory-limited worker.
    return log_softmax(z, axis=1, backend="numpy") if log else softmax(z, axis=1, backend="numpy")


def lazy_logits(X: Any, coef: NDArray[Any], intercept: NDArray[Any]) -> Any:
    """``X @ coef.T + intercept`` as a Dask array, block by block."""
    X = X.rechunk({1: X.shape[1]})
    dt = X.dtype if X.dtype in (np.float32, np.float64) else np.float64
    return X.map_blocks(
        _block_logits, coef, intercept, dtype=dt, chunks=(X.chunks[0], (coef.shape[0],))
    )


def lazy_proba(X: Any, coef: NDArray[Any], intercept: NDArray[Any], *, log: bool) -> Any:
    """softmax (or log_softmax) of the logits as a Dask array, block by block."""
    X = X.rechunk({1: X.shape[1]})
    dt = X.dtype if X.dtype in (np.float32, np.float64) else np.float64
    return X.map_blocks(
        _block_proba, coef, intercept, log, dtype=dt, chunks=(X.chunks[0], (coef.shape[0],))
    )


def _take(idx: NDArray[Any], classes: NDArray[Any]) -> NDArray[Any]:
    return classes[idx]


def take_classes(idx: Any, classes: NDArray[Any]) -> Any:
    """Labels ``classes[idx]`` of a Dask array of indices, lazily."""
    return idx.map_blocks(_take, classes, dtype=classes.dtype)
