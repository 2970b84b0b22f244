"""README import and export for hubs: pure Python, no ORM, no database.

- `parse(text, recognizer=None) -> ParsedHub`: read a learner's Project Nexus README, however it is
  written (see `parser`); never raises, never drops text.
- `render(hub) -> str`: write a hub as a clean README in the convention (see `renderer`).
- `word_coverage(source, rendered) -> float`: the share of the source's words a rendering keeps.

Guarantees, tested: `parse(render(parse(x))) == parse(x)` up to warnings for any text `x`, and
`parse(render(h)) == h` up to warnings for any hub in the form `parse` returns (tests/readme).
"""

from nexus.hubs.readme.coverage import word_coverage
from nexus.hubs.readme.model import ParsedEntry, ParsedHub
from nexus.hubs.readme.parser import parse
from nexus.hubs.readme.renderer import render

__all__ = ["ParsedEntry", "ParsedHub", "parse", "render", "word_coverage"]
