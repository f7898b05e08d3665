"""The document of an edited report, built again only where its inputs changed.

Each statement the layout prints at the top of a part or section (a paragraph, a list, a table, a
loop, a chart) is kept with what building it made: its blocks, the figures it met, the figures it
referred to, its work. It also keeps the answer to every name it reads: the value of a figure, the
items of a tree, and so on through the texts those answers hold; and the answer to each item's
measure, reason or note it read while being built (noted by the evaluator as they are read). The next compile takes the kept blocks when the statement is the same and every
answer is; else it builds the statement again. A statement whose building gave a diagnostic is
always built again, as are the report's own statements (they are few and cheap).

Answers are compared with their positions, each told by the text of its line (Places): text typed
elsewhere moves a figure without changing its answer, and the kept figures are moved with it. An
item is asked apart for each measure and each of reason and note, so that a statement printing only
决算 is kept when a 年初预算 changes, and one printing the totals of a tree (its top items) when an
item under a total typed as such changes. What a statement reads is asked again only where an answer
it read then could change what it reads now: the answers it read are the same, so is its path.
"""

from __future__ import annotations

import bisect
import re
from decimal import Decimal
from enum import Enum
from typing import Optional

import attrs

from .. import ast, model
from ..document import DocumentBuilder, TableBuilder
from ..evaluated import Evaluated
from ..limits import MAX_BLOCKS, MAX_FIGURE_USES, MAX_TABLE_ROWS, MAX_TOTAL_TEXT_CHARS, MAX_WORK
from ..source import SourceFile, Span
from ..values import NodeValue, Quantity, TreeNode, TreeValue

LINE_END = re.compile("\n")
UNMOVED = frozenset((str, bool, int, Decimal, Quantity))  # hold no position
ITEM_QUESTIONS = ("#measure", "#words", "tree")  # about one tree: (kind, tree, …)
PRINTED = (ast.Para, ast.TextBlock, ast.ListBlock, ast.ForBlock, ast.IfBlock, ast.Table, ast.Chart)


class Places:
    """Positions in the edited text told by lines: a span starts and ends on a line known by its text
    and which occurrence of that text it is, at a column. What is typed elsewhere moves a line
    without changing how a position on it is told; a changed line tells its positions anew."""

    def __init__(self, source: SourceFile):
        self.path = source.path
        self.starts = [0, *(match.end() for match in LINE_END.finditer(source.text))]
        seen: dict[str, int] = {}
        self.lines: list[tuple[str, int]] = []
        for line in source.text.split("\n"):
            seen[line] = seen.get(line, -1) + 1
            self.lines.append((line, seen[line]))
        self.index = {line: number for number, line in enumerate(self.lines)}

    def relative(self, span: Span):
        """A span of the edited file told by its lines; a span of another file as itself."""
        if span.path != self.path:
            return span
        first, last = (bisect.bisect_right(self.starts, offset) - 1 for offset in (span.start, span.end))
        return (self.lines[first], span.start - self.starts[first], self.lines[last], span.end - self.starts[last],
                span.line - first, span.column)

    def absolute(self, place) -> Optional[Span]:
        """The span told by relative(), where its lines stand now; None if one of them is gone."""
        if isinstance(place, Span):
            return place
        first, last = self.index.get(place[0]), self.index.get(place[2])
        if first is None or last is None:
            return None
        return Span(self.path, self.starts[first] + place[1], self.starts[last] + place[3], first + place[4], place[5])


class Moving:
    """Positions told in `then` (Places) being moved to this compile's; each loop scope moved once."""

    def __init__(self, then: Optional[Places], lines_unmoved: bool = False):
        self.then = then
        self.lines_unmoved = lines_unmoved  # every position held stands where it stood (only items are moved)
        self.scopes: dict[int, dict] = {}


class Unplaced(Exception):
    """A kept position whose piece of text is gone: the statement is built again."""


@attrs.frozen
class Held:
    """Where what a statement made touches the edited file and its items: the lines its positions
    stand on (by index, in the Places they are told in) and the trees its items are of (as built
    then). When each of those lines is told as before at the same offset, and each tree is the same
    object, a compile takes what it made as it is: there is nothing to move."""

    lines: frozenset[int]
    trees: tuple  # (name, Tree)


