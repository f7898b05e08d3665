"""Prose -> stated figures and inputs. Each published paragraph is put under the layout's section
whose title its heading resembles; each figure it prints is bound to the placeholder of that
section's templates whose fixed words just before it resemble the words printed before the
figure (a direction word must face a direction word, a percentage a rate, a count a count); a
placeholder inside a loop is bound to the item the sentence names. A figure bound to an input
(`fact X = ?`, an item's measure no table prints) fills it; any other is stated. A reason
("主要原因是……") fills the text input it stands for. Matching is by structure and words only."""

from __future__ import annotations

import difflib
import re
from functools import lru_cache
from typing import Optional

import attrs

from .. import ast
from ..expr_printer import ExprPrinter, quote
from ..syntax_rules import grammar_text
from .layout_spec import LayoutSpec, root_name, substitute, template_words
from .located import Location, NodeData, Stated, TemplateText, TreeData
from .match_tables import TableMatcher, item_measure, normal, scope_keys, tree_from_layout
from .listed import list_check_lines
from .published import Figure, PublishedFigures, decimals_of_number, escape_template, own_section_title
from .wordings import named_last, printed_form, shared_forms
from .writer import quoted
from .source import ROW_NUMBER, TOC_LINE, SourceParagraph, clean, full_width

PRINT = ExprPrinter(None)


def count_units() -> tuple[str, ...]:
    """The grammar's units that count things (人, 场次, 篇 …): not money, not a date; longest first."""
    found = re.search(r"^UNIT[.\d]*:\s*/\((.+?)\)", grammar_text(), re.M)
    units = found.group(1).split("|") if found else ["个", "人", "次"]
    return tuple(sorted((u for u in units if u not in ("万元", "亿元", "元", "年", "月", "日", "周")),
                        key=len, reverse=True))


DIRECTION = re.compile(r"增加|减少|增长|下降|上升|降低|持平|大于|小于|等于|高于|低于")
DIRECTION_MARK = "⇅"
NAME_MARK = "…"
FIGURE_MARK = "#"
MONEY_UNITS = ("万元", "亿元", "元")
COUNT_UNITS = ("台（套）",) + count_units()
FIGURE = re.compile(r"(?<![\d.A-Za-z])(-?\d[\d,]*(?:\.\d+)?)\s*(?:余|多)?\s*(%|万元|亿元|元|"
                    + "|".join(COUNT_UNITS) + r")?")
CHART_CAPTION = re.compile(r"^\s*图\s*\d+\s*[:：]")  # a chart's title: the layout draws its charts
PART_HEADING = re.compile(r"^\s*第[一二三四五六七八九十]+部分\s*")
BUDGET_KIND = re.compile(r"(年初|全年|调整)预算")
BUDGET_WORD = re.compile(r"预算(数|为|是)?$|预算[^执]{0,4}$")
LIST_LEAD = re.compile(r"(?:主要)?包括[：:]?\s*(.+?)(?:[。；]|$)")
REASON = re.compile(r"(主要原因|原因)(是|为|：|:)\s*(.+?)(?:[。；]|$)")
PURPOSE = re.compile(r"主要(?:是)?用于(：|:)?\s*(.+?)(?:[。；]|$)")
LABEL_CUT = re.compile(r"[。；;]")
SENTENCE_END = re.compile(r"(?<=[。；！？])")


@attrs.frozen
class Slot:
    """A placeholder of a layout sentence: what it prints, the words before it, the loops around it."""

    expr: ast.Expr
    format: Optional[str]
    before: str  # the fixed words just before it, normalized
    loops: tuple[tuple[str, ast.Expr], ...]  # (variable, sequence), outermost first
    kind: str  # percent | amount | count | text | name | direction
    order: int
    lead: str = ""  # the fixed words just before it, as printed (for a text: "主要产出和效益：")
    last: bool = False  # nothing but punctuation follows it in its sentence's template
    follow: str = ""  # the fixed words just after it, as printed (for a text between fixed words)
    clause: str = ""  # the fixed words back to the figure before it, normalized (where its qualifier is)
    unqualified: str = ""  # `before` without an aside in brackets and its linking verb: without_aside


@attrs.frozen
class ListSlot:
    """A list of a tree's items in a sentence ("主要包括：{for x in 经济[人员].leaves sep '、'}{x.name}{end}")."""

    loop: ast.Loop
    before: str  # the fixed words before it, normalized
    let: Optional[str] = None  # the `let` that prints it, if not the sentence itself


@attrs.define
class SectionSlots:
    name: Optional[str]
    title: str
    slots: list[Slot]
    own_text: Optional[ast.Expr] = None  # a section whose paragraph is one text input (主要职能)
    children: list["SectionSlots"] = attrs.Factory(list)
    words: str = ""  # the layout's fixed words in it, normalized
    named: list = attrs.Factory(list)  # (name, fixed words) of its named paragraphs
    heads: list = attrs.Factory(list)  # (tree, words after an item's name) of its loops over a tree's items
    lists: list = attrs.Factory(list)  # ListSlot: the lists of a tree's items its sentences print
    replaceable: bool = True  # a section of text alone (no part, no table, items or figures declared in it)
    unchanged: list = attrs.Factory(list)  # (let of a change, the words its sentences print when it is 0)


