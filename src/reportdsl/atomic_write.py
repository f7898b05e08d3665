"""Writing outputs: every file goes to a temporary name beside its target and is renamed into
place, so a failure never leaves a half-written or mixed set of outputs."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def remove_stale_temporaries(path: Path) -> None:
    """Temporary files a killed run (SIGKILL: no chance to clean up) left beside this output. Each
    temporary is named with the process that writes it (.NAME.PID.random.tmp), so a compile running
    beside this one into the same folder keeps its own."""
    if not path.parent.is_dir():
        return
    for stale in path.parent.glob(f".{path.name}.*.tmp"):
        writer = stale.name[len(path.name) + 2:].split(".", 1)[0]
        if not writer.isdigit() or not process_alive(int(writer)):
            stale.unlink(missing_ok=True)


def process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # alive, another user's
    return True


def _file_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def write_all_atomic(files: dict[Path, bytes]) -> None:
    """Write a set of outputs: all to temporary names first, then each renamed into place, so a
    failure while writing leaves the previous outputs as they were and no temporary files."""
    staged: list[tuple[str, Path]] = []
    for path in files:
        remove_stale_temporaries(path)
    try:
        for path, data in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp",
                                                 dir=path.parent)
            staged.append((temporary, path))
            os.chmod(temporary, _file_mode())
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
                stream.flush()
                os.fsync(stream.fileno())
        for temporary, path in staged:
            os.replace(temporary, path)
    except BaseException:
        for temporary, _ in staged:
            Path(temporary).unlink(missing_ok=True)
        raise