@attrs.frozen
class Made:
    """What building one statement made, and what it read."""

    statement: object
    questions: frozenset  # what it read (the answers then are those of the compile it was last taken in)
    blocks: tuple
    figures: tuple
    first_figure: int  # the index of its first figure use then
    first_chart: int  # the charts before it then
    charts: int
    rows: int
    work: int
    chars: int  # of text in its blocks (DocumentBuilder.text_chars)
    asked: frozenset  # the figures it referred to (Evaluator.used)
    moving: tuple[int, ...]  # its figures that hold positions in the edited file or items, which a new compile moves
    held: Optional[Held]  # None: it holds an item this cannot vouch for, and is moved each time


@attrs.frozen
class KeptRow:
    """What one member of a table's `rows` made (its cells, its figures), and what it read."""

    entry: ast.Rows
    cells: tuple
    figures: tuple
    moving: tuple[int, ...]
    held: Optional[Held]
    money: tuple[str, str]  # the table's unit of amounts before the row, and after it
    work: int
    asked: frozenset  # the figures it referred to
    read: frozenset  # the items it read (Evaluated.items_read)
    answers: tuple  # (question, answer) for all it read, as answered when it was made
    places: Places  # of the text its positions are told in: it may be kept over several compiles (carried)


@attrs.frozen
class KeptMember:
    """What one member of a top-level `for x in …` made, and what it read."""

    made: Made  # its statement: the `for`
    counter: tuple  # the list's count before it, and after
    read: frozenset
    answers: tuple  # (question, answer) for all it read, as answered when it was made
    places: Places  # of the text its positions are told in: it may be kept over several compiles (carried)


class KeptBlocks:
    """One per edited file: the statements built at the last compile, by where they stand."""

    def __init__(self, path: str):
        self.path = path
        self.kept: dict[tuple, Made] = {}
        self.places: Optional[Places] = None  # of the text the kept blocks were built from
        self.questions: dict[int, tuple[object, frozenset]] = {}  # by statement: the names written in it
        self.answered: dict[tuple, object] = {}  # the answers of the last compile
        self.trees: tuple = (None, {})  # the header and each tree's statement at the last compile
        self.rows: dict[tuple, KeptRow] = {}  # by table, entry and item (ReusingTable)
        self.members: dict[tuple, KeptMember] = {}  # by loop, list depth and item
        self.answers: Optional[Answers] = None  # of the compile under way (the checks ask too: kept_checks.py)

    def own_questions(self, statement) -> frozenset:
        kept = self.questions.get(id(statement))
        if kept is None or kept[0] is not statement:
            kept = (statement, frozenset(questions_in(statement)))
            self.questions[id(statement)] = kept
        return kept[1]

    def build(self, report: ast.Report, evaluated: Evaluated, places: Places) -> model.Document:
        answers = self.answers = Answers(evaluated, places, self.answered, self._steady_trees(evaluated, places))
        builder = ReusingBuilder(evaluated, self, answers, self.places, places)
        try:
            document = builder.build(report)
        except Exception:
            self.kept, self.places, self.answered, self.trees, self.rows, self.members = {}, None, {}, (None, {}), {}, {}
            raise
        self.kept, self.places, self.answered = builder.made, places, answers.known
        self.rows = carried(self.rows, builder.rows_made)
        self.members = carried(self.members, builder.members_made)
        self.trees = (evaluated.names.header, {name: tree.decl for name, tree in evaluated.names.trees.items()})
        alive = {id(made.statement) for made in self.kept.values()}
        self.questions = {key: kept for key, kept in self.questions.items() if key in alive}
        return document


    def _steady_trees(self, evaluated: Evaluated, places: Places) -> frozenset:
        """The trees whose every answer is the last compile's: all typed (so made from their own
        statement and the header alone), from the same statement, under the same header, and each
        line of that statement told as before (a statement in the edited file that did not move)."""
        header, decls = self.trees
        if self.places is None or header != evaluated.names.header:
            return frozenset()
        return frozenset(name for name, tree in evaluated.names.trees.items()
                         if tree.typed_only and decls.get(name) is tree.decl and self._told_as_before(tree.decl.span, places))

    def _told_as_before(self, span: Optional[Span], places: Places) -> bool:
        if span is None or span.path != self.path:
            return True
        first, last = (bisect.bisect_right(places.starts, offset) - 1 for offset in (span.start, span.end))
        return self.places.lines[first:last + 1] == places.lines[first:last + 1]


