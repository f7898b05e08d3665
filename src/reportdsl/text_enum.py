"""Kinds as types: enumerations whose members are also their text, so that a kind reads as itself
in messages and JSON and still equals the word it stood for."""

from __future__ import annotations

import enum


class TextEnum(str, enum.Enum):
    def __str__(self) -> str:
        return self.value
