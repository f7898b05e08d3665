"""Tables -> items and stated figures. A printed table is matched to the layout's table by its
title; its columns to the layout's leaf columns by their headers; each body row to one of the
layout's row statements (a fixed row by its label, a row per item by its code or name). A cell
that prints an item's measure is that item's value in the first table that prints it; every
other printed figure is stated where it is printed."""

from __future__ import annotations

import difflib
import re
from functools import lru_cache
from typing import Optional

import attrs

from .. import ast
from ..expr_printer import ExprPrinter, quote
from .layout_spec import LayoutSpec, RowSpec, TableSpec, substitute
from .located import Location, NodeData, Stated, TreeData
from .problems import UnreadableDocument, note, problem
from .source import UNKNOWN, SourceTable, amount_of, clean, is_blank

NUMBERING = re.compile(r"^\s*(附表\s*\d+|公开\s*\d+\s*表|表\s*[一二三四五六七八九十\d]+|[（(]?[一二三四五六七八九十]+[)）、.．]"
                       r"|\d+[、.．]|[（(]\d+[)）])\s*")
CODE = re.compile(r"^\d{3,}$")
TEXT_TABLE_HELP = ("a text copy leaves a blank cell out, so a row printing fewer figures than the columns cannot be "
                   "put in them: import the Word or PDF file, or type these rows")
PRINT = ExprPrinter(None)


@lru_cache(maxsize=8192)  # the same names and captions, compared at every row and figure
def normal(text: str) -> str:
    """Text compared loosely: numbering, spaces and punctuation gone."""
    text = NUMBERING.sub("", clean(text))
    return re.sub(r"[\s“”\"'‘’（）()、，,:：·.．\-—]", "", text)


@attrs.define
class TableMatch:
    source: SourceTable
    spec: TableSpec
    title: str
    header_rows: int
    columns: list[Optional[int]]  # layout leaf column -> printed column
    header_text: list[str]  # printed column -> its header words