class Answers:
    """The answers of this compile to what a statement may read, each worked out once."""

    def __init__(self, evaluated: Evaluated, places: Places, then: dict[tuple, object], steady: frozenset = frozenset()):
        self.ev, self.places, self.then = evaluated, places, then
        self.steady = steady  # trees whose answers are the last compile's (KeptBlocks._steady_trees)
        self.known: dict[tuple, object] = {}
        self.asked_in_turn: dict[tuple, set[tuple]] = {}
        self.differs: dict[tuple, bool] = {}
        self.compared: dict[tuple, bool] = {}  # by question and the answer's id (held by what holds it): as_then

    def changed(self, question: tuple) -> bool:
        """The answer differs from the last compile's (or the last compile did not ask)."""
        if question not in self.differs:
            if question[0] in ITEM_QUESTIONS and question[1] in self.steady and question in self.then:
                self.known[question] = self.then[question]
                self.differs[question] = False
            else:
                answer = self.of(question)  # known, to be compared with the next compile's
                self.differs[question] = question not in self.then or answer != self.then[question]
        return self.differs[question]

    def any_changed(self, questions) -> bool:
        differs = self.differs
        for question in questions:
            differ = differs.get(question)
            if differ is None:
                differ = self.changed(question)
            if differ:
                return True
        return False

    def answered(self, questions) -> tuple:
        """Each question with its answer now."""
        return tuple((question, self._now(question)) for question in questions)

    def as_then(self, answered: tuple) -> bool:
        """Every answer now is the one given (when something taken was made: it may have been kept
        over compiles that did not ask). The rows of a table share their answers (a tree's, the
        header): each is compared once a compile."""
        compared = self.compared
        for question, answer in answered:
            key = (question, id(answer))
            same = compared.get(key)
            if same is None:
                same = compared[key] = self._now(question) == answer
            if not same:
                return False
        return True

    def _now(self, question: tuple):
        if question[0] in ITEM_QUESTIONS and question[1] in self.steady and question in self.then:
            self.known[question] = self.then[question]
        return self.of(question)

    def of(self, question: tuple):
        if question not in self.known:
            self.known[question] = self._work_out(question)
        return self.known[question]

    def _work_out(self, question: tuple):
        if question[0] in ("#measure", "#words"):  # one item's, as read while building
            tree = self.ev.names.trees.get(question[1])
            node = tree.by_key.get(question[2]) if tree is not None else None
            if node is None:
                return None
            if question[0] == "#measure":
                return self.print(self.ev.measure(node, question[3]))
            return self._word(node, question[3])
        if question[0] == "tree":
            tree = self.ev.names.trees.get(question[1])
            return self._tree(tree) if tree is not None else None
        if question[0] == "header":  # its unit, year and rounding; equal whatever comments stand around it
            return self.ev.names.header
        _, name, period = question
        names = self.ev.names
        if period is None and name in names.trees:
            return ("tree",)
        builtins = names.builtins()
        if period is None and name in builtins:
            return ("builtin", self.print(builtins[name]))
        key = (name, names.period(period))
        imported = self.ev.imported(key)
        if key in names.definitions and not (imported is not None and names.is_open_input(key)):
            return ("figure", self.print(self.ev.value_of(key)))
        if imported is not None:
            return ("prior", self.print(self.ev.prior.value_of(imported)))
        return ("undefined",)

    def closure(self, own: frozenset) -> set[tuple]:
        """The questions a statement asks (`own`), and in turn what their answers read."""
        found = {("header",)}
        todo = list(own)
        while todo:
            question = todo.pop()
            if question not in found:
                found.add(question)
                todo.extend(self._further(question))
        return found

    def _further(self, question: tuple) -> set[tuple]:
        if question not in self.asked_in_turn:
            self.asked_in_turn[question] = self._read_in_turn(question)
        return self.asked_in_turn[question]

    def _read_in_turn(self, question: tuple) -> set[tuple]:
        """What reading the answer asks in turn: the names in a text, an item's tree. (The names in an
        item's texts are those the statement referred to while built, asked with it.)"""
        names = self.ev.names
        if question[0] != "name":
            return set()
        kind = self.of(question)[0]
        key = (question[1], names.period(question[2]))
        if kind == "tree":
            return {("tree", question[1])}
        if kind == "figure":
            return questions_in(self.ev.value_of(key))
        if kind == "prior":
            return questions_in(self.ev.prior.value_of(self.ev.imported(key)))
        return set()

    def _tree(self, tree) -> tuple:
        """A tree's items and their place in it; their figures and words are asked apart (below)."""
        nodes = tuple((node.key, node.is_code, node.label, node.depth, node.parent.key if node.parent else None,
                       tuple(child.key for child in node.children)) for node in tree.walk())
        return (tree.name, tree.decl.title, tree.measures, nodes)

    def _word(self, node, attribute: str):
        """An item's reason or note, or where the item stands when it has none (the gap points there)."""
        return self.print(node.attributes[attribute]) if attribute in node.attributes else ("none", self.print(node.span))

    def print(self, value) -> object:
        """The value with its positions told relative to their pieces: equal only to the same value,
        placed the same."""
        if value is None or isinstance(value, str):
            return value
        if type(value) is Quantity:  # holds no position: each field as written (every field: a test says so)
            return ("Quantity", str(value.value), value.unit, str(value.error), str(value.other_base), value.format,
                    value.decimals)
        if isinstance(value, (bool, int, Decimal, Enum)):
            return (type(value).__name__, str(value))
        if isinstance(value, Span):
            return self.places.relative(value)
        if isinstance(value, tuple):
            return tuple(self.print(element) for element in value)
        if isinstance(value, dict):
            return tuple((key, self.print(element)) for key, element in value.items())
        if isinstance(value, NodeValue):
            return ("item", value.node.tree, value.node.key)
        if isinstance(value, TreeNode):
            return ("item", value.tree, value.key)
        if isinstance(value, TreeValue):
            return ("items", value.name)
        if attrs.has(type(value)):
            return (type(value).__name__, *(self.print(getattr(value, field.name)) for field in attrs.fields(type(value))))
        return object()  # unknown: equal to nothing


