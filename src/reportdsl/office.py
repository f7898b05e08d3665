"""LibreOffice, run headless in a throwaway profile closed to macros, active content and the network: it
turns our Word output into PDF, and a foreign .doc/.rtf/.odt or .xls/.ods into the .docx/.xlsx the
importer reads."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Optional

INSTALL = "on Debian or Ubuntu: apt-get install libreoffice-writer-nogui libreoffice-calc-nogui fonts-noto-cjk"
TIMEOUT_SECONDS = 300

# What each target is called by LibreOffice's --convert-to (the filter decides the format exactly).
TARGETS = {"pdf": "pdf", "docx": "docx:MS Word 2007 XML", "xlsx": "xlsx:Calc MS Excel 2007 XML",
           "doc": "doc:MS Word 97", "xls": "xls:MS Excel 97"}  # the last two: the older files import reads


class OfficeError(Exception):
    """LibreOffice is missing, failed, or took too long; the message says which, for a person."""


def soffice() -> Optional[str]:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(data: bytes, name: str, target: str, *, missing: str, profile_files: Optional[dict[str, bytes]] = None,
            timeout: int = TIMEOUT_SECONDS) -> bytes:
    """The bytes of `data` (a file called `name`) converted to `target` (pdf, docx or xlsx).
    `missing` begins the message when LibreOffice is not installed: what needed it."""
    program = soffice()
    if program is None:
        raise OfficeError(f"{missing}, which is not installed; {INSTALL}")
    with tempfile.TemporaryDirectory(prefix="reportdsl-office-") as work:
        source = Path(work, "in", name)
        source.parent.mkdir()
        source.write_bytes(data)
        profile = Path(work, "profile")
        for file_name, content in (profile_files or {}).items():  # settings of the private profile
            Path(profile, file_name).parent.mkdir(parents=True, exist_ok=True)
            Path(profile, file_name).write_bytes(content)
        close_profile(profile)
        command = [program, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to",
                   TARGETS[target], "--outdir", work, str(source)]
        try:
            completed = subprocess.run(command, capture_output=True, text=True, timeout=timeout,
                                       env=office_environment(work), stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            raise OfficeError(f"LibreOffice took more than {timeout} seconds to convert {name}; nothing written") from None
        converted = Path(work, f"{source.stem}.{target}")
        if completed.returncode != 0 or not converted.exists():
            said = (completed.stderr.strip() or completed.stdout.strip() or "no output").splitlines()[-1]
            raise OfficeError(f"LibreOffice could not convert {name}: {said}")
        return converted.read_bytes()


# LibreOffice settings of the throwaway profile each conversion gets: no macros, no active content,
# no fetching of linked pictures or documents, and every web request sent to a proxy that does not exist.
CLOSED_SETTINGS = {
    "/org.openoffice.Office.Common/Security/Scripting": {
        "BlockUntrustedRefererLinks": ("boolean", "true"), "DisableActiveContent": ("boolean", "true"),
        "DisableMacrosExecution": ("boolean", "true"), "MacroSecurityLevel": ("int", "3")},
    "/org.openoffice.Inet/Settings": {
        "ooInetProxyType": ("int", "1"), "ooInetHTTPProxyName": ("string", "127.0.0.1"),
        "ooInetHTTPProxyPort": ("int", "9"), "ooInetHTTPSProxyName": ("string", "127.0.0.1"),
        "ooInetHTTPSProxyPort": ("int", "9"), "ooInetNoProxy": ("string", "")},
    "/org.openoffice.Office.Writer/Content/Update": {"Link": ("int", "2")},
    "/org.openoffice.Office.Common/Misc": {"UseLocking": ("boolean", "false")},
}


def close_profile(profile: Path) -> None:
    """Add CLOSED_SETTINGS to the profile's registry (after any settings already written there)."""
    items = "".join(
        f'<item oor:path="{path}"><prop oor:name="{name}" oor:op="fuse"><value>{value}</value></prop></item>'
        for path, props in CLOSED_SETTINGS.items() for name, (_kind, value) in props.items())
    registry = profile / "user" / "registrymodifications.xcu"
    registry.parent.mkdir(parents=True, exist_ok=True)
    text = registry.read_text(encoding="utf-8") if registry.exists() else (
        '<?xml version="1.0" encoding="UTF-8"?>\n<oor:items xmlns:oor="http://openoffice.org/2001/registry" '
        'xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n</oor:items>\n')
    registry.write_text(text.replace("</oor:items>", items + "\n</oor:items>"), encoding="utf-8")


def office_environment(work: str) -> dict[str, str]:
    """Only what LibreOffice needs to run: no proxy settings, no credentials, HOME in the work folder."""
    kept = {name: value for name, value in os.environ.items()
            if name in ("PATH", "LANG", "LANGUAGE", "TZ") or name.startswith("LC_")}
    return {**kept, "HOME": work, "TMPDIR": work}
