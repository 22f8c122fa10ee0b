"""Data-parallel fitting and lazy prediction on Dask arrays.

The rows of ``X`` are split into the chunks of a Dask array that live on the workers of a
``dask.distributed`` cluster, spread evenly over them, each chunk's labels and weights with
its rows. Each loss evaluation sends the (small) coefficient vector to the workers, computes
each chunk's share of the loss and gradient with :class:`MultinomialLoss` there (normalised
by the total sample weight, so the shares add up), and sums the shares on the client, where
the optimiser (L-BFGS or Newton-CG) runs. The values go to one actor per worker that holds
its chunks (a direct call, with no scheduler round trip) where the chunks take a small share
of the workers' memory, else to a few tasks per worker (each for the chunks it holds,
:data:`GROUP_BYTES` at the most). Chunks are summed in a fixed order whatever worker
computed them; if a worker is lost, the evaluations go through tasks from then on, the
chunks lost with it are recomputed from their task graph and the fit goes on to the same
result (up to the last bits that BLAS may round differently in another process).

The checks of a fit's inputs, the labels' encoding, the weights and the lazy prediction
are in :mod:`._dask_data`.

Nothing here imports Dask until a Dask array is seen.
"""

from __future__ import annotations

import contextlib
import re
import socket
import threading
import time
import traceback
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .._validation import param_error
from ._dask_data import _computed
from ._loss import MultinomialLoss

__all__ = [
    "CONNECT_TIMEOUT",
    "DaskLoss",
    "check_speaks_dask",
    "connect",
    "get_client",
    "parse_address",
    "shutdown_embedded_cluster",
]

_lock = threading.Lock()
_embedded: Any = None  # the Client of the LocalCluster started on demand


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


def _aligned(block: NDArray[Any], loss: MultinomialLoss | None = None) -> NDArray[Any]:
    """The block itself, or an aligned C-contiguous copy: a chunk unpickled on a worker can
    sit at an odd address, where NumPy and BLAS are about 3x slower (measured: 37 ms against
    12 ms for one loss and gradient of 20,000 x 100). Rows that ``loss`` computes with the
    fused kernel (:meth:`MultinomialLoss.fuses`) stay where they are: it reads them at full
    speed (measured: the same time), and a fit then copies no chunk (~40 ms for 128 MB)."""
    if block.flags.aligned and block.flags.c_contiguous:
        return block
    if loss is not None and loss.fuses(block):
        return block
    return np.require(block, requirements=["C", "A", "O"]).copy()


#: Bytes of the row chunks that one task evaluates at the most: the chunks a worker holds
#: are evaluated by a few tasks, not one task each (one per worker for the benchmark of
#: issue 13: 8 chunks of 16 MB on 2 workers), which saves the scheduler's round trips.
GROUP_BYTES = 64 << 20


def _part_loss_gradient(
    loss: MultinomialLoss, coef: NDArray[Any], xs: list, ys: list, ws: list, total: float
) -> list[tuple[float, NDArray[Any]]]:
    """Each chunk's share of the data term (no penalty) and its gradient, blocked on one
    thread (the worker's), for the chunks of one task."""
    return [
        loss.bind(X, y, sw, 0.0, scale=total, n_threads=1).loss_gradient(coef)
        for X, y, sw in zip(xs, ys, ws, strict=True)
    ]


#: The share of a worker's memory limit that its chunks may take for the loss to evaluate
#: them through an actor (which holds them, so the worker cannot spill them to disk); above
#: it, evaluations go through tasks only.
ACTOR_MEMORY_SHARE = 0.25


class _Evaluator:
    """An actor on one worker, holding the chunks there: a loss evaluation is then one call
    to it (measured on a 2-vCPU VM: ~3 ms a round trip, against 14-22 ms for a ``map`` and
    ``gather`` of tasks through the scheduler)."""

    def __init__(
        self, loss: MultinomialLoss, index: list, xs: list, ys: list, ws: list, total: float
    ):
        self.loss, self.index, self.total = loss, index, total
        self.xs, self.ys, self.ws = xs, ys, ws

    def loss_gradient(self, coef: NDArray[Any]) -> list[tuple[int, Any]]:
        """``(chunk index, (share, gradient))`` of each chunk held, as the tasks compute."""
        parts = _part_loss_gradient(self.loss, coef, self.xs, self.ys, self.ws, self.total)
        return list(zip(self.index, parts, strict=True))