class ProseMatcher:
    def __init__(self, layout: LayoutSpec, shown: str, tables: TableMatcher, department: Optional[str] = None,
                 unit: str = "万元", year: Optional[int] = None):
        self.layout, self.shown, self.tables, self.department = layout, shown, tables, department
        self.year = year
        self.unit = unit  # the report's: an amount printed in another unit is typed with its own, never bound
        self.diagnostics = []
        self.stated: list[Stated] = []
        self.stated_exprs: list[ast.Expr] = []
        self.facts: dict[str, tuple[str, Location]] = {}
        self.sentences_matched = 0
        self.sentences_read = 0
        self.inputs_filled = 0
        self.unread: list[str] = []
        self.printed: set[tuple[str, str]] = set()
        self.filled_trees: set[str] = set()
        self.totals_typed: dict[str, tuple[str, Location, ast.Expr]] = {}  # totals of a tree no table printed
        self.lets = {s.target.name: s for s in _all_statements(layout.report.body) if isinstance(s, ast.Let)}
        self.sections = section_slots(layout, self.lets)
        self.nowhere = SectionSlots(None, "", [], replaceable=False)
        self.headings_matched = 0  # a document none of whose headings is the layout's is not placed by its words  # for paragraphs no section of the layout takes
        self.directions: list[tuple[str, str, str, Location]] = []  # (figure, 增加/减少…, literal, where)
        self.unchanged: list[tuple[str, Location, str]] = []  # (change, where, the words) printed as nothing
        self.own_paragraphs: list[tuple[str, str, Location]] = []  # (layout paragraph name, template, where)
        self.own_sections: list[tuple[SectionSlots, str, list[str]]] = []  # (layout section, title, paragraphs)
        self.unplaced: list[tuple[str, Location]] = []  # own paragraphs with figures no section can take
        self.published = PublishedFigures(declared_names(layout))
        self.unmatched: list[tuple[SectionSlots, str, SourceParagraph, str, bool]] = []
        self.bound_sections: set[int] = set()
        self.lists_stated = 0
        self.list_checks: list[str] = []
        self.figures_bound = 0
        self.previous = ""  # the paragraph before, in the same section (it may name the item a sentence is about)
        self.declared = declared_names(layout)
        self.rivals: dict[tuple[int, ...], list[frozenset[str]]] = {}  # the rival qualifiers of a section's slots

    # ---- paragraphs -> sections ---------------------------------------------------------------

    def match_all(self, paragraphs: tuple[SourceParagraph, ...]) -> None:
        current: Optional[SectionSlots] = None
        heading, level = "", 0
        outer: tuple[Optional[SectionSlots], int] = (None, 0)  # the section a heading of its own numbering is under
        for paragraph in paragraphs:
            if paragraph.is_heading:
                found = self.find_subsection(paragraph.text, *outer)
                if found is None:
                    found = self.find_section(paragraph.text)
                    outer = (found, heading_level(paragraph.text))
                if found is not None:
                    current, heading, level, self.previous = found, paragraph.text, heading_level(paragraph.text), ""
                    self.headings_matched += 1
                elif heading_level(paragraph.text) <= min(level, 3) or PART_HEADING.match(paragraph.text):
                    # a part or section the layout does not have: its paragraphs are placed by their words
                    current, heading, level = None, paragraph.text, heading_level(paragraph.text)
                continue
            if current is None and not is_prose(paragraph.text):
                continue  # a 目录 line ("十三、预算绩效情况说明……22"), a caption: not the text of a section
            section = current or (self.section_by_words(paragraph.text) if self.headings_matched else None)
            self.read_paragraph(paragraph, section or self.nowhere, heading if current else "")
        self.place_own_paragraphs()
        self.state_totals_of_trees_filled()
        self.ask_for_unprinted_measures()

    def state_totals_of_trees_filled(self) -> None:
        """A total typed because no table printed its tree ("政府采购金额…为 21.07 万元") whose items the
        prose went on to print ("其中：货物采购金额 21.07 万元、…"): the items are the report's figures and
        the total is stated, so that a total that is not their sum is found."""
        for name, (literal, location, expr) in list(self.totals_typed.items()):
            if any(tree in self.filled_trees for tree in self.layout.totals[name]) and name in self.facts:
                del self.facts[name]
                self.inputs_filled -= 1
                self.stated.append(Stated(PRINT.wrapped(expr, 6), literal, location))
                self.stated_exprs.append(expr)

    def ask_for_unprinted_measures(self) -> None:
        """A printed figure bound to an expression that reads an item's measure printed nowhere (a 三公
        item's prior-year spending behind "增加 5.07 万元"): that measure is an input to fill (`?`), which
        the comparison waits for, not a blank that the layout reads as 0 and so makes the print look wrong.
        A parent printed without figures of its own is left to add up its items."""
        read = {target for expr in self.stated_exprs for node in ast.walk(expr)
                if (target := item_measure(node, self.layout)) is not None}
        for tree, key, measure in sorted(read):
            data = self.tables.trees.get(tree)
            item = data.nodes.get(key) if data is not None else None
            if item is None or measure in item.values:
                continue
            if item.values or not data.children(key):
                item.values[measure] = "?"

    def section_by_words(self, text: str) -> Optional[SectionSlots]:
        """The section whose sentences a paragraph printed under no heading of the layout resembles most
        (a document that numbers or words its headings otherwise still prints the layout's sentences)."""
        printed = _pairs(normalize_context(text))
        scores = sorted(((len(printed & _pairs(section.words)) / max(1, len(printed)), index, section)
                         for index, section in enumerate(self.all_sections())
                         if any(slot.kind in ("amount", "percent", "count") for slot in section.slots)),
                        key=lambda entry: (-entry[0], entry[1]))
        if not scores or scores[0][0] < 0.25 or len(scores) > 1 and scores[0][0] < 1.2 * scores[1][0]:
            return None
        return scores[0][2]

    def find_subsection(self, heading: str, current: Optional[SectionSlots], level: int) -> Optional[SectionSlots]:
        """A heading numbered below the current section's ("（一）“三公”经费财政拨款支出决算总体情况说明" under
        "七、…“三公”经费…") is that section's, or one of its own, when it names the section's subject:
        never a section of another part whose title it resembles (四、财政拨款收入支出决算总体情况说明)."""
        if current is None or heading_level(heading) <= level:
            return None
        words = normal(heading)
        subject = heading_subject(normal(current.title))
        if len(subject) < 2 or subject not in heading_subject(words):
            return None
        titled = [(_ratio_above(words, normal(child.title), 0.72), index, child)
                  for index, child in enumerate(current.children) if normal(child.title)]
        best = max(titled, key=lambda entry: (entry[0], -entry[1]), default=(0.0, 0, None))
        return best[2] if best[0] >= 0.72 else current

    def find_section(self, heading: str) -> Optional[SectionSlots]:
        words = normal(PART_HEADING.sub("", heading))
        best, best_score = None, 0.0
        for section in self.all_sections():
            wanted = normal(section.title)
            if not wanted:
                continue
            score = 1.0 if words == wanted else _ratio_above(words, wanted, max(best_score, 0.72))
            if score > best_score:
                best, best_score = section, score
        if best_score >= 0.72:
            return best
        return self.find_by_subject(words) if heading_level(heading) <= 2 else None  # "七、…“三公”经费情况说明"

    def find_by_subject(self, words: str) -> Optional[SectionSlots]:
        """A heading worded otherwise ("一般公共预算“三公”经费情况说明") by what it is about, the words
        left once those every heading shares (决算, 情况说明, 财政拨款 …) are taken out."""
        subject = heading_subject(words)
        if len(subject) < 2:
            return None
        best, best_score = None, 0.0
        for section in self.all_sections():
            wanted = heading_subject(normal(section.title))
            if len(wanted) < 2:
                continue
            score = _ratio_above(subject, wanted, max(best_score, 0.8))
            if score > best_score:
                best, best_score = section, score
        return best if best_score >= 0.8 else None

    @property
    def parents(self) -> dict[int, SectionSlots]:
        """Each section's parent, by the child's id."""
        if not hasattr(self, "_parents"):
            self._parents = {id(child): section for section in self.all_sections() for child in section.children}
        return self._parents

    def all_sections(self):
        stack = list(self.sections)
        while stack:
            section = stack.pop(0)
            yield section
            stack[0:0] = section.children

    # ---- one paragraph ------------------------------------------------------------------------

    def read_paragraph(self, paragraph: SourceParagraph, section: SectionSlots, heading: str) -> None:
        if section.own_text is not None and not FIGURE.search(_without_years(paragraph.text)):
            self.fill_text(section.own_text, paragraph.text, self.location(paragraph, heading, paragraph.text, None),
                           whole=True)
            self.bound_sections.add(id(section))
            return
        family = [section, *section.children]
        printed = bare_words(paragraph.text)
        self.unchanged += [(name, self.location(paragraph, heading, paragraph.text, None), words)
                           for s in family for name, words in s.unchanged if words in printed]
        slots = [slot for s in family for slot in s.slots]
        words = "".join(s.words for s in family)
        self.siblings = [slot for s in self.parents.get(id(section), SectionSlots(None, "", [])).children
                         if s is not section for slot in s.slots]
        self.weights = rarity(slots)
        self.used: set[int] = set()
        self.name_new_items(paragraph, [head for s in family for head in s.heads])
        self.name_classified_items(paragraph, slots)
        covered = self.read_texts(paragraph, slots, heading)
        covered += self.read_lists(paragraph, [found for s in family for found in s.lists], heading)
        any_bound = bool(covered)
        loose: list[tuple[Figure, str, Location]] = []
        for sentence in split_sentences(paragraph.text):
            self.sentences_read += 1
            bound = self.read_sentence(sentence, paragraph, slots, heading, words, covered, loose)
            self.sentences_matched += bound
            any_bound |= bound
        self.previous = paragraph.text
        if any_bound:
            self.bound_sections.add(id(section))
            for figure, before, where in loose:
                self.published.add(before, figure, where)
            return
        if not loose and _is_layout_sentence(paragraph.text.replace(self.department or "本部门", "本部门"), words):
            self.bound_sections.add(id(section))
            return
        named = [(figure, self.published.add(before, figure, where)) for figure, before, where in loose]
        template = self.published.template(paragraph.text, named)
        self.unmatched.append((section, heading, paragraph, template, bool(named)))

    def place_own_paragraphs(self) -> None:
        """The paragraphs that match no sentence, as the department's own text: in place of the
        layout's named paragraph each most resembles; a section where nothing matched is replaced
        by its paragraphs as printed; what neither can take is listed with its facts."""
        by_section: dict[int, list] = {}
        for entry in self.unmatched:
            by_section.setdefault(id(entry[0]), []).append(entry)
        for entries in by_section.values():
            section, heading = entries[0][0], entries[0][1]
            if id(section) not in self.bound_sections and section.name and section.replaceable and not section.children:
                self.own_sections.append((section, own_section_title(heading) or section.title, [e[3] for e in entries]))
                continue
            for _, heading, paragraph, template, has_figures in entries:
                where = self.location(paragraph, heading, "", None)
                if not self.keep_own(template, paragraph.text, section, where) and has_figures:
                    self.unplaced.append((template, where))

    def keep_own(self, template: str, text: str, section: SectionSlots, where: Location) -> bool:
        """A paragraph in place of the layout's named paragraph it most resembles (the layout's
        wording is then not published)."""
        words = normalize_context(text)
        best, best_score = None, 0.0
        for name, fixed in section.named:
            if any(name == taken for taken, _, _ in self.own_paragraphs):
                continue
            score = difflib.SequenceMatcher(None, words, fixed, autojunk=False).ratio()
            if score > best_score:
                best, best_score = name, score
        if best is None or best_score < 0.3:
            return False
        self.own_paragraphs.append((best, template, where))
        return True

    def read_sentence(self, sentence: str, paragraph: SourceParagraph, slots: list[Slot], heading: str,
                      words: str, covered: list[tuple[int, int]], loose: list) -> bool:
        bound = False
        text = _without_years(sentence).replace("％", "%")
        offset = max(0, paragraph.text.find(sentence))
        for match in FIGURE.finditer(text):
            if (_is_numbering(text, match) or _is_layout_text(text, match, words) or _is_label(text, match)
                    or _is_base_mention(text, match)):
                continue
            if any(start <= offset + match.start(1) < end for start, end in covered):
                continue
            kind = figure_kind(match.group(2))
            location = self.location(paragraph, heading, sentence, (match.start(1), match.end()))
            literal = self.literal(match, kind)
            foreign = kind == "money" and match.group(2) != self.unit or self.other_year(sentence[: match.start()])
            fitting = [slot for slot in slots if counts_alike(match.group(2), slot, text[: match.start()])]
            arguments = (text[: match.start()], paragraph.text[: offset] + text[: match.start()], kind)
            context = _without_years(paragraph.text[: offset]) + text[: match.start()]
            chosen = None if foreign else self.best_binding(*arguments, fitting, context, match.group(2))
            if chosen is None and not foreign and self.siblings:  # "（一）总体" printing the figures "（二）具体" has,
                named = [s for s in self.siblings if counts_alike(match.group(2), s, text[: match.start()])  # each after its item's name
                         and not s.loops and self.names_its_item(s.expr, arguments[0])]
                chosen = self.best_binding(*arguments, named, context, match.group(2)) if named else None
            if chosen is None and not foreign and kind == "money" and AFTER_ITEM_CHAIN.search(arguments[0]):
                chosen = self.spent_by_item(arguments[1], fitting)
            if chosen is None:
                figure = Figure(offset + match.start(1), offset + _figure_end(match, kind), literal, kind,
                                decimals_of_number(match.group(1)))
                loose.append((figure, text[: match.start()], location))
                continue
            chosen = claimed_base(chosen, text[max(0, match.start() - 12): match.start()], self.declared)
            chosen = self.named_sub_item(chosen, text[: match.start()])
            if self.about_another_item(chosen, text[: match.start()]):
                loose.append((Figure(offset + match.start(1), offset + _figure_end(match, kind), literal, kind,
                                     decimals_of_number(match.group(1))), text[: match.start()], location))
                continue
            self.figures_bound += 1
            self.take(chosen, literal, location)
            direction = DIRECTION.findall(text[max(0, match.start() - 6): match.start()])
            if direction:
                self.directions.append((PRINT.wrapped(chosen, 6), direction[-1], literal, location))
            bound = True
        bound |= self.read_reasons(sentence, paragraph, slots, heading)
        return bound

    def name_new_items(self, paragraph: SourceParagraph, heads: list[tuple[str, str]]) -> None:
        """An item of a tree the report fills (项目绩效自评 …), named where the layout's sentence over
        its items prints the name: "<name>项目绩效自评综述：…" makes the item <name>."""
        for tree, words in heads:
            if tree not in self.layout.trees or self.layout.trees[tree].nodes or tree in {t for t, _ in self.tables.printed}:
                continue
            position = paragraph.text.find(words)
            if position <= 0:
                continue
            label = re.split(r"[。；;]", paragraph.text[:position])[-1]
            label = re.sub(r"^\s*([（(]?[\d一二三四五六七八九十]+[)）、.．]\s*)", "", label).strip()
            data = self.tables.trees.setdefault(tree, tree_from_layout(self.layout, tree))
            if not label or len(label) > 60 or any(node.label == label for node in data.nodes.values()):
                continue
            key = f"{tree}{len(data.nodes) + 1}"
            data.nodes[key] = NodeData(key, label, None, False)
            self.filled_trees.add(tree)

    def name_classified_items(self, paragraph: SourceParagraph, slots: list[Slot]) -> None:
        """Items of a tree by functional code that no table printed (the narrative alone), from the
        names the text gives them: "科学技术支出（类）科学技术管理事务（款）行政运行（项）" is 206 >
        20601 > 2060101 by the standard classification."""
        trees = {root_name(sequence) for slot in slots for _, sequence in slot.loops}
        trees = [t for t in sorted(trees, key=str) if t in self.layout.trees and not self.layout.trees[t].nodes
                 and t not in {name for name, _ in self.tables.printed}]
        if not trees:
            return
        text = paragraph.text.replace("(", "（").replace(")", "）")
        for chain in CLASSIFIED.finditer(text):
            codes = classified_codes([chain.group(1), chain.group(2), chain.group(3)])
            for tree in trees:
                data = self.tables.trees.setdefault(tree, tree_from_layout(self.layout, tree))
                parent = None
                for code, name in codes:
                    if code not in data.nodes:
                        data.nodes[code] = NodeData(code, name, parent, True)
                        self.filled_trees.add(tree)
                    parent = code

    def read_texts(self, paragraph: SourceParagraph, slots: list[Slot], heading: str) -> list[tuple[int, int]]:
        """Text inputs printed after fixed words of their own ("主要产出和效益：…", "主要包括：…"): the
        words after them, to the end of the sentence or, for the sentence's last input, of the
        paragraph. A figure in such a text is typed as a fact of its own and kept in the text."""
        covered = []
        for slot in slots:
            untyped = slot.kind == "amount" and slot.format is None and is_prose_input(slot.expr, self.layout)
            found = text_span(paragraph.text, slot) if slot.kind == "text" or untyped else None
            if found is None:
                continue
            position, start, end = found
            body = paragraph.text[start:end].strip()
            whole = slot.last and not slot.follow  # nothing after it in the template: its full stop is its own
            if not whole:
                body = body.rstrip("。；; ")
            if not body or untyped and (FIGURE.search(_without_years(body)) or len(body) < 4):
                continue  # an input typed `?` is a text where words, not a figure, are printed
            expr = self.bind_text_slot(slot, paragraph.text[:position])
            if expr is None:
                continue
            where = self.location(paragraph, heading, paragraph.text[position:end], (len(slot.lead), end - position))
            figures = self.figures_in(body, paragraph, heading)
            if figures:
                body = TemplateText(self.published.template(body, figures))
            elif self.department and self.department in body:  # "{department}（本级）", as the layout's own texts
                body = TemplateText(escape_template(body).replace(escape_template(self.department), "{department}"))
            self.fill_text(expr, body, where, whole)
            if LIST_LEAD.search(slot.lead):
                self.lists_stated += 1
            covered.append((start, end))
        return covered

    def read_lists(self, paragraph: SourceParagraph, lists: list[ListSlot], heading: str) -> list[tuple[int, int]]:
        """A list of items ("主要包括：基本工资、津贴补贴") bound to the layout's list it stands for: the
        text input the layout prints it from, as printed; with no table that prints the items, the
        list names them; a list of the rows of a table the document prints is stated as checks (each
        item it names has spending, the rows it leaves out beside them have none)."""
        covered = []
        for listed in LIST_LEAD.finditer(paragraph.text) if lists else ():
            before = normalize_context(paragraph.text[: listed.start()])[-16:]
            scored = [(_resemblance(before, slot.before, {}), index) for index, slot in enumerate(lists)]
            score, index = max(scored)
            if score < 2:
                continue
            loop = lists[index].loop
            names = [name.strip() for name in re.split(r"[、，,]", listed.group(1)) if name.strip()]
            tree = root_name(loop.sequence)
            if tree is None or not names:
                continue
            where = self.location(paragraph, heading, paragraph.text[listed.start(): listed.end()], None)
            if self.tables.trees.get(tree) and self.tables.trees[tree].nodes and tree in {t for t, _ in self.tables.printed}:
                checks = list_check_lines(self.tables.trees[tree], names, where)
                if not checks:
                    continue
                self.list_checks += checks  # the list of a table's rows, stated as the claims it makes
            elif lists[index].let and lists[index].let not in self.facts:
                self.facts[lists[index].let] = (quote(listed.group(1).strip().rstrip("。；")), where)  # as printed
            elif not self.table_of(tree):
                self.name_listed_items(tree, names)
            else:
                continue
            self.lists_stated += 1
            covered.append(listed.span(1))
        return covered

    def table_of(self, tree: str) -> bool:
        """Whether the document prints a table of the tree's items (empty or not)."""
        return any(row.tree == tree for match in self.tables.matched for row in match.spec.rows)

    def name_listed_items(self, tree: str, names: list[str]) -> None:
        """Items of a tree no table printed, from a list that names them (codes from the classification)."""
        if tree not in self.layout.trees:
            return
        from ..classification import normalized, standard_names

        data = self.tables.trees.setdefault(tree, tree_from_layout(self.layout, tree))
        for name in names:
            if any(normalized(node.label) == normalized(name) for node in data.nodes.values()):
                continue
            codes = [code for code, standards in standard_names().items() if code.startswith("3")
                     and any(normalized(s.name) == normalized(name) for s in standards)]
            key = codes[0] if len(codes) == 1 and codes[0] not in data.nodes else f"{tree}{len(data.nodes) + 1}"
            data.nodes[key] = NodeData(key, name, None, len(codes) == 1)
            self.filled_trees.add(tree)

    def bind_text_slot(self, slot: Slot, prefix: str) -> Optional[ast.Expr]:
        if not any(_uses(slot.expr, variable) for variable, _ in slot.loops):
            return slot.expr
        named = self.bind_named(slot, "", prefix)
        return named[0] if named is not None else None

    def figures_in(self, body: str, paragraph: SourceParagraph, heading: str) -> list[tuple[Figure, str]]:
        text = _without_years(body).replace("％", "%")
        found = []
        for match in FIGURE.finditer(text):
            if _is_numbering(text, match) or _is_label(text, match) or _is_base_mention(text, match):
                continue
            kind = figure_kind(match.group(2))
            figure = Figure(match.start(1), _figure_end(match, kind), self.literal(match, kind),
                            kind, decimals_of_number(match.group(1)))
            where = self.location(paragraph, heading, body, (match.start(1), match.end()))
            found.append((figure, self.published.add(text[: match.start()], figure, where)))
        return found

    def other_year(self, words: str) -> bool:
        """A figure compared with a year before the prior one ("比2019年（疫情前）决算数减少 24.87 万元"):
        no sentence of the layout prints it."""
        compared = re.findall(r"(?:比|较|与)\s*((?:19|20)\d\d)\s*年", LABEL_CUT.split(words)[-1])
        return bool(self.year and compared and int(compared[-1]) < self.year - 1)

    def literal(self, match, kind: str) -> str:
        """The figure in the report's syntax; an amount in another unit than the report's keeps its unit."""
        literal = figure_literal(match.group(1), match.group(2), kind)
        return f"{literal} {match.group(2)}" if kind == "money" and match.group(2) != self.unit else literal

    def best_binding(self, before: str, prefix: str, kind: str, slots: list[Slot],
                     context: Optional[str] = None, unit: Optional[str] = None) -> Optional[ast.Expr]:
        """The expression of the slot that best fits the words before the figure: its fixed words
        resemble them, a direction word faces a direction word, and a slot about one item of a
        list is preferred when the text names that item."""
        plain = re.sub(r"[为是]$", "", normalize_context(context if context is not None else before))
        best, best_score, best_order = None, 0.0, 0
        # "3.…（类）…（款）…（项），主要用于…。年初预算为…": the item's budget, not the whole's, when an item fits
        about_item = bool(ITEM_PARAGRAPH.match(prefix))
        item_best: tuple[Optional[ast.Expr], float, int] = (None, 0.0, 0)
        rivals, clause = self.rivals_among(slots), printed_clause(plain)
        for slot in slots:
            if not kinds_agree(kind, slot.kind) or (BUDGET_WORD.search(slot.before[-6:]) and not BUDGET_WORD.search(plain[-10:])):
                continue  # "因公出国（境）费 12.02 万元" is no budget ("…费全年预算为 {…}")
            if contradicts(clause, slot.clause, rivals):
                continue  # "面向小微企业预留…预算金额 <figure>" is not "为中小企业预留的…预算 {…}"
            if not slot.loops and self.names_another_item(slot.expr, before):
                continue  # "因公出国（境）费支出决算为 12.02": not 公务接待费's, whatever the words around
            printed = plain
            bonus = 0.0
            expr = slot.expr
            if any(_uses(expr, variable) for variable, _ in slot.loops):
                named = self.bind_named(slot, before, prefix)
                if named is None:
                    continue
                expr, in_sentence, suffix, label = named
                bonus = 2.0 if in_sentence else 1.0
                if suffix and slot.before.endswith(NAME_MARK):
                    printed = plain[: len(plain) - suffix] + NAME_MARK
                    bonus += 3.0  # "<an item's name> <figure>": the shape of a list of items
                elif NAME_MARK in slot.before[-12:]:
                    printed = mark_name(plain, label)  # "<name>。年初预算为 <figure>"
            counted = next((u for u in COUNT_UNITS if slot.follow.startswith(u)), None)
            named_unit = unit in COUNT_UNITS and counted and counted != unit and counted_before(unit, counted, before)
            if named_unit and printed.endswith(counted):
                printed = printed[: len(printed) - len(counted)]  # "接待批次 1 次" is "接待 1 批次"
            score = slot_score(printed, slot.before, self.weights)
            if printed is plain and slot.unqualified:
                score = max(score, self.unqualified_score(context if context is not None else before, slot))
            if unit in COUNT_UNITS and counted and (counted == unit or named_unit):
                score += 2.0  # "公务接待 2 批次": the layout counts 批次 here, whatever the words before
            if slot.before == NAME_MARK and printed.endswith(NAME_MARK):
                score = max(score, 2.0)  # "{x.path} {x.决算}": the figure right after the item's name
            if score < 2:
                continue
            score += bonus - (0.5 if slot.order in self.used and not slot.loops else 0)
            if score > best_score:
                best, best_score, best_order = expr, score, slot.order
            if about_item and expr is not slot.expr and score > item_best[1]:
                item_best = (expr, score, slot.order)
        if item_best[0] is not None:
            best, best_order = item_best[0], item_best[2]
        elif about_item and any(slot.loops for slot in slots):
            best = None  # a paragraph about an item the tree lacks: its figures are not the whole's
        if best is not None:
            self.used.add(best_order)
        return best

    def unqualified_score(self, words: str, slot: Slot) -> float:
        """A figure worded otherwise only in an aside or its linking verb ("政府采购金额（以合同签订为准）为"
        for "政府采购金额（合同金额）共计"): scored without them, a little less sure, and only when the
        words next to the figure are the slot's own (OWN_TAIL characters of them)."""
        printed = without_aside(words)
        if len(slot.unqualified) < OWN_TAIL or not printed.endswith(slot.unqualified[-OWN_TAIL:]):
            return 0.0
        return slot_score(printed, slot.unqualified, self.weights) - 1.0

    def spent_by_item(self, prefix: str, slots: list[Slot]) -> Optional[ast.Expr]:
        """"…（类）…（款）专项普查活动（项）39.99 万元": the amount printed right after the item's 类/款/项 names
        is what it spent, the placeholder its paragraph's template prints after 支出决算."""
        spent = [slot for slot in slots if slot.loops and slot.kind == "amount" and slot.before.endswith("决算")]
        return self.best_binding("支出决算", prefix, "money", spent, "支出决算") if spent else None

    def rivals_among(self, slots: list[Slot]) -> list[frozenset[str]]:
        key = tuple(slot.order for slot in slots)
        if key not in self.rivals:
            self.rivals[key] = rival_words(slots)
        return self.rivals[key]

    def bind_named(self, slot: Slot, before: str, prefix: str):
        """(the bound expression, whether the item is named in the sentence, how many of the last
        characters before the figure are the item's name) or None."""
        expr = slot.expr
        in_sentence, suffix, label = True, 0, ""
        for variable, sequence in reversed(slot.loops):
            if not _uses(expr, variable):
                continue
            found = self.named_item(sequence, before)
            if found is None:
                found = self.named_item(sequence, prefix)
                if found is None and not ITEM_PARAGRAPH.match(prefix):  # a paragraph naming its item is about no other
                    found = self.named_item(sequence, self.previous)
                in_sentence = False
            if found is None:
                return None
            reference, tail = found
            suffix = max(suffix, tail)
            label = label or self.label_of(reference)
            expr = substitute(expr, variable, reference)
        return expr, in_sentence, suffix, label

    def label_of(self, reference: ast.Index) -> str:
        tree = reference.target.name
        data = self.tables.trees.get(tree) or tree_from_layout(self.layout, tree)
        node = data.nodes.get(reference.key)
        return normal(node.label) if node else ""

    def read_reasons(self, sentence: str, paragraph: SourceParagraph, slots: list[Slot], heading: str) -> bool:
        """A reason ("主要原因是……") or a purpose ("主要用于……") fills the text input it stands for."""
        found = False
        offset = max(0, paragraph.text.find(sentence))
        for pattern in (REASON, PURPOSE):
            match = pattern.search(sentence)
            if not match or not match.group(match.lastindex).strip():
                continue
            start = match.start(match.lastindex)
            before = paragraph.text[:offset] + sentence[:start]
            # "公务用车运行维护支出 2.64 万元。主要用于……": the purpose of the item the paragraph last names
            fitting = [slot for slot in slots if slot.loops or not self.names_another_item(slot.expr, before, whole=True)]
            expr = self.best_binding(sentence[:start], before, "text", fitting)
            if expr is not None:
                self.fill_text(expr, match.group(match.lastindex),
                               self.location(paragraph, heading, sentence, match.span(match.lastindex)))
                found = True
        return found

    def named_sub_item(self, expr: ast.Expr, words: str) -> ast.Expr:
        """The item the sentence names where the layout's sentence names its parent: "一般公共预算财政
        拨款收入 3859.16 万元，占 93.54%" is 收入[一般公共预算], not the 收入[财政拨款] the layout prints."""
        if isinstance(expr, ast.Call) and expr.args:
            first = self.named_sub_item(expr.args[0], words)
            return expr if first is expr.args[0] else attrs.evolve(expr, args=(first, *expr.args[1:]))
        measure = item_measure(self.lets[expr.name].expr if isinstance(expr, ast.Name) and expr.name in self.lets
                               and not expr.period else expr, self.layout) or self.whole_tree_measure(expr)
        if measure is None:
            return expr
        tree, key, name = measure
        data = self.tables.trees.get(tree) or tree_from_layout(self.layout, tree)
        context = normal(words)
        found = max(((_end_of(context, node.label), node.key) for node in data.nodes.values()
                     if node.key != key and _descends(data, node.key, key)), default=(-1, None))
        if found[0] < 0 or key in data.nodes and _end_of(context, data.nodes[key].label) > found[0]:
            return expr  # no sub-item named, or the layout's item named after it
        return ast.Attr(ast.Index(ast.Name(tree), found[1]), name)

    def names_another_item(self, expr: ast.Expr, words: str, whole: bool = False) -> bool:
        """Whether the words before a figure (in its clause, or all of them) last name an item (in any
        of its wordings) other than every item of the same tree the expression reads."""
        return any(named is not None and named not in keys for named, keys in self.items_named(expr, words, whole))

    def names_its_item(self, expr: ast.Expr, words: str) -> bool:
        """Whether the expression reads an item, and the words before the figure last name it."""
        found = list(self.items_named(expr, words))
        return bool(found) and all(named in keys for named, keys in found)

    def items_named(self, expr: ast.Expr, words: str, whole: bool = False):
        """(the item the words last name, the items the expression reads) for each tree it reads items of."""
        read: dict[str, set[str]] = {}
        for node in ast.walk(expr):
            if isinstance(node, ast.Index) and isinstance(node.target, ast.Name) and node.target.name in self.layout.trees:
                read.setdefault(node.target.name, set()).add(node.key)
        context = normal(words if whole else re.split(r"[。；]", words)[-1])
        for tree, keys in read.items():
            data = self.tables.trees.get(tree) or tree_from_layout(self.layout, tree)
            named = named_last(context, {key: normal(node.label) for key, node in data.nodes.items()})
            yield (named[1] if named else None), keys

    def about_another_item(self, expr: ast.Expr, words: str) -> bool:
        """Whether a figure bound to a whole tree's total (三公经费, 三公.全年预算, their change) is in truth
        an item's: the words before it name one of the tree's items after they last name the whole
        ("其中：因公出国（境）费支出决算为 12.02 万元，…比上年决算数增加 12.02 万元")."""
        for tree in self.whole_trees(expr, 3):
            title = normal(self.layout.trees[tree].title)
            whole = heading_subject(title) or title
            context = normal(words).replace(title, "＿" * len(title))  # the whole's own name is no item's
            data = self.tables.trees.get(tree) or tree_from_layout(self.layout, tree)
            stems = (re.sub(r"(费|支出)$", "", normal(node.label)) for node in data.nodes.values())
            named = max((context.rfind(stem) for stem in stems if len(stem) >= 4), default=-1)  # 公务用车运行(维护)费
            if named >= 0 and named > context.rfind(whole):
                return True
        return False

    def whole_trees(self, expr, depth: int) -> set[str]:
        """The trees whose whole total the expression reads, through the layout's lets."""
        if isinstance(expr, ast.Attr) and isinstance(expr.target, ast.Name) and expr.target.name in self.layout.trees:
            return {expr.target.name}
        if isinstance(expr, ast.Name) and expr.name in self.lets and not expr.period and depth > 0:
            return self.whole_trees(self.lets[expr.name].expr, depth - 1)
        found: set[str] = set()
        if isinstance(expr, (ast.BinOp, ast.Call, ast.Coalesce)) and depth > 0:
            for child in (expr.args[:1] if isinstance(expr, ast.Call) else (expr.left, expr.right)):  # a share's part
                found |= self.whole_trees(child, depth)
        return found

    def whole_tree_measure(self, expr: ast.Expr) -> Optional[tuple[str, Optional[str], str]]:
        """(tree, None, measure) for a whole tree's total (`三公.全年预算`), whose items are all below it."""
        if isinstance(expr, ast.Attr) and isinstance(expr.target, ast.Name) and expr.target.name in self.layout.trees:
            if expr.name in self.layout.trees[expr.target.name].measures:
                return expr.target.name, None, expr.name
        return None

    def location(self, paragraph: SourceParagraph, heading: str, sentence: str, span) -> Location:
        """The place of a sentence (or of the figure at `span` in it): the page it is printed on."""
        page = paragraph.place.page
        if paragraph.page_starts and sentence:
            found = paragraph.text.find(sentence)
            if found >= 0:
                page = paragraph.page_at(found + (span[0] if span else 0))
        return Location(self.shown, page, paragraph.place.sheet, section=clean(heading), sentence=sentence, span=span)

    # ---- binding ------------------------------------------------------------------------------

    def named_item(self, sequence, text: str):
        """The item of the sequence's tree named last in the text (its parents named too break a
        tie between items of the same name), and how many characters at the text's end its name
        (with 类/款/项) takes."""
        tree = root_name(sequence)
        if tree not in self.layout.trees:
            return None
        data = self.tables.trees.get(tree) or tree_from_layout(self.layout, tree)
        scope = scope_keys(sequence, data)
        classified = classified_item(text, data, scope)
        if classified == "":
            return None  # "…（类）组织事务（款）一般行政管理事务（项）": not the 一般行政管理事务 of another 款
        if classified is not None:  # "…（类）…（款）行政运行（项）": the item by its code, however the table words it
            return ast.Index(ast.Name(tree), classified), 0
        context = normal(text)
        best, best_key, best_tail = None, None, 0
        shared = shared_forms(normal(node.label) for node in data.nodes.values())
        for key, node in data.nodes.items():
            if scope is not None and key not in scope:
                continue  # a 款 is not one of the 项 a list of leaves is about
            name = printed_form(context, normal(node.label), shared)
            if not name:
                continue
            position = context.rfind(name)
            end = position + len(name)
            rest = context[end:]
            tail = len(name) + len(rest) if len(rest) <= 3 else 0
            ancestors = _ancestor_names(data, key)
            # an item named with its parents (a list entry's 类、款、项) over one merely mentioned later
            score = (sum(1 for a in ancestors if a and a in context[:position]), end)
            if best is None or score > best:
                best, best_key, best_tail = score, key, tail
        return (ast.Index(ast.Name(tree), best_key), best_tail) if best_key is not None else None

    def take(self, expr: ast.Expr, literal: str, location: Location) -> None:
        inner = expr.left if isinstance(expr, ast.Coalesce) else expr
        key = PRINT(inner) if isinstance(inner, ast.Name) else None  # 本年支出合计@全年预算: an input of its own
        if key is not None and (inner.period is None or key in self.layout.inputs) and self.tables.may_state_as_fact(key):
            if key not in self.facts and key not in self.tables.facts:
                fact = self.layout.inputs.get(key)
                unit = fact.value.unit if fact is not None else None
                self.facts[key] = (_with_unit(literal, unit), location)
                self.inputs_filled += 1
                if key not in self.layout.inputs:
                    self.totals_typed[key] = (literal, location, expr)
                return
        target = item_measure(inner, self.layout)
        if target is not None:  # an item's measure no table printed for it (an empty table's included)
            tree, key, measure = target
            data = self.tables.trees.setdefault(tree, tree_from_layout(self.layout, tree))
            node = data.nodes.get(key)
            if node is not None and measure not in node.values:
                node.values[measure] = _with_unit(literal, _measure_unit(self.layout, tree, key, measure))
                node.locations[measure] = location
                self.filled_trees.add(tree)
                self.inputs_filled += 1
                return
        self.stated.append(Stated(PRINT.wrapped(expr, 6), literal, location))
        self.stated_exprs.append(expr)

    def fill_text(self, expr: ast.Expr, text: str, location: Location, whole: bool = False) -> None:
        """A text input; a reason or purpose without the full stop the layout's sentence adds."""
        if not isinstance(text, TemplateText):
            text = text.strip() if whole else text.strip().rstrip("。；")
        if isinstance(expr, ast.Name) and expr.name in self.layout.inputs:
            if expr.name not in self.facts:
                self.facts[expr.name] = (quoted(text), location)
                self.inputs_filled += 1
            return
        if isinstance(expr, ast.Attr) and isinstance(expr.target, ast.Index) and isinstance(expr.target.target, ast.Name):
            tree, key, name = expr.target.target.name, expr.target.key, expr.name
            if tree not in self.layout.trees:
                return
            data = self.tables.trees.setdefault(tree, tree_from_layout(self.layout, tree))
            node = data.nodes.get(key)
            if node is None:
                return
            if name in data.measures:
                if name not in node.values:
                    node.values[name] = quoted(text)
                    node.locations[name] = location
                    self.filled_trees.add(tree)
                    self.inputs_filled += 1
            elif name in ("note", "reason") and name not in node.attributes:
                node.attributes[name] = text
                self.inputs_filled += 1

    # ---- inputs the text implies ---------------------------------------------------------------

    def prior_year_lets(self, filled: set[str]) -> list[str]:
        """A prior-year input the document does not print, from the change it prints: with
        `let 变动 = 本年 - 上年` and "比上年度增加 307.82 万元", 上年 = 本年 - 307.82. The change is then
        no longer a check (it holds by construction); the rate printed beside it still is."""
        lines = []
        for name, let in self.lets.items():
            expr = let.expr
            if not (isinstance(expr, ast.BinOp) and expr.op == "-" and isinstance(expr.right, ast.Name)):
                continue
            prior = PRINT(expr.right)
            if prior not in self.layout.inputs or prior in filled:
                continue
            unchanged = [where for change, where, _ in self.unchanged if change == name]
            if unchanged:  # "与上年相比无变化": the prior figure is this year's
                lines.append(f"let {prior} = {PRINT(expr.left)}  # unchanged, {unchanged[0].describe(with_file=False)}")
                filled.add(prior)
                continue
            for figure, word, literal, where in self.directions:
                if figure not in (name, f"abs({name})"):
                    continue
                sign = {"增加": "-", "增长": "-", "上升": "-", "高于": "-", "减少": "+", "下降": "+", "降低": "+",
                        "低于": "+"}.get(word)
                current = PRINT(expr.left)
                value = current if word == "持平" else f"{current} {sign} {literal}" if sign else None
                if value is None:
                    continue
                lines.append(f"let {prior} = {value}  # from \"{word} {literal}\", {where.describe(with_file=False)}")
                filled.add(prior)
                break
        return lines

    # ---- for the writer -----------------------------------------------------------------------

    def fills_tree(self, name: str) -> bool:
        return name in self.filled_trees

    def own_text_lines(self) -> list[str]:
        lines = []
        if self.published.facts:
            lines += ["", "# Figures the text prints that no sentence of the layout prints, as published:"]
            lines += [f"fact {name} = {literal}  # {where.describe(with_file=False)}: {_around(where)!r}"
                      for name, literal, where in self.published.facts]
        for name, template, where in self.own_paragraphs:
            lines += ["", f"# the department's own paragraph ({where.describe(with_file=False)})", f'para {name} "{template}"']
        for section, title, templates in self.own_sections:
            lines += ["", "# the department's own text, where the layout's sentences match nothing of it",
                      f"section {section.name} {quote(title)} {{"]
            lines += [f'  para "{template}"' for template in templates]
            lines.append("}")
        if self.unplaced:
            lines += ["", "# Paragraphs of the department's own that no section of the layout can take (their figures are above):"]
            lines += [f"#   {where.describe(with_file=False)}: {template}" for template, where in self.unplaced]
        if self.unread:
            lines += ["", "# Figures printed in the text that match no sentence of the layout (not imported):"]
            lines += [f"#   {text}" for text in self.unread]
        return lines