def questions_in(value) -> set[tuple]:
    """What reading `value` asks in turn: the names in its texts and expressions, the trees of its items."""
    found: set[tuple] = set()
    stack = [value]
    while stack:
        current = stack.pop()
        if isinstance(current, ast.Name):
            found.add(("name", current.name, current.period))
        elif isinstance(current, ast.Attr):  # a measure, a reason or note: which items' is noted as they are read
            stack.append(current.target)
        elif isinstance(current, (NodeValue, TreeNode)):
            found.add(("tree", current.node.tree if isinstance(current, NodeValue) else current.tree))
        elif isinstance(current, TreeValue):
            found.add(("tree", current.name))
        elif isinstance(current, tuple):
            stack.extend(current)
        elif isinstance(current, dict):
            stack.extend(current.values())
        elif attrs.has(type(current)) and not isinstance(current, (str, Span)):
            stack.extend(getattr(current, field.name) for field in attrs.fields(type(current)))
    return found


class ReusingBuilder(DocumentBuilder):
    """The document builder, taking a kept statement's blocks when nothing it reads has changed."""

    def __init__(self, evaluated: Evaluated, store: KeptBlocks, answers: Answers, then: Optional[Places],
                 now: Places):
        super().__init__(evaluated)
        self.store, self.answers, self.then, self.now = store, answers, then, now
        self.made: dict[tuple, Made] = {}
        self.rows_made: dict[tuple, KeptRow] = {}
        self.members_made: dict[tuple, KeptMember] = {}
        self.inside = False

    def table_builder(self, table: ast.Table, scope: dict) -> TableBuilder:
        if not self.inside or scope or table.span is None or table.span.path == self.store.path:
            return super().table_builder(table, scope)
        return ReusingTable(self, table)

    def _block(self, block, scope: dict, list_depth: int, counter) -> None:
        if self.inside and not scope and type(block) is ast.ForBlock and block.span is not None \
                and block.span.path != self.store.path:
            return self._members(block, list_depth, counter)
        if (self.inside or scope or list_depth or counter is not None or not isinstance(block, PRINTED)
                or block.span is None or block.span.path == self.store.path):
            return super()._block(block, scope, list_depth, counter)
        self.inside = True
        try:
            place = (type(block).__name__, block.span.path, block.span.start, block.span.end)
            made = self._kept(place, block) or self._built(block)
            if made is not None:
                self.made[place] = made
        finally:
            self.inside = False

    # ---- kept -----------------------------------------------------------------------------------

    def _kept(self, place: tuple, block) -> Optional[Made]:
        made = self.store.kept.get(place)
        if made is None or not same(made.statement, block) or not self._room_for(made):
            return None
        if self.answers.any_changed(made.questions):
            return None
        taken = self._take(made, block, self.then)
        if taken is not None:
            self.ev.used.update(made.asked)
        return taken

    def _take(self, made: Made, block, then: Optional[Places]) -> Optional[Made]:
        """Its blocks and figures, moved to where they stand now, added to the document."""
        try:
            figures, blocks, held = self._placed(made.figures, made.moving, made.blocks, made.held, then)
        except Unplaced:
            return None
        shift, charts = len(self.figures) - made.first_figure, self.chart_count - made.first_chart
        blocks = tuple(renumbered(block, shift, charts) for block in blocks)
        self.figures.extend(figures)  # below every limit (_room_for): as record() and add_block() would
        self.blocks.extend(blocks)
        self.text_chars += made.chars
        self.chart_count += made.charts
        self.rows += made.rows
        self.ev.work.spend(made.work, block.span)
        return attrs.evolve(made, statement=block, blocks=blocks, figures=figures, held=held,
                            first_figure=made.first_figure + shift, first_chart=made.first_chart + charts)

    def _room_for(self, made: Made) -> bool:
        """Taking it stays below every limit (else it is built, and the limit is met as it would be)."""
        return (len(self.blocks) + len(made.blocks) < MAX_BLOCKS and len(self.figures) + len(made.figures) < MAX_FIGURE_USES
                and self.rows + made.rows < MAX_TABLE_ROWS and self.ev.work.spent + made.work < MAX_WORK
                and self.text_chars + made.chars < MAX_TOTAL_TEXT_CHARS)

    def _placed(self, figures: tuple, moving: tuple[int, ...], blocks: tuple, held: Optional[Held],
                then: Optional[Places]) -> tuple[tuple, tuple, Optional[Held]]:
        """Figure uses and blocks with their positions (told in `then`, the text they were made or
        last taken from) and items as this compile has them, and what they hold now."""
        lines_unmoved = held is not None and self._lines_unmoved(held, then)
        if lines_unmoved and self._trees_unmoved(held):
            return figures, blocks, held
        done = Moving(then, lines_unmoved)
        blocks = tuple(attrs.evolve(block, span=self._move(block.span, done))
                       if block.span is not None and block.span.path == self.store.path else block for block in blocks)
        figures = list(figures)
        for index in moving:
            figures[index] = self._move(figures[index], done)
        return tuple(figures), blocks, self._held_now(held, then, figures, moving, blocks)

    def _lines_unmoved(self, held: Held, then: Optional[Places]) -> bool:
        """Each line `held` tells of is told as in `then`, at the same offset (Held)."""
        now = self.now
        return not held.lines or (then is not None and all(k < len(now.lines) and then.starts[k] == now.starts[k]
                                                           and then.lines[k] == now.lines[k] for k in held.lines))

    def _trees_unmoved(self, held: Held) -> bool:
        trees = self.ev.names.trees
        return all(trees.get(name) is tree for name, tree in held.trees)

    def _held_now(self, held: Optional[Held], then: Optional[Places], figures, moving, blocks) -> Optional[Held]:
        """What moved figures and blocks hold: each line where its line stands now, each tree this
        compile's (every item was moved to it)."""
        if held is None:
            return holdings(self.store.path, self.now, self.ev.names.trees, blocks, [figures[i] for i in moving])[1]
        lines = frozenset(self.now.index[then.lines[k]] for k in held.lines)
        return Held(lines, tuple((name, self.ev.names.trees[name]) for name, _ in held.trees))

    # ---- a loop's members ------------------------------------------------------------------------

    def _members(self, block: ast.ForBlock, list_depth: int, counter) -> None:
        """DocumentBuilder's `for`, taking each member whose item and all else it read did not change."""
        members = self.ev.comprehend(block.variable, block.sequence, block.condition, {})
        for member in members if isinstance(members, tuple) else ():
            if type(member) is not NodeValue:
                self._blocks(block.body, {block.variable: member}, list_depth, counter)
                continue
            key = (block.span.path, block.span.start, block.span.end, list_depth, member.node.tree, member.node.key)
            if not self._kept_member(key, block, counter):
                self._built_member(key, block, member, list_depth, counter)

    def _kept_member(self, key: tuple, block: ast.ForBlock, counter) -> bool:
        kept = self.store.members.get(key)
        if kept is None or kept.counter[0] != (counter and tuple(counter)) or not same(kept.made.statement, block) \
                or not self._room_for(kept.made):
            return False
        if not self.answers.as_then(kept.answers):
            return False
        made = self._take(kept.made, block, kept.places)
        if made is None:
            return False
        if counter:
            counter[0] = kept.counter[1][0]
        self.ev.note(made.asked, kept.read)
        self.members_made[key] = attrs.evolve(kept, made=made, places=self.now)
        return True

    def _built_member(self, key: tuple, block: ast.ForBlock, member: NodeValue, list_depth: int, counter) -> None:
        start = (len(self.blocks), len(self.figures), self.chart_count, self.rows, self.ev.work.spent, len(self.ev.sink),
                 self.text_chars, counter and tuple(counter))
        with self.ev.names_asked() as asked, self.ev.items_read() as read:
            self._blocks(block.body, {block.variable: member}, list_depth, counter)
        if len(self.ev.sink) != start[5] or (self.chart_count, self.rows) != start[2:4]:
            return  # a fault is said each time; a member with charts or tables is not kept (nor numbered again)
        read = frozenset({*read, *(("tree", question[1]) for question in read), ("tree", member.node.tree)})
        questions = frozenset({*read, *(("name", *name) for name in asked), ("header",)})
        figures = tuple(self.figures[start[1]:])
        blocks = tuple(self.blocks[start[0]:])
        made = Made(block, questions, blocks, figures, start[1], start[2], 0, 0,
                    self.ev.work.spent - start[4], self.text_chars - start[6], frozenset(asked),
                    *self._holdings(blocks, figures))
        self.members_made[key] = KeptMember(made, (start[7], counter and tuple(counter)), read,
                                            self.answers.answered(questions), self.now)

    # ---- a table's rows --------------------------------------------------------------------------

    def kept_row(self, key: tuple, entry: ast.Rows, money: str) -> Optional[KeptRow]:
        """A row kept from the last compile that built its table, taken: nothing it read changed."""
        kept = self.store.rows.get(key)
        if kept is None or not (kept.entry is entry or same(kept.entry, entry)) or kept.money[0] != money:
            return None
        if len(self.figures) + len(kept.figures) >= MAX_FIGURE_USES or self.ev.work.spent + kept.work >= MAX_WORK:
            return None  # built, and the limit met as it would be
        if not self.answers.as_then(kept.answers):
            return None
        try:
            figures, _, held = self._placed(kept.figures, kept.moving, (), kept.held, kept.places)
        except Unplaced:
            return None
        self.figures.extend(figures)
        self.ev.work.spend(kept.work, entry.span)
        self.ev.note(kept.asked, kept.read)
        self.rows_made[key] = kept = attrs.evolve(kept, entry=entry, figures=figures, held=held, places=self.now)
        return kept

    def built_row(self, key: tuple, table: "ReusingTable", entry: ast.Rows, member: NodeValue, scope: dict) -> tuple:
        start = (len(self.figures), self.ev.work.spent, len(self.ev.sink), table.money_unit)
        with self.ev.names_asked() as asked, self.ev.items_read() as read:
            cells = TableBuilder._row(table, entry, member, scope)
        if len(self.ev.sink) == start[2]:  # a row with a fault is built each time: its diagnostics are said
            read = frozenset({*read, *(("tree", question[1]) for question in read), ("tree", member.node.tree)})
            questions = frozenset({*read, *(("name", *key) for key in asked), ("header",)})
            figures = tuple(self.figures[start[0]:])
            self.rows_made[key] = KeptRow(entry, cells, figures, *self._holdings((), figures),
                                     (start[3], table.money_unit), self.ev.work.spent - start[1], frozenset(asked), read,
                                     self.answers.answered(questions), self.now)
        return cells

    def _move(self, value, done: "Moving"):
        if value is None or type(value) in UNMOVED:
            return value
        if type(value) is model.FigureUse:
            return model.FigureUse(value.kind, self._move(value.value, done), value.format, value.shown, value.before,
                                   self._move(value.span, done), self._move(value.expr, done),
                                   self._move(value.scope, done))
        if isinstance(value, Span):
            if value.path != self.store.path or done.lines_unmoved:
                return value
            span = self.now.absolute(done.then.relative(value)) if done.then is not None else None
            if span is None:
                raise Unplaced
            return value if span == value else span  # the same object where it did not move: nothing above is copied
        if isinstance(value, NodeValue):
            tree = self.ev.names.trees.get(value.node.tree)
            node = tree.by_key.get(value.node.key) if tree is not None else None
            if node is None:
                raise Unplaced
            return value if node is value.node else NodeValue(node)  # (a tree kept from the last compile)
        if isinstance(value, tuple):
            return tuple(self._move(element, done) for element in value)
        if isinstance(value, dict):
            if id(value) not in done.scopes:  # a loop's scope is shared by the figures of its row
                done.scopes[id(value)] = {key: self._move(element, done) for key, element in value.items()}
            return done.scopes[id(value)]
        if attrs.has(type(value)) and not isinstance(value, TreeNode) and not elsewhere(value, self.store.path):
            fields = [field for field in attrs.fields(type(value)) if field.init]
            now = [self._move(getattr(value, field.name), done) for field in fields]
            if all(new is getattr(value, field.name) for new, field in zip(now, fields)):
                return value
            return attrs.evolve(value, **{field.alias: new for field, new in zip(fields, now)})
        return value

    # ---- built ----------------------------------------------------------------------------------

    def _built(self, block) -> Optional[Made]:
        start = (len(self.blocks), len(self.figures), self.chart_count, self.rows, self.ev.work.spent, len(self.ev.sink),
                 self.text_chars)
        with self.ev.names_asked() as asked, self.ev.items_read() as read:
            super()._block(block, {}, 0, None)
        if len(self.ev.sink) != start[5]:
            return None  # a statement with a fault is always built again: its diagnostics are said each time
        figures = tuple(self.figures[start[1]:])
        questions = self.answers.closure(self.store.own_questions(block))
        questions |= read | {("tree", question[1]) for question in read} | {("name", *key) for key in asked}
        for question in questions:
            self.answers.changed(question)  # answered now, to be compared with the next compile's answer
        blocks = tuple(self.blocks[start[0]:])
        return Made(block, frozenset(questions), blocks, figures, start[1], start[2], self.chart_count - start[2],
                    self.rows - start[3], self.ev.work.spent - start[4], self.text_chars - start[6], frozenset(asked),
                    *self._holdings(blocks, figures))

    def _holdings(self, blocks: tuple, figures: tuple) -> tuple[tuple[int, ...], Optional[Held]]:
        return holdings(self.store.path, self.now, self.ev.names.trees, blocks, figures)

