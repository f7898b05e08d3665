"""Small reports that once exhausted the machine or crashed the compiler (issue 11): each now ends in
a diagnostic with a position, found by `check`, and what checks clean also renders."""

import subprocess
import sys
import time
import tracemalloc

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reportdsl import limits
from reportdsl.compiler import compile_text
from reportdsl.diagnostics import INTERNAL
from reportdsl.outputs import build_outputs
from reportdsl.source import FORBIDDEN_CHARACTER, first_forbidden
from helpers import HEADER, codes, diagnose

ITEMS_100 = "items t (a) {\n" + "".join(f' k{i} "n{i}" (1)\n' for i in range(100)) + "}\n"


def doubled(levels: int) -> str:
    texts = 'fact s0 = "ab"\n' + "".join(f'fact s{i} = "{{s{i - 1}}}{{s{i - 1}}}"\n' for i in range(1, levels + 1))
    return texts + f'part "p" {{ para "{{s{levels}}}" }}'


def test_a_text_doubled_twenty_times_stops_at_the_text_limit_quickly():
    started = time.process_time()
    assert diagnose(doubled(20))[-1][0] == "RD008"
    assert time.process_time() - started < 10  # was: all the memory of the machine


def test_a_text_doubled_a_few_times_is_still_fine():
    result = compile_text(HEADER + doubled(4), "t.rpt")
    assert not result.diagnostics and result.document.paragraphs() == ["ab" * 16]


def _peak_memory_of_figures(count: int) -> int:
    text = HEADER + 'fact a = 1\npart "p" { para "' + "{a}增加" * count + '" }'
    tracemalloc.start()
    result = compile_text(text, "t.rpt")
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert not result.has_errors and len(result.document.figures) == count
    return peak


def test_memory_grows_linearly_with_the_figures_of_a_paragraph():
    small, large = _peak_memory_of_figures(2_000), _peak_memory_of_figures(20_000)
    assert large < 20 * small  # 10 x the figures; each kept all the text before it: 100 x


def test_figures_remember_the_direction_word_in_front_of_them():
    assert codes('let d = 0\npart "p" { para "增加   {d}" }') == ["RD402"]
    assert codes('let d = 0\npart "p" { para "增加 {if 1 == 1}{d}{end}" }') == ["RD402"]


def test_four_nested_loops_stop_at_the_paragraph_limit(monkeypatch):
    monkeypatch.setattr("reportdsl.document.MAX_BLOCKS", 5_000)
    body = ITEMS_100 + 'part "p" { for a in t.leaves { for b in t.leaves { for c in t.leaves { for d in t.leaves { para "x" } } } } }'
    found = diagnose(body)
    assert [code for code, *_ in found] == ["RD008"] and found[0][1] == 104


def test_nested_sums_stop_at_the_work_budget():
    body = ITEMS_100 + "let s = sum(sum(sum(sum(d.a for d in t.leaves) for c in t.leaves) for b in t.leaves) for a in t.leaves)"
    started = time.process_time()
    found = diagnose(body)
    assert [code for code, *_ in found] == ["RD008"] and found[0][1] == 104
    assert time.process_time() - started < 60  # was: minutes, without end


def test_a_table_of_too_many_rows_is_refused(monkeypatch):
    monkeypatch.setattr("reportdsl.document.MAX_TABLE_ROWS", 150)
    table = 'part "p" { table x "表" { columns ("a") rows i in t.leaves (i.a) rows j in t.leaves (j.a) } }'
    assert codes(ITEMS_100 + table) == ["RD008"]


@pytest.mark.parametrize("body,code", [
    ('part "p" { para "{1:.28}" }', "RD003"),
    ('fact x = 1\npart "p" { para "{x:%.26}" }', "RD003"),
    ("fact x = 1\nlet y = x as %.9", "RD003"),
    ("fact a = 999999999999999\nlet b = a * 1000000000000", "RD009"),
    ('fact a = 1000000000\npart "p" { para "{a * 1000000000 * 1000000000}" }', "RD009"),
    ('fact a = 1000000000\npart "p" { table x "表" { columns ("a") row (a * 1000000000 * 1000000000) } }', "RD009"),
    ('fact a = 1000000000\npart "p" { chart bar c "图" { "x": a * 1000000000 * 1000000000 } }', "RD009"),
    ("fact a = 1\nlet b = " + " + ".join(["a"] * 500), "RD007"),
    ("fact a = 1\nlet b = " + "- " * 500 + "a", "RD007"),
    ("let b = " + "not " * 1000 + "1 == 1", "RD007"),
    ('fact s = "{s}"\npart "p" { para "{s}" }', "RD103"),
    ('fact s = "x{t}"\nfact t = "y{s}"\npart "p" { para "{s}" }', "RD103"),
    ('part "p" { para "a\x01b" }', "RD010"),
    ('part "p" { para "a\x00b" }', "RD010"),
    ('part "p" { para "a\ufffeb" }', "RD010"),
    ('part "p" { para "合计 \u202e12.50 万元" }', "RD010"),
    ('part "p" { para "合计 \u2067x\u2069" }', "RD010"),
    ("# a comment \u202e hides code\nfact a = 1", "RD010"),
])
def test_inputs_that_once_crashed_are_diagnostics_at_check_time(body, code):
    found = diagnose(body)
    assert [c for c, *_ in found] == [code] and all(line >= 2 for _, line, _ in found)


