"""The document's paragraphs with their places (page, the heading above), and the place of one
sentence of a paragraph with a span of it marked."""

from __future__ import annotations

from typing import Iterator

from ..importing.located import Location
from ..importing.source import Disclosure
from ..wording import sentences


def paragraph_places(disclosure: Disclosure) -> Iterator[tuple[str, Location]]:
    """Each paragraph's text and place: its page and the heading it stands under."""
    heading = None
    for paragraph in disclosure.paragraphs:
        if paragraph.is_heading:
            heading = paragraph.text
        yield paragraph.text, Location(disclosure.path, paragraph.place.page, paragraph.place.sheet,
                                       section=heading, sentence=paragraph.text)


def sentence_place(text: str, place: Location, start: int, end: int) -> Location:
    """The sentence holding text[start:end], with that slice as the marked span."""
    for low, high in sentences(text):
        if low <= start < high:
            return Location(place.file, place.page, place.sheet, section=place.section, sentence=text[low:high],
                            span=(start - low, min(end, high) - low))
    return place