class ReusingTable(TableBuilder):
    """A table of a statement built again, taking each row of its `rows x in …` whose item's answers
    (and all else it read) did not change from the last compile that built it."""

    def _row(self, entry: ast.Rows, member, scope) -> tuple:
        builder: ReusingBuilder = self.builder
        if type(member) is not NodeValue or entry.span is None:
            return super()._row(entry, member, scope)
        span = self.table.span
        key = (span.path, span.start, span.end, entry.span.start, entry.span.end, member.node.tree, member.node.key)
        kept = builder.kept_row(key, entry, self.money_unit)
        if kept is not None:
            self.money_unit = kept.money[1]
            return kept.cells
        return builder.built_row(key, self, entry, member, scope)


def carried(kept: dict, made: dict) -> dict:
    """What was kept, with what this compile made over it: the rows and members of a statement taken
    whole are kept with it, to be taken when it is built again and their own answers are those now.
    Those of items gone are dropped now and then."""
    return {**kept, **made} if len(kept) < 2 * len(made) + 1000 else made


def same(kept, now) -> bool:
    """The same statement at the same place: equal in every field, positions included."""
    if kept is now:
        return True
    if type(kept) is not type(now):
        return False
    if isinstance(kept, tuple):
        return len(kept) == len(now) and all(same(a, b) for a, b in zip(kept, now))
    if attrs.has(type(kept)):
        return all(same(getattr(kept, field.name), getattr(now, field.name)) for field in attrs.fields(type(kept)))
    return kept == now