class _ChunkTerms:
    """The Newton terms of one task's chunks, kept on its worker: the probabilities stay
    there."""

    def __init__(
        self, loss: MultinomialLoss, coef: Any, xs: list, ys: list, ws: list, total: float
    ):
        self.terms = []
        for X, y, sw in zip(xs, ys, ws, strict=True):
            bound = loss.bind(X, y, sw, 0.0, scale=total, n_threads=1)
            self.terms.append(bound.newton_terms(coef, diagonal=True))


def _summary(part: _ChunkTerms) -> list[tuple[float, NDArray[Any], NDArray[Any] | None]]:
    return [(value, grad, diag) for value, grad, _, diag in part.terms]


def _apply_hessp(part: _ChunkTerms, v: NDArray[Any]) -> list[NDArray[Any]]:
    return [hessp(v) for _, _, hessp, _ in part.terms]


def _holders(client: Any, parts: list[Any]) -> list[Any]:
    """The worker holding each computed part (the first by address; None: none)."""
    from distributed import wait

    with client.as_current():  # wait() asks for the current client
        wait(parts)
    who = client.who_has(parts)
    return [min(who.get(f.key, ()), default=None) for f in parts]


def balanced_homes(holders: list[Any], nbytes: list[int], workers: list[Any]) -> list[Any]:
    """A worker for each chunk: where it is, but for the moves that even out the bytes per
    worker (each move takes a chunk from the fullest worker to the emptiest one, while that
    makes the fullest one lighter), so that no worker computes much more of each loss
    evaluation than another.

    >>> balanced_homes(["a", "a", "a", "b"], [4, 4, 4, 4], ["a", "b"])
    ['b', 'a', 'a', 'b']
    >>> balanced_homes([None, None, "b"], [1, 1, 1], ["a", "b"])
    ['a', 'b', 'b']
    """
    load = {w: 0 for w in workers}
    homes = list(holders)
    for i, h in enumerate(homes):
        if h not in load:
            homes[i] = h = min(load, key=load.__getitem__)
        load[h] += nbytes[i]
    while len(load) > 1:
        full = max(load, key=load.__getitem__)
        empty = min(load, key=load.__getitem__)
        gap = load[full] - load[empty]
        movable = [i for i, h in enumerate(homes) if h == full and nbytes[i] < gap]
        if not movable:
            break
        i = min(movable, key=lambda j: abs(gap - 2 * nbytes[j]))
        homes[i] = empty
        load[full] -= nbytes[i]
        load[empty] += nbytes[i]
    return homes


def _moved(
    client: Any, parts: list[Any], holders: list[Any], homes: list[Any], loss: Any = None
) -> list[Any]:
    """The parts, each one not on its home worker copied there (by a task that depends on
    it, so that a copy lost with its worker is recomputed from the graph) and released."""
    out = []
    for f, now, home in zip(parts, holders, homes, strict=True):
        if now == home:
            out.append(f)
            continue
        moved = client.submit(
            _aligned, f, loss, workers=[home], allow_other_workers=True, pure=False
        )
        f.release()
        out.append(moved)
    return out


def _by_worker(homes: list[Any]) -> dict[Any, list[int]]:
    """The chunk indices homed on each worker, in chunk order."""
    out: dict[Any, list[int]] = {}
    for i, w in enumerate(homes):
        out.setdefault(w, []).append(i)
    return out


def _groups(homes: list[Any], nbytes: list[int]) -> list[list[int]]:
    """The chunk indices of each task: the chunks of one worker, in runs of at most
    :data:`GROUP_BYTES` (at least one chunk each)."""
    groups: list[list[int]] = []
    for chunks in _by_worker(homes).values():
        size = GROUP_BYTES
        for i in chunks:
            if size + nbytes[i] > GROUP_BYTES:
                groups.append([])
                size = 0
            groups[-1].append(i)
            size += nbytes[i]
    return groups


