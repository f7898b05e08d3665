"""`reportdsl diff` for a reviewer: each change once, where it is.

- typed inputs grouped by the part of the report file they are typed in; an item's measures on one
  line, paired by code (or key); numbers `old → new (change, rate)`;
- texts that changed: reasons and notes of items, text facts;
- checks that now fail or now pass;
- the published document section by section (paired by title): sentences once, with the changed
  numbers shown `[old → new]`, table rows paired by their code (or name), each changed cell
  `old → new (change, rate)`.
Between two years (`year` differs), the old side's mentions of its year and the year before are read
as the new side's, so that "2023 年度" against "2024 年度" is not a change.
`--stat` is the summary alone: one line per kind of change and per part of the document.
"""

from __future__ import annotations

import difflib
import re
from decimal import Decimal, InvalidOperation
from typing import Iterator, Optional

import attrs

from . import ast
from .compiler import Result
from .model import Heading, NamedFigure, Paragraph, TableModel
from .number_text import format_quantity
from .report_sections import ReportSections
from .semantic_diff import FigureChange, check_lines, figure_changes, readable
from .values import Quantity

ITEM_NAME = re.compile(r"^(?P<tree>[^\[\]]+)\[(?P<key>[^\]]+)\]\.(?P<measure>.+)$")
NUMBER = re.compile(r"-?\d[\d,]*(?:\.\d+)?%?")
TOKEN = re.compile(r"-?\d[\d,]*(?:\.\d+)?%?|.", re.S)
LEADING_NUMBERING = re.compile(r"^[（(]?[一二三四五六七八九十百\d]+[）)、.．]\s*")


# ---- numbers ---------------------------------------------------------------------------------------------


def number_of(text: str) -> Optional[Decimal]:
    found = NUMBER.fullmatch(text.strip().replace(" ", ""))
    if found is None:
        return None
    try:
        return Decimal(found.group(0).rstrip("%").replace(",", ""))
    except InvalidOperation:
        return None


def decimals_of(text: str) -> int:
    digits = text.strip().rstrip("%")
    return len(digits.split(".")[1]) if "." in digits else 0


def change_text(old: str, new: str, unit: str = "") -> str:
    """`376.72 → 389.33 万元 (+12.61, +3.3%)`; a percentage changes in points; a text just `old → new`."""
    a, b = number_of(old), number_of(new)
    shown = f"{old} → {new}" + (f" {unit}" if unit and b is not None else "")
    if a is None or b is None or a == b:
        return shown
    places = max(decimals_of(old), decimals_of(new))
    difference = b - a
    if old.strip().endswith("%"):
        return f"{shown} ({signed(difference, places)} pp)"
    rate = f", {signed(difference / a * 100, 1)}%" if a != 0 else ""
    return f"{shown} ({signed(difference, places)}{rate})"


def signed(value: Decimal, places: int) -> str:
    quantum = Decimal(1).scaleb(-places)
    rounded = value.quantize(quantum, rounding="ROUND_HALF_UP")
    return ("+" if value > 0 else "−" if value < 0 else "±") + f"{abs(rounded):f}"


# ---- years -------------------------------------------------------------------------------------------------


def year_reader(old: Result, new: Result):
    """Reads the old side's years as the new side's: 2023 → 2024 and 2022 → 2023, as whole numbers."""
    a = old.report.header.year if old.report is not None else None
    b = new.report.header.year if new.report is not None else None
    if a is None or b is None or a == b:
        return lambda text: text
    mapping = {str(a): str(b), str(a - 1): str(b - 1)}
    pattern = re.compile(rf"(?<!\d)({a}|{a - 1})(?!\d)")
    return lambda text: ReadText(pattern.sub(lambda m: mapping[m.group(1)], text), text)


class ReadText(str):
    """An old sentence with its years read as the new side's, and the sentence as it was written (the
    same length: a year is four digits either way), so that a change shows what the old side said."""

    def __new__(cls, read: str, original: str):
        text = super().__new__(cls, read)
        text.original = original
        return text


def as_written(text: str) -> str:
    return getattr(text, "original", text)


# ---- the document, section by section ---------------------------------------------------------------------


@attrs.frozen
class Section:
    title: str
    blocks: tuple