@pytest.mark.parametrize("header,code", [
    ('report "x" year 9999 unit 万元', "RD003"),
    ('report "x" year 2023.5 unit 万元', "RD003"),
    ('report "x" year 1000 unit 万元', "RD003"),
    ('report "x" year 2023 year 2024 unit 万元', "RD102"),
    ('report "x" year 2023 unit 万元 unit 元', "RD102"),
])
def test_a_header_with_an_impossible_or_repeated_year_or_unit_is_refused(header, code):
    result = compile_text(header + '\npart "p" { para "x" }', "t.rpt")
    assert [d.code for d in result.diagnostics] == [code]


def test_a_chain_of_figures_each_from_the_last_stops_with_a_position():
    chain = "".join(f"let a{i} = a{i - 1} + 1\n" for i in reversed(range(1, 400))) + "fact a0 = 1\n"
    found = diagnose(chain)
    assert found and {code for code, *_ in found} == {"RD007"} and all(line > 1 for _, line, _ in found)


def test_what_checks_clean_at_the_limits_renders_to_every_format(tmp_path):
    chain = "fact a0 = 1\n" + "".join(f"let a{i} = a{i - 1} + 1\n" for i in range(1, 60))
    deep = "let deep = " + " + ".join(["a0"] * 100) + "\n"
    texts = 'fact s0 = "ab"\n' + "".join(f'fact s{i} = "{{s{i - 1}}}"\n' for i in range(1, 90))
    body = chain + deep + texts + 'fact big = 999999999999999.99\nlet r = big * 1000\nlet q = r / big\n' + \
        'part "p" { para "{a59} {deep} {s89} {r} {q:%.8} {big:.8}" table x "表" { columns ("a") row (r) } chart bar c "图" { "x": big } }'
    result = compile_text(HEADER + body, "t.rpt")
    assert not result.has_errors, [d.message for d in result.diagnostics]
    outputs = build_outputs(result.document, "t", tmp_path, "docx", charts=True)
    outputs = {**outputs.files, **build_outputs(result.document, "t", tmp_path, "md").files,
               **build_outputs(result.document, "t", tmp_path, "json").files}
    assert all(outputs.values())


def run(*arguments, cwd=None):
    return subprocess.run([sys.executable, "-m", "reportdsl", *arguments], capture_output=True, text=True, cwd=cwd,
                          timeout=300)


def test_a_figure_too_large_never_reaches_json_and_explain_fails_on_it_as_check_does(tmp_path):
    report = tmp_path / "big.rpt"
    report.write_text(HEADER + "fact a = 999999999999999\nlet b = a * 1000000000000\npara \"合计 {b} 万元。\"\n",
                      encoding="utf-8")
    for arguments in (["check", str(report)], ["compile", str(report), "--to", "json", "-o", str(tmp_path / "o")],
                      ["explain", str(report), "b"], ["explain", str(report), "b", "--full"],
                      ["explain", str(report), "--text", "合计"], ["explain", str(report), "--text", "合计", "--full"],
                      ["explain", str(report), "a * 1000000000000"]):
        completed = run(*arguments)
        assert "Traceback" not in completed.stderr and INTERNAL not in completed.stdout + completed.stderr
        assert completed.returncode == 1 and "error[RD009]" in completed.stdout + completed.stderr, arguments
    assert "big.rpt:3:9: error[RD009]" in run("explain", str(report), "b", "--full").stderr  # the line of b
    assert not (tmp_path / "o").exists()


def test_a_long_expression_given_to_explain_is_refused_in_words(tmp_path):
    report = tmp_path / "r.rpt"
    report.write_text(HEADER + "fact a = 1\n", encoding="utf-8")
    completed = run("explain", str(report), " + ".join(["a"] * 3000))
    assert completed.returncode != 0 and "Traceback" not in completed.stderr
    assert "RecursionError" not in completed.stderr + completed.stdout


def test_year_9999_never_reaches_word(tmp_path):
    report = tmp_path / "r.rpt"
    report.write_text('report "x" year 9999 unit 万元\npart "p" { para "x" }\n', encoding="utf-8")
    completed = run("compile", str(report), "--to", "docx", "-o", str(tmp_path / "o"))
    assert completed.returncode == 1 and "RD003" in completed.stdout + completed.stderr
    assert "internal" not in completed.stdout + completed.stderr


def test_html_typed_in_a_report_stays_text_in_markdown():
    from reportdsl.render.markdown import render_markdown

    body = ('fact 原因 = "<script>alert(1)</script> & <img src=x onerror=alert(2)>"\n'
            'part "<b>部分</b>" { para "主要原因是{原因}" table t "<i>表</i>" { columns ("<u>a</u>") row ("<s>x</s>") } }')
    result = compile_text(HEADER + body, "t.rpt")
    assert not result.has_errors
    markdown = render_markdown(result.document)
    assert "<" not in markdown and ">" not in markdown.replace("&gt;", "")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;img src=x onerror=alert(2)&gt;" in markdown


def test_a_report_without_tables_still_makes_a_workbook():
    from reportdsl.render.xlsx import render_xlsx

    result = compile_text(HEADER + 'part "p" { para "x" }', "t.rpt")
    assert render_xlsx(result.document).startswith(b"PK")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(["a", "中", "\t", "\n", "\x00", "\x1f", "\x7f", "\x9f", "\u202e", "\u2066",
                                         "\ufdd0", "\ufffe", "\uffff", "\U0001F600", "\U0001FFFE", "\U0010FFFF",
                                         "\U0002FFFF", "\U00010000"]), max_size=12))
def test_the_fast_search_for_forbidden_characters_finds_what_the_full_pattern_finds(text):
    found, expected = first_forbidden(text), FORBIDDEN_CHARACTER.search(text)
    assert (found and found.span()) == (expected and expected.span())