GENERIC_HEADING = re.compile(r"情况说明|情况|说明|决算|支出|收入|年度|财政拨款|一般公共预算|部门|单位|关于|本|的|\d+年?")




def is_prose(text: str) -> bool:
    """A sentence, or a line that prints an amount; not a 目录 line with its dot leaders and page."""
    if TOC_LINE.search(text):
        return False
    return text.rstrip().endswith(("。", "；", "！", "？")) or any(m.group(2) for m in FIGURE.finditer(text))


def heading_subject(words: str) -> str:
    return GENERIC_HEADING.sub("", words)


def heading_level(text: str) -> int:
    """1 for a part (第一部分), 2 for 一、, 3 for （一）, 4 for any other heading."""
    if PART_HEADING.match(text):
        return 1
    if re.match(r"^\s*[一二三四五六七八九十]+[、.．]", text):
        return 2
    return 3 if re.match(r"^\s*[（(][一二三四五六七八九十]+[)）]", text) else 4


def _ratio_above(words: str, wanted: str, floor: float) -> float:
    """difflib's ratio of the two, or 0 when its cheap upper bounds say it cannot reach the floor."""
    matcher = difflib.SequenceMatcher(None, words, wanted)
    if matcher.real_quick_ratio() < floor or matcher.quick_ratio() < floor:
        return 0.0
    return matcher.ratio()


