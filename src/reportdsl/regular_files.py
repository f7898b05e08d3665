"""Reading a file named by a user or a report: only a regular file, only up to a size, never
blocking. A FIFO named x.rpt would hang the compiler forever, a symlink to /dev/zero would fill
its memory; both are refused when opened (without O_NONBLOCK, opening a FIFO waits for a writer)."""

from __future__ import annotations

import os
import stat

MAX_FILE_BYTES = 50 * 1024 * 1024  # a report of 50,000 items is 4 MB


class NotRegularFile(OSError):
    """The path names a FIFO, a device, a socket or a directory; strerror says which."""


class FileTooLarge(OSError):
    """The file is over the size limit; strerror says by how much."""


def kind_of(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def read_regular_file(path: str, limit: int = MAX_FILE_BYTES) -> bytes:
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            error = IsADirectoryError if stat.S_ISDIR(info.st_mode) else NotRegularFile
            raise error(0, f"{kind_of(info.st_mode)}, not a file", path)
        if info.st_size > limit:
            raise FileTooLarge(0, f"{info.st_size:,} bytes; at most {limit / 1024 / 1024:g} MB are read", path)
        os.set_blocking(descriptor, True)
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(descriptor, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:  # it grew while being read
            raise FileTooLarge(0, f"over {limit / 1024 / 1024:g} MB", path)
        return b"".join(chunks)
    finally:
        os.close(descriptor)