def document_sections(result: Result, read=lambda text: text) -> list[Section]:
    """Blocks under each part or section heading (level 1 and 2; deeper headings stay inside)."""
    if result.document is None:
        return []
    sections: list[Section] = []
    part, current, blocks = "", "(before the first heading)", []
    for block in result.document.blocks:
        if isinstance(block, Heading) and block.level <= 2:
            sections.append(Section(current, tuple(blocks)))
            title = read(block.title)
            part = title if block.level == 1 else part
            current, blocks = (title if block.level == 1 else f"{part} / {title}"), []
        else:
            blocks.append(block)
    sections.append(Section(current, tuple(blocks)))
    return [s for s in sections if s.blocks]


def sentence_texts(section: Section, read) -> list[str]:
    return [read(b.full_text) for b in section.blocks if isinstance(b, Paragraph)]


def tables_of(section: Section, read) -> dict[str, TableModel]:
    return {read(b.title): b for b in section.blocks if isinstance(b, TableModel)}


def marked(old: str, new: str, written: str = "") -> str:
    """The sentence once, with its changes: numbers [old → new], other words [-old-]{+new+}. `old` is
    compared with its years read as the new side's; what it shows is as `written` ("[2023, as last
    year]": a year the new side kept while the report's year moved on)."""
    a, b = TOKEN.findall(old), TOKEN.findall(new)
    shown = TOKEN.findall(written) if written else a
    shown = shown if len(shown) == len(a) else a
    out = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag == "equal":
            out.append("".join(a[i1:i2]))
        elif tag == "replace" and i2 - i1 == j2 - j1 == 1 and shown[i1] == b[j1]:
            out.append(f"[{b[j1]}, as last year]")
        elif tag == "replace" and i2 - i1 == j2 - j1 == 1 and number_of(a[i1]) is not None and number_of(b[j1]) is not None:
            out.append(f"[{shown[i1]} → {b[j1]}]")
        else:
            out.append((f"[-{''.join(shown[i1:i2])}-]" if i2 > i1 else "") + (f"{{+{''.join(b[j1:j2])}+}}" if j2 > j1 else ""))
    return "".join(out)


def sentence_changes(old: list[str], new: list[str]) -> list[str]:
    """Sentences paired by their words (numbers and list numbering aside), each change on one line."""
    lines = []
    a, b = [shape(t) for t in old], [shape(t) for t in new]
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag == "equal":
            lines += [f"~ {changed_sentence(o, n)}" for o, n in zip(old[i1:i2], new[j1:j2])
                      if LEADING_NUMBERING.sub("", o) != LEADING_NUMBERING.sub("", n)]
        else:
            lines += similar_pairs(old[i1:i2], new[j1:j2])
    return lines


def changed_sentence(old: str, new: str) -> str:
    """A list item renumbered because one was added above it is not a change: its new number, unmarked."""
    number = LEADING_NUMBERING.match(new)
    prefix = number.group(0) if number else ""
    return prefix + marked(LEADING_NUMBERING.sub("", old), new[len(prefix):], LEADING_NUMBERING.sub("", as_written(old)))


def shape(text: str) -> str:
    """A sentence's words: its numbers and its list number left out."""
    return NUMBER.sub("#", LEADING_NUMBERING.sub("", text))


def similar_pairs(olds: list[str], news: list[str]) -> list[str]:
    """In a run of changed sentences, each new one beside the old one most like it (in order)."""
    lines, start = [], 0
    for new in news:
        scores = [(difflib.SequenceMatcher(a=shape(old), b=shape(new), autojunk=False).ratio(), index)
                  for index, old in enumerate(olds[start:], start)]
        best = max(scores, default=(0, -1))
        if best[0] >= 0.6 and LEADING_NUMBERING.sub("", olds[best[1]]) == LEADING_NUMBERING.sub("", new):
            lines += [f"− {as_written(old)}" for old in olds[start:best[1]]]
            start = best[1] + 1
        elif best[0] >= 0.6:
            lines += [f"− {as_written(old)}" for old in olds[start:best[1]]] + [f"~ {changed_sentence(olds[best[1]], new)}"]
            start = best[1] + 1
        else:
            lines.append(f"+ {new}")
    return lines + [f"− {as_written(old)}" for old in olds[start:]]


# ---- tables: rows paired by code --------------------------------------------------------------------------


def column_titles(table: TableModel) -> list[str]:
    """The title of each column: its own (lowest) title, or its whole path (预算数/合计) where the
    lowest title is not unique and the table is not two halves side by side."""
    paths = table.column_paths() if table.header else []
    leaves = [path[-1] for path in paths]
    if two_halves(table, leaves):
        return leaves
    return [leaf if leaves.count(leaf) == 1 else "/".join(path) for leaf, path in zip(leaves, paths)]


