"""Findings a reviewer has judged and silenced, with a comment in the kept `.rpt`:

    收入总计 = 307.82 row "总计" column "决算数"  # judged: 尾差, agreed with the department
    # judged RD302: 基本支出应等于

A trailing comment silences the findings of its line; a comment of its own line silences the
findings of that code whose message contains the words after the colon. The next audit imports the
document again and carries each judgement over to the line that reads the same."""

from __future__ import annotations

import re
from pathlib import Path

import attrs

TRAILING = re.compile(r"^(?P<code>.*?\S)\s+#\s*judged\b\s*:?\s*(?P<why>.*)$")
OWN_LINE = re.compile(r"^\s*#\s*judged\s+(?P<code>RD\d{3})\s*:\s*(?P<words>.+?)\s*$")


def normal(line: str) -> str:
    """A line's code without its trailing comment, spaces normalised (fmt may realign columns)."""
    return re.sub(r"\s+", " ", line.split("  # ")[0].strip())


@attrs.frozen
class Judgements:
    lines: dict = attrs.Factory(dict)  # the code of a line, spaces normalised -> the reviewer's comment
    words: tuple = ()  # (code, words of the message), for findings that have no line of their own

    def silences(self, finding) -> bool:
        if finding.rpt_text is not None and normal(finding.rpt_text) in self.lines:
            return True
        return any(finding.code == code and words in finding.message for code, words in self.words)


def read_judgements(path: str) -> Judgements:
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return Judgements()
    lines, words = {}, []
    for line in text.splitlines():
        own = OWN_LINE.match(line)
        if own:
            words.append((own.group("code"), own.group("words")))
            continue
        trailing = TRAILING.match(line)
        if trailing and not trailing.group("code").lstrip().startswith("#"):
            lines[normal(trailing.group("code"))] = trailing.group("why")
    return Judgements(lines, tuple(words))


def reattach(text: str, judgements: Judgements) -> str:
    """The fresh import with each judgement back on the line it was made on."""
    if not judgements.lines and not judgements.words:
        return text
    out = []
    for line in text.splitlines():
        why = judgements.lines.get(normal(line))
        out.append(f"{line}  # judged: {why}" if why is not None and "# judged" not in line else line)
    out += [f"# judged {code}: {words}" for code, words in judgements.words]
    return "\n".join(out) + "\n"
