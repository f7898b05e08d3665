"""The limits docs/security.md states, each tested: beyond it a diagnostic, within it a result."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reportdsl.compiler import compile_text
from reportdsl.syntax_rules import NESTING_TOKENS, deepest_nesting
from helpers import HEADER, codes, compile_snippet, diagnose


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


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["(", ")", "{", "}", "[", "]", "{if a}", "{for x in t}", "{end}", "{else}",
                                 "{elif b}", "{if", "{end", "x", "\n", "{iff}", "{ending}"]), max_size=40))
def test_the_deepest_nesting_is_the_one_the_diagnostic_counts_token_by_token(pieces):
    text = "".join(pieces)
    depths, depth = [0], 0
    for match in NESTING_TOKENS.finditer(text):  # the count nesting_problem makes where it finds a fault
        token = match.group()
        if token.startswith("{") and len(token) > 1:
            depth += 1 if token[1:3] in ("if", "fo") else -1 if token == "{end}" else 0
        else:
            depth += 1 if token in "({[" else -1
        depths.append(depth)
    assert deepest_nesting(text) == max(depths)


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


def test_the_whole_documents_text_is_limited_at_the_paragraph_that_crosses_it(monkeypatch):
    """Each text short, all of them together over MAX_TOTAL_TEXT_CHARS: RD008 at the paragraph that
    would cross it, and no document (the limit is lowered here: twenty million characters take half a
    minute to check)."""
    import reportdsl.document

    monkeypatch.setattr(reportdsl.document, "MAX_TOTAL_TEXT_CHARS", 1000)
    tree = "items t (a) {\n" + "".join(f' k{i} "n" (1)\n' for i in range(10)) + "}\n"
    fine = f'fact s = "{"字" * 90}"\n' + tree + 'part "p" {\n  for x in t.leaves { para "{s}" }\n}\n'
    assert diagnose(fine) == []  # ten paragraphs of 90 and the part's title
    result = compile_snippet(fine.replace("字" * 90, "字" * 100))
    [limit] = result.diagnostics
    assert limit.code == "RD008" and "more than 1,000 characters" in limit.message
    assert (limit.span.line, limit.span.column) == (16, 23)  # the loop's paragraph
    assert result.document is None


def test_the_number_of_figures_printed_is_limited_at_the_figure_that_crosses_it(monkeypatch):
    """MAX_FIGURE_USES counts figures in texts, cells and charts together; RD008 points at the one
    over the limit (lowered here: a million figures take a minute to print)."""
    import reportdsl.document

    monkeypatch.setattr(reportdsl.document, "MAX_FIGURE_USES", 5)
    fine = 'fact a = 1\npart "p" {\n  para "{a} {a} {a}"\n  table x "表" { columns ("a", "b") row (a, a) }\n}'
    assert diagnose(fine) == []
    over = fine.replace("row (a, a)", "row (a, a, a)").replace('("a", "b")', '("a", "b", "c")')
    [limit] = compile_snippet(over).diagnostics
    assert limit.code == "RD008" and "more than 5 figures" in limit.message
    assert (limit.span.line, limit.span.column) == (5, 52)  # the sixth figure: the row's third cell


def test_a_report_file_over_50_mb_is_refused_before_it_is_read(tmp_path):
    """RD008 for a file over MAX_FILE_BYTES, said from its size alone: a sparse file of 8 GB would
    otherwise fill the memory. A file of exactly the limit is read (and found to be all NULs)."""
    from reportdsl.compiler import compile_file
    from reportdsl.regular_files import MAX_FILE_BYTES

    huge, at_limit = tmp_path / "huge.rpt", tmp_path / "at_limit.rpt"
    with huge.open("wb") as stream:
        stream.truncate(8 * 1024 ** 3)
    with at_limit.open("wb") as stream:
        stream.truncate(MAX_FILE_BYTES)
    over_limit = tmp_path / "over.rpt"
    with over_limit.open("wb") as stream:
        stream.truncate(MAX_FILE_BYTES + 1)
    for path in (huge, over_limit):
        [refused] = compile_file(str(path)).diagnostics
        assert refused.code == "RD008" and "too large to be a report" in refused.message
        assert f"{path.stat().st_size:,} bytes" in refused.message and "at most 50 MB" in refused.message
    assert [d.code for d in compile_file(str(at_limit)).diagnostics] == ["RD010"]
