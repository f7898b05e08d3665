"""The limits docs/security.md states, each tested: beyond it a diagnostic, within it a result."""

import pytest

from reportdsl.compiler import compile_text
from helpers import HEADER, codes


def test_number_limits():
    assert codes("fact a = " + "9" * 15 + ".12345678") == []
    assert codes("fact a = " + "9" * 16) == ["RD003"]
    assert codes("fact a = 1." + "1" * 9) == ["RD003"]
    assert codes("fact a = " + "1" * 100_000) == ["RD003"]
    assert codes("let a = 1" + "0" * 16 + "%") == ["RD003"]


@pytest.mark.parametrize("depth,expected", [(64, []), (65, ["RD007"]), (5000, ["RD007"])])
def test_nesting_limit(depth, expected):
    assert codes("let a = " + "(" * depth + "1" + ")" * depth) == expected


@pytest.mark.parametrize("body", [
    'part "p" {' + " list {" * 3000 + ' para "x"' + "}" * 3000 + "}",
    'part "p" { para "' + "{if 1 == 1}" * 2000 + "x" + "{end}" * 2000 + '" }',
])
def test_deep_blocks_and_templates_stop_with_a_diagnostic(body):
    assert codes(body) == ["RD007"]


def test_a_long_line_and_a_large_tree_compile():
    long_line = 'part "p" { para "' + "字" * 200_000 + '" }'
    assert codes(long_line) == []
    tree = "items t (a) {\n" + "".join(f' {i} "n" (1.5)\n' for i in range(1, 20_001)) + "}\n"
    result = compile_text(HEADER + tree + 'let s = t.a\npart "p" { para "{s}" }')
    assert not result.diagnostics and result.document.paragraphs() == ["30000.00"]


def test_chart_point_limit():
    points = " ".join(f'"{i}": {i}' for i in range(1, 101))
    assert codes(f'part "p" {{ chart bar c "图" {{ {points} }} }}') == []
    assert codes(f'part "p" {{ chart bar c "图" {{ {points} "x": 1 }} }}') == ["RD008"]