class TableMatcher:
    def __init__(self, layout: LayoutSpec, shown: str):
        self.layout, self.shown = layout, shown
        self.trees: dict[str, TreeData] = {}
        self.facts: dict[str, tuple[str, Location]] = {}
        self.stated: list[Stated] = []
        self.diagnostics = []
        self.rows_read = 0
        self.matched: list[TableMatch] = []
        self.unmatched: list[SourceTable] = []
        self.printed: set[tuple[str, str]] = set()  # (tree, measure) printed by a matched table
        self.pending_totals: list = []

    # ---- titles -------------------------------------------------------------------------------

    def match_all(self, tables: tuple[SourceTable, ...]) -> None:
        used: set[str] = set()
        for table in tables:
            spec, title = self.find_spec(table, used)
            if spec is None:
                self.unmatched.append(table)
                continue
            match = self.match_text_table(table, spec, title) if table.from_text else self.match_columns(table, spec, title)
            if match is None:
                self.unmatched.append(table)
                continue
            used.add(spec.name)
            self.matched.append(match)
        # Tables with a row per coded item first: they build the trees that other tables name.
        for match in sorted(self.matched, key=lambda m: not any(r.kind == "code" for s in m.spec.rows for r in s.roles)):
            self.read_rows(match)
        self.decide_totals()

    def decide_totals(self) -> None:
        """A printed total of trees the document prints no row of is the report's figure (the
        layout: "when only the totals are known, leave the trees empty and state them"); a total
        of rows that were read is stated, and checked against them."""
        for expr, literal, location in self.pending_totals:
            if self.may_state_as_fact(expr.name) and expr.name not in self.facts:
                self.facts[expr.name] = (literal, location)
            else:
                self.stated.append(Stated(PRINT.wrapped(expr, 6), literal, location))
        self.pending_totals = []

    def find_spec(self, table: SourceTable, used: set[str]) -> tuple[Optional[TableSpec], str]:
        best, best_score, best_title = None, 0.0, ""
        captions = list(table.captions) + [a + b for a, b in zip(table.captions, table.captions[1:])]
        for caption in reversed(captions):  # a title broken over two lines is tried joined too
            words = normal(caption)
            if not words or caption.startswith("单位") or "单位：" in caption[:6]:
                continue
            for spec in self.layout.tables:
                if spec.name in used or not spec.title:
                    continue
                score = title_score(words, normal(spec.title), spec.title_pieces)
                if score > best_score or score == best_score and len(caption) < len(best_title):
                    best, best_score, best_title = spec, score, caption
        return (best, best_title) if best_score >= 0.8 else (None, "")

    # ---- columns ------------------------------------------------------------------------------

    def match_columns(self, table: SourceTable, spec: TableSpec, title: str) -> TableMatch:
        table = join_split_codes(table)
        header_rows = count_header_rows(table)
        headers = [header_words(table.rows[:header_rows], j) for j in range(table.width)]
        columns = align_columns(spec.columns, headers)
        split = split_code_columns(table, spec, header_rows) if columns is None else None
        if split is not None:
            table = split
            headers = [header_words(table.rows[:header_rows], j) for j in range(table.width)]
            columns = align_columns(spec.columns, headers)
        if columns is None:
            raise UnreadableDocument([problem(
                "RD506", self.shown,
                f"{where(table)}: the columns of table {title!r} do not match the layout's "
                f"({len(headers)} printed, {len(spec.columns)} expected)",
                "printed: " + " | ".join(h or "(blank)" for h in headers),
                "layout: " + " | ".join("/".join(c) for c in spec.columns),
                "check that the file follows this layout (--layout), or correct the table's header")])
        return TableMatch(table, spec, title, header_rows, columns, headers)

    def match_text_table(self, table: SourceTable, spec: TableSpec, title: str) -> Optional[TableMatch]:
        """A table printed as text: its words put in the layout's columns (text_rows), or a warning
        saying what was found when they cannot be."""
        from .text_rows import placed_rows

        def accepts(cells, row) -> bool:
            scratch: dict[str, TreeData] = {}
            chosen = choose_spec(cells, [row], {}, self.layout, scratch)
            if chosen is None or chosen[1] is None or not self.layout.trees[row.tree].nodes:
                return chosen is not None
            scope = scope_keys(row.sequence, scratch[row.tree])  # 310 is 公用's, not 人员's, in a fixed tree
            return scope is None or chosen[1].key in scope

        left_out: list = []
        placed = placed_rows(table, spec, self.layout, accepts, left_out.append)
        shown = "; ".join(repr(run.shown()) for run in left_out[:3]) + ("; …" if len(left_out) > 3 else "")
        if placed is None:
            found = (f"none of its {len(left_out)} rows fits a row of the layout: {shown}" if left_out
                     else "its header does not name the layout's columns")
            self.diagnostics.append(note("RD515", self.shown, (
                f"{where(table)}: table {title!r} is printed as text, and {found}; its figures are not imported"),
                "layout: " + " | ".join("/".join(c) for c in spec.columns), TEXT_TABLE_HELP))
            return None
        if left_out:
            pages = sorted({run.page for run in left_out if run.page is not None})
            self.diagnostics.append(note("RD507", self.shown, (
                f"page {', '.join(map(str, pages)) or '?'}: table {title!r}, printed as text: {len(left_out)} row(s) fit "
                f"no row of the layout's table (a name the layout has, and as many figures as its columns): {shown}; "
                "their figures are not imported"), TEXT_TABLE_HELP))
        columns = list(range(len(spec.columns)))
        return TableMatch(placed, spec, title, 0, columns, ["/".join(path) for path in spec.columns])

    # ---- rows ---------------------------------------------------------------------------------

    def read_rows(self, match: TableMatch) -> None:
        self.mark_printed(match.spec)
        used_labels: dict[int, int] = {}  # id of a labelled row statement taken -> its place in its side
        for index in range(match.header_rows, len(match.source.rows)):
            row = match.source.rows[index]
            if not any(row) or any(normal(cell) in LINE_NUMBERS for cell in row):
                continue  # a blank row, or the row numbering the columns (栏次 1 2 3 …)
            read = False
            for first, width in match.spec.sides:
                segment = [cell_at(row, match.columns, first + i) for i in range(width)]
                if all(is_blank(cell) for cell in segment):
                    continue
                specs = [s for s in match.spec.rows if s.first_column == first and not s.is_padding]
                read |= self.read_segment(match, index, segment, specs, used_labels) and UNKNOWN not in segment
            self.rows_read += read

    def read_segment(self, match, index, segment, specs, used_labels) -> bool:
        chosen = choose_spec(segment, specs, used_labels, self.layout, self.trees)
        if chosen is None:
            label = " ".join(c for c in segment if c and amount_of(c) is None)
            if any(amount_of(c) is not None for c in segment):
                self.diagnostics.append(note("RD507", self.shown,
                                             f"{where(match.source, index)}: table {match.title!r}: row {label!r} "
                                             "matches no row of the layout; its figures are not imported"))
            return False
        spec, node_ref = chosen
        if spec.label is not None:
            used_labels[id(spec)] = specs.index(spec)
        row_text = " ".join(c for c, role in zip(segment, spec.roles) if role.kind in ("code", "name", "label", "text") and c)
        for position, role in enumerate(spec.roles):
            if role.kind != "value" or position >= len(segment):
                continue
            expr = substitute(role.expr, spec.variable, node_ref) if spec.variable else role.expr
            column = match.header_text[match.columns[spec.first_column + position]] \
                if match.columns[spec.first_column + position] is not None else ""
            location = Location(self.shown, match.source.row_pages[index], match.source.place.sheet,
                                match.title, row_text or None, column or None)
            self.take(expr, segment[position], location)
        return True

    def take_text(self, expr, text: str, location: Location) -> bool:
        """A cell of words that is an item's text (a note, a measure holding text): kept as text."""
        if not (isinstance(expr, ast.Attr) and isinstance(expr.target, ast.Index)
                and isinstance(expr.target.target, ast.Name) and expr.target.target.name in self.layout.trees):
            return False
        tree, key = expr.target.target.name, expr.target.key
        node = self.trees.setdefault(tree, tree_from_layout(self.layout, tree)).nodes.get(key)
        if node is None:
            return False
        if expr.name in self.layout.trees[tree].measures:
            node.values.setdefault(expr.name, quote(text))
            node.locations.setdefault(expr.name, location)
            return True
        if expr.name in ("note", "reason"):
            node.attributes.setdefault(expr.name, text)
            return True
        return False

    def may_state_as_fact(self, name: str) -> bool:
        """An input, or a total over a tree the document prints no row of (the layout's
        "when only the totals are known, leave the tree empty and state them")."""
        if name in self.layout.inputs:
            return True
        if name in self.layout.totals:
            return all(self.printed_nowhere(tree) for tree in self.layout.totals[name])
        return False

    def printed_nowhere(self, tree: str) -> bool:
        """A tree of which the document prints no row, or (a tree of fixed items, 经济) no figure: a
        copy without its table (人员经费 printed in the prose alone is the report's figure, not 0)."""
        if not self.layout.trees[tree].nodes:
            return not (tree in self.trees and self.trees[tree].nodes)
        nodes = self.trees[tree].nodes.values() if tree in self.trees else ()
        return not any(printed == tree for printed, _ in self.printed) and not any(
            value != "-" for node in nodes for value in node.values.values())

    def mark_printed(self, spec: TableSpec) -> None:
        """The measures this table prints: an item the table leaves blank is '-', not unknown."""
        for row in spec.rows:
            for role in row.roles:
                if role.kind != "value":
                    continue
                expr = role.expr
                if row.variable and isinstance(expr, ast.Attr) and isinstance(expr.target, ast.Name) \
                        and expr.target.name == row.variable and row.tree in self.layout.trees:
                    self.printed.add((row.tree, expr.name))
                found = item_measure(expr, self.layout)
                if found is not None:
                    self.printed.add((found[0], found[2]))
                    self.trees.setdefault(found[0], tree_from_layout(self.layout, found[0]))

    def take(self, expr, text: str, location: Location) -> None:
        """One printed cell: an item's value, an input's value, or a stated figure."""
        literal = cell_literal(text)
        if literal is None and self.take_text(expr, text, location):
            return
        if literal is None:
            self.diagnostics.append(note("RD507", self.shown, f"{location.describe()}: {text!r} is not an amount"))
            literal = "?"
        target = item_measure(expr, self.layout)
        if target is not None:
            tree, key, measure = target
            node = self.trees.setdefault(tree, tree_from_layout(self.layout, tree)).nodes.get(key)
            if node is not None and measure not in node.values:
                node.values[measure] = literal
                if literal != "?":
                    node.locations[measure] = location
                return
        if isinstance(expr, ast.Name) and expr.period is None and expr.name in self.layout.totals \
                and expr.name not in self.layout.inputs and literal not in ("-", "?"):
            self.pending_totals.append((expr, literal, location))  # decided once every table is read
            return
        if isinstance(expr, ast.Name) and expr.period is None and self.may_state_as_fact(expr.name):
            if expr.name not in self.facts and literal != "?":
                self.facts[expr.name] = (literal if literal != "-" else "0", location)
                return
        if literal not in ("-", "?"):
            self.stated.append(Stated(PRINT.wrapped(expr, 6), literal, location))