def _end_of(text: str, label: str) -> int:
    """Where the last mention of a name ends in the text, or -1."""
    name = normal(label)
    position = text.rfind(name) if name else -1
    return position + len(name) if position >= 0 else -1


def _descends(data: TreeData, key: str, ancestor: Optional[str]) -> bool:
    if ancestor is None:
        return True
    parent = data.nodes[key].parent if key in data.nodes else None
    while parent is not None:
        if parent == ancestor:
            return True
        parent = data.nodes[parent].parent if parent in data.nodes else None
    return False


def _pairs(text: str) -> set[str]:
    return {text[i: i + 2] for i in range(len(text) - 1)}


def _around(where: Location) -> str:
    if not where.sentence or not where.span:
        return where.sentence or ""
    start, end = where.span
    return where.sentence[max(0, start - 12): end + 4]


# ---- the layout's sentences ---------------------------------------------------------------------

def _all_statements(body):
    for statement in body:
        yield statement
        for field in ("body", "orelse"):
            inner = getattr(statement, field, None)
            if isinstance(inner, tuple):
                yield from _all_statements(inner)


def section_slots(layout: LayoutSpec, lets: dict) -> list[SectionSlots]:
    counter = [0]

    def visit(body, loops) -> tuple[list[Slot], Optional[ast.Expr], list[SectionSlots]]:
        slots, own, children = [], None, []
        for statement in body:
            if isinstance(statement, (ast.Part, ast.Section)):
                inner, inner_own, inner_children = visit(statement.body, loops)
                named = [(p.name, normalize_context(template_words(p.template))) for p in statement.body
                         if isinstance(p, ast.Para) and p.name]
                heads = [head for p in _all_statements(statement.body) if isinstance(p, ast.Para)
                         for head in item_heads(p.template, _loops_of(statement.body, p, loops) or loops)]
                lists = [found for p in _all_statements(statement.body) if isinstance(p, ast.Para)
                         for found in list_slots(p.template, lets)]
                unchanged = [found for p in _all_statements(statement.body) if isinstance(p, ast.Para)
                             for found in zero_change_words(p.template)]
                children.append(SectionSlots(statement.name, all_words(statement.title), inner, inner_own,
                                             inner_children, section_words(statement.body), named, heads,
                                             lists, isinstance(statement, ast.Section) and _text_alone(statement.body),
                                             unchanged))
            elif isinstance(statement, ast.Para):
                slots.extend(template_slots(statement.template, loops, layout, lets, counter))
                single = _single_text(statement.template)
                own = own if own is not None else single
            elif isinstance(statement, ast.ForBlock):
                inner, _, inner_children = visit(statement.body, loops + ((statement.variable, statement.sequence),))
                slots.extend(inner)
                children.extend(inner_children)
            elif isinstance(statement, (ast.ListBlock, ast.IfBlock)):
                inner, inner_own, inner_children = visit(statement.body + getattr(statement, "orelse", ()), loops)
                slots.extend(inner)
                children.extend(inner_children)
        return slots, own, children

    _, _, sections = visit(layout.report.body, ())
    return sections