def two_halves(table: TableModel, leaves: list[str]) -> bool:
    """收入 | 支出 side by side: the first column's title comes again, over a column of row names."""
    starts = [start for start, _ in halves(leaves)]
    first = table.rows[0] if table.rows else ()
    return len(starts) > 1 and all(start < len(first) and number_of(first[start].text) is None for start in starts)


def row_key(row) -> str:  # noqa: D103
    """A row's code when it has one, else its name without its numbering (一、 moves when a row is added)."""
    texts = [cell.text.strip() for cell in row]
    if texts and texts[0].isdigit():
        return texts[0]
    name = next((t for t in texts if t and number_of(t) is None), "")
    return LEADING_NUMBERING.sub("", name)


def halves(titles: list[str]) -> list[tuple[int, int]]:
    """A table of two halves side by side (收入 | 支出) repeats its first column title."""
    starts = [i for i, title in enumerate(titles) if title == titles[0]] if titles else [0]
    return [(start, end) for start, end in zip(starts, [*starts[1:], len(titles)])]


def keyed_rows(table: TableModel, read) -> dict[str, tuple[tuple[str, str], ...]]:
    """Each row (each half of a row of a two-half table) by its key, with (column title, text) cells."""
    titles = column_titles(table)
    parts = halves(titles) if two_halves(table, titles) else [(0, max(len(titles), max((len(r) for r in table.rows), default=0)))]
    rows: dict[str, tuple[tuple[str, str], ...]] = {}
    for number, row in enumerate(table.rows, 1):
        for side, (start, end) in enumerate(parts):
            cells = row[start:end]
            if not any(cell.text.strip() for cell in cells):
                continue
            key = row_key(cells) or f"row {number}"
            if len(parts) > 1:
                key = f"{key} (side {side + 1})" if not row_key(cells) else key
            unique, count = key, 1
            while unique in rows:
                count += 1
                unique = f"{key} ({count})"
            rows[unique] = tuple((titles[start + i] if start + i < len(titles) else str(start + i + 1), read(cell.text))
                                 for i, cell in enumerate(cells))
    return rows


def row_label(key: str, cells) -> str:
    name = next((text for _, text in cells if text and number_of(text) is None and text != key), "")
    return f"{key} {name}".strip() if key.isdigit() else key


def row_changes(old: TableModel, new: TableModel, read) -> list[str]:
    before, after = keyed_rows(old, read), keyed_rows(new, read)
    lines = []
    for key in [*after, *(k for k in before if k not in after)]:
        a, b = before.get(key), after.get(key)
        if a == b:
            continue
        if a is None or b is None:
            sign, cells = ("+", b) if a is None else ("−", a)
            lines.append(f"{sign} {row_label(key, cells)}: " + "; ".join(
                f"{title} {text}" for title, text in cells if text and text != key and number_of(text) is not None))
            continue
        changed = [f"{title} {change_text(x, y)}" for (title, x), (_, y) in zip(a, b) if x != y]
        lines.append(f"~ {row_label(key, b)}: " + "; ".join(changed))
    return lines


# ---- typed inputs and texts ---------------------------------------------------------------------------------


def figure_value(figure: Optional[NamedFigure]) -> str:
    if figure is None:
        return "(none)"
    if figure.gap:
        return "?" if figure.gap == "unfilled" else f"(no value: {figure.gap})"
    return figure.shown


def input_lines(changes: tuple[FigureChange, ...], old: Result, new: Result) -> dict[str, list[str]]:
    """Changed inputs by the part of the report they are typed in; an item's measures on one line."""
    sections = {side.source.path: ReportSections(side.source, side.report) for side in (old, new) if side.report is not None}
    grouped: dict[str, list[str]] = {}
    items: dict[tuple[str, str], list[FigureChange]] = {}
    for change in changes:
        found = ITEM_NAME.match(change.name)
        if found:
            items.setdefault((found["tree"], found["key"]), []).append(change)
        elif not is_text(change):
            after = from_prior(change, new) or figure_value(change.new)
            line = f"{change.name}: {change_text(figure_value(change.old), after, unit_of(change))}"
            grouped.setdefault(place(sections, change), []).append(line + where(change))
    for (tree, key), measures in items.items():
        grouped.setdefault(place(sections, measures[0]), []).append(item_line(tree, key, measures, old, new))
    return grouped