def title_score(printed: str, wanted: str, pieces: tuple[str, ...] = ()) -> float:
    if printed == wanted:
        return 2.0
    if len(pieces) > 1 and in_order(printed, [normal(p) for p in pieces if normal(p)]):
        return 1.5  # 纳入{department}部门决算编制范围的单位
    if printed.endswith(wanted) and len(printed) - len(wanted) <= 30:
        return 1.0 + len(wanted) / 100  # 表五 / the department's name before the title
    ratio = difflib.SequenceMatcher(None, printed, wanted).ratio()
    return ratio


def in_order(text: str, pieces: list[str]) -> bool:
    position = 0
    for piece in pieces:
        found = text.find(piece, position)
        if found < 0:
            return False
        position = found + len(piece)
    return True


def where(table: SourceTable, index: Optional[int] = None) -> str:
    page = table.row_pages[index] if index is not None else table.place.page
    parts = []
    if page is not None:
        parts.append(f"page {page}")
    if table.place.sheet is not None:
        parts.append(f"sheet {table.place.sheet!r}")
    if index is not None:
        parts.append(f"row {index + 1}")
    return ", ".join(parts) or "the file"


SPLIT_CODE = ("类", "款", "项")


def join_split_codes(table: SourceTable) -> SourceTable:
    """A code printed in columns 类 | 款 | 项 (201 | 01 | 01) as one code column (2010101); a part left
    blank under its parent's row is the parent's (the 款 and 项 rows under one 类)."""
    header_rows = count_header_rows(table)
    levels = [j for j in range(table.width)
              if any(normal(row[j]) in SPLIT_CODE for row in table.rows[:header_rows] if j < len(row))]
    runs = [run for run in consecutive(levels) if len(run) >= 2]
    if not runs:
        return table
    rows = table.rows
    for run in reversed(runs):  # two halves side by side (表六) each print their 类 | 款
        rows = joined_code_columns(rows, run, header_rows)
    return SourceTable(table.place, table.captions, tuple(rows), table.row_pages, table.notes)