def holdings(path: str, places: Places, trees: dict, blocks: tuple, figures) -> tuple[tuple[int, ...], Optional[Held]]:
    """Which `figures` hold what a compile moves (positions in the edited file, items: each compile
    makes its own), and what they and `blocks` (their own positions) hold: Held, or None if an item
    is not one of this compile's trees'. ReusingBuilder._move walks the same way."""
    offsets: list[int] = []
    held_trees: dict[str, object] = {}
    foreign = _held_in([block.span for block in blocks if block.span is not None], path, trees, offsets, held_trees) < 0
    moving = []
    for index, use in enumerate(figures):
        found = _held_in(_parts_to_walk(use, path), path, trees, offsets, held_trees)
        if found:
            moving.append(index)
            foreign = foreign or found < 0
    if foreign:
        return tuple(moving), None
    lines = frozenset(bisect.bisect_right(places.starts, offset) - 1 for offset in offsets)
    return tuple(moving), Held(lines, tuple(held_trees.items()))


def _parts_to_walk(use: model.FigureUse, path: str) -> list:
    """The parts of a figure use that may hold what a compile moves; the common ones that cannot
    (a quantity, a position or an expression in the layout) are set aside without the general walk."""
    stack = list(use.scope.values())
    if use.value is not None and type(use.value) not in UNMOVED:
        stack.append(use.value)
    if use.span is not None and use.span.path == path:
        stack.append(use.span)
    if use.expr is not None and not elsewhere(use.expr, path):
        stack.append(use.expr)
    return stack