def zero_change_words(template: ast.Template) -> list[tuple[str, str]]:
    """(change, words) for each `{if change == 0}words{…}` or `{if change != 0}…{else}words{end}`:
    what a sentence prints where a change is nothing ("与上年相比无变化", "与年初预算数持平")."""
    found = []
    for part in template.parts:
        if not isinstance(part, ast.IfChain):
            continue
        for index, (condition, body) in enumerate(part.branches):
            zero = _zero_test(condition)
            if zero == "==":
                name, branch = condition.left.name, body
            elif zero == "!=" and index == 0 and part.branches[-1][0] is None:
                name, branch = condition.left.name, part.branches[-1][1]
            else:
                found += zero_change_words(body)
                continue
            words = bare_words("".join(p.text for p in branch.parts[:1] if isinstance(p, ast.Literal)))
            if len(words) >= 4:
                found.append((name, words))
            found += zero_change_words(body)
    return found


def _zero_test(condition) -> Optional[str]:
    if (isinstance(condition, ast.Compare) and condition.op in ("==", "!=") and isinstance(condition.left, ast.Name)
            and not condition.left.period and isinstance(condition.right, ast.Number) and condition.right.value == 0):
        return condition.op
    return None


def all_words(template: ast.Template) -> str:
    """A title's fixed words, those of every branch of its conditions included."""
    tokens: list = []
    flatten(template, (), tokens)
    return "".join(token for token in tokens if isinstance(token, str))


