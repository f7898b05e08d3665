"""Answers to an editor's questions about a compiled report, as plain data with spans: hover text,
completion candidates, the outline, folding ranges and quick fixes. The language server (lsp.py)
only turns them into protocol messages."""

from __future__ import annotations

import re
from typing import Iterator, Optional

import attrs

from .. import ast
from ..diagnostics import Diagnostic
from ..evaluate import NODE_FIELDS
from ..expr_printer import render_expr
from ..explain import Tracer, shown
from ..number_text import DIRECTION_WORDS
from ..functions import FUNCTIONS
from ..source import SourceFile, Span
from .index import FIGURE, INTERP, ITEM, MEASURE, TREE, NameIndex, Occurrence

HOVER_LINES = 14


def language_keywords() -> tuple[str, ...]:
    """The grammar's keywords (its quoted words), and `end`, which closes {if} and {for} in a text."""
    from ..syntax_rules import grammar_text

    return tuple(sorted(set(re.findall(r'"([a-z]+)"', grammar_text())) | {"end"}))


KEYWORDS = language_keywords()
FORMATS = {
    ".2": "two decimals: 376.72", ".1": "one decimal", ".0": "a whole number", "g": "as few decimals as needed: 77.3",
    "%": "a percentage with one decimal: 15.8%", "%.2": "a percentage with two decimals: 15.76%",
    "%g": "a percentage with as few decimals as needed", "cn": "a Chinese numeral: 十四",
    "增减": "增加 / 减少 / 持平 by the sign", "升降": "增长 / 下降 / 持平 by the sign", "大小": "大于 / 小于 / 等于 by the sign",
}


# ---- hover ----------------------------------------------------------------------------------------


def hover(index: NameIndex, path: str, offset: int) -> Optional[tuple[Span, str]]:
    """Markdown for what is under the cursor: the value, its formula and its inputs (explain, short)."""
    occurrence = index.at(path, offset)
    if occurrence is None:
        return None
    lines = [short_paths(line, index.result.sources) for line in _explain(index, occurrence)]
    if not lines:
        return None
    title, rest = lines[0], lines[1:]
    if len(rest) > HOVER_LINES:
        rest = rest[:HOVER_LINES] + [f"… ({len(rest) - HOVER_LINES} more lines: reportdsl explain)"]
    body = f"**{title}**" + ("\n\n```text\n" + "\n".join(rest) + "\n```" if rest else "")
    return occurrence.span, body


def short_paths(text: str, paths) -> str:
    """A layout found in the package is named by its absolute path: shown by its path under the
    working folder, or else by its file name, so that no machine's folders appear in the text."""
    from pathlib import Path

    for path in paths:
        if Path(path).is_absolute():
            try:
                shown = str(Path(path).relative_to(Path.cwd()))
            except ValueError:
                shown = Path(path).name
            text = text.replace(path, shown)
    return text


def _explain(index: NameIndex, occurrence: Occurrence) -> Iterator[str]:
    result = index.result
    owner_result = result if occurrence.owner is result.evaluator else result.prior
    tracer = Tracer(owner_result)
    if occurrence.kind == FIGURE:
        name, period = occurrence.key
        lines = list(tracer.name(ast.Name(name, period), {}, 0))
        if lines:
            yield (lines[0] + ("  (last year's report)" if owner_result is not result else ""))
            yield from (line.removeprefix("  ") for line in lines[1:])
    elif occurrence.kind == TREE:
        tree = occurrence.key
        yield f"items {tree.name} “{tree.decl.title or tree.name}”: {len(list(tree.walk()))} items"
        for measure in tree.measures:
            yield f"{tree.name}.{measure} = {shown(occurrence.owner.children_sum(tree.roots, measure, None))}"
    elif occurrence.kind == MEASURE:
        tree, measure = occurrence.key
        yield f"{tree.name}.{measure} = {shown(occurrence.owner.children_sum(tree.roots, measure, None))}"
        yield f"the sum of the {len(tree.roots)} top-level items of {tree.name}"
    elif occurrence.kind == ITEM:
        node = occurrence.key
        yield f"{node.tree}[{node.key}] {node.name}"
        for measure in occurrence.owner.trees[node.tree].measures:
            yield f"{measure} = {shown(occurrence.owner.measure(node, measure, None))}"
        for name in ("reason", "note"):
            if name in node.attributes:
                yield f"{name}: {_plain_text(node.attributes[name])}"
    elif occurrence.kind == INTERP:
        yield from _explain_interp(index, tracer, occurrence.key)


