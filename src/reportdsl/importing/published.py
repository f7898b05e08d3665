"""Figures of the prose that no sentence of the layout prints. Each is typed once, as published, in a
`fact` named by the words printed before it, with its place; the same words with the same figure
printed again elsewhere are stated against that fact (a later copy that differs is its own fact, as
"新建企业科协 2 家" the target and "新建企业科协 3 家" the result are two figures). A paragraph that
matches no sentence is kept as the department's own text with these facts in place of its figures,
so that every figure of the report is still typed once."""

from __future__ import annotations

import re
import attrs

from .located import Location, Stated

LABEL_STOP = re.compile(r"[，,。；;：:（）()《》/]")
LABEL_TAIL = re.compile(r"(为|是|达到|达|共计|共|累计|合计|约|近|超过|以上|计)+$")
LABEL_HEAD = re.compile(r"^([一二三四五六七八九十]+是|其中|以及|并|和|及|与|共|累计|全年|已)+")
LABEL_LENGTH = 12


@attrs.frozen
class Figure:
    """One figure printed in a paragraph: its span in the paragraph's text, its literal in the
    report's syntax, its kind and the decimals printed."""

    start: int
    end: int
    literal: str
    kind: str  # percent | money | number | count
    decimals: int


PREDICATE = re.compile(r"^(完成|比|较|与|占|同比|环比|增加|减少|增长|下降|降低|上升|持平|各|均|分别|其中|达到|达)")
SUBJECT_END = re.compile(r"(支出决算数|支出决算|决算数|决算|预算数)?(各|均|分别)?(为|是|共|达到|达|完成|比|较|占|同比|增加|减少|增长|下降).*$")
SUBJECT_TAIL = re.compile(r"(财政拨款|支出决算|决算数|决算|的)+$")
FIGURE_IN_WORDS = re.compile(r"-?\d[\d,]*(\.\d+)?\s*(%|％|万元|亿元|元|人次|场次|[个人次场家篇条辆台套项批名所座处期份本])?")
OWNER = re.compile(r"^.*?(?:\d{4}|\s{4})\s*年度?")  # "广东省财政厅2023年度…": the words after the year
PART_LENGTH = 8


def label_of(words_before: str) -> str:
    """A readable name for a figure the layout does not print: the words before it in its clause
    ("公务接待费支出决算为 22.59" is 公务接待费); where those only say what is done with a figure
    ("完成预算 43.2 万元的 52.3%", "增长 29.9%", "占 19.4%"), the thing of the nearest clause before
    that names one comes first (公务接待费完成预算, 公务接待费增长)."""
    clauses = LABEL_STOP.split(_plain(words_before))
    predicate = _words(clauses[-1]) if clauses else ""
    if predicate and not PREDICATE.match(predicate):
        named = SUBJECT_TAIL.sub("", LABEL_HEAD.sub("", LABEL_TAIL.sub("", predicate))) or predicate
        return _short(named, "文中数字", from_end=True)
    predicate = LABEL_TAIL.sub("", PREDICATE_LEAD.sub("", predicate))
    predicate = "占比" if predicate == "占" else predicate
    for clause in reversed(clauses[:-1]):
        subject = _subject(clause)
        if subject:
            return _short(subject, "") + _short(predicate, "")
    return _short(predicate, "文中数字")


PREDICATE_LEAD = re.compile(r"^(各|均|分别|其中)+")


def _plain(words: str) -> str:
    """The words with parentheses, figures and their units taken out ("完成预算 43.2 万元的" is 完成预算的)."""
    words = re.sub(r"[（(][^（()）]*[)）]", "", words)
    return FIGURE_IN_WORDS.sub("", OWNER.sub("", words) if OWNER.match(words) else words)


def _words(clause: str) -> str:
    return re.sub(r"[^\w]|\d", "", clause).rstrip("的")


def _subject(clause: str) -> str:
    words = LABEL_HEAD.sub("", _words(clause))
    if not words or PREDICATE.match(words):
        return ""
    return SUBJECT_TAIL.sub("", SUBJECT_END.sub("", words))


VERB = re.compile(r"(开展|组织|提交|上报|推送|举办|新建|完成|召开|更新|提供|参加|指导|培训|发放|购置|接待|支出|收到)")
BOUNDARY = re.compile(r"[的等和及与向在对为把将由、]")


def _short(words: str, empty: str, from_end: bool = False) -> str:
    """At most so many characters from the end, cut where a phrase begins rather than inside a word:
    "向区委区政府提交科技工作者建议报告" is 提交科技工作者建议报告."""
    limit = LABEL_LENGTH if from_end else PART_LENGTH
    if len(words) > limit:
        tail = words[-limit:]
        verbs = [m.start() for m in VERB.finditer(tail) if len(tail) - m.start() >= 4]
        bounds = [m.end() for m in BOUNDARY.finditer(tail) if len(tail) - m.end() >= 4]
        cut = verbs[0] if verbs else (bounds[-1] if bounds else 0)
        words = tail[cut:]
    return words if words and not words.isascii() else empty


def interpolation(name: str, figure: Figure) -> str:
    """`{name}` with the format that prints the figure with the decimals it was printed with."""
    if figure.kind == "percent":
        return f"{{{name}:%.{figure.decimals}}}"
    if figure.kind in ("money", "number") and figure.decimals != 2:
        return f"{{{name}:.{figure.decimals}}}"
    return f"{{{name}}}"


def escape_template(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("{", "{{").replace("}", "}}")


class PublishedFigures:
    """The facts typed for figures that match no sentence, and the entries that state repeats."""

    def __init__(self, taken: set[str]):
        self.taken = set(taken)
        self.facts: list[tuple[str, str, Location]] = []
        self.stated: list[Stated] = []
        self.by_label: dict[str, list[tuple[str, str]]] = {}

    def add(self, words_before: str, figure: Figure, location: Location) -> str:
        """The name the figure is typed under (a new fact, or the fact of the same words and figure)."""
        label = label_of(words_before)
        for name, literal in self.by_label.get(label, []):
            if literal == figure.literal:
                self.stated.append(Stated(name, figure.literal, location))
                return name
        name = self.fresh(label)
        self.by_label.setdefault(label, []).append((name, figure.literal))
        self.facts.append((name, figure.literal, location))
        return name

    def fresh(self, label: str) -> str:
        name, number = label, 1
        while name in self.taken:
            number += 1
            name = f"{label}{number}"
        self.taken.add(name)
        return name

    def template(self, text: str, figures: list[tuple[Figure, str]]) -> str:
        """The paragraph's text with each figure replaced by its fact, as a narrative template."""
        pieces, position = [], 0
        for figure, name in sorted(figures, key=lambda pair: pair[0].start):
            pieces.append(escape_template(text[position: figure.start]))
            pieces.append(interpolation(name, figure))
            position = figure.end
        pieces.append(escape_template(text[position:]))
        return "".join(pieces)


def own_section_title(heading: str) -> str:
    """A printed heading without its number (一、 （二） 1. (3)), which the document derives."""
    return re.sub(r"^\s*(第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d+[、.．]?)\s*", "", heading)


def decimals_of_number(number: str) -> int:
    return len(number.split(".")[1]) if "." in number else 0
