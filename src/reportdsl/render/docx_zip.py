"""A Word file's zip written so that the same content always gives the same bytes.

Members are written with fixed timestamps and permissions, in the order given. A member may be
handed over already compressed (`Stored`, taken from the template's own zip): the template's
large parts (styles, themes) go into every output unchanged, and copying their compressed bytes
saves inflating and deflating them again on every compile.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from typing import Iterable, Union

import attrs

ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
DOS_TIME, DOS_DATE = 0, (ZIP_EPOCH[0] - 1980) << 9 | ZIP_EPOCH[1] << 5 | ZIP_EPOCH[2]
VERSION = 20  # 2.0: deflate
MADE_ON_UNIX = 3 << 8
UTF8_NAMES = 0x800
PERMISSIONS = 0o644 << 16
LOCAL_HEADER = struct.Struct("<IHHHHHIIIHH")
CENTRAL_HEADER = struct.Struct("<IHHHHHHIIIHHHHHII")
END_RECORD = struct.Struct("<IHHHHIIH")
LOCAL_HEADER_START = 30  # bytes before a local header's name


@attrs.frozen
class Stored:
    """A member's bytes as another zip holds them: deflated (or stored), with their CRC and size."""

    method: int
    crc: int
    size: int
    data: bytes


def stored_member(archive_bytes: bytes, info: zipfile.ZipInfo) -> Stored:
    """A member of a zip already read (so its CRC has been checked), as its compressed bytes."""
    name_length, extra_length = struct.unpack_from("<HH", archive_bytes, info.header_offset + 26)
    start = info.header_offset + LOCAL_HEADER_START + name_length + extra_length
    return Stored(info.compress_type, info.CRC, info.file_size, archive_bytes[start:start + info.compress_size])


def deflated(data: bytes) -> Stored:
    compressor = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -zlib.MAX_WBITS)
    return Stored(zipfile.ZIP_DEFLATED, zlib.crc32(data), len(data), compressor.compress(data) + compressor.flush())


def write_zip(members: Iterable[tuple[str, Union[bytes, Stored]]]) -> bytes:
    """A zip of the members in their given order, with fixed timestamps and permissions."""
    target = io.BytesIO()
    directory = []
    for name, content in members:
        member = content if isinstance(content, Stored) else deflated(content)
        encoded, flags = _name(name)
        offset = target.tell()
        fields = (VERSION, flags, member.method, DOS_TIME, DOS_DATE, member.crc, len(member.data), member.size,
                  len(encoded))
        target.write(LOCAL_HEADER.pack(0x04034B50, *fields, 0) + encoded + member.data)
        directory.append(CENTRAL_HEADER.pack(0x02014B50, MADE_ON_UNIX | VERSION, *fields, 0, 0, 0, 0, PERMISSIONS,
                                             offset) + encoded)
    start = target.tell()
    listing = b"".join(directory)
    target.write(listing + END_RECORD.pack(0x06054B50, 0, 0, len(directory), len(directory), len(listing), start, 0))
    return target.getvalue()


def _name(name: str) -> tuple[bytes, int]:
    try:
        return name.encode("ascii"), 0
    except UnicodeEncodeError:
        return name.encode("utf-8"), UTF8_NAMES


def normalize_zip(data: bytes) -> bytes:
    """Rewrite a zip (a .docx) with fixed timestamps and permissions, members in their given order."""
    source = zipfile.ZipFile(io.BytesIO(data))
    return write_zip((info.filename, source.read(info.filename)) for info in source.infolist())
