"""What an OLE container (the Office 97 file format) holds, told from its first bytes without opening it:
a password-protected .docx/.xlsx (its OOXML package encrypted inside), a Word 97 or an Excel 97 file,
whatever the file's name says."""

from __future__ import annotations


OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
OLE_SCAN_BYTES = 4_000_000


def is_encrypted_office(path: str) -> bool:
    """A password-protected .docx or .xlsx is an OLE container, not a zip (so are Word 97 and Excel 97
    files, which legacy_format names)."""
    with open(path, "rb") as stream:
        return stream.read(8) == OLE_SIGNATURE and legacy_format(path) is None


def legacy_format(path: str) -> str | None:
    """'docx' for a Word 97 file, 'xlsx' for an Excel 97 file — what LibreOffice should save it as —
    whatever the file's name says; None for anything else."""
    head = _ole_head(path)
    for stream_name, target in (("WordDocument", "docx"), ("Workbook", "xlsx"), ("Book", "xlsx")):
        if stream_name.encode("utf-16-le") + b"\x00\x00" in head:
            return target
    return None


def is_password_protected(path: str) -> bool:
    """An encrypted OOXML package in its OLE wrapper, or a Word 97 file whose header says it is encrypted."""
    head = _ole_head(path)
    return "EncryptedPackage".encode("utf-16-le") in head or _word_97_encrypted(head)


def _ole_head(path: str) -> bytes:
    with open(path, "rb") as stream:
        head = stream.read(OLE_SCAN_BYTES)
    return head if head.startswith(OLE_SIGNATURE) else b""


def _word_97_encrypted(head: bytes) -> bool:
    """The fEncrypted bit of a Word 97 File Information Block, which begins a sector with 0xA5EC."""
    at = head.find(b"\xec\xa5", 512)
    while at >= 0 and at % 512:
        at = head.find(b"\xec\xa5", at + 1)
    return "WordDocument".encode("utf-16-le") in head and at >= 0 and len(head) > at + 11 and bool(head[at + 11] & 0x01)
