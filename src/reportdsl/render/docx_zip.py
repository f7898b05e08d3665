"""A Word file's zip written so that the same content always gives the same bytes."""

from __future__ import annotations

import io
import zipfile
from typing import Iterable

ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


def write_zip(members: Iterable[tuple[str, bytes]]) -> bytes:
    """A zip of the members in their given order, with fixed timestamps and permissions."""
    target_bytes = io.BytesIO()
    with zipfile.ZipFile(target_bytes, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in members:
            fixed = zipfile.ZipInfo(name, ZIP_EPOCH)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, data)
    return target_bytes.getvalue()


def normalize_zip(data: bytes) -> bytes:
    """Rewrite a zip (a .docx) with fixed timestamps and permissions, members in their given order."""
    source = zipfile.ZipFile(io.BytesIO(data))
    return write_zip((info.filename, source.read(info.filename)) for info in source.infolist())
