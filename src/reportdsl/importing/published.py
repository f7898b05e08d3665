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

LABEL_STOP = re.compile(r"[，,。；;：:、（）()“”\"'《》/]")
LABEL_TAIL = re.compile(r"(为|是|达到|达|共计|共|累计|合计|约|近|超过|以上|计)+$")
LABEL_HEAD = re.compile(r"^([一二三四五六七八九十]+是|其中|以及|并|和|及|与|共|累计|全年|已)+")
LABEL_LENGTH = 10


@attrs.frozen
class Figure:
    """One figure printed in a paragraph: its span in the paragraph's text, its literal in the
    report's syntax, its kind and the decimals printed."""

    start: int
    end: int
    literal: str
    kind: str  # percent | money | number | count
    decimals: int


def label_of(words_before: str) -> str:
    """A name for a figure: the last words before it, up to the nearest punctuation."""
    words = re.sub(r"[（(][^（()）]*[)）]", "", words_before).rstrip()  # "金额（以合同签订为准）为"
    clause = LABEL_STOP.split(words)[-1] if words else ""
    clause = re.sub(r"[^\w]", "", clause)
    clause = re.sub(r"\d+", "", clause)
    clause = LABEL_HEAD.sub("", LABEL_TAIL.sub("", clause))
    clause = clause[-LABEL_LENGTH:]
    return clause if clause and not clause[0].isdigit() and not clause.isascii() else "文中数字"


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