def _explain_interp(index: NameIndex, tracer: Tracer, interp: ast.Interp) -> Iterator[str]:
    uses = [use for use in index.result.document.figures if use.span == interp.span] if index.result.document else []
    if not uses:
        yield f"{{{render_expr(interp.expr)}}}: not printed (its clause is left out)"
        return
    printed = sorted({use.shown for use in uses})
    yield f"{{{render_expr(interp.expr)}}} prints " + ", ".join(printed[:5]) + (" …" if len(printed) > 5 else "")
    if len(uses) > 1:
        yield f"printed {len(uses)} times (in a loop); the first:"
    yield from (line.removeprefix("  ") for line in list(tracer.use(uses[0]))[1:])


def _plain_text(template) -> str:
    if isinstance(template, ast.Template):
        return "".join(part.text if isinstance(part, ast.Literal) else "{…}" for part in template.parts)
    return "?" if isinstance(template, ast.Placeholder) else str(template)


# ---- completion -----------------------------------------------------------------------------------


@attrs.frozen
class Candidate:
    label: str
    kind: str  # figure | tree | item | measure | field | format | keyword | function | builtin
    detail: str = ""


_OPEN_INTERP = re.compile(r"\{([^{}]*)$")


def completions(index: NameIndex, source: SourceFile, offset: int) -> list[Candidate]:
    """What may be typed at the cursor: a format after `:` in `{…}`, an item key after `tree[`,
    a measure after `tree.` or `tree[key].`, else names, functions and keywords."""
    before = source.text[max(0, offset - 200) : offset]
    line = before.rsplit("\n", 1)[-1]
    ev = index.result.evaluator
    if ev is None:
        return _keywords()
    inside = _OPEN_INTERP.search(line)
    if inside and ":" in inside.group(1):
        return [Candidate(name, "format", text) for name, text in FORMATS.items()]
    keyed = re.search(r"([^\s\[\](){}.,:]+)\[([^\[\]]*)$", line)
    if keyed and keyed.group(1) in ev.trees:
        tree = ev.trees[keyed.group(1)]
        return [Candidate(node.key, "item", node.name) for node in tree.walk()]
    dotted = re.search(r"([^\s(){}.,:]+?)(\[[^\[\]]*\])?\.([^\s.]*)$", line)
    if dotted and dotted.group(1) in ev.trees:
        tree = ev.trees[dotted.group(1)]
        fields = NODE_FIELDS + ("reason", "note") if dotted.group(2) else ("children", "leaves", "nodes", "title")
        return [Candidate(m, "measure", f"{tree.name}.{m}") for m in tree.measures] + \
               [Candidate(f, "field", "") for f in fields]
    return _names(index) + _keywords()


def _names(index: NameIndex) -> list[Candidate]:
    ev = index.result.evaluator
    found = {}
    for (name, period), decl in ev.definitions.items():
        label = name + (f"@{period}" if period else "")
        found.setdefault(label, Candidate(label, "figure", shown(ev.value_of((name, period)))))
    for name, tree in ev.trees.items():
        found.setdefault(name, Candidate(name, "tree", tree.decl.title or ""))
    for name in ev.builtins():
        found.setdefault(name, Candidate(name, "builtin", ""))
    for name in FUNCTIONS:
        found.setdefault(name, Candidate(name, "function", ""))
    return sorted(found.values(), key=lambda c: c.label)


def _keywords() -> list[Candidate]:
    return [Candidate(word, "keyword") for word in KEYWORDS]


# ---- outline and folding --------------------------------------------------------------------------


