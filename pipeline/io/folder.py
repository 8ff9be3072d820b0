"""The output folder as one unit: one run at a time, and tables published together.

A run holds an exclusive lock on `DIR/.pipeline/lock` from start to end; a second
run on the same folder fails at once with `FolderBusy`. The lock is the operating
system's (a POSIX record lock: released whenever its process ends, even by SIGKILL,
and not inherited by the worker processes it forks), so a stale lock never blocks a
folder.

Tables are written into `DIR/.pipeline/export/` first. Only when every one of them
is complete is a journal written that lists the moves into `DIR` (and the tables of
another format to remove); the moves follow, then the journal is deleted. Whoever
finds a journal (the next run, or `read_table`) finishes the moves first, so the
tables read together always come from the same run.
"""
from __future__ import annotations

import errno
import json
import os
import shutil
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

STATE = ".pipeline"
STAGING = f"{STATE}/export"
JOURNAL = f"{STATE}/export.json"
LOCK = f"{STATE}/lock"


_HELD: set[Path] = set()  # the folders this process holds


class FolderBusy(RuntimeError):
    """Another run is writing to the same output folder."""


def _try_lock(folder: Path) -> int | None:
    import fcntl  # POSIX; imported here so that reading tables works everywhere

    (folder / STATE).mkdir(parents=True, exist_ok=True)
    handle = os.open(folder / LOCK, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.lockf(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as error:
        os.close(handle)
        if error.errno in (errno.EWOULDBLOCK, errno.EACCES):
            return None
        raise
    return handle


@contextmanager
def exclusive(folder: str | os.PathLike) -> Iterator[None]:
    """Hold the folder for one run; `FolderBusy` names the process that holds it."""
    folder = Path(folder)
    key = (folder / STATE).resolve()
    # a record lock does not exclude the process that holds it, and closing any descriptor
    # of the file would release it: a second run within this process is refused here
    if key in _HELD:
        raise FolderBusy(f"{folder} is in use by another run of this process")
    handle = _try_lock(folder)
    if handle is None:
        holder = (folder / LOCK).read_text(encoding="utf-8", errors="replace").strip() or "another process"
        raise FolderBusy(f"{folder} is in use by another run ({holder}); wait for it to end, "
                         f"or write to another --out")
    _HELD.add(key)
    try:
        os.ftruncate(handle, 0)
        os.write(handle, f"process {os.getpid()}, started {time.strftime('%Y-%m-%d %H:%M:%S')}".encode())
        finish_export(folder)
        yield
    finally:
        _HELD.discard(key)
        os.close(handle)  # closing the descriptor releases the lock


def publish(folder: Path, names: list[str], retired: list[str]) -> None:
    """Move the staged `names` into `folder` and remove `retired`, as one unit."""
    journal = {"move": names, "remove": [name for name in retired if name not in names]}
    temporary = folder / f"{JOURNAL}.tmp"
    temporary.write_text(json.dumps(journal, ensure_ascii=False), encoding="utf-8")
    os.replace(temporary, folder / JOURNAL)  # from here on the export will complete
    finish_export(folder)


def finish_export(folder: Path) -> None:
    """Carry out the moves of an export journal, if one is left; safe to repeat."""
    journal_path = folder / JOURNAL
    if not journal_path.exists():
        return
    journal = json.loads(journal_path.read_text(encoding="utf-8"))
    staging = folder / STAGING
    for name in journal["move"]:
        staged, final = staging / name, folder / name
        if not staged.exists():
            continue  # moved before an interruption
        if staged.is_dir():
            _remove(final)  # a folder (Parquet parts) cannot be renamed over a full one
        os.replace(staged, final)
    for name in journal["remove"]:
        _remove(folder / name)
    journal_path.unlink()
    shutil.rmtree(staging, ignore_errors=True)


def _remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path)
    elif path.exists():
        path.unlink()


def settle(folder: Path, patience: float = 10.0) -> None:
    """Before reading tables: finish an interrupted export, or wait for a running one."""
    if not (folder / JOURNAL).exists():
        return
    deadline = time.monotonic() + patience
    while (folder / JOURNAL).exists():
        if (folder / STATE).resolve() in _HELD:
            return  # this process is the one publishing
        handle = _try_lock(folder)
        if handle is not None:
            try:
                finish_export(folder)
            finally:
                os.close(handle)
            return
        if time.monotonic() > deadline:
            raise FolderBusy(f"{folder}: a run is publishing its tables; try again in a moment")
        time.sleep(0.05)