def from_prior(change: FigureChange, new: Result) -> Optional[str]:
    """A prior-year figure typed in the old report and no longer in the new one: the new report reads
    it from last year's report (`next-year` drops it), so it is not gone; its value and its file."""
    ev = new.evaluator
    if change.new is not None or ev is None or ev.prior is None or new.report is None or new.report.header.prior is None:
        return None
    name, _, period = change.name.partition("@")
    key = ev.imported((name, period or None))
    if key is None:
        return None
    value = ev.prior.value_of(key)
    shown = format_quantity(value, None) if isinstance(value, Quantity) else "?"
    return f"{shown} (from {new.report.header.prior.name})"


def unit_of(change: FigureChange) -> str:
    figure = change.new or change.old
    return figure.unit if figure is not None and figure.unit and figure.unit != "%" else ""


def is_text(change: FigureChange) -> bool:
    return any(f is not None and f.unit is None and f.value is not None and number_of(f.value) is None
               for f in (change.old, change.new))


def place(sections: dict, change: FigureChange) -> str:
    """The part of the report file the figure is typed in (the old file's, for one that is gone)."""
    figure = change.new or change.old
    span = figure.span if figure is not None else None
    if span is None:
        return "(elsewhere)"
    owner = sections.get(span.path) or next(iter(sections.values()), None)
    return owner.of(span) if owner is not None else "(elsewhere)"


def item_line(tree: str, key: str, measures: list[FigureChange], old: Result, new: Result) -> str:
    name = node_name(new, tree, key) or node_name(old, tree, key) or ""
    status = "+ " if all(m.old is None for m in measures) else "− " if all(m.new is None for m in measures) else ""
    parts = [f"{ITEM_NAME.match(m.name)['measure']} " + (change_text(figure_value(m.old), figure_value(m.new))
                                                       if not status else figure_value(m.new or m.old))
             for m in measures if not status or not (m.new or m.old).gap]
    return f"{status}{tree} {key} {name}: " + "; ".join(parts) + where(measures[0])


def node_name(result: Result, tree: str, key: str) -> Optional[str]:
    if result.evaluator is None or tree not in result.evaluator.trees:
        return None
    node = result.evaluator.trees[tree].by_key.get(key)
    return node.name if node is not None else None


def where(change: FigureChange) -> str:
    figure = change.new or change.old
    span = figure.span if figure is not None else None
    return f"   ({readable(span.path)}:{span.line})" if span is not None else ""


def text_changes(old: Result, new: Result, changes: tuple[FigureChange, ...]) -> list[str]:
    """Reasons and notes of items, and text facts, that read differently."""
    lines = [f"{c.name}: “{figure_value(c.old)}” → “{figure_value(c.new)}”" for c in changes if is_text(c)]
    before, after = item_texts(old), item_texts(new)
    for key in [*after, *(k for k in before if k not in after)]:
        if before.get(key) != after.get(key):
            tree, item, attribute = key
            name = node_name(new, tree, item) or node_name(old, tree, item) or ""
            lines.append(f"{tree} {item} {name} {attribute}: “{before.get(key, '(none)')}” → “{after.get(key, '(none)')}”")
    return lines


def item_texts(result: Result) -> dict[tuple[str, str, str], str]:
    if result.evaluator is None:
        return {}
    found = {}
    for tree in result.evaluator.trees.values():
        for node in tree.walk():
            for attribute, template in node.attributes.items():
                if isinstance(template, ast.Template):
                    found[(tree.name, node.key, attribute)] = template_source(template)
    return found


def template_source(template: ast.Template) -> str:
    from .expr_printer import render_expr

    return "".join(part.text if isinstance(part, ast.Literal) else
                   "{" + render_expr(part.expr) + "}" if isinstance(part, ast.Interp) else "{…}"
                   for part in template.parts)


# ---- the whole -----------------------------------------------------------------------------------------------


@attrs.frozen
class ReviewDiff:
    years: str
    inputs: dict
    texts: list
    now_failing: list
    now_passing: list
    published: dict  # section title -> [lines]
    table_rows: dict  # section title -> number of changed rows

    @property
    def equal(self) -> bool:
        return not (self.inputs or self.texts or self.now_failing or self.now_passing or self.published)


