"""Figures as they are printed: half-up rounding, percentages, Chinese numbering, direction words.

Shared by every backend through the document model; no backend formats a number itself.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from .values import MONEY_UNITS, Quantity

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
