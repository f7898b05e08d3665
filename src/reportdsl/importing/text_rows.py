"""A table printed as text, its words put in the layout's columns. The header words of such a table
are broken over lines as the page printed them, so columns cannot be told by position: the header
must name every column the layout's table has, and then each run of words — an optional code, a
name, the figures after it — is one side of one row, taken in the layout's column order and only
where it prints exactly as many figures as a row of the layout has columns of figures. A run that
fits nowhere is a warning, never a guess."""

from __future__ import annotations

import re
from collections import Counter
from typing import Optional

import attrs

from .layout_spec import LayoutSpec, RowSpec, TableSpec
from .source import UNKNOWN, SourceTable, amount_of, is_blank

CODE = re.compile(r"^\d{3,}$")
CODE_PART = re.compile(r"^\d{2}$")
CODE_SHAPE = re.compile(r"^(\d{3}|\d{5}|\d{7})$")  # a 类, 款 or 项 code
DECIMAL = re.compile(r"^[-−]?[\d,]*\d\.\d+%?$")
NUMBERED = re.compile(r"^([一二三四五六七八九十]+、|\d{1,2}[、.．](?!\d))")
SPLIT_CODE_WORDS = {"类", "款", "项"}
ROW_NUMBER_HEADERS = ("行次", "栏次")


@attrs.frozen
class Run:
    """One side of one printed row: its code, its name and its figures, in print order."""

    code: str
    label: str
    values: tuple[str, ...]
    page: Optional[int]
    line: int = 0  # the body line its first word is printed on
    named_above: bool = False  # its name may go on after its line ("机关事业单位基本养老保 | 30108 … | 险缴费")
    head: str = ""  # the words on the line before, its name's head only if a tail follows (else a header's)

    def shown(self) -> str:
        return " ".join(part for part in (self.code, self.label, *self.values) if part)


def is_value(word: str) -> bool:
    return amount_of(word) is not None or is_blank(word) or bool(re.fullmatch(r"-?\d+(\.\d+)?%", word))


def body_start(rows: tuple[tuple[str, ...], ...]) -> int:
    """The first line of cells: one with a figure with decimals, a code before a name, or a numbered name."""
    for index, row in enumerate(rows):
        if any(DECIMAL.match(word) for word in row) or NUMBERED.match(row[0]) \
                or (CODE.match(row[0]) and len(row) > 1 and not is_value(row[1])):
            return index - 1 if index and named_around(rows[index - 1], row) else index
    return len(rows)


def named_around(before: tuple[str, ...], row: tuple[str, ...]) -> bool:
    """A first row printing its code and figures and no name ("207 17,127.62 …"), its name wrapped
    around it: the line before is the head of that name, not a header word."""
    return bool(CODE.match(row[0]) and len(row) > 1 and is_value(row[1])
                and before and not any(is_value(word) or CODE.match(word) for word in before))


