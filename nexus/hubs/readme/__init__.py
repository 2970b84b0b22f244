"""README import and export: parse a learner's Project Nexus README into a hub, render a hub back.

Pure Python, no ORM: `parse(text, recognizer=None) -> ParsedHub`, `render(hub) -> str`,
`word_coverage(source, rendered) -> float`.
"""

from nexus.hubs.readme.coverage import word_coverage
from nexus.hubs.readme.model import ParsedEntry, ParsedHub
from nexus.hubs.readme.parser import parse
from nexus.hubs.readme.renderer import render

__all__ = ["ParsedEntry", "ParsedHub", "parse", "render", "word_coverage"]