@attrs.frozen
class Symbol:
    name: str
    kind: str  # part | section | items | item | figure | check | table | chart
    span: Span
    children: tuple["Symbol", ...] = ()


def outline(report: Optional[ast.Report], path: str) -> list[Symbol]:
    """Parts, sections, tables, charts, figures and item trees written in this file, in its order
    (a report's sections sit inside its layout's parts once merged: those are looked through)."""
    return sorted(_symbols(report.body, path), key=lambda s: s.span.start) if report is not None else []


def _symbols(body, path: str) -> Iterator[Symbol]:
    for statement in body:
        span = getattr(statement, "span", None)
        if span is None:
            continue
        if span.path != path:
            if isinstance(statement, (ast.Part, ast.Section, ast.ListBlock, ast.ForBlock)):
                yield from _symbols(statement.body, path)
            continue
        if isinstance(statement, (ast.Part, ast.Section)):
            kind = "part" if isinstance(statement, ast.Part) else "section"
            yield Symbol(_plain_text(statement.title) or statement.name or kind, kind, span,
                         tuple(_symbols(statement.body, path)))
        elif isinstance(statement, ast.Items):
            yield Symbol(statement.name, "items", span, tuple(_item_symbols(statement.nodes)))
        elif isinstance(statement, (ast.Fact, ast.Let)):
            yield Symbol(statement.target.name + (f"@{statement.target.period}" if statement.target.period else ""),
                         "figure", span)
        elif isinstance(statement, ast.Check):
            yield Symbol(statement.message or render_expr(statement.expr), "check", span)
        elif isinstance(statement, ast.Table):
            yield Symbol(_plain_text(statement.title) or statement.name, "table", span)
        elif isinstance(statement, ast.Chart):
            yield Symbol(_plain_text(statement.title) or statement.name, "chart", span)
        elif isinstance(statement, (ast.ListBlock, ast.ForBlock)):
            yield from _symbols(statement.body, path)
        elif isinstance(statement, ast.IfBlock):
            yield from _symbols(statement.body + statement.orelse, path)


def _item_symbols(nodes) -> Iterator[Symbol]:
    for node in nodes:
        if node.span is not None:
            yield Symbol(f"{node.key} {node.label or ''}".strip(), "item", node.span, tuple(_item_symbols(node.children)))


def folding_ranges(report: Optional[ast.Report], source: SourceFile) -> list[tuple[int, int]]:
    """(first line, last line), 1-based, of every block spanning lines, and of runs of comment lines."""
    ranges = set()
    for symbol in _flatten(outline(report, source.path)):
        first, last = symbol.span.line, source.position(symbol.span.end)[0]
        if last > first:
            ranges.add((first, last))
    for node in _paragraphs(report, source.path):
        first, last = node.span.line, source.position(node.span.end)[0]
        if last > first:
            ranges.add((first, last))
    ranges.update(_comment_runs(report, source))
    return sorted(ranges)


def _flatten(symbols) -> Iterator[Symbol]:
    for symbol in symbols:
        yield symbol
        yield from _flatten(symbol.children)


def _paragraphs(report, path) -> Iterator:
    from .index import walk

    if report is None:
        return
    for node in walk(report.body):
        if isinstance(node, (ast.Para, ast.TextBlock)) and node.span is not None and node.span.path == path:
            yield node


def _comment_runs(report, source: SourceFile) -> Iterator[tuple[int, int]]:
    lines = sorted({c.span.line for c in (report.comments if report else ()) if c.span is not None
                    and source.line_text(c.span.line).lstrip().startswith("#")})
    start = previous = None
    for line in lines + [None]:
        if line is not None and previous is not None and line == previous + 1:
            previous = line
            continue
        if start is not None and previous > start:
            yield start, previous
        start = previous = line


# ---- quick fixes ----------------------------------------------------------------------------------


@attrs.frozen
class Fix:
    title: str
    span: Span  # the text replaced
    new_text: str