def review_diff(old: Result, new: Result) -> ReviewDiff:
    read = year_reader(old, new)
    changes = figure_changes(old, new, {"fact", "item"})
    old_checks, new_checks = check_lines(old), check_lines(new)
    published, rows = published_changes(old, new, read)
    years = ""
    if old.report is not None and new.report is not None and old.report.header.year != new.report.header.year:
        years = f"year {old.report.header.year} → {new.report.header.year}"
    return ReviewDiff(years, input_lines(changes, old, new), text_changes(old, new, changes),
                      counted([c for c in new_checks if c not in map(read, old_checks)]),
                      counted([c for c in map(read, old_checks) if c not in new_checks]), published, rows)


def counted(lines: list[str]) -> list[str]:
    """Each line once, with how many times it came: a figure printed in three places fails three times."""
    counts: dict[str, int] = {}
    for line in lines:
        counts[line] = counts.get(line, 0) + 1
    return [line + (f"  (×{count})" if count > 1 else "") for line, count in counts.items()]


def published_changes(old: Result, new: Result, read) -> tuple[dict, dict]:
    before = {s.title: s for s in document_sections(old, read)}
    after = {s.title: s for s in document_sections(new)}
    published, rows = {}, {}
    for title in [*after, *(t for t in before if t not in after)]:
        a, b = before.get(title, Section(title, ())), after.get(title, Section(title, ()))
        lines = sentence_changes(sentence_texts(a, read), sentence_texts(b, lambda t: t))
        old_tables, new_tables = tables_of(a, read), tables_of(b, lambda t: t)
        changed_rows = 0
        for name in [*new_tables, *(n for n in old_tables if n not in new_tables)]:
            if name not in old_tables or name not in new_tables:
                lines.append(f"{'+' if name in new_tables else '−'} table {name}")
                continue
            table_lines = row_changes(old_tables[name], new_tables[name], read)
            if table_lines:
                changed_rows += len(table_lines)
                lines += [f"table {name}:"] + [f"  {line}" for line in table_lines]
        if lines:
            published[title], rows[title] = lines, changed_rows
    return published, rows


def grouped(title: str, groups: dict[str, list[str]]) -> Iterator[str]:
    """Lines under the section they belong to, under a title; nothing when there are none."""
    if groups:
        yield ""
        yield title
        for section, lines in groups.items():
            yield f"  {section}"
            yield from (f"    {line}" for line in lines)


def render(diff: ReviewDiff, old_path: str, new_path: str, stat: bool = False) -> Iterator[str]:
    if diff.equal:
        yield f"{old_path} and {new_path} mean the same: no figure, check or sentence differs"
        return
    yield from summary(diff, old_path, new_path)
    if stat:
        return
    yield from grouped("typed inputs, by part of the report:", diff.inputs)
    if diff.texts:
        yield ""
        yield "reasons, notes and texts:"
        yield from (f"  {line}" for line in diff.texts)
    if diff.now_failing or diff.now_passing:
        yield ""
        yield "checks:"
        yield from (f"  now failing: {line}" for line in diff.now_failing)
        yield from (f"  now passing: {line}" for line in diff.now_passing)
    yield from grouped("published, section by section:", diff.published)


def summary(diff: ReviewDiff, old_path: str, new_path: str) -> Iterator[str]:
    inputs = sum(len(lines) for lines in diff.inputs.values())
    added = sum(1 for lines in diff.inputs.values() for line in lines if line.startswith("+ "))
    sentences = sum(1 for lines in diff.published.values() for line in lines if line[:1] in "~+−")
    yield f"{old_path} → {new_path}" + (f" ({diff.years})" if diff.years else "")
    yield f"  inputs          {inputs} changed" + (f" ({added} new)" if added else "")
    yield f"  texts           {len(diff.texts)} changed (reasons, notes, text facts)"
    checks = [f"{len(found)} {what}" for found, what in ((diff.now_failing, "now failing"), (diff.now_passing, "now passing"))
              if found]
    yield f"  checks          {', '.join(checks) or 'the same'}"
    yield f"  published       {sentences} sentences, {sum(diff.table_rows.values())} table rows"
    parts: dict[str, list[int]] = {}
    for section, lines in diff.published.items():
        part = section.split(" / ")[0]
        counts = parts.setdefault(part, [0, 0])
        counts[1] += diff.table_rows[section]
        counts[0] += sum(1 for line in lines if line[:1] in "~+−")
    width = max((len(part) for part in parts), default=0)
    for part, (sentence_count, row_count) in parts.items():
        yield f"    {part.ljust(width)}  {sentence_count} sentences, {row_count} table rows"
