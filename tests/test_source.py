"""Offsets to lines and columns (source.py), which every span and diagnostic is made from."""

from hypothesis import given
from hypothesis import strategies as st

from reportdsl.source import SourceFile

TEXTS = st.text(alphabet=st.sampled_from("ab项\n\t "), max_size=40)


@given(TEXTS)
def test_every_offset_has_the_line_and_column_counted_from_the_text_before_it(text):
    source = SourceFile("t.rpt", text)
    for offset in range(len(text) + 1):
        before = text[:offset]
        line, column = before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1
        assert source.position(offset) == (line, column)
        assert source.line_start(offset) == (line, offset - column + 1)
        span = source.span(offset, offset + 1)
        assert (span.line, span.column) == (line, column)
        assert source.offset(line, column) == offset


def test_a_text_ending_in_a_line_end_has_an_empty_last_line():
    source = SourceFile("t.rpt", "a\nbc\n")
    assert source.position(5) == (3, 1) and source.line_text(3) == "" and source.line_text(2) == "bc"
