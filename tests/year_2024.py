"""Invented 2024 figures for the Hongshan sample, filled into what `reportdsl next-year` made of
reports/hongshan_2023.rpt, the way an accountant would: last year's figures where nothing changed,
last year's reasons copied back from the comments, new figures where the year differed. The year
holds every trap of the cycle: a budget direction that flipped under an old reason, a new 项, an
item going to zero, a rate over 100%, a reason for "nothing spent" kept after spending, a 100
typed for 100%.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

from reportdsl import ast
from reportdsl.parser import parse
from reportdsl.source import SourceFile

REPORTS = Path(__file__).resolve().parents[1] / "reports"

FACTS = {  # what changed in 2024; every other fact keeps its 2023 value
    "人员经费": "224.58",
    "本年支出合计@全年预算": "340.00",  # 351.69 spent: 执行率 103.44%, and nothing says why
    "国内团组数": "1 个",
    "国内人次": "5 人次",
    "办复率": "100",  # meant 100%
}
ITEMS = {  # key -> values in the tree's measure order; every other item keeps its 2023 values
    "一般公共预算": "351.69",
    "2060101": "200.00, 190.50, 190.50, -",  # was over budget, now under; the reason 新增人员 is kept
    "2060102": "87.50, 95.00, -, 95.00",
    "2101199": "0, 0, 0, -",  # goes to zero: nothing to report
    "科学素质": "70.96, 70.96",
    "接待": "0.50, -",
    "国内": "-, 0.35",  # spent, under the reason 本年没有发生公务接待支出
}
NEW_ITEM_AFTER = "2080505"
NEW_ITEM = ('2080506 "机关事业单位职业年金缴费支出" (5.00, 6.20, 6.20, -) reason "新增人员" '
            'note "反映机关事业单位实施职业年金制度由单位缴纳的职业年金支出。"')
DROPPED_REASONS = {"2101199"}


def make_2023_and_2024(folder: Path) -> Path:
    """Copies the sample's two years into `folder`, runs next-year, fills it; returns the 2024 file."""
    for name in ("hongshan_2022.rpt", "hongshan_2023.rpt"):
        shutil.copy(REPORTS / name, folder / name)
    done = subprocess.run([sys.executable, "-m", "reportdsl", "next-year", "hongshan_2023.rpt"], cwd=folder,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    target = folder / "hongshan_2024.rpt"
    target.write_text(fill(target.read_text(encoding="utf-8"), str(target)), encoding="utf-8")
    return target


def fill(text: str, path: str) -> str:
    text = fill_items(text, path)
    text = "\n".join(fill_fact_line(line) for line in text.split("\n") if "# review:" not in line)
    text = text.replace("check gpb.年初预算 == 296.5 ", "check gpb.年初预算 == 331.67 ")
    item = rf"(\n( *){NEW_ITEM_AFTER} [^\n]*(?:\n\2 +(?:note|reason) [^\n]*)*)"  # the item and its texts' lines
    return re.sub(item, lambda m: f"{m.group(1)}\n{m.group(2)}{NEW_ITEM}", text, count=1)


def fill_fact_line(line: str) -> str:
    found = re.match(r"^(\s*fact (\S+)\s*=\s*)\?( (?!within)\S+)?(\s.*?)?\s*# (\d{4}): (.*?)( · .*)?$", line)
    if found is None:
        return line
    name, old = found.group(2), found.group(6)
    rest = re.sub(r"^\s*", " ", found.group(4) or "") if found.group(4) and found.group(4).strip() else ""
    return f"{found.group(1)}{FACTS.get(name, old)}{rest}"


def fill_items(text: str, path: str) -> str:
    report = parse(SourceFile(path, text))
    edits = []
    for node in item_nodes(report.body):
        if not any(isinstance(v, ast.Placeholder) for v in node.values):
            continue
        comment = re.compile(r"# \d{4}: \((.*?)\)(?:; \d{4} reason: ([^·\n]*))?").search(text, node.values[-1].span.end)
        close = text.index(")", node.values[-1].span.end)
        edits.append((node.values[0].span.start, close, ITEMS.get(node.key, comment.group(1))))
        unwritten = dict(node.attributes).get("reason")
        if isinstance(unwritten, ast.Placeholder):  # `reason ?`: last year's copied back, or deleted
            reason = comment.group(2).strip() if node.key not in DROPPED_REASONS else None
            start = unwritten.span.start if reason else text.rindex(")", 0, unwritten.span.start) + 1
            edits.append((start, unwritten.span.end - 1, f'reason "{reason}"' if reason else ""))
    for start, end, replacement in sorted(edits, reverse=True):
        closing = ")" if text[end] == ")" else ""
        text = text[:start] + replacement + closing + text[end + 1:]
    return text


def item_nodes(body):
    for statement in body:
        if isinstance(statement, ast.Items):
            yield from walk(statement.nodes)
        yield from item_nodes(getattr(statement, "body", ()))


def walk(nodes):
    for node in nodes:
        yield node
        yield from walk(node.children)