class DaskLoss:
    """The loss of :class:`MultinomialLoss` summed over the row chunks of a Dask array.

    Parameters
    ----------
    client : distributed.Client
    loss : MultinomialLoss
    X : dask.array.Array, shape (n_samples, n_features)
        In one block of columns; the row chunks are computed and kept on the workers.
    y : dask.array.Array of int, shape (n_samples,)
        Encoded labels (class indices), chunked like the rows of ``X``; kept on the workers.
    sw : dask.array.Array or None
        Sample weights chunked like ``y``; kept on the workers (their sum, the normaliser
        of the loss, is computed there).
    """

    def __init__(self, client: Any, loss: MultinomialLoss, X: Any, y: Any, sw: Any = None):
        self.loss = loss
        # Workers use the default path (the compiled core where it is loaded: no JIT, no
        # import cost beyond NumPy, so a memory-limited worker pays nothing extra for it).
        self.worker_loss = MultinomialLoss(loss.n_classes, loss.fit_intercept, backend=None)
        self.client = client
        self.n_features = int(X.shape[1])
        self.total = float(y.shape[0]) if sw is None else float(_computed(client, sw.sum())[0])
        # The row blocks, labels and weights stay on the workers, each computed from its task
        # graph (not scattered), so that a lost chunk can always be recomputed.
        wl = self.worker_loss
        self.x_parts = client.compute(list(X.map_blocks(_aligned, wl).to_delayed().ravel()))
        self.y_parts = client.compute(list(y.map_blocks(_aligned).to_delayed().ravel()))
        if sw is None:
            self.w_parts: list[Any] = [None] * len(self.x_parts)
        else:
            self.w_parts = client.compute(list(sw.map_blocks(_aligned).to_delayed().ravel()))
        row_bytes = X.dtype.itemsize * self.n_features
        nbytes = [r * row_bytes for r in X.chunks[0]]
        # Each worker gets about the same bytes of rows (an evaluation waits for the slowest
        # worker: 5 chunks against 3 made it ~1.7x slower), and each chunk's labels and
        # weights go where its rows are (or each evaluation would fetch them again once the
        # scheduler has dropped the extra replicas).
        x_at = _holders(client, self.x_parts)
        homes = balanced_homes(x_at, nbytes, sorted(client.nthreads()))
        self.x_parts = _moved(client, self.x_parts, x_at, homes, wl)
        self.y_parts = _moved(client, self.y_parts, _holders(client, self.y_parts), homes)
        if sw is not None:
            self.w_parts = _moved(client, self.w_parts, _holders(client, self.w_parts), homes)
        self.groups = _groups(homes, nbytes)
        self.n_evaluations = 0
        self._actor_futures: list[Any] = []
        self._actors = self._start_actors(homes, nbytes)

    def _start_actors(self, homes: list[Any], nbytes: list[int]) -> list[Any]:
        """One :class:`_Evaluator` per worker holding the chunks homed there, where they take
        at most :data:`ACTOR_MEMORY_SHARE` of its memory limit everywhere (else none: the
        evaluations go through tasks, and the chunks can spill)."""
        by_worker = _by_worker(homes)
        workers = self.client.scheduler_info()["workers"]
        for w, idx in by_worker.items():
            if w not in workers:
                return []
            limit = workers[w].get("memory_limit") or 0  # 0: no limit
            if limit and sum(nbytes[i] for i in idx) > ACTOR_MEMORY_SHARE * limit:
                return []
        for w, idx in by_worker.items():
            self._actor_futures.append(
                self.client.submit(
                    _Evaluator,
                    self.worker_loss,
                    idx,
                    [self.x_parts[i] for i in idx],
                    [self.y_parts[i] for i in idx],
                    [self.w_parts[i] for i in idx],
                    self.total,
                    actor=True,
                    workers=[w],
                    pure=False,
                )
            )
        return [f.result() for f in self._actor_futures]

    def _stop_actors(self) -> None:
        self._actors = []
        for f in self._actor_futures:
            f.release()
        self._actor_futures = []

    def _by_actors(self, coef: NDArray[Any]) -> list[Any] | None:
        """The per-chunk results of one evaluation by the actors, in chunk order; None (and
        no actors from then on) if a call fails, e.g. with its worker: the tasks then
        recompute what was lost from its graph."""
        try:
            calls = [a.loss_gradient(coef) for a in self._actors]
            out: list[Any] = [None] * len(self.x_parts)
            for call in calls:
                for i, r in call.result():
                    out[i] = r
        except Exception:  # any failure: the task path computes the same values
            self._stop_actors()
            return None
        return out

    def _submit(self, fn: Any, *args: Any) -> list[Any]:
        """``fn(worker_loss, *args, xs, ys, ws, total)`` for every group of chunks (lists of
        the group's chunks), in one ``Client.map`` (half the round trip of a ``submit`` per
        task, measured); the scheduler runs each where its chunks are."""
        n = len(self.groups)
        same = [[a] * n for a in (self.worker_loss, *args)]
        parts = [[[p[i] for i in g] for g in self.groups] for p in self._parts()]
        return list(self.client.map(fn, *same, *parts, [self.total] * n, pure=False, retries=3))

    def _parts(self) -> tuple[list[Any], list[Any], list[Any]]:
        return self.x_parts, self.y_parts, self.w_parts

    def _in_order(self, futures: list[Any]) -> list[Any]:
        """The per-chunk results of the groups' futures, in chunk order (the sums over
        chunks then have a fixed order, whatever worker computed what)."""
        out: list[Any] = [None] * len(self.x_parts)
        for g, results in zip(self.groups, self.client.gather(futures), strict=True):
            for i, r in zip(g, results, strict=True):
                out[i] = r
        return out

    def _penalty(self, coef: NDArray[Any], out: NDArray[Any], l2: float) -> float:
        """Add ``l2 W`` to the weights of the flat ``out``; returns ``½ l2 ‖W‖²``."""
        W, _ = self.loss.unpack(coef, self.n_features)
        gW, _ = self.loss.unpack(out, self.n_features)
        gW += l2 * W  # a view into out
        return 0.5 * l2 * float(np.sum(W * W))

    def loss_gradient(
        self, coef: NDArray[Any], l2_reg_strength: float = 0.0
    ) -> tuple[float, NDArray[Any]]:
        """Objective and gradient (as :meth:`MultinomialLoss.loss_gradient` on all rows)."""
        parts = self._by_actors(coef) if self._actors else None
        if parts is None:
            parts = self._in_order(self._submit(_part_loss_gradient, coef))
        self.n_evaluations += 1
        value = 0.0
        grad = np.zeros_like(coef, dtype=np.float64)
        for f, g in parts:  # a fixed order, whatever worker computed what
            value += f
            grad += g
        value += self._penalty(coef, grad, l2_reg_strength)
        return value, grad

    def newton_terms(
        self, coef: NDArray[Any], l2_reg_strength: float = 0.0
    ) -> tuple[float, NDArray[Any], Any, NDArray[Any]]:
        """As :meth:`BoundLoss.newton_terms` with the diagonal, summed over the chunks.

        Each chunk's terms stay on its worker (its probabilities with them); a Hessian-vector
        product sends the direction there and sums the chunks' products in a fixed order. A
        chunk lost with a worker is recomputed from its task graph.
        """
        c = np.asarray(coef, dtype=np.float64)
        terms = self._submit(_ChunkTerms, c)
        self.n_evaluations += 1
        value, grad, diag = 0.0, np.zeros_like(c), np.zeros_like(c)
        summaries = self.client.map(_summary, terms, pure=False, retries=3)
        for f, g, h in self._in_order(summaries):
            value += f
            grad += g
            diag += h
        l2 = float(l2_reg_strength)
        value += self._penalty(c, grad, l2)
        self._penalty(np.ones_like(c), diag, l2)  # + l2 on the weights' diagonal

        def hessp(v: NDArray[Any]) -> NDArray[Any]:
            v = np.asarray(v, dtype=np.float64)
            futures = self.client.map(_apply_hessp, terms, [v] * len(terms), pure=False, retries=3)
            out = np.zeros_like(v)
            for hv in self._in_order(futures):
                out += hv
            self._penalty(v, out, l2)
            return out

        return value, grad, hessp, diag

    def penalised(self, l2_reg_strength: float) -> Any:
        """The problem a solver takes: ``loss_gradient(coef)`` and ``newton_terms(coef,
        diagonal=True)`` with the penalty ``l2_reg_strength``."""
        from types import SimpleNamespace

        l2 = float(l2_reg_strength)
        return SimpleNamespace(
            loss_gradient=lambda c: self.loss_gradient(c, l2),
            newton_terms=lambda c, diagonal=True: self.newton_terms(c, l2),
        )

    def release(self) -> None:
        """Forget the chunks held on the cluster (and the actors holding them)."""
        self._stop_actors()
        for futures in (self.x_parts, self.y_parts, self.w_parts):
            for f in futures:
                if f is not None:
                    f.release()
