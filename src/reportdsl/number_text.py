"""Values as text: figures as they are printed (half-up rounding, percentages, Chinese numbering,
direction words), shared by every backend through the document model so that no backend formats a
number itself; and any value as a message names it (`describe`)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from . import ast
from .values import MONEY_UNITS, RATIO, Missing, NodeValue, Quantity, TreeValue, Value

DIRECTION_WORDS = {
    "增减": ("增加", "减少", "持平"),
    "升降": ("增长", "下降", "持平"),
    "大小": ("大于", "小于", "等于"),
}


def round_half_up(value: Decimal, decimals: int) -> Decimal:
    rounded = value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return abs(rounded) if rounded == 0 else rounded


def default_format(quantity: Quantity) -> str:
    if quantity.is_ratio:
        return "%.1"
    if quantity.unit in MONEY_UNITS:
        return ".2"
    return "g"


def plain(value: Decimal) -> str:
    """As few decimals as the value needs: 120.00 -> 120, 77.30 -> 77.3."""
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "0") else text


def format_quantity(quantity: Quantity, fmt: str | None) -> str:
    fmt = fmt or quantity.format or default_format(quantity)
    value = quantity.value
    if fmt in DIRECTION_WORDS:
        up, down, level = DIRECTION_WORDS[fmt]
        return up if value > 0 else down if value < 0 else level
    if fmt == "%g":
        return plain(round_half_up(value * 100, 2)) + "%"
    if fmt == "cn":
        whole = value == value.to_integral_value() and 0 < value < 100
        return chinese_number(int(value)) if whole else plain(value)
    if fmt.startswith("%"):
        decimals = int(fmt[2:]) if len(fmt) > 1 else 1
        return f"{round_half_up(value * 100, decimals):f}%"
    if fmt == "g":
        return plain(value)
    return f"{round_half_up(value, int(fmt[1:])):f}"


def rounds_to_boundary(quantity: Quantity, fmt: str | None) -> str | None:
    """'100%' or '0%' shown for a rate that is not exactly 1 or 0: the text it would print, else None."""
    fmt = fmt or quantity.format or default_format(quantity)
    if not fmt.startswith("%"):
        return None
    shown = Decimal(format_quantity(quantity, fmt)[:-1])
    if (shown == 100 and quantity.value != 1) or (shown == 0 and quantity.value != 0):
        return format_quantity(quantity, fmt)
    return None


_DIGITS = "零一二三四五六七八九"


def chinese_value(text: str) -> int:
    """一 -> 1, 十 -> 10, 十四 -> 14, 二十一 -> 21 (the inverse of chinese_number)."""
    if "十" not in text:
        return _DIGITS.index(text)
    tens, _, ones = text.partition("十")
    return (_DIGITS.index(tens) if tens else 1) * 10 + (_DIGITS.index(ones) if ones else 0)


def chinese_number(n: int) -> str:
    """1 -> 一, 10 -> 十, 14 -> 十四, 21 -> 二十一 (section numbering up to 99)."""
    if n < 10:
        return _DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")


SHOWN_DECIMALS = 4  # a quotient has 28 digits; messages show four decimals and an ellipsis


def figure(q: Quantity) -> str:
    """A figure as typed or printed (a ratio in percent), an exact quotient cut after four decimals with '…'."""
    value = q.value * 100 if q.is_ratio else q.value
    places = printed_decimals(q) if q.decimals is not None else None
    if places is not None and places >= 0:
        text = f"{value.quantize(Decimal(1).scaleb(-places)):f}"
    else:
        text = _decimal_text(value.normalize() if q.is_ratio else value)
    if q.is_ratio:
        return text + "%"
    return text + (f" {q.unit}" if q.unit and q.unit != RATIO else "")


def _decimal_text(value: Decimal) -> str:
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and -exponent > SHOWN_DECIMALS:
        cut = value.quantize(Decimal(1).scaleb(-SHOWN_DECIMALS), rounding="ROUND_DOWN")
        if cut == value:
            return f"{value.normalize():f}"
        return f"{cut:f}…"
    return f"{value:f}"


def amount(value: Decimal, like: Quantity) -> str:
    """A difference or allowance: percentage points for ratios, else in the figure's unit."""
    if like.is_ratio:
        return f"{_decimal_text((value * 100).normalize())} percentage points"
    unit = like.unit if like.unit and like.unit != RATIO else ""
    return _decimal_text(value.normalize()) + (f" {unit}" if unit else "")


def printed_decimals(q: Quantity) -> int:
    """The decimals a printed figure was printed with, counted as the reader sees them (18.7% → 1)."""
    decimals = q.decimals or 0
    return decimals - 2 if q.is_ratio else decimals


def describe(value: Value) -> str:
    """A value as a diagnostic or an explanation names it: a figure as `figure` shows it, anything
    else by what it is."""
    if isinstance(value, Quantity):
        return figure(value)
    if isinstance(value, Missing):
        return f"no value ({value.reason})"
    if isinstance(value, ast.Template):
        return "a text with {…} in it (it can be printed, not compared)"
    if isinstance(value, str):
        return f"the text '{value}'"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, NodeValue):
        return f"the item {value.node.key} {value.node.name}"
    if isinstance(value, TreeValue):
        return f"the items tree {value.name}"
    return items_text(value)


def items_text(members: tuple) -> str:
    """A list of items by key and name, the first few of a long one."""
    names = [f"{m.node.key} {m.node.name}" if isinstance(m, NodeValue) else describe(m) for m in members[:5]]
    more = f", … ({len(members)} in all)" if len(members) > 5 else ""
    count = f"{len(members)} item" + ("" if len(members) == 1 else "s")
    return f"a list of {count}" + (": " + ", ".join(names) + more if members else "")