def runs_of(rows, pages, decimals: bool, row_numbers: bool) -> list[Run]:
    """The runs of words of the table's body, over its line breaks (a name or a row may be wrapped)."""
    runs: list[Run] = []
    code, label, values, page, orphan, first = "", "", [], None, ("", -1), 0

    def close() -> tuple[str, int]:
        """Ends the run; a name printed with no figure (and the line it begins on) is kept for a code
        printed after it. A name printed around its code's line, its head on the line before and its
        tail on the line after ("国有土地使用权出让收入对应专项 | 21219 2,000.00 | 债务收入安排的支出"), is
        one name."""
        if values:
            above = bool(code and orphan[0] and orphan[1] == first - 1) and not standard_name(code, label)
            if above and label:  # "国有土地使用权出让 | 21219 收入对应专项债务收 … | 入安排的支出": the head if a tail follows
                runs.append(Run(code, label, tuple(values), page, first, True, orphan[0]))
            else:
                name = orphan[0] if above else label or (orphan[0] if code else "")
                runs.append(Run(code, name, tuple(values), page, first, above))
            return "", -1
        if label and not code:
            headed = next((i for i in range(len(runs) - 1, -1, -1) if runs[i].line != first - 1 or runs[i].named_above), None)
            if headed is not None and runs[headed].named_above and runs[headed].line == first - 1:
                run = runs[headed]
                runs[headed] = attrs.evolve(run, label=run.head + run.label + label, named_above=False, head="")
                return "", -1
        return (label, first) if label and not code else ("", -1)

    words = [(word, row_page, line) for line, (row, row_page) in enumerate(zip(rows, pages))
             for word in row if word not in SPLIT_CODE_WORDS]
    for position, (word, row_page, line) in enumerate(words):
        following = words[position + 1][0] if position + 1 < len(words) else ""
        previous = words[position - 1] if position else ("", None, -1)
        starts_code = CODE.match(word) and (decimals or not is_value(following) or CODE_PART.match(following))
        if starts_code and (label or values or code):
            orphan = close()
            code, label, values, page, first = word, "", [], row_page, line
        elif starts_code:
            code, page = word, page or row_page
            first = line if not label and not values else first
        elif CODE_PART.match(word) and code and len(code) in (3, 5) and not label and not values:
            code += word  # 301 | 01: a code printed in 类 and 款 columns
        elif is_value(word):
            if row_numbers and label and not values and re.fullmatch(r"\d{1,3}", word):
                continue  # the 行次 printed after a row's name
            if not (code or label or values):
                first = line
            values.append(word)
            page = page or row_page
        elif values and len(word) <= 2 and runs is not None and not is_value(following) and not NUMBERED.match(word):
            orphan = close()  # "二十二、灾害防治及应急管理支 98.23 | 出": the end of a name wrapped after its figures
            runs[-1] = attrs.evolve(runs[-1], label=runs[-1].label + word, named_above=False) if runs[-1].label else runs[-1]
            code, label, values, page = "", "", [], None
        else:
            if values or (label and another_cell(word, previous, line)):
                orphan = close()  # a name of its own: the row before it printed no figure
                code, label, values, page = "", "", [], None
            if not label and not code:
                first = line
            label += word
            page = page or row_page
    close()
    return [run for run in runs if run.label not in ROW_NUMBER_HEADERS]


def standard_name(code: str, label: str) -> bool:
    """Whether the words printed with a code are the whole of its standard name (221 住房保障支出): then
    the words on the line before are no part of it (a header's, a blank row's)."""
    from ..classification import normalized, standard_names

    return bool(label) and any(normalized(s.name) == normalized(label) for s in standard_names().get(code, ()))


def another_cell(word: str, previous: tuple, line: int) -> bool:
    """Whether a name follows another name as a cell of its own, not as the rest of a wrapped name: it
    is numbered (二、外交支出), or printed apart from it (结余分配 after 使用非财政拨款结余, 总计 on the
    next line); a single character on the next line is the end of the name before (…安排的支 | 出)."""
    return bool(NUMBERED.match(word)) or len(word) >= 2 and (previous[2] != line or len(previous[0]) >= 2)


def header_names_columns(header: str, spec: TableSpec) -> bool:
    """Every column of figures of the layout's table is named in the printed header words."""
    printed = re.sub(r"[\s“”\"（）()、]", "", header)
    for path in spec.columns:
        names = [re.sub(r"[\s“”\"（）()、]", "", part) for part in path]
        if not any(name[:4] in printed for name in names if name):
            return False
    return True


def fill(run: Run, row: RowSpec) -> Optional[tuple[str, ...]]:
    """The run's words in the cells of one of the layout's row statements, or None when they do not fit."""
    kinds = [role.kind for role in row.roles]
    value_cells = [i for i, kind in enumerate(kinds) if kind == "value"]
    code_cells = [i for i, kind in enumerate(kinds) if kind == "code"]
    if len(value_cells) != len(run.values) or bool(code_cells) != bool(run.code):
        return None
    cells = [""] * len(kinds)
    for cell, value in zip(value_cells, run.values):
        cells[cell] = value
    if code_cells:
        cells[code_cells[0]] = run.code
    if run.label:
        spot = next((i for i, kind in enumerate(kinds) if kind in ("name", "label", "text")), None)
        if spot is None:
            return None
        cells[spot] = run.label
    return tuple(cells)


