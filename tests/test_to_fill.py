"""The list of what is left to fill, which `check` ends with: each entry says what to fill, by name."""

from reportdsl.diagnostics import error
from reportdsl.source import SourceFile
from reportdsl.to_fill import label

TEXTS = '''items 文字 "部门自行撰写的文字" (内容) {
  绩效制度 "已建立的预算绩效管理制度" (-)
  绩效机制 "预算绩效管理工作机制"     (?)
}
'''


def blank_at(source: SourceFile, marker: str):
    start = source.text.index(marker)
    return error("RD401", "a blank would be published here: no value is stated ('-')",
                 source.span(start, start + len(marker)))


def test_a_blank_declared_as_a_dash_is_listed_under_the_name_its_line_declares():
    source = SourceFile("imported.rpt", TEXTS)
    assert label(blank_at(source, "(-)"), source) == "绩效制度 (-)"


def test_a_use_in_a_sentence_is_listed_by_the_text_under_the_caret():
    source = SourceFile("r.rpt", 'para p "制度有{文字[绩效制度].内容}。"\n')
    start = source.text.index("{")
    diagnostic = error("RD401", "a blank would be published here: no value is stated ('-')",
                       source.span(start, source.text.index("}") + 1))
    assert label(diagnostic, source) == "{文字[绩效制度].内容}"
