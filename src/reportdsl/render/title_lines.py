"""Where a centred title breaks into lines: where its meaning breaks, as a printer would set it.

The cover reads 中共上海市普陀区委 / 社会工作部2024年度 / 部门决算: the department, broken after its
region when it does not fit a line, the year, 部门决算 — each piece on the line before while it fits.
A heading that names the department breaks after the name (第三部分 某某局 / 2024年度部门决算情况说明).
Any other title, or a piece too long for a line, is broken into lines of about equal length, never
one character alone on the last line and never a figure cut in two.
"""

from __future__ import annotations

import math
import re

from ..text_width import display_width

UNBREAKABLE = re.compile(r"[0-9A-Za-z.%]+|.", re.S)
# A department's region, the places its name may break: 中共 | 上海市 | 普陀区 | 委 …
REGION = re.compile(r"(中共)?([^省市区县]{1,7}?(?:省|自治区))?([^省市区县]{1,7}?市)?([^省市区县]{1,7}?(?:区|县|市|旗))?(委)?")


def width(text: str) -> float:
    """In Chinese characters: a digit or a Latin letter is half of one."""
    return display_width(text) / 2


def balanced_lines(text: str, per_line: int) -> list[str]:
    """A title in as few lines as fit, each about as long as the others (each line takes its share of
    what is left), so never one character alone on the last line, and never a figure cut in two (a
    centred title in Word would break as 14 + 1)."""
    tokens = UNBREAKABLE.findall(text)
    widths = [width(token) for token in tokens]
    total = sum(widths)
    if per_line <= 1 or total <= per_line or max(widths) > per_line:
        return [text]
    for count in range(math.ceil(total / per_line), len(tokens) + 1):
        lines = shared_out(tokens, widths, count, per_line)
        if lines is not None:
            return [line.strip() for line in lines]
    return [text]


def shared_out(tokens: list[str], widths: list[float], count: int, per_line: int) -> list[str] | None:
    """The tokens in `count` lines, each line filled to its share of the rest; None if the last overflows."""
    lines, index, left = [], 0, sum(widths)
    for line_number in range(count - 1):
        share, line, used = math.ceil(left / (count - line_number)), "", 0.0
        while index < len(tokens) and (not line or used + widths[index] <= share):
            line, used, index = line + tokens[index], used + widths[index], index + 1
        lines.append(line)
        left -= used
    lines.append("".join(tokens[index:]))
    return lines if left <= per_line else None


def department_pieces(department: str, per_line: int) -> list[str]:
    """The name whole when it fits a line, else broken after the last part of its region that fits
    (in lines of equal length when its region gives no such place)."""
    if width(department) <= per_line:
        return [department]
    match = REGION.match(department)
    ends = [match.end(group) for group in range(1, 6) if match.group(group)]
    fitting = [end for end in ends if 0 < end < len(department) and width(department[:end]) <= per_line]
    if fitting and width(department[fitting[-1]:]) <= per_line:
        return [department[: fitting[-1]], department[fitting[-1]:]]
    return balanced_lines(department, per_line)


def packed(pieces: list[str], per_line: int) -> list[str]:
    lines: list[str] = []
    for piece in pieces:
        if lines and width(lines[-1] + piece) <= per_line:
            lines[-1] += piece
        else:
            lines.append(piece)
    return lines


def cover_lines(department: str, year: str, per_line: int) -> list[str]:
    """The cover's title: department, year, 部门决算, each piece on the line before while it fits."""
    lines = packed([*department_pieces(department, per_line), *([year] if year else []), "部门决算"], per_line)
    return lines if all(width(line) <= per_line for line in lines) else balanced_lines("".join(lines), per_line)


def title_lines(text: str, department: str, per_line: int) -> list[str]:
    """A heading or a table title: broken after the department's name when it names it, else balanced."""
    at = text.find(department) if department else -1
    if width(text) <= per_line or at < 0:
        return balanced_lines(text, per_line)
    end = at + len(department)
    head, rest = text[:at], text[end:]
    lines = [head + piece if index == 0 else piece
             for index, piece in enumerate(department_pieces(department, per_line - int(width(head))))]
    lines = packed(lines + ([rest.strip()] if rest.strip() else []), per_line)
    return lines if all(width(line) <= per_line for line in lines) else balanced_lines(text, per_line)
