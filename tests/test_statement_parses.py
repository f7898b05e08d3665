"""The editor's parse of an edited report, statement by statement (editor/statement_parses.py),
gives the very tree, positions and comments of a whole parse, edit after edit."""

from pathlib import Path

import pytest

from reportdsl import ast
from reportdsl.editor.session import EditSession
from reportdsl.editor.statement_parses import StatementParses, statement_starts
from reportdsl.lark_parser import parse_text_now
from reportdsl.source import SourceFile

ROOT = Path(__file__).resolve().parents[1]
FILES = ["reports/hongshan_2023.rpt", "reports/putuo_social_work_2024.rpt", "src/reportdsl/layouts/hubei.rpt"]


def positions(report: ast.Report) -> list:
    return [(type(node).__name__, getattr(node, "span", None)) for node in ast.walk(report)]


def same_parse(parsed: ast.Report, whole: ast.Report) -> None:
    assert parsed == whole
    assert positions(parsed) == positions(whole)
    assert parsed.span == whole.span
    assert [(c.text, c.span) for c in parsed.comments] == [(c.text, c.span) for c in whole.comments]


def edits(text: str) -> list[str]:
    """Text typed above everything, in the middle, and a figure changed near the end."""
    middle = text.index("\n", len(text) // 2) + 1
    last_number = max(i for i, c in enumerate(text) if c.isdigit())
    return [text, "# 开头加一行注释\n" + text, text[:middle] + "# 中间\n\n" + text[middle:],
            text[:last_number] + "7" + text[last_number + 1:]]


@pytest.mark.parametrize("name", FILES)
def test_each_edit_parses_as_the_whole_text_would(name):
    parses = StatementParses()
    for text in edits((ROOT / name).read_text(encoding="utf-8")):
        source = SourceFile(name, text)
        same_parse(parses.parse(source), parse_text_now(source))


def test_strings_comments_and_brackets_do_not_cut_a_statement():
    text = ('report "甲" year 2023 unit 万元\n'
            'para "一行\nfact 不是语句 = 1"\n'
            'let a = sum(1,\n2) # fact 也不是\n'
            'section s "节" {\npara "x"\n}\n'
            'text """\nlet 在长文本里\n"""\n')
    starts = statement_starts(text)
    assert [text[s:].split(None, 1)[0] for s in starts] == ["para", "let", "section", "text"]


def test_a_syntax_error_reads_as_in_a_whole_parse(tmp_path):
    from reportdsl.diagnostics import CompileError

    text = (ROOT / FILES[0]).read_text(encoding="utf-8").replace("fact 在职人数   = 6 人", "fact 在职人数   = = 6 人")
    with pytest.raises(CompileError) as whole:
        parse_text_now(SourceFile(FILES[0], text))
    with pytest.raises(CompileError) as piecewise:
        StatementParses().parse(SourceFile(FILES[0], text))
    assert [d.message for d in piecewise.value.diagnostics] == [d.message for d in whole.value.diagnostics]
    assert [d.span for d in piecewise.value.diagnostics] == [d.span for d in whole.value.diagnostics]


def test_the_editor_session_gives_the_diagnostics_of_a_fresh_compile(tmp_path):
    from reportdsl.compiler import compile_file

    path = str(ROOT / "reports" / "hongshan_2023.rpt")
    session = EditSession()
    for number, edited in enumerate(edits(Path(path).read_text(encoding="utf-8"))[:3]):
        result = session.check(path, edited)
        copy = tmp_path / f"edit{number}.rpt"
        copy.write_text(edited, encoding="utf-8")
        fresh = compile_file(str(copy), as_path=path)  # the edited text as if it stood there
        assert [(d.code, d.message, d.span) for d in result.diagnostics] == [
            (d.code, d.message, d.span) for d in fresh.diagnostics]


def every_statement_by_all_children(body) -> list:
    found = []
    for statement in body:
        found.append(statement)
        found += every_statement_by_all_children([c for c in ast.children(statement) if isinstance(c, ast.STATEMENTS)])
    return found


@pytest.mark.parametrize("path", sorted(str(p.relative_to(ROOT)) for folder in ("reports", "src/reportdsl/layouts")
                                        for p in (ROOT / folder).glob("*.rpt")))
def test_the_statements_of_a_report_are_found_by_looking_in_bodies_alone(path):
    """ast.statements looks only in the fields whose type admits a statement: it finds what looking
    in every node inside each statement finds, in the same order, the layout merged in or not."""
    from reportdsl.compiler import compile_file

    result = compile_file(str(ROOT / path))
    for report in (parse_text_now(SourceFile(path, (ROOT / path).read_text(encoding="utf-8"))), result.report):
        assert [id(s) for s in ast.statements(report.body)] == [id(s) for s in every_statement_by_all_children(report.body)]