def quick_fixes(index: NameIndex, diagnostic: Diagnostic) -> list[Fix]:
    source = index.result.sources.get(diagnostic.span.path) if diagnostic.span else None
    if source is None or not diagnostic.span.line:
        return []
    maker = {"RD101": _did_you_mean, "RD104": _did_you_mean, "RD105": _did_you_mean,
             "RD402": _level_form, "RD201": _zero_base_clause}.get(diagnostic.code)
    fix = maker(index, diagnostic, source) if maker else None
    return [fix] if fix else []


def _did_you_mean(index, diagnostic: Diagnostic, source: SourceFile) -> Optional[Fix]:
    suggestion = next((m.group(1) for h in diagnostic.help if (m := re.search(r"did you mean '([^']+)'\?", h))), None)
    if suggestion is None:
        return None
    span = diagnostic.span
    written = source.text[span.start : span.end]
    if diagnostic.code == "RD101":
        wrong = written.split("@", 1)[0]
    else:  # RD104 x.wrong / RD105 x[wrong]: the last word written
        wrong = re.findall(r"[^\s.\[\]]+", written)[-1] if re.findall(r"[^\s.\[\]]+", written) else ""
    at = written.rfind(wrong) if diagnostic.code != "RD101" else 0
    if not wrong or at < 0:
        return None
    return Fix(f"change '{wrong}' to '{suggestion}'", source.span(span.start + at, span.start + at + len(wrong)), suggestion)


_DIRECTION_WORD = re.compile(r"(增加|减少|增长|下降|大于|小于|高于|低于)\s*$")
_PAIR = {word: fmt for fmt, (up, down, _) in DIRECTION_WORDS.items() for word in (up, down)}
_PAIR.update({"高于": "大小", "低于": "大小"})
_UNIT_AFTER = re.compile(r"\s*(万元|亿元|元|个百分点)")


def _level_form(index, diagnostic: Diagnostic, source: SourceFile) -> Optional[Fix]:
    """`增加 {d} 万元` -> `{if d != 0}{d:增减} {abs(d)} 万元{else}持平{end}`."""
    interp = index.expressions.get(diagnostic.span)
    span = diagnostic.span
    word = _DIRECTION_WORD.search(source.text, max(0, span.start - 12), span.start)
    if not isinstance(interp, ast.Interp) or word is None:
        return None
    expr = source.text[interp.expr.span.start : interp.expr.span.end]
    unit = _UNIT_AFTER.match(source.text, span.end)
    end = unit.end() if unit else span.end
    unit_text = source.text[span.end : end]
    fmt = f":{interp.format}" if interp.format else ""
    level = "持平" if _PAIR[word.group(1)] != "大小" else "等于"
    text = (f"{{if {expr} != 0}}{{{expr}:{_PAIR[word.group(1)]}}} {{abs({expr}){fmt}}}{unit_text}"
            f"{{else}}{level}{{end}}")
    return Fix(f"write 持平 for a zero {expr}", source.span(word.start(), end), text)


_CLAUSE_BREAK = "，；。,;\n\""


def _zero_base_clause(index, diagnostic: Diagnostic, source: SourceFile) -> Optional[Fix]:
    """Wrap the clause around a figure divided by a zero base in `{if base != 0}…{end}`."""
    division = next((index.expressions.get(span) for span, note in diagnostic.related), None)
    base = division.right if isinstance(division, ast.BinOp) else \
        division.args[1] if isinstance(division, ast.Call) and len(division.args) > 1 else None
    if base is None:
        return None
    span, text = diagnostic.span, source.text
    start = max(text.rfind(ch, 0, span.start) for ch in _CLAUSE_BREAK)
    start = start + 1 if start < 0 or text[start] in "。\n\"" else start
    ends = [at for at in (text.find(ch, span.end) for ch in _CLAUSE_BREAK) if at >= 0]
    end = min(ends) if ends else span.end
    clause = text[start:end]
    if clause.count("{") != clause.count("}"):
        start, end, clause = span.start, span.end, text[span.start : span.end]
    condition = f"{render_expr(base)} != 0"
    return Fix(f"leave the clause out when {render_expr(base)} is 0", source.span(start, end),
               f"{{if {condition}}}{clause}{{end}}")