def place(run: Run, spec: TableSpec, after: int, layout: LayoutSpec, accepts) -> Optional[tuple[int, tuple[str, ...]]]:
    """The side the run prints (the next side that takes it, from the one after `after`) and its cells."""
    count = len(spec.sides)
    for step in range(count):
        side = (after + 1 + step) % count
        first = spec.sides[side][0]
        for row in spec.rows:
            if row.first_column != first or row.is_padding:
                continue
            cells = fill(run, row)
            if cells is not None and accepts(cells, row):
                return side, cells
    return None


def usual_decimals(figures: list[str]) -> Optional[int]:
    """The decimals most of the table's figures print (codes and 行次 print none and are not counted)."""
    counts = Counter(len(word.partition(".")[2]) for word in figures if DECIMAL.match(word))
    return counts.most_common(1)[0][0] if counts else None


def cut_figure(run: Run, usual: Optional[int]) -> bool:
    """A figure printed with other decimals than the table's, not zero: a figure its cell broke over two
    lines ("1,101.7" | "8", a narrow column of a table drawn without rules), never to be read as two."""
    return usual is not None and any(DECIMAL.match(word) and amount_of(word) not in (None, 0)
                                     and len(word.partition(".")[2]) != usual for word in run.values)


def place_unknown(run: Run, spec: TableSpec, after: int, layout: LayoutSpec, accepts):
    """An item's row whose figures cannot be put in columns (its blank cells were left out): the item,
    each of its cells unknown, so that `check` asks for them instead of adding up its parent without it."""
    if not run.code:
        return None
    for row in spec.rows:
        if row.variable and any(role.kind == "value" for role in row.roles):
            values = sum(role.kind == "value" for role in row.roles)
            found = place(attrs.evolve(run, values=(UNKNOWN,) * values), attrs.evolve(spec, rows=(row,)),
                          after, layout, accepts)
            if found is not None:
                return found
    return None


def placed_rows(table: SourceTable, spec: TableSpec, layout: LayoutSpec, accepts, unplaced) -> Optional[SourceTable]:
    """The table with its runs in the layout's columns (a row for each printed row), or None when its
    header does not name the layout's columns or no run fits."""
    start = body_start(table.rows)
    header = " ".join(" ".join(row) for row in table.rows[:start])
    if not header_names_columns(header, spec):
        return None
    body, pages = table.rows[start:], table.row_pages[start:]
    figures = [word for row in body for word in row if amount_of(word) is not None]
    amounts = [word for word in figures if not CODE_SHAPE.match(word)]  # 30108 is a code, not an amount
    decimals = sum(bool(DECIMAL.match(word)) for word in amounts) * 2 > len(amounts)
    width = sum(size for _, size in spec.sides)
    with_figures = [row for row in body if any(is_value(word) for word in row)]
    by_line = sum(1 for row in with_figures if not all(is_value(word) for word in row)) * 2 > len(with_figures)
    rows, row_pages, current, last, line = [], [], None, len(spec.sides) - 1, -1
    usual = usual_decimals(figures)
    for run in runs_of(body, pages, decimals, any(word in header for word in ROW_NUMBER_HEADERS)):
        found = None if cut_figure(run, usual) else place(run, spec, last, layout, accepts)
        if found is None:
            unplaced(run)
            found = place_unknown(run, spec, last, layout, accepts)
            if found is None:
                continue
        side, cells = found
        if current is None or side <= last or by_line and run.line != line:  # a row to a line: a new line, a new row
            current = [""] * width
            rows.append(current)
            row_pages.append(run.page)
            line = run.line
        first, size = spec.sides[side]
        current[first:first + size] = cells
        last = side
    if not rows and body:
        return None
    return SourceTable(table.place, table.captions, tuple(tuple(row) for row in rows), tuple(row_pages), table.notes)