def consecutive(columns: list[int]) -> list[list[int]]:
    runs: list[list[int]] = []
    for column in columns:
        if runs and column == runs[-1][-1] + 1:
            runs[-1].append(column)
        else:
            runs.append([column])
    return runs


def joined_code_columns(rows, levels: list[int], header_rows: int) -> list[tuple[str, ...]]:
    first, last = levels[0], levels[-1] + 1
    result, carried = [], [""] * len(levels)
    for index, row in enumerate(rows):
        parts = [row[j].strip() if j < len(row) else "" for j in levels]
        if index < header_rows:
            joined = "科目编码"
        elif all(CODE_PART.match(part) or not part for part in parts) and any(parts):
            depth = max(i for i, part in enumerate(parts) if part)
            carried = [part or carried[i] for i, part in enumerate(parts[: depth + 1])] + [""] * (len(parts) - depth - 1)
            joined = "".join(carried[: depth + 1])
        else:
            joined = next((part for part in parts if part), "")  # 合计 spanning the code columns
        result.append(tuple(row[:first]) + (joined,) + tuple(row[last:]))
    return result


CODE_PART = re.compile(r"^\d{2,3}$")
CODE_AND_NAME = re.compile(r"^(\d{3,7})\s*([^\d\s].*)$")


def split_code_columns(table: SourceTable, spec: TableSpec, header_rows: int) -> Optional[SourceTable]:
    """A code printed in its name's cell ("208 社会保障和就业支出" under 项目), where the layout has a
    column for the code: the code given its own column. None when the table is not printed so."""
    codes = sorted({row.first_column + i for row in spec.rows for i, role in enumerate(row.roles)
                    if role.kind == "code" and i + 1 < len(row.roles) and row.roles[i + 1].kind == "name"})
    if not codes or table.width + len(codes) != len(spec.columns):
        return None
    printed = [column - i for i, column in enumerate(codes)]  # each name column, the codes before it gone
    for j in printed:
        cells = [row[j] for row in table.rows[header_rows:] if j < len(row) and row[j]]
        if not any(CODE_AND_NAME.match(cell) for cell in cells) or any(CODE.match(cell) for cell in cells):
            return None
    rows = []
    for index, row in enumerate(table.rows):
        cells = list(row) + [""] * (table.width - len(row))
        for j in reversed(printed):
            found = CODE_AND_NAME.match(cells[j])
            parts = [cells[j]] * 2 if index < header_rows else [found.group(1), found.group(2)] if found else ["", cells[j]]
            cells[j:j + 1] = parts
        rows.append(tuple(cells))
    return SourceTable(table.place, table.captions, tuple(rows), table.row_pages, table.notes)