def section_words(body) -> str:
    texts = []
    for statement in _all_statements(body):
        if isinstance(statement, ast.Para):
            tokens: list = []
            flatten(statement.template, (), tokens)
            texts.extend(token for token in tokens if isinstance(token, str))
        elif isinstance(statement, ast.TextBlock):
            for template in statement.paragraphs:
                tokens = []
                flatten(template, (), tokens)
                texts.extend(token for token in tokens if isinstance(token, str))
    return normalize_context("".join(texts))


def _single_text(template: ast.Template) -> Optional[ast.Expr]:
    parts = [p for p in template.parts if not (isinstance(p, ast.Literal) and not p.text.strip())]
    if len(parts) == 1 and isinstance(parts[0], ast.Interp):
        return parts[0].expr
    return None


def template_slots(template: ast.Template, loops, layout: LayoutSpec, lets: dict, counter) -> list[Slot]:
    tokens: list = []
    flatten(template, loops, tokens)
    slots = []
    for index, token in enumerate(tokens):
        if isinstance(token, tuple):
            expr, fmt, token_loops = token
            kind = slot_kind(expr, fmt, layout, lets)
            if kind in ("name", "direction"):
                continue
            words = context_before(tokens, index, layout, lets)
            before, unqualified = normalize_context(words), without_aside(words)
            if kind == "amount" and is_prose_input(expr, layout) and re.search(r"(原因是|原因为|包括|用于|是)$", before):
                kind = "text"  # `fact 收支变动原因 = ?` printed after "主要原因是"
            counter[0] += 1
            lead = "".join(tokens[index - 1].split())[-12:] if index and isinstance(tokens[index - 1], str) else ""
            rest = tokens[index + 1] if index + 1 < len(tokens) else ""
            last = isinstance(rest, str) and not re.sub(r"[\s。；;]", "", rest) and index + 2 >= len(tokens)
            follow = "".join(rest.split())[:8] if isinstance(rest, str) else ""
            clause = clause_before(tokens, index, layout, lets)
            slots.append(Slot(expr, fmt, before, token_loops, kind, counter[0], lead, last, follow, clause, unqualified))
    return slots


def text_span(text: str, slot: Slot) -> Optional[tuple[int, int, int]]:
    """Where a text input is printed in a paragraph: (where its fixed words begin, where it begins, where
    it ends). After fixed words of its own ending in a colon ("主要产出和效益：…"), to the end of the
    sentence or paragraph; between fixed words ("评价情况来看，<text>，截止至"); or, for a text that is
    a sentence of its own ending its paragraph's template, the sentences after the last figure."""
    lead, follow = slot.lead, slot.follow
    if lead and follow and text.find(lead) >= 0 > text.find(follow):
        follow = full_width(follow)  # the layout's "(更新)" printed "（更新）"
    if lead.endswith(("：", ":")) and (len(lead) >= 3 or slot.before.endswith(NAME_MARK)):
        position = text.find(lead)
        if position < 0:
            return None
        start = position + len(lead)
        return position, start, len(text) if slot.last else _sentence_end(text, start)
    follow = follow.rstrip("。；;")
    if len(lead) >= 4 and len(follow) >= 2:
        position = text.find(lead)
        end = text.find(follow, position + len(lead)) if position >= 0 else -1
        return (position, position + len(lead), end) if end > position + len(lead) else None
    if len(lead) >= 4 and slot.last and not follow:  # "编制范围包括<text>。"
        position = text.find(lead)
        return (position, position + len(lead), _sentence_end(text, position + len(lead))) if position >= 0 else None
    if slot.last and lead.endswith("。"):
        figures = [m for m in FIGURE.finditer(_without_years(text)) if m.group(2)]
        start = text.find("。", figures[-1].end()) + 1 if figures else 0
        return (start, start, len(text)) if 0 < start < len(text) else None
    return None


def list_slots(template: ast.Template, lets: dict) -> list[ListSlot]:
    """The lists of items a sentence prints: a loop printing each item's name, in the sentence (in
    any branch of its conditions) or in the `let` the sentence prints."""
    found: list[ListSlot] = []
    _walk_lists(template, "", lets, found)
    return found


def _walk_lists(template: ast.Template, words: str, lets: dict, found: list) -> str:
    for part in template.parts:
        if isinstance(part, ast.Literal):
            words += part.text
        elif isinstance(part, ast.IfChain):
            for _, branch in part.branches:
                _walk_lists(branch, words, lets, found)
            words += FIGURE_MARK
        else:
            loop = part if isinstance(part, ast.Loop) else _let_list(part, lets)
            if loop is not None and _names_only(loop):
                let = part.expr.name if isinstance(part, ast.Interp) else None
                found.append(ListSlot(loop, normalize_context(words)[-12:], let))
            words += FIGURE_MARK
    return words


def _let_list(part, lets: dict) -> Optional[ast.Loop]:
    if not (isinstance(part, ast.Interp) and isinstance(part.expr, ast.Name) and part.expr.name in lets):
        return None
    expr = lets[part.expr.name].expr
    loops = [p for p in expr.parts if isinstance(p, ast.Loop)] if isinstance(expr, ast.Template) else []
    return loops[0] if len(loops) == 1 else None


def _names_only(loop: ast.Loop) -> bool:
    parts = [p for p in loop.body.parts if not (isinstance(p, ast.Literal) and not p.text.strip())]
    return len(parts) == 1 and isinstance(parts[0], ast.Interp) and isinstance(parts[0].expr, ast.Attr) \
        and parts[0].expr.name == "name"


def item_heads(template: ast.Template, loops) -> list[tuple[str, str]]:
    """(tree, the fixed words after `{x.name}`) for a sentence over the items of a tree."""
    tokens: list = []
    flatten(template, loops, tokens)
    heads = []
    for index, token in enumerate(tokens[:-1]):
        if not (isinstance(token, tuple) and isinstance(token[0], ast.Attr) and token[0].name == "name"):
            continue
        variable = token[0].target
        sequences = [sequence for name, sequence in token[2] if isinstance(variable, ast.Name) and name == variable.name]
        words = re.split(r"[：:，,。]", "".join(str(tokens[index + 1]).split()))[0] if isinstance(tokens[index + 1], str) else ""
        if sequences and len(words) >= 4 and root_name(sequences[-1]):
            heads.append((root_name(sequences[-1]), words))
    return heads


def _loops_of(body, wanted, loops):
    """The loops around a paragraph inside a section's body."""
    for statement in body:
        if statement is wanted:
            return loops
        if isinstance(statement, ast.ForBlock):
            found = _loops_of(statement.body, wanted, loops + ((statement.variable, statement.sequence),))
        elif isinstance(statement, (ast.ListBlock, ast.IfBlock, ast.Section, ast.Part)):
            found = _loops_of(statement.body + getattr(statement, "orelse", ()), wanted, loops)
        else:
            continue
        if found is not None:
            return found
    return None


CLASSIFIED = re.compile(r"([\u4e00-\u9fff、“”]+?)（类）(?:([\u4e00-\u9fff、“”]+?)（款）(?:([\u4e00-\u9fff、“”]+?)（项）)?)?")


@lru_cache(maxsize=512)
def standard_level(digits: int, prefix: str) -> dict[str, list[str]]:
    """The functional classification's codes of one level (3, 5 or 7 digits) under a prefix, with their
    standard names normalized."""
    from ..classification import normalized, standard_names

    return {code: [normalized(s.name) for s in standards] for code, standards in standard_names().items()
            if len(code) == digits and code.startswith(prefix) and code[0] == "2"}


def classified_codes(names: list[Optional[str]]) -> list[tuple[str, str]]:
    """(code, name) of a 类, its 款 and its 项 named in the text, as far as the classification knows them."""
    from ..classification import normalized, standard_names

    found, prefix = [], ""
    for name, digits in zip(names, (3, 5, 7)):
        if not name:
            break
        wanted = normalized(re.sub(r"^[\d.、．“\"]+", "", name))
        level = standard_level(digits, prefix)
        codes = [code for code, known in level.items() if wanted in known] or closest_named(wanted, level)
        if len(codes) != 1:
            break
        found.append((codes[0], wanted))
        prefix = codes[0]
    return found


AFTER_ITEM_CHAIN = re.compile(r"[（(]项[)）][”\"]?\s*$")  # a figure right after an item named by 类, 款 and 项
ITEM_PARAGRAPH = re.compile(r"^\s*(\d{1,2}\s*[、.．]|[（(]\d{1,2}[)）])?\s*[“\"]?[\u4e00-\u9fff、“”]+?[（(]类[)）]")


def _uses_loop(slot) -> bool:
    return any(_uses(slot.expr, variable) for variable, _ in slot.loops)


def classified_item(text: str, data: TreeData, scope: Optional[list[str]]) -> Optional[str]:
    """The code of the item the text last names by 类, 款 and 项 ("社会保障和就业支出（类）行政事业单位
    养老支出（款）机关事业单位职业年金缴费支出（项）" is 2080506), when the tree has that item in scope; ""
    when the chain names an item the tree does not have in scope."""
    chains = list(CLASSIFIED.finditer(text.replace("(", "（").replace(")", "）")))
    if not chains or not any(node.is_code for node in data.nodes.values()):
        return None
    last = chains[-1]
    codes = classified_codes([last.group(1), last.group(2), last.group(3)])
    named = sum(1 for group in (last.group(1), last.group(2), last.group(3)) if group)
    if len(codes) != named:  # a name the classification does not know: the tree's item of that name
        return _named_in_chain([last.group(1), last.group(2), last.group(3)], data, scope)
    code = codes[-1][0]
    return code if code in data.nodes and (scope is None or code in scope) else ""  # an item the tree does not have


def _named_in_chain(names: list[Optional[str]], data: TreeData, scope: Optional[list[str]]) -> Optional[str]:
    """The one item of the tree named as the chain's last name (群众文化 of "…（类）文化和旅游（款）群众文化
    （项）") under an item named as the one before it, where the table names it so: not an item a later
    clause mentions ("…群众文化活动" is no mention of 文化活动); "" where the tree has that name only under
    another parent (一般行政管理事务 of 群众团体事务 is not the one of 组织事务)."""
    printed = [normal(name) for name in names if name]
    parent = printed[-2] if len(printed) > 1 else None
    named = [key for key, node in data.nodes.items() if normal(node.label) == printed[-1] and (scope is None or key in scope)]
    under = [key for key in named if parent is None or data.nodes[key].parent not in data.nodes
             or _alike(normal(data.nodes[data.nodes[key].parent].label), parent)]
    if len(under) == 1:
        return under[0]
    return "" if named and not under else None


