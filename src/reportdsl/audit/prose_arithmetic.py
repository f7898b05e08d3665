"""The arithmetic a paragraph of a published document does with its own figures, checked without a
layout: a share (占 p%) against its amount and whole (RD549), the shares of one breakdown against
100% (RD550), a change rate (增长 r%) against the amounts it compares (RD551), and a completion rate
against the budget difference its sentence prints (RD552). A sentence that the importer matched to
the layout is checked by the report as well; this one reads the wording any disclosure uses, so a
document worded unlike the layout is still checked.

Every printed amount stands for any value that rounds to it (4143.91 万元 is 4143.905 to 4143.915):
a rate is wrong only when no such values give it."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal
from typing import Iterator, Optional

import attrs

from ..importing.located import Location
from ..importing.source import Disclosure
from ..wording import sentences
from .document_checks import finding
from .locate import Finding
from .paragraphs import paragraph_places, sentence_place

NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
UNIT = r"万元|亿元|元"
IN_YUAN = {"元": Decimal(1), "万元": Decimal(10_000), "亿元": Decimal(100_000_000)}
AMOUNT = re.compile(rf"(?P<number>{NUMBER})\s*(?P<unit>{UNIT})")
SHARE = re.compile(rf"(?P<number>{NUMBER})\s*(?P<unit>{UNIT})\s*[，,]?\s*占(?P<whole>[^，,；;。：:%％\d]{{0,24}}?)的?\s*"
                   rf"(?P<rate>\d+(?:\.\d+)?)\s*[%％]")
# 与上年相比增加 12.00 万元，增长 5.2%; 比上年减少…，下降…; 同比…
CHANGE = re.compile(rf"(?P<word>增加|减少|增长|下降|降低)\s*(?P<number>{NUMBER})\s*(?P<unit>{UNIT})\s*[，,]?\s*"
                    rf"(?P<rate_word>增长|增加|上升|下降|降低|减少)(?:了)?\s*(?P<rate>\d+(?:\.\d+)?)\s*[%％]")
# 收、支总计各是 A,B 万元 / 分别为 A 万元、B 万元, and 各减少 d1,d2 万元，各下降 r1%、r2%
LISTED = re.compile(rf"(?:各|分别)(?:是|为)?\s*(?P<numbers>(?:(?:{NUMBER})\s*(?:{UNIT})?\s*[,，、和]\s*)+(?:{NUMBER}))\s*(?P<unit>{UNIT})")
LISTED_CHANGE = re.compile(rf"各(?P<word>增加|减少)\s*(?P<numbers>(?:(?:{NUMBER})\s*(?:{UNIT})?\s*[,，、]\s*)+(?:{NUMBER}))\s*"
                           rf"(?P<unit>{UNIT})\s*[，,]?\s*各(?P<rate_word>增长|下降|降低)\s*(?P<rates>(?:\d+(?:\.\d+)?\s*[%％]?\s*[,，、]\s*)+"
                           rf"\d+(?:\.\d+)?)\s*[%％]")
COMPLETION = re.compile(r"完成(?:年初|全年|调整后的?)?预算(?:数)?的?\s*(?P<rate>\d+(?:\.\d+)?)\s*[%％]")
BEYOND = re.compile(rf"(?:决算数?)?(?P<word>大于|小于|超过|低于|高于)(?:年初|全年)?预算(?:数)?\s*(?:(?P<number>{NUMBER})\s*(?P<unit>{UNIT}))?")
CHANGE_BEFORE = re.compile(r"(增加|减少|增长|下降|降低|大于|小于|超过|低于|高于|节约|超支|预算为?|预算数为?)\s*$")
CHANGED = re.compile(r"(增加|减少|增长|下降|降低|大于|小于|超过|低于|高于|节约|超支)\s*$")
OPENER = re.compile(r"其中|[:：]")
UP = {"增加", "增长", "上升"}


@attrs.frozen
class Figure:
    value: Decimal  # in 元
    slack: Decimal  # half a unit of its last printed digit, in 元
    start: int
    end: int
    text: str


def figure(number: str, unit: str, start: int, end: int, text: str) -> Figure:
    value = Decimal(number.replace(",", ""))
    places = -value.as_tuple().exponent if isinstance(value.as_tuple().exponent, int) else 0
    half = Decimal(5).scaleb(-places - 1)
    return Figure(value * IN_YUAN[unit], half * IN_YUAN[unit], start, end, text)


def rate_slack(rate: str) -> Decimal:
    places = len(rate.split(".")[1]) if "." in rate else 0
    return Decimal(5).scaleb(-places - 1)


def quotient_range(top: Figure, bottom_low: Decimal, bottom_high: Decimal) -> Optional[tuple[Decimal, Decimal]]:
    """The percentages top / bottom can be, with both anywhere within what rounds to their print."""
    if bottom_low <= 0:
        return None
    low = max(top.value - top.slack, Decimal(0)) / bottom_high * 100
    high = (top.value + top.slack) / bottom_low * 100
    return low, high


def agrees(rate: Decimal, slack: Decimal, possible: tuple[Decimal, Decimal]) -> bool:
    return rate + slack >= possible[0] and rate - slack <= possible[1]


def nearest(low: Decimal, high: Decimal, places: int) -> str:
    middle = (low + high) / 2
    return str(middle.quantize(Decimal(1).scaleb(-places)))


def places_of(rate: str) -> int:
    return len(rate.split(".")[1]) if "." in rate else 0


def levels(text: str, before: int) -> list[Figure]:
    """The amounts printed before `before` that are levels (收入 1.00 万元), not changes or gaps
    (增加 1.00 万元, 大于预算 1.00 万元)."""
    found = []
    for match in AMOUNT.finditer(text, 0, before):
        if not CHANGE_BEFORE.search(text[max(0, match.start() - 8):match.start()]):
            found.append(figure(match.group("number"), match.group("unit"), match.start(), match.end(), match.group(0)))
    return found


class Findings(list):
    """The findings, and how many rates were compared (found wrong or not)."""

    compared = 0


def prose_arithmetic(disclosure: Disclosure, identities: bool = False) -> Findings:
    """`identities`: also the standard splits (基本支出 = 人员经费 + 公用经费), for a document that is
    not on a layout (a layout's own checks hold them otherwise, at the tables)."""
    whole_amounts: dict[str, Figure] = {}
    named_shares: dict[tuple, list] = {}
    found = Findings()
    places = list(paragraph_places(disclosure))
    for index, (text, place) in enumerate(places):
        remember_wholes(text, whole_amounts)
        found += list(share_findings(text, place, whole_amounts, named_shares))
        found += list(change_findings(text, place))
        found += list(completion_findings(text, place))
        found.compared += rates_printed(text)
        if identities:
            following = disclosure.paragraphs[index + 1] if index + 1 < len(places) else None
            found += list(split_findings(text, place, following.text if following and not following.is_heading else ""))
    found += list(named_share_sums(named_shares))
    return found


# A whole and the parts it always splits into (the standard economic classification's split)
SPLITS = {"基本支出": ("人员经费", "公用经费")}


def split_findings(text: str, place: Location, following: str) -> Iterator[Finding]:
    """基本支出 W，其中：人员经费 a …；公用经费 b …: a + b is W (the list may run on in the next paragraph)."""
    for match in AMOUNT.finditer(text):
        name = re.split(r"[，,；;。：:（）()\s]", text[max(0, match.start() - 30):match.start()].rstrip())[-1]
        name = re.sub(r"^\d{0,4}\s*年度?(本年度?)?", "", name)
        whole_name = next((whole for whole in SPLITS if re.sub(r"预算$", "", name).endswith(whole)), None)
        rest = text[match.end():] + following
        if whole_name is None or not re.match(r"^\s*[，,。]?\s*其中", rest):
            continue
        parts = [re.search(rf"{part}(?:预算)?\s*(?:为|是)?\s*(?P<number>{NUMBER})\s*(?P<unit>{UNIT})", rest)
                 for part in SPLITS[whole_name]]
        if not all(parts):
            continue
        whole = figure(match.group("number"), match.group("unit"), match.start(), match.end(), match.group(0))
        figures = [figure(p.group("number"), p.group("unit"), 0, 0, f"{p.group('number')} {p.group('unit')}") for p in parts]
        total = sum(f.value for f in figures)
        if abs(total - whole.value) > whole.slack + sum(f.slack for f in figures):
            named = " + ".join(f"{part} {f.text}" for part, f in zip(SPLITS[whole_name], figures))
            printed = Decimal(match.group("number").replace(",", ""))
            in_unit = (total / IN_YUAN[match.group("unit")]).quantize(printed, rounding=ROUND_HALF_UP)
            yield finding("RD553", "error", f"{name} {whole.text}, but {named} = {in_unit:f} {match.group('unit')}",
                          sentence_place(text, place, match.start(), match.end()),
                          f"{whole_name} is {' + '.join(SPLITS[whole_name])}: correct the one that is wrong",
                          whole.text, f"{in_unit:f} {match.group('unit')}")


def rates_printed(text: str) -> int:
    return len(SHARE.findall(text)) + len(CHANGE.findall(text)) + len(COMPLETION.findall(text))


def remember_wholes(text: str, wholes: dict[str, Figure]) -> None:
    """Each "X 为 12.00 万元" of the paragraph, by the words before its figure, so that a later
    "占 X 的 p%" has its whole."""
    for match in AMOUNT.finditer(text):
        words = re.split(r"[，,；;。：:（）()\s]", text[max(0, match.start() - 30):match.start()].rstrip())[-1]
        words = re.sub(r"(?:为|是|共计|合计为|总计为|达)$", "", re.sub(r"^\d{0,4}\s*年度?", "", words))
        if len(words) >= 2 and not CHANGED.search(words):
            wholes.setdefault(squeeze(words), figure(match.group("number"), match.group("unit"), match.start(),
                                                     match.end(), match.group(0)))


def squeeze(words: str) -> str:
    return re.sub(r"\s+|本年度?|年度|“|”|\"", "", words)


def whole_named(name: str, wholes: dict[str, Figure]) -> Optional[Figure]:
    key = squeeze(name)
    if not key:
        return None
    exact = wholes.get(key)
    if exact is not None:
        return exact
    endings = [figure_ for words, figure_ in wholes.items() if words.endswith(key) and len(key) >= 4]
    return endings[0] if len(endings) == 1 else None


def share_findings(text: str, place: Location, wholes: dict[str, Figure], named: dict) -> Iterator[Finding]:
    """Each share against its whole: the whole it names (占本年支出合计的 p%), or the amount the
    list opens with (合计 W 万元，其中：a 万元，占 p%；…)."""
    lists: dict[int, list] = {}
    last_of_whole: dict[str, int] = {}
    faulted: set[int] = set()
    for match in SHARE.finditer(text):
        part = figure(match.group("number"), match.group("unit"), match.start(), match.end("unit"),
                      match.group("number") + match.group("unit"))
        rate = Decimal(match.group("rate"))
        name = match.group("whole").strip()
        opener = list_opener(text, match.start())
        whole = whole_named(name, wholes) if name else list_whole(text, opener)
        at = sentence_place(text, place, match.start("rate"), match.end())
        if name:
            before = last_of_whole.get(squeeze(name))
            if before is None or "其中" not in text[before:match.start()]:  # 其中 opens a part of that part
                add_to_breakdown(named.setdefault((place.section, squeeze(name)), [[]]), rate, match.group("rate"), at)
            last_of_whole[squeeze(name)] = match.end()
        lists.setdefault(opener if not name else -1 - match.start(), []).append(
            (part, rate, match.group("rate"), squeeze(name), whole, at))
        wrong = list(wrong_share(part, whole, match.group("rate"), at)) if whole is not None else []
        faulted.update(id(item) for item in lists[opener if not name else -1 - match.start()][-1:] if wrong)
        yield from wrong
    for opener, items in lists.items():
        if opener is not None and opener >= 0 and len(items) >= 2 and not any(id(item) in faulted for item in items):
            yield from list_share_sum(items)  # a list with a wrong share adds up wrong because of it


def list_opener(text: str, before: int) -> Optional[int]:
    """Where the list holding the figure at `before` opens (其中 or a colon), in its paragraph."""
    openers = [m.end() for m in OPENER.finditer(text, 0, before)]
    return openers[-1] if openers else None


def list_whole(text: str, opener: Optional[int]) -> Optional[Figure]:
    if opener is None:
        return None
    found = levels(text, opener)
    return found[-1] if found else None


def wrong_share(part: Figure, whole: Figure, printed: str, at: Location) -> Iterator[Finding]:
    possible = quotient_range(part, whole.value - whole.slack, whole.value + whole.slack)
    if possible is None or agrees(Decimal(printed), rate_slack(printed), possible):
        return
    expected = nearest(*possible, places_of(printed))
    yield finding("RD549", "error", f"占 {printed}%: {part.text} of {whole.text} is {expected}%", at,
                  f"write {expected}%, or correct the amount it is a share of", f"{printed}%", f"{expected}%")


def list_share_sum(items: list) -> Iterator[Finding]:
    """The shares of one list add up to more than 100% beyond their rounding, or, where the list's
    amounts are its whole's every part, to less."""
    total = sum(item[1] for item in items)
    slack = sum(rate_slack(item[2]) for item in items)
    whole = items[0][4]
    parts = sum(item[0].value for item in items)
    exhaustive = whole is not None and abs(parts - whole.value) <= sum(item[0].slack for item in items) + whole.slack
    if total > 100 + slack or (exhaustive and total < 100 - slack):
        yield sum_finding(total, slack, items[-1][5])


def sum_finding(total: Decimal, slack: Decimal, at: Location) -> Finding:
    return finding("RD550", "error", f"the shares of one breakdown add up to {total}%, not 100% "
                   f"(their rounding allows {100 - slack}% to {100 + slack}%)", at,
                   "one of the shares, or one of the amounts, is wrong: recompute each share from its amount",
                   f"{total}%", "100%")


def add_to_breakdown(breakdowns: list, rate: Decimal, printed: str, at: Location) -> None:
    """A share joins the last breakdown of its whole, unless that one already adds up to 100%: then
    it opens another breakdown of the same whole (by purchase kind after by purchase form)."""
    last = breakdowns[-1]
    if last and abs(sum(item[0] for item in last) - 100) <= sum(item[1] for item in last):
        breakdowns.append(last := [])
    last.append((rate, rate_slack(printed), at))


def named_share_sums(named: dict) -> Iterator[Finding]:
    """Shares of one named whole printed in one section (占一般公共预算支出的 p%), each in its own
    sentence: more than 100% beyond their rounding cannot be parts of it."""
    for items in (breakdown for breakdowns in named.values() for breakdown in breakdowns):
        if len(items) < 2:
            continue
        total = sum(rate for rate, _, _ in items)
        slack = sum(half for _, half, _ in items)
        if total > 100 + slack:
            yield sum_finding(total, slack, items[-1][2])


def change_findings(text: str, place: Location) -> Iterator[Finding]:
    for match in CHANGE.finditer(text):
        start = sentence_start(text, match.start())
        current = levels(text[start:match.start()], match.start() - start)
        if not current:
            continue
        now = attrs.evolve(current[-1], start=current[-1].start + start, end=current[-1].end + start)
        change = figure(match.group("number"), match.group("unit"), match.start("number"), match.end("unit"),
                        match.group("number") + match.group("unit"))
        at = sentence_place(text, place, match.start("rate"), match.end())
        yield from wrong_change(now, change, match.group("word"), match.group("rate_word"), match.group("rate"), at)
    yield from listed_change_findings(text, place)


def sentence_start(text: str, position: int) -> int:
    for low, high in sentences(text):
        if low <= position < high:
            return low
    return 0


def wrong_change(now: Figure, change: Figure, word: str, rate_word: str, printed: str, at: Location) -> Iterator[Finding]:
    up = word in UP
    if up != (rate_word in UP) and word not in ("增长", "下降", "降低"):
        yield finding("RD551", "error", f"{word} {change.text} but {rate_word} {printed}%: the two words contradict", at,
                      "write the direction the figures give", f"{rate_word} {printed}%",
                      f"{'增长' if up else '下降'} {printed}%")
        return
    sign = -1 if up else 1
    prior_low = now.value - now.slack + sign * (change.value - change.slack) if sign > 0 else \
        now.value - now.slack - (change.value + change.slack)
    prior_high = now.value + now.slack + sign * (change.value + change.slack) if sign > 0 else \
        now.value + now.slack - (change.value - change.slack)
    possible = quotient_range(change, prior_low, prior_high)
    if possible is None or agrees(Decimal(printed), rate_slack(printed), possible):
        return
    expected = nearest(*possible, places_of(printed))
    over_now = quotient_range(change, now.value - now.slack, now.value + now.slack)
    hint = f"; {printed}% is what this year's {now.text} as denominator gives" \
        if over_now and agrees(Decimal(printed), rate_slack(printed), over_now) else ""
    yield finding("RD551", "error", f"{rate_word} {printed}%: {word} {change.text} over last year's "
                  f"{'(' + now.text + ' − ' + change.text + ')' if up else '(' + now.text + ' + ' + change.text + ')'} is {expected}%",
                  at, f"write {expected}% (the change over last year's amount){hint}", f"{printed}%", f"{expected}%")


def listed_change_findings(text: str, place: Location) -> Iterator[Finding]:
    """收、支总计各是 A,B 万元。与上年相比，各减少 d1,d2 万元，各下降 r1%、r2%."""
    for match in LISTED_CHANGE.finditer(text):
        levels_before = [m for m in LISTED.finditer(text, 0, match.start()) if not m.group(0).startswith("各" + match.group("word"))]
        if not levels_before:
            continue
        level = levels_before[-1]
        nows = numbers_in(level.group("numbers"))
        changes = numbers_in(match.group("numbers"))
        rates = re.findall(r"\d+(?:\.\d+)?", match.group("rates"))
        if not (len(nows) == len(changes) == len(rates)):
            continue
        for now, change, rate in zip(nows, changes, rates):
            at_rate = text.find(rate, match.start("rates"))
            at = sentence_place(text, place, at_rate, at_rate + len(rate) + 1)
            yield from wrong_change(figure(now, level.group("unit"), 0, 0, now + level.group("unit")),
                                    figure(change, match.group("unit"), 0, 0, change + match.group("unit")),
                                    match.group("word"), match.group("rate_word"), rate, at)


def numbers_in(listed: str) -> list[str]:
    return re.findall(NUMBER, re.sub(rf"{UNIT}", "", listed))


def completion_findings(text: str, place: Location) -> Iterator[Finding]:
    """完成预算 R% with 决算数大于预算数 d 万元 in the same sentence: R is actual / (actual − d)."""
    for low, high in sentences(text):
        sentence = text[low:high]
        done = COMPLETION.search(sentence)
        beyond = BEYOND.search(sentence, done.end()) if done else None
        if not done or not beyond:
            continue
        rate = Decimal(done.group("rate"))
        above = beyond.group("word") in ("大于", "超过", "高于")
        at = sentence_place(text, place, low + done.start("rate"), low + done.end())
        if (above and rate < 100) or (not above and rate > 100):
            yield finding("RD552", "error", f"完成预算 {done.group('rate')}% but the spending is {beyond.group('word')} "
                          "the budget", at, "one of the two is wrong: a completion over the budget is above 100%",
                          f"{done.group('rate')}%", f"{'above' if above else 'below'} 100%")
            continue
        actual = levels(sentence, done.start())
        if beyond.group("number") and actual:
            yield from wrong_completion(actual[-1], beyond, above, done.group("rate"), at)


def wrong_completion(actual: Figure, beyond: re.Match, above: bool, printed: str, at: Location) -> Iterator[Finding]:
    gap = figure(beyond.group("number"), beyond.group("unit"), 0, 0, beyond.group("number") + beyond.group("unit"))
    if above:
        budget_low, budget_high = actual.value - actual.slack - gap.value - gap.slack, actual.value + actual.slack - gap.value + gap.slack
    else:
        budget_low, budget_high = actual.value - actual.slack + gap.value - gap.slack, actual.value + actual.slack + gap.value + gap.slack
    possible = quotient_range(actual, budget_low, budget_high)
    if possible is None or agrees(Decimal(printed), rate_slack(printed), possible):
        return
    expected = nearest(*possible, places_of(printed))
    yield finding("RD552", "error", f"完成预算 {printed}%: {actual.text}, {beyond.group('word')} its budget by "
                  f"{gap.text}, is {expected}% of it", at, f"write {expected}%, or correct the difference from the budget",
                  f"{printed}%", f"{expected}%")