def count_header_rows(table: SourceTable) -> int:
    """The leading rows that name columns: words only (no amount, no code), and either the first
    row or several different words (a body row with no figures has one label, maybe merged)."""
    count = 0
    for row in table.rows:
        texts = [c for c in row if c]
        if not texts or any(amount_of(c) is not None or CODE.match(c) for c in texts):
            break
        if count > 0 and len(set(texts)) < 2:
            break
        count += 1
    return count


def header_words(rows, column: int) -> str:
    seen = []
    for row in rows:
        text = row[column] if column < len(row) else ""
        if text and text not in seen:
            seen.append(text)
    return " ".join(seen)


def align_columns(wanted: tuple[tuple[str, ...], ...], printed: list[str]) -> Optional[list[Optional[int]]]:
    """Layout leaf column -> printed column, in order; printed code columns split into 类/款/项 are
    joined by the reader of rows, so here they count as one, and a 行次 column is left out. None when
    they cannot be aligned."""
    kept = [j for j, words in enumerate(printed) if not words or normal(words.split()[-1]) not in LINE_NUMBERS]
    if len(kept) != len(wanted):
        return None
    mapping = []
    for index, path in enumerate(wanted):
        if printed[kept[index]] and not header_agrees(path, printed[kept[index]]):
            return None
        mapping.append(kept[index])
    return mapping


LINE_NUMBERS = ("行次", "栏次")  # a column or row numbering the form's lines: no measure of the layout


def header_agrees(path: tuple[str, ...], printed: str) -> bool:
    words = normal(printed)
    leaf = normal(path[-1])
    if not leaf or leaf in words or words in normal("".join(path)):
        return True
    return difflib.SequenceMatcher(None, words, normal("".join(path))).ratio() >= 0.5


def cell_at(row: tuple[str, ...], columns: list[Optional[int]], index: int) -> str:
    if index >= len(columns) or columns[index] is None or columns[index] >= len(row):
        return ""
    return row[columns[index]]


def cell_literal(text: str) -> Optional[str]:
    if is_blank(text):
        return "-"
    if text == UNKNOWN:
        return "?"
    value = amount_of(text)
    if value is None:
        percent = re.fullmatch(r"(-?\d+(?:\.\d+)?)\s*%", text.strip())
        return percent.group(1) + "%" if percent else None
    return format(value, "f")


def choose_spec(segment, specs: list[RowSpec], used_labels, layout: LayoutSpec, trees):
    """The row statement that printed this row, and (for a row per item) the item's reference. Of the
    row statements with the printed label, the first after the last one taken: "一、一般公共预算财政拨款"
    printed under 年初财政拨款结转和结余 is that one's, even when the row of the same words above it was
    not read."""
    printed = next((c for c in segment if c and amount_of(c) is None), "")
    labelled = [spec for spec in specs if spec.label is not None and id(spec) not in used_labels
                and normal(printed) == normal(spec.label)]
    if labelled:
        last = max((position for key, position in used_labels.items() if position < len(specs)
                    and id(specs[position]) == key), default=-1)
        return next((spec for spec in labelled if specs.index(spec) > last), labelled[0]), None
    unlabelled = [s for s in specs if s.label is None and not s.variable]
    if len(unlabelled) == 1 and not any(s.variable for s in specs):
        return unlabelled[0], None  # the one row of a table of totals (三公)
    ordered = sorted((s for s in specs if s.label is None and s.variable),
                     key=lambda s: (s.conditional, specs.index(s)))
    for spec in ordered:
        reference = item_reference(segment, spec, layout, trees)
        if reference is not None:
            return spec, reference
    return None