def _alike(label: str, printed: str) -> bool:
    """A table's name and the text's for one item, one cut or run into a neighbour's ("出污染防治")."""
    return bool(label) and (label in printed or printed in label)


def closest_named(wanted: str, level: dict[str, list[str]]) -> list[str]:
    """The one code whose standard name the printed one is a wording of: the name cut or lengthened
    ("一般公共服务" for 一般公共服务支出, "归口管理的行政单位离退休" for 行政单位离退休), or an older name
    clearly closer to it than to any other ("文化体育与传媒支出"); none when two are as close."""
    if len(wanted) < 2:
        return []
    held = [code for code, known in level.items() if any(k in wanted or k == wanted + "支出" for k in known if len(k) >= 2)]
    if len(held) == 1:
        return held
    scored = sorted(((max(difflib.SequenceMatcher(None, wanted, k).ratio() for k in known), code)
                     for code, known in level.items()), reverse=True)
    if scored and scored[0][0] >= 0.6 and (len(scored) == 1 or scored[0][0] - scored[1][0] >= 0.15):
        return [scored[0][1]]
    return []


def declared_names(layout: LayoutSpec) -> set[str]:
    """Every name the layout declares (inputs, lets, trees), with its period (`X@全年预算`)."""
    names = set(layout.trees) | set(layout.inputs)
    for statement in _all_statements(layout.report.body):
        if isinstance(statement, (ast.Let, ast.Fact)):
            target = statement.target
            names.add(target.name)
            if getattr(target, "period", None):
                names.add(f"{target.name}@{target.period}")
    return names


def claimed_base(expr: ast.Expr, words: str, declared: set[str]) -> ast.Expr:
    """A completion rate bound to what its sentence claims: "完成年初预算的 95.89%" is a rate over the
    年初预算 even where the layout's sentence compares with the 全年预算."""
    claims = BUDGET_KIND.findall(words)
    if not claims or not (isinstance(expr, ast.Call) and expr.function == "rate" and len(expr.args) == 2):
        return expr
    claim = claims[-1] + "预算"
    base = _base_for(expr.args[1], claim, declared)
    return ast.Call("rate", (expr.args[0], base)) if base is not None else expr


def _base_for(base: ast.Expr, claim: str, declared: set[str]) -> Optional[ast.Expr]:
    if isinstance(base, ast.Coalesce):
        return _base_for(base.left, claim, declared) or _base_for(base.right, claim, declared)
    if isinstance(base, ast.Attr) and BUDGET_KIND.fullmatch(base.name):
        return ast.Attr(base.target, claim)
    if isinstance(base, ast.Name) and base.period and BUDGET_KIND.fullmatch(base.period):
        return ast.Name(base.name, claim) if f"{base.name}@{claim}" in declared else None
    return None


def _text_alone(body) -> bool:
    return not any(isinstance(s, (ast.Table, ast.Items, ast.Fact, ast.Let, ast.Check, ast.Chart))
                   for s in _all_statements(body))


def _is_layout_sentence(text: str, words: str) -> bool:
    """A paragraph with no figure that is one of the layout's fixed sentences ("本部门当年无……")."""
    printed = normalize_context(re.sub(r"^\s*[一二三四五六七八九十\d]+[、.．]?", "", text))
    if len(printed) < 6 or len(printed) > 400:  # the layout's fixed sentences are short; the cost stays bounded
        return bool(CHART_CAPTION.match(text))
    matcher = difflib.SequenceMatcher(None, printed, words, autojunk=False)
    common = sum(block.size for block in matcher.get_matching_blocks() if block.size >= 4)
    return common >= 0.75 * len(printed) or bool(CHART_CAPTION.match(text))


def _figure_end(match, kind: str) -> int:
    """Where a figure's text ends: a percentage with its sign (the format prints it), else the number."""
    return match.end(2) if kind == "percent" else match.end(1)


def _sentence_end(text: str, start: int) -> int:
    found = re.search(r"[。；;]", text[start:])
    return start + found.start() if found else len(text)


def _is_label(text: str, match) -> bool:
    """A number that names rather than counts: 图 1, 附件 2, 公开01表, （3）, "3＋1"."""
    before, after = text[: match.start(1)].rstrip(), text[match.end(1):]
    if re.search(r"(图|表|附件|附表|第|公开)$", before) or re.match(r"\s*(号?表|张表)", after) \
            or after[:1] in ("＋", "+") or before[-1:] in ("＋", "+"):  # 公开01表, 表 3, 第 3 表
        return True
    if before[-1:] in ("(", "（") and after.lstrip()[:1] in (")", "）"):
        return True
    if re.match(r"\s*(弄|号|分钟|小时)", after):
        return True  # an address (管弄路 252 弄 4 号) or a span of time (15 分钟社区生活圈), not a figure
    return not before.strip(" 　") and "." in match.group(1) and match.group(2) is None  # "1.1推进…"


def is_prose_input(expr, layout: LayoutSpec) -> bool:
    return (isinstance(expr, ast.Name) and expr.name in layout.inputs
            and layout.inputs[expr.name].value.unit is None)


def flatten(template: ast.Template, loops, tokens: list) -> None:
    for part in template.parts:
        if isinstance(part, ast.Literal):
            tokens.append(part.text)
        elif isinstance(part, ast.Interp):
            tokens.append((part.expr, part.format, loops))
        elif isinstance(part, ast.IfChain):
            for _, branch in part.branches:
                flatten(branch, loops, tokens)
        elif isinstance(part, ast.Loop):
            flatten(part.body, loops + ((part.variable, part.sequence),), tokens)


def context_before(tokens: list, index: int, layout, lets) -> str:
    words = ""
    for token in reversed(tokens[:index]):
        if isinstance(token, str):
            words = token + words
        else:
            kind = slot_kind(token[0], token[1], layout, lets)
            if kind == "name":
                words = NAME_MARK + words
            elif kind == "direction":
                words = DIRECTION_MARK + words
            elif kind == "text":
                break  # the department's own words (主要用于……) say nothing of the figure after them
            else:
                words = FIGURE_MARK + words
        if len(normalize_context(words)) >= 12:
            break
    return words


def without_aside(words: str) -> str:
    """The words before a figure without an aside in brackets and the verb linking them to the figure:
    where two wordings of one statement most often differ ("政府采购金额（以合同签订为准）为" and
    "政府采购金额（合同金额）共计"). A one- to three-character bracket — （境）, （类）— stays."""
    return LINKING_VERB.sub("", normalize_context(ASIDE.sub("", words)))


def clause_before(tokens: list, index: int, layout, lets) -> str:
    """The fixed words before a placeholder back to the figure (or text) printed before it: the words
    that say what it is, its qualifier (中小 or 小微) among them."""
    words = ""
    for token in reversed(tokens[:index]):
        if isinstance(token, str):
            words = token + words
            continue
        kind = slot_kind(token[0], token[1], layout, lets)
        if kind not in ("name", "direction"):
            break
        words = (NAME_MARK if kind == "name" else DIRECTION_MARK) + words
    return _without_unit(normalize_context(words))


def slot_kind(expr, fmt: Optional[str], layout: LayoutSpec, lets: dict) -> str:
    if fmt in ("增减", "升降", "大小"):
        return "direction"
    if isinstance(expr, ast.Attr) and expr.name in ("name", "path", "index", "code"):
        return "name"
    if isinstance(expr, ast.Name) and expr.name in ("department", "year"):
        return "name"
    if isinstance(expr, ast.BinOp) or isinstance(expr, ast.Number):
        if _mentions_year(expr):
            return "name"
    if isinstance(expr, ast.Attr) and (expr.name in ("note", "reason") or _is_text_measure(expr, layout)):
        return "text"
    if fmt and "%" in fmt:
        return "percent"
    inner = expr.operand if isinstance(expr, ast.Neg) else expr
    if isinstance(inner, ast.Call) and inner.function == "abs" and inner.args:
        inner = inner.args[0]
    if isinstance(inner, ast.Call) and inner.function in ("share", "rate", "change"):
        return "percent"
    if isinstance(inner, ast.Name) and inner.name in lets and (lets[inner.name].format or "").startswith("%"):
        return "percent"
    if isinstance(inner, ast.Name) and inner.name in layout.inputs:
        unit = layout.inputs[inner.name].value.unit
        if unit and unit not in ("万元", "元", "亿元"):
            return "count"
    if isinstance(expr, ast.Coalesce) and isinstance(expr.right, ast.Number) and expr.right.unit in COUNT_UNITS:
        return "count"
    if isinstance(inner, ast.Attr) and inner.name.endswith("数量"):
        return "count"  # x.数量 of 车辆: a count, never an amount of money
    if fmt in (".2",) and isinstance(inner, ast.Name) and inner.name in layout.inputs:
        return "count"
    return "amount"


def _mentions_year(expr) -> bool:
    return isinstance(expr, ast.BinOp) and any(isinstance(side, ast.Name) and side.name == "year"
                                               for side in (expr.left, expr.right))


def _is_text_measure(expr: ast.Attr, layout: LayoutSpec) -> bool:
    tree = root_name(expr)
    return tree in layout.trees and expr.name == "内容"


def bare_words(text: str) -> str:
    """The words without spaces and punctuation: "收入合计持平" is not "收入合计减少"."""
    return re.sub(r"[\s“”\"'、，,。；;：:（）()]", "", text)


OWN_TAIL = 6
ASIDE = re.compile(r"[（(][^（）()]{4,16}[）)]")
LINKING_VERB = re.compile(r"(共计|合计|总计|为|是)$")


def normalize_context(text: str) -> str:
    text = DIRECTION.sub(DIRECTION_MARK, text)
    text = FIGURE.sub(lambda m: FIGURE_MARK + (m.group(2) or ""), text)
    return bare_words(text)


def figure_kind(unit: Optional[str]) -> str:
    """percent, money (万元), count (a unit that counts: 人, 场次), or number (no unit printed)."""
    if unit == "%":
        return "percent"
    if unit in COUNT_UNITS:
        return "count"
    return "money" if unit in MONEY_UNITS else "number"


