"""tests/fixtures/one_cent_published.rpt: every case of issue 10 as a published document prints it.

No one-cent gap passes, and every printed figure is compared at the decimals it was printed with.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from reportdsl.compiler import compile_file

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "one_cent_published.rpt"

# (code, what the flagged line starts with, a fragment of the message or help that says why)
FINDINGS = [
    ("RD302", "check 表三社会保障和就业支出 == 表五社会保障和就业支出", "difference 0.01 万元"),  # 58.15 / 58.14
    ("RD301", '301 "工资福利支出" (812.40)', "add up to 812.41 万元"),
    ("RD308", "gpb.决算", "row 合计, column 决算数: 1520.30; the report gives 1520.31 万元"),
    ("RD308", "gpb[208].决算", "row 208 社会保障和就业支出, column 决算数: 58.14; the report gives 58.15 万元"),
    ("RD308", "share(gpb[201].决算, gpb.决算) = 96.17%", "96.1751…% rounds half-up to 96.18%, not 96.17%"),
    ("RD308", "采购.金额", "100.34; the report gives 100.35 万元"),  # 3.20 + 0 + 97.15
    ("RD308", "share(完成数, 目标数)", "88.865% rounds half-up to 88.87%, not 88.86%"),
    ("RD308", "share(达标数, 应达标数)", "the exact 64.05% is already at that precision"),
    ("RD302", "check 25.01% + 25.02% + 25.01% + 25.02% == 100.00%", "together at most ±0.025 percentage points"),
]
# What agrees: 20805 as printed, 1296.5 for items adding to 1296.51, 96.2% and 3.82% (what the exact
# shares round to), and 96.17% + 3.82% = 99.99% against 100.00% (within the ±0.015 of their rounding).


@pytest.fixture(scope="module")
def result():
    return compile_file(str(FIXTURE))


def test_the_findings_are_exactly_the_one_cent_gaps_and_the_misrounded_figures(result):
    found = [(d.code, result.source.line_text(d.span.line).strip(), " ".join((d.message, *d.help)))
             for d in sorted(result.diagnostics, key=lambda d: (d.span.line, d.span.column))]
    # In source order: the diagnostics themselves put root causes (RD301) first.
    assert len(found) == len(FINDINGS), [line for _, line, _ in found]
    for (code, line, text), (expected_code, start, fragment) in zip(found, FINDINGS):
        assert code == expected_code and line.startswith(start) and fragment in text, (code, line, text)


def test_every_finding_is_an_error_and_none_reads_like_a_pass(result):
    assert all(d.is_error for d in result.diagnostics)
    assert not any("tolerance" in help for d in result.diagnostics for help in d.help)