def item_reference(segment, spec: RowSpec, layout: LayoutSpec, trees: dict[str, TreeData]):
    tree = spec.tree
    if tree not in layout.trees:
        return None
    data = trees.setdefault(tree, tree_from_layout(layout, tree))
    code = joined_code(segment, spec)
    name = next((segment[i] for i, role in enumerate(spec.roles) if role.kind in ("name", "label") and i < len(segment)), "")
    candidates = scope_keys(spec.sequence, data)
    if code is not None:
        if code not in data.nodes:
            if candidates is not None and data.nodes and not layout.trees[tree].nodes == ():
                if not any(code.startswith(k) for k in data.nodes if data.nodes[k].is_code):
                    return None
            data.nodes[code] = NodeData(code, name_only(name), code_parent(code, data), True)
        return ast.Index(ast.Name(tree), code)
    if name:
        wanted = normal(name_only(name))
        for key in candidates or []:
            if normal(data.nodes[key].label) == wanted:
                return ast.Index(ast.Name(tree), key)
        if not layout.trees[tree].nodes and not any(role.kind == "code" for role in spec.roles):
            key = f"{tree}{len(data.nodes) + 1}"  # a list the report fills (单位): keys by position
            data.nodes[key] = NodeData(key, name_only(name), None, False)
            return ast.Index(ast.Name(tree), key)
    return None


def joined_code(segment, spec: RowSpec) -> Optional[str]:
    for i, role in enumerate(spec.roles):
        if role.kind == "code" and i < len(segment):
            text = segment[i].replace(" ", "")
            return text if CODE.match(text) else None
    return None


def name_only(text: str) -> str:
    return NUMBERING.sub("", clean(text)).strip()


def code_parent(code: str, data: TreeData) -> Optional[str]:
    best = None
    for key, node in data.nodes.items():
        if node.is_code and code.startswith(key) and key != code and (best is None or len(key) > len(best)):
            best = key
    if best is None:  # a fixed tree's group (人员 above 301): the parent of a sibling code
        sibling = next((k for k, n in data.nodes.items() if n.is_code and len(k) == len(code)
                        and k[:-2] == code[:-2]), None)
        return data.nodes[sibling].parent if sibling else None
    return best


def scope_keys(sequence, data: TreeData) -> Optional[list[str]]:
    """The keys of the items a row statement runs over (None: any, the tree is the report's to fill)."""
    how = sequence.name if isinstance(sequence, ast.Attr) else "nodes"
    base = sequence.target if isinstance(sequence, ast.Attr) else sequence
    top = base.key if isinstance(base, ast.Index) else None
    if not data.nodes:
        return None
    below = [k for k in data.nodes if _under(data, k, top)]
    if how == "children":
        return [k for k in below if data.nodes[k].parent == top]
    if how == "leaves":
        return [k for k in below if not data.children(k)]
    return below


def _under(data: TreeData, key: str, top: Optional[str]) -> bool:
    parent = data.nodes[key].parent
    while True:
        if parent == top:
            return True
        if parent is None:
            return False
        parent = data.nodes[parent].parent


def tree_from_layout(layout: LayoutSpec, name: str) -> TreeData:
    spec = layout.trees[name]
    data = TreeData(name, spec.title, spec.measures)

    def add(nodes, parent):
        for node in nodes:
            data.nodes[node.key] = NodeData(node.key, node.label or node.key, parent, node.is_code)
            add(node.children, node.key)

    add(spec.nodes, None)
    return data


def item_measure(expr, layout: LayoutSpec) -> Optional[tuple[str, str, str]]:
    """(tree, key, measure) when the expression is one item's measure: `gpb[201].决算`."""
    if isinstance(expr, ast.Attr) and isinstance(expr.target, ast.Index) and isinstance(expr.target.target, ast.Name):
        tree = expr.target.target.name
        if tree in layout.trees and expr.name in layout.trees[tree].measures:
            return tree, expr.target.key, expr.name
    return None
