"""One way to replace a file: atomically, keeping its mode, through symlinks, leaving no litter.

:func:`atomic_write` is used for model files (:func:`softmaxlab.models.save_model`) and for the
CSV that ``softmaxlab predict --output`` writes.

* The content goes to a temporary file in the directory of the final file, is flushed and
  ``fsync``-ed, then ``os.replace``-d over it: a reader sees the old file or the new one,
  never a half-written one, even if the process is killed.
* A **new** file gets the permissions of an ordinary ``open(path, "w")``: ``0o666`` minus
  the umask (a temporary file is created ``0o600``; that is corrected before the rename).
* An **existing** file keeps its permission bits (an overwrite never changes who may read
  it).
* A **symlink** is followed: the file it points to is replaced and the link stays a link
  (a dangling link creates its target). ``os.replace`` on the link itself would have
  replaced the link by a regular file.
* If writing fails (an exception, a full disk, Ctrl-C), the temporary file is removed
  before the error propagates. A process killed with SIGKILL cannot clean up: the
  temporary file is then a hidden ``.NAME.*.tmp`` next to the target.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

__all__ = ["atomic_write", "current_umask"]


def current_umask() -> int:
    """The process's umask (read from ``/proc`` where possible, else set and restored)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _final_target(path: Path) -> Path:
    """``path`` with symlinks followed (also a dangling one: its target is created)."""
    return Path(os.path.realpath(path))


def atomic_write(
    path: str | os.PathLike[str], write: Callable[[IO[Any]], object], *, text: bool = False
) -> Path:
    """Replace ``path`` by what ``write(fh)`` writes, atomically (see the module docstring).

    Parameters
    ----------
    path : str or path-like
        The file to create or replace; a symlink is followed.
    write : callable
        Called once with the open temporary file (binary, or UTF-8 text with ``newline=""``
        when ``text``).
    text : bool, default False
        Open the temporary file in text mode.

    Returns
    -------
    Path
        ``path`` as given.

    Examples
    --------
    >>> import os, tempfile
    >>> d = tempfile.mkdtemp()
    >>> p = atomic_write(os.path.join(d, "a.txt"), lambda fh: fh.write(b"hello"))
    >>> open(p, "rb").read(), sorted(os.listdir(d))
    (b'hello', ['a.txt'])
    """
    given = Path(path)
    target = _final_target(given)
    try:
        mode = stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        mode = 0o666 & ~current_umask()
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        opened = os.fdopen(fd, "w", encoding="utf-8", newline="") if text else os.fdopen(fd, "wb")
        with opened as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
            os.fchmod(fh.fileno(), mode)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return given