def _held_in(stack: list, path: str, trees: dict, offsets: list[int], held_trees: dict) -> int:
    """How many positions in the edited file and items the values on `stack` hold, noted in
    `offsets` and `held_trees`; -1 if an item is not one of `trees`'."""
    found = 0
    while stack:
        current = stack.pop()
        if current is None or type(current) in UNMOVED:
            continue
        if type(current) is model.FigureUse:
            stack.extend((current.value, current.span, current.expr, current.scope))
        elif isinstance(current, Span):
            if current.path == path:
                offsets += (current.start, current.end)
                found += 1
        elif isinstance(current, NodeValue):
            tree = trees.get(current.node.tree)
            if tree is None or tree.by_key.get(current.node.key) is not current.node:
                return -1
            held_trees[current.node.tree] = tree
            found += 1
        elif isinstance(current, tuple):
            stack.extend(current)
        elif isinstance(current, dict):
            stack.extend(current.values())
        elif attrs.has(type(current)) and not isinstance(current, TreeNode) and not elsewhere(current, path):
            stack.extend(getattr(current, field.name) for field in attrs.fields(type(current)) if field.init)
    return found


def elsewhere(value, path: str) -> bool:
    """A syntax node of another file than the edited one (a node and all inside it come from one file)."""
    span = getattr(value, "span", None) if type(value).__module__ == ast.__name__ else None
    return span is not None and span.path != path


def renumbered(block: model.Block, figures: int, charts: int) -> model.Block:
    """A kept block where it stands now: its figure uses `figures` further on, its chart `charts`."""
    if isinstance(block, model.Paragraph) and figures:
        first, last = block.figures
        return attrs.evolve(block, figures=(first + figures, last + figures))
    if isinstance(block, model.ChartModel) and charts:
        return attrs.evolve(block, number=block.number + charts)
    return block