def figure_literal(number: str, unit: Optional[str], kind: str) -> str:
    number = number.replace(",", "")
    if kind == "percent":
        return number + "%"
    if kind == "count":
        return f"{number} {unit.replace('（', '').replace('）', '')}"
    return number


def mark_name(plain: str, label: str) -> str:
    """The printed words with the item's name (and a 类/款/项 after it) replaced by the name mark."""
    position = plain.rfind(label) if label else -1
    if position < 0:
        return plain
    end = position + len(label)
    if plain[end: end + 1] in ("类", "款", "项"):
        end += 1
    return plain[:position] + NAME_MARK + plain[end:]


def counts_alike(unit: Optional[str], slot: Slot, before: str = "") -> bool:
    """A count binds only where the layout counts in its unit: "0 人次" is no number of 团组 ("{出国团组数} 个"),
    "2 批次" no amount of money."""
    if unit not in COUNT_UNITS:
        return True
    if slot.follow.startswith(MONEY_UNITS):
        return False  # "公务接待 2 批次" is no amount of money ("公务接待费支出 {…} 万元")
    counted = next((u for u in COUNT_UNITS if slot.follow.startswith(u)), None)
    return counted is None or counted == unit or counted_before(unit, counted, before)


def counted_before(unit: Optional[str], counted: str, before: str) -> bool:
    """"接待批次 1 次": the layout's unit (批次) named right before the figure, printed in a shorter one."""
    return bool(unit) and counted.endswith(unit) and bare_words(before).endswith(counted)


def kinds_agree(printed: str, wanted: str) -> bool:
    """An amount of money never binds to a count; a count or a bare number to a count or an amount (a
    layout's `let` of a count is not told apart from an amount)."""
    if printed == "money":
        return wanted == "amount"
    if printed in ("number", "count"):
        return wanted in ("amount", "count")
    return printed == wanted


def slot_score(printed: str, wanted: str, weights: Optional[dict] = None) -> float:
    """How well the slot's fixed words fit the printed words before a figure; a direction word
    before the figure asks for one before the slot."""
    printed, wanted = printed[-16:], re.sub(r"[为是]$", "", wanted[-12:])  # "预算为 52.00" and "预算 52.00"
    if not wanted or printed.endswith(DIRECTION_MARK) != wanted.endswith(DIRECTION_MARK):
        return 0.0
    if _compared_with(printed) and _compared_with(wanted) and _compared_with(printed) != _compared_with(wanted):
        return 0.0  # "比上年决算数增加" is a change from the prior year, never a difference from the budget
    weights = weights or {}
    near = wanted[-4:]  # a distinctive word next to the figure (优, 良) that the text lacks counts against
    missing = 0.0 if near.endswith((NAME_MARK, DIRECTION_MARK)) else sum(
        weights.get(char, 1.0) for char in set(near) if char not in printed[-8:] and weights.get(char, 1.0) > 0.8)
    facing = 2.0 if wanted.endswith(DIRECTION_MARK) else 0.0  # "增加 <figure>" against "{d:增减} <figure>"
    return _resemblance(printed, wanted, weights) - 1.5 * missing + facing


def rival_words(slots: list[Slot]) -> list[frozenset[str]]:
    """The words the layout prints in place of one another in otherwise alike clauses ("预留给中小企业
    的项目中…" and "预留给小微企业的项目中…": 中小 | 小微), grouped: the qualifiers that tell its
    figures apart."""
    clauses = sorted({slot.clause for slot in slots if len(slot.clause) >= 4})
    groups: list[set[str]] = []
    for position, one in enumerate(clauses):
        for other in clauses[position + 1:]:
            if abs(len(one) - len(other)) > 4:
                continue
            for pair in _substitutions(one, other):
                joined = [group for group in groups if group & set(pair)]
                merged = set(pair).union(*joined)
                groups = [group for group in groups if group not in joined] + [merged]
    return [frozenset(group) for group in groups]


def _substitutions(one: str, other: str) -> list[tuple[str, str]]:
    """The runs of one clause that the other replaces, where the two are otherwise the same: each run
    of 1–4 Chinese characters against 1–4, the rest (at least 4 characters) in common."""
    anchors = [block for block in difflib.SequenceMatcher(None, one, other, autojunk=False).get_matching_blocks()
               if block.size >= 2]
    if sum(block.size for block in anchors) < 4:
        return []
    pairs, start_one, start_other = [], 0, 0
    for block in anchors + [difflib.Match(len(one), len(other), 0)]:
        run_one, run_other = one[start_one: block.a], other[start_other: block.b]
        if run_one and run_other:
            if not (QUALIFIER.fullmatch(run_one) and QUALIFIER.fullmatch(run_other)):
                return []
            pairs.append((run_one, run_other))
        elif (run_one or run_other) and (start_one or start_other):
            return []  # words one clause adds are no rival of any (but at its start, "其中")
        start_one, start_other = block.a + block.size, block.b + block.size
    return pairs


QUALIFIER = re.compile(r"[\u4e00-\u9fff]{1,4}")


def contradicts(printed: str, clause: str, groups: list[frozenset[str]]) -> bool:
    """The printed words before a figure name one of a group of rival qualifiers (小微) and no other,
    the slot's clause only others (中小): the figure is not the slot's, however alike the words around."""
    for group in groups:
        said = {word for word in group if word in printed}
        meant = {word for word in group if word in clause}
        if len(said) == 1 and meant and not meant & said:
            return True
    return False


def printed_clause(plain: str) -> str:
    """The printed words before a figure back to the figure before it, without that figure's unit."""
    return _without_unit(plain[plain.rfind(FIGURE_MARK) + 1:])


def _without_unit(words: str) -> str:
    """A clause without the unit of the figure it follows ("万元其中为…" is "其中为…")."""
    unit = next((u for u in MONEY_UNITS + COUNT_UNITS + ("%",) if words.startswith(u)), "")
    return words[len(unit):]


COMPARED_WITH = re.compile(r"(?:比|较|与)(上年|上一年|去年|年初预算|全年预算|调整预算|预算)")


def _compared_with(words: str) -> Optional[str]:
    """What a change is measured from, by the words before its direction word: the prior year or a budget."""
    found = COMPARED_WITH.findall(words)
    return None if not found else ("上年" if found[-1] in ("上年", "上一年", "去年") else "预算")


def rarity(slots: list[Slot]) -> dict[str, float]:
    """A character's weight in a section: those that tell its sentences apart (优, 良, 基本, 项目)
    count more than those all of them share (的, 万元)."""
    counts: dict[str, int] = {}
    for slot in slots:
        for char in set(slot.before[-12:]):
            counts[char] = counts.get(char, 0) + 1
    total = max(1, len(slots))
    return {char: 0.5 + 1.5 * (1 - count / total) for char, count in counts.items()}


def _resemblance(printed: str, wanted: str, weights: dict) -> float:
    """Characters in common, in order, counting those nearest the figure and the rarest most."""
    matcher = difflib.SequenceMatcher(None, printed, wanted, autojunk=False)
    score = 0.0
    for block in matcher.get_matching_blocks():
        if block.size:
            nearness = 1.0 + (block.b + block.size) / max(1, len(wanted))
            weight = sum(weights.get(char, 1.0) for char in wanted[block.b: block.b + block.size])
            score += weight * nearness / 2
    tail = 0.0
    index = 0
    while index < min(len(printed), len(wanted)) and printed[-1 - index] == wanted[-1 - index]:
        tail += weights.get(wanted[-1 - index], 1.0)
        index += 1
    return score + tail


def _is_layout_text(text: str, match, words: str) -> bool:
    """A figure that is part of the layout's own wording (单价 100 万元以上)."""
    around = normalize_context(text[max(0, match.start() - 4): match.end() + 3])
    return len(around) > 5 and around in words


def split_sentences(text: str) -> list[str]:
    return [s for s in SENTENCE_END.split(text) if s.strip()]


def _without_years(text: str) -> str:
    """Years, dates and list numbers blanked out (same length, so spans stay true)."""
    text = re.sub(r"(19|20)\d\d(?=\s*(年|—|-))", lambda m: " " * len(m.group()), text)
    text = re.sub(r"\d+(?=\s*(月|日|号|届|部分))", lambda m: " " * len(m.group()), text)
    return text


BASE_MENTION = re.compile(r"(基数|基期数|分母)\s*(为|是|：|:)?\s*$")


def _is_base_mention(text: str, match) -> bool:
    """The base of a rate named to say why no rate is printed ("增长--（上年基数为0，不可比）", "因上年基数
    为0，无法计算增长率"): it states no amount and no rate of its own."""
    return bool(BASE_MENTION.search(text[: match.start(1)]))


def _is_numbering(text: str, match) -> bool:
    after = text[match.end(): match.end() + 2].lstrip("“”\"")[:1]  # 11“. 灾害防治…: a quote misplaced
    if match.group(2) is None and not text[:match.start()].strip() and re.match(ROW_NUMBER, text[match.start():]):
        return True  # "2 上海市××中心": a row's number, where a list printed as text begins its line
    return after in ("、", ".", "．") and match.group(2) is None


def _uses(expr, variable: str) -> bool:
    if isinstance(expr, ast.Name):
        return expr.name == variable
    if attrs.has(type(expr)):
        for field in attrs.fields(type(expr)):
            value = getattr(expr, field.name)
            values = value if isinstance(value, tuple) else (value,)
            if any(attrs.has(type(v)) and _uses(v, variable) for v in values):
                return True
    return False


def _ancestor_names(data: TreeData, key: str) -> list[str]:
    names = []
    parent = data.nodes[key].parent
    while parent is not None and parent in data.nodes:
        names.append(normal(data.nodes[parent].label))
        parent = data.nodes[parent].parent
    return names


def _with_unit(literal: str, unit: Optional[str]) -> str:
    """The literal in the input's own unit (the layout's), when it has one."""
    if unit and " " in literal:
        return literal.split(" ")[0] + f" {unit}"
    if unit and unit not in ("万元", "元", "亿元") and " " not in literal and not literal.endswith("%"):
        return f"{literal} {unit}"
    return literal


def _measure_unit(layout: LayoutSpec, tree: str, key: str, measure: str) -> Optional[str]:
    spec = layout.trees[tree]
    index = spec.measures.index(measure)

    def find(nodes):
        for node in nodes:
            if node.key == key:
                value = node.values[index] if index < len(node.values) else None
                return getattr(value, "unit", None)
            found = find(node.children)
            if found:
                return found
        return None

    return find(spec.nodes)
