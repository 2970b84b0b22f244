"""Lines of a README: code fences, headings of every style, escapes, and the canonical form of a body.

The same scanner reads a learner's README and the README `render` writes, which is what makes
`parse(render(hub))` come back to `hub`: the renderer escapes (with a leading backslash) every line
of a body that this scanner would read as structure, and `canonical_text` removes those escapes.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from nexus.hubs.readme.names import KNOWLEDGE_KINDS, is_wrapper, loose_kind, normalize_name, strict_kind
from nexus.hubs.readme.repair import is_emoji_or_symbol

# ``` or ~~~ (three or more), indented by at most three spaces; a backtick fence's info string has no backtick.
_FENCE = re.compile(r"^ {0,3}(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
_ATX = re.compile(
    r"^(?P<glue>-{3,}[ \t]*)?(?P<indent> {0,3})(?P<bullet>[-*+][ \t]+(?=##))?(?P<hashes>#{1,6})"
    r"(?:[ \t]+(?P<text>.*?))?(?:[ \t]+#+)?[ \t]*$"
)
# "#Deployment", " #ABOUT MY PROJECT  :": a heading whose author forgot the space (capital letter next).
_ATX_NO_SPACE = re.compile(r"^ {0,3}(?P<hashes>#{1,2})(?P<text>[A-Z].*?)[ \t]*$")
_UNDERLINE = re.compile(r"^ {0,3}(?P<char>=|-)(?P=char){2,}[ \t]*$")
_THEMATIC = re.compile(r"^ {0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})$")
_LIST_MARKER = re.compile(r"^(?P<indent>[ \t]*)(?P<marker>[-*+•·▪◦]|\d{1,3}[.)]|[A-Za-z][.)])(?:[ \t]+|$)")
_BULLET = re.compile(r"^[ \t]*[-*+•·▪◦](?:[ \t]+|$)")
_NUMBERING = re.compile(r"\d{1,3}[.)][ \t]+")
# Pasted bullets and tree drawings that start a line of a list, never a heading.
_NOT_HEADING_START = frozenset("✔✓☑→➤►▶•·▪◦" + "".join(chr(code) for code in range(0x2500, 0x2580)))
_LISTING = re.compile(r"\([^)]*,[^)]*\)")  # "(Next.js 13+, React, TypeScript)": an item
_CLOSING_HASHES = re.compile(r"(?:^|[ \t]+)#+$")
_SPACES = re.compile(r"\s+")

# A field label that opens the problem, solution or outcome of a challenge: "**Problem:**",
# "*Challenge:*", "Solution:Implemented", "- **Issue**: ...", "**Solution**" alone on its line.
LABEL = re.compile(
    r"^(?P<indent>[ \t]*)(?P<marker>(?:[-*+•·]|\d{1,3}[.)])[ \t]+)?(?P<open>\*\*|__|\*|_)?"
    r"(?P<label>challenge|problem|issue|solutions?(?: implemented)?|fix|resolution|outcome|result|impact)"
    r"(?P<close>\*\*|__|\*|_)?[ \t]*(?P<colon>[:：])?(?P<close2>\*\*|__|\*|_)?[ \t]*(?P<rest>.*)$",
    re.IGNORECASE,
)
_LABEL_FIELDS = {
    "challenge": "problem",
    "problem": "problem",
    "issue": "problem",
    "fix": "solution",
    "resolution": "solution",
    "outcome": "outcome",
    "result": "outcome",
    "impact": "outcome",
}


def label_of(line: str) -> tuple[str, str, int] | None:
    """The field a label line opens ("problem", "solution", "outcome"), its text, and the text's indent."""
    match = LABEL.match(line)
    if match is None:
        return None
    opened, closed, closed2 = match["open"] or "", match["close"] or "", match["close2"] or ""
    rest = match["rest"]
    if match["colon"]:
        # The emphasis around the label must balance: "**Problem:**", "**Problem**:", "*Problem*:".
        if opened and opened not in (closed, closed2):
            return None
        if not opened and (closed or closed2):
            return None
        if closed and closed2:
            return None
    elif not (opened and opened == closed and not closed2 and not rest.strip()):
        return None  # without a colon, only a bold label alone on its line ("**Solution**") counts
    word = match["label"].lower()
    field = _LABEL_FIELDS.get(word, "solution" if word.startswith("solution") else "problem")
    indent = len(match["indent"]) + len(match["marker"] or "")
    return field, rest, indent


@dataclass(frozen=True)
class Heading:
    """A heading found in the text: where it is, its level (1-6), its cleaned text and its style."""

    line: int
    end: int  # the first line after the heading (after the underline of a setext heading)
    level: int
    text: str
    style: str  # "atx", "setext", "bold" or "bare"

    @property
    def marker(self) -> int:
        """The line to escape to make this heading plain text (the underline of a setext heading)."""
        return self.end - 1


def clean_heading(text: str) -> str:
    """A heading's text without markup around it, trailing colons or closing hashes (idempotent)."""
    text = _SPACES.sub(" ", text).strip()
    while True:
        before = text
        text = _CLOSING_HASHES.sub("", text).rstrip(" :：")
        wrapped = _unwrap(text)
        if wrapped is not None:
            text = f"{wrapped[0]}{wrapped[1]}".strip()
        if text == before:
            return text


def _stops_prefix(char: str) -> bool:
    """Whether `char` ends the decoration before a wrapped heading (a word char or markup)."""
    return char.isalnum() or char in "_*`["


def _unwrap(text: str) -> tuple[str, str] | None:
    """Split "🚀 1. **Name**" into ("🚀 1. ", "Name"); None when the text is not wrapped whole.

    Procedural rather than a regex: lazy groups on both sides of the text backtracked
    quadratically on long garbage lines. `text` has no trailing spaces or colons.
    """
    size = len(text)
    start = 0
    while start < size and not _stops_prefix(text[start]):
        start += 1
    numbering = _NUMBERING.match(text, start)
    if numbering:
        start = numbering.end()
        while start < size and not _stops_prefix(text[start]):
            start += 1
    if start == size or text[start] not in "*_":
        return None
    char = text[start]
    for width in (3, 2, 1):  # the first markup that fits decides, as "***x***" is bold italic
        mark = char * width
        if not text.startswith(mark, start) or not text.endswith(mark):
            continue
        inner = text[start + width : size - width]
        if size - width < start + width or not inner or inner[0].isspace() or inner[-1].isspace():
            continue
        return (text[:start], inner) if char not in inner else None
    return None


def bold_line(line: str) -> str | None:
    """The inner text of a line that is one bold span ("**Name**", "__Name__ :"), else None."""
    text = line.rstrip(" \t")
    if text.endswith((":", "：")):
        text = text[:-1].rstrip(" \t")
    mark = text[:2]
    if mark not in ("**", "__") or len(text) < 5 or not text.endswith(mark):
        return None
    inner = text[2:-2]
    return None if inner[0].isspace() or inner[-1].isspace() else inner


def indent_of(line: str) -> int:
    """The number of leading spaces (a tab counts as four)."""
    width = 0
    for char in line:
        if char == " ":
            width += 1
        elif char == "\t":
            width += 4
        else:
            break
    return width


def is_blank(line: str) -> bool:
    """Whether a line is empty or white space."""
    return not line.strip()


def is_thematic_break(line: str) -> bool:
    """Whether a line is a horizontal rule (---, ***, ___)."""
    return bool(_THEMATIC.match(line))


def is_list_item(line: str) -> bool:
    """Whether a line starts a list item (bullet, number, letter, or a pasted '•')."""
    return bool(_LIST_MARKER.match(line))


def list_marker(line: str) -> re.Match[str] | None:
    """The list marker a line starts with, if any."""
    return _LIST_MARKER.match(line)


def fence_regions(lines: list[str]) -> tuple[dict[int, int], list[int]]:
    """Closed code fences (opening line -> closing line), and the openers never closed.

    A fence opened and never closed would hide the rest of the document, so it is read as text.
    """
    closers: dict[str, list[int]] = {"`": [], "~": []}
    lengths: dict[int, int] = {}
    matches: list[re.Match[str] | None] = []
    for index, line in enumerate(lines):
        match = _FENCE.match(line) if ("`" in line or "~" in line) else None
        matches.append(match)
        if match and not match["info"].strip():
            closers[match["fence"][0]].append(index)
            lengths[index] = len(match["fence"])
    regions: dict[int, int] = {}
    unclosed: list[int] = []
    index = 0
    while index < len(lines):
        match = matches[index]
        if match is None or (match["fence"][0] == "`" and "`" in match["info"]):
            index += 1
            continue
        size = len(match["fence"])
        candidates = closers[match["fence"][0]]
        position = bisect_right(candidates, index)
        closer = next((c for c in candidates[position:] if lengths[c] >= size), None)
        if closer is None:
            unclosed.append(index)
            index += 1
            continue
        regions[index] = closer
        index = closer + 1
    return regions, unclosed


def close_fences(lines: list[str]) -> list[str]:
    """The lines with a closing delimiter added for a fence left open, as stored text has them."""
    _, unclosed = fence_regions(lines)
    for _ in range(3):  # closing one fence can leave another open; the renderer escapes what remains
        if not unclosed:
            break
        fence = _FENCE.match(lines[unclosed[0]])
        lines = [*lines, fence["fence"] if fence else "```"]
        _, unclosed = fence_regions(lines)
    return lines


def fence_map(lines: list[str]) -> tuple[list[bool], list[int]]:
    """Which lines belong to a closed code fence (delimiters included), and the openers never closed."""
    regions, unclosed = fence_regions(lines)
    fenced = [False] * len(lines)
    for start, end in regions.items():
        for inside in range(start, end + 1):
            fenced[inside] = True
    return fenced, unclosed


def _atx(line: str) -> tuple[int, str] | None:
    if "#" not in line:
        return None
    match = _ATX.match(line) or _ATX_NO_SPACE.match(line)
    if match is None:
        return None
    return len(match["hashes"]), match["text"] or ""


def _title_like(line: str) -> bool:
    """A bare line that could be a heading of pasted text: short, capitalised, no sentence end."""
    if not line or line[0].isspace() or len(line) > 100:
        return False
    first = line[0]
    if not (first.isupper() or first.isdigit() or is_emoji_or_symbol(first)) or first in _NOT_HEADING_START:
        return False
    if _BULLET.match(line) or "](" in line or "http" in line or "|" in line or _LISTING.search(line):
        return False
    stripped = line.rstrip()
    if stripped.endswith(":") and not all(word[0].isupper() for word in stripped.split() if len(word) > 3):
        return False  # "Key learnings included:" leads into a list; "Personal Takeaways:" names a section
    return not stripped.endswith((".", ",", ";", "!")) and len(stripped.split()) <= 12


def scan(lines: list[str], fenced: list[bool]) -> list[Heading]:
    """Every heading outside code fences: ATX (#), setext (underlined), bold-only and bare known names.

    A bold-only line ("**Best Practices**") or a bare line ("Challenges and Solutions", pasted from a
    rendered page) is a heading only when it is a well-known section name. These rules look at the
    line alone (and a setext heading at its underline), never at the lines around it, so that text
    reads the same wherever a rendering puts it. After a table of contents, bare lines are its
    items until one repeats.
    """
    headings: list[Heading] = []
    # "5. Challenges, Solutions & Lessons Learned" is a heading only in pasted text with no '#'
    # headings; elsewhere a numbered line is a list item.
    atx_count = sum(1 for index, line in enumerate(lines) if not fenced[index] and "#" in line and _atx(line))
    numbered_bare = atx_count <= 1
    toc: set[str] | None = None
    bare_kind: str | None = None  # kind of the open level-2 bare section, for nesting its sub-sections
    base_level = 2  # level of the last '#' or underlined heading, for bold ones
    count = len(lines)
    index = 0
    while index < count:
        line = lines[index]
        if fenced[index]:
            index += 1
            continue
        if not line.strip():
            index += 1
            continue
        heading: Heading | None = None
        atx = _atx(line)
        if atx is not None:
            heading = Heading(index, index + 1, atx[0], clean_heading(atx[1]), "atx")
            toc = None
        elif (
            index + 1 < count
            and lines[index + 1].lstrip(" ")[:1] in ("=", "-")
            and not fenced[index + 1]
            and _UNDERLINE.match(lines[index + 1])
            and indent_of(line) <= 3
            and not is_list_item(line)
            and not line.lstrip().startswith(("|", ">", "<"))
            and not is_thematic_break(line)
        ):
            level = 1 if lines[index + 1].strip()[0] == "=" else 2
            heading = Heading(index, index + 2, level, clean_heading(line), "setext")
            toc = None
        else:
            title_like = _title_like(line)
            bold = bold_line(line)
            if toc is not None:
                if title_like or bold:
                    key = normalize_name(line)
                    if not key or (key not in toc and len(toc) < 200):
                        toc.add(key)
                        index += 1
                        continue
                    toc = None  # a name the table listed comes back: the table is over, this is a heading
                elif len(line.strip()) > 100:
                    toc = None
            # "**Best Practices**" is a heading, "**Best Practices:**" leads into a list.
            if (
                bold
                and not line.rstrip().endswith((":", "："))
                and not bold.endswith((":", "："))
                and (strict_kind(bold) is not None)
            ):
                # A bold line stands for a heading of the level in use (never the title's).
                heading = Heading(index, index + 1, max(base_level, 2), clean_heading(line), "bold")
            elif title_like and (numbered_bare or not line[0].isdigit()):
                kind = strict_kind(line)
                if kind is not None:
                    nested = kind == bare_kind and kind in KNOWLEDGE_KINDS and not is_wrapper(line)
                    level = 3 if nested else 2
                    heading = Heading(index, index + 1, level, clean_heading(line), "bare")
                    if level == 2:
                        bare_kind = kind
        if heading is None:
            index += 1
            continue
        headings.append(heading)
        if heading.style in ("atx", "setext"):
            base_level, bare_kind = heading.level, None
        if loose_kind(heading.text) == "toc":
            toc = set()
        index = heading.end
    return headings


def escape(line: str) -> str:
    """Make a line plain text for a Markdown reader (and for `scan`) with a backslash."""
    stripped = line.lstrip(" \t")
    return f"{line[: len(line) - len(stripped)]}\\{stripped}"


def _escaped_structure(rest: str) -> bool:
    """Whether `rest` (a line after an escaping backslash) is something `escape` protects.

    Backslashes already there count too ("\\\\#"): the renderer adds one more to such a line.
    """
    rest = rest.lstrip("\\")
    if not rest or rest[0].isspace():
        return False  # `escape` puts its backslash right before the text
    if rest.startswith(("#", "```", "~~~")) or _UNDERLINE.match(rest) or rest.startswith("---"):
        return True
    if bold_line(rest) is not None or label_of(rest) is not None:
        return True
    if re.match(r"[-*+][ \t]+#", rest):
        return True
    return _title_like(rest) and strict_kind(rest) is not None


def is_escaped(line: str) -> bool:
    """Whether a line starts with a backslash that `unescape` would remove (so must be doubled)."""
    stripped = line.lstrip(" \t")
    return stripped.startswith("\\") and _escaped_structure(stripped[1:])


def unescape(line: str) -> str:
    """Undo `escape` on a line (leaves any other backslash alone)."""
    stripped = line.lstrip(" \t")
    if stripped.startswith("\\") and _escaped_structure(stripped[1:]):
        return f"{line[: len(line) - len(stripped)]}{stripped[1:]}"
    return line


def _relevel(line: str, shift: int) -> str:
    """A '#' heading `shift` levels deeper (at most 6)."""
    match = _ATX.match(line)
    if match is None:
        match = _ATX_NO_SPACE.match(line)
        if match is None:
            return line
    start, end = match.span("hashes")
    hashes = "#" * min(6, end - start + shift)
    return f"{line[:start]}{hashes}{line[end:]}"


def strip_edges(lines: list[str]) -> list[str]:
    """Drop blank lines and horizontal rules at both ends."""
    start, end = 0, len(lines)
    while start < end and (not lines[start].strip() or is_thematic_break(lines[start])):
        start += 1
    while end > start and (not lines[end - 1].strip() or is_thematic_break(lines[end - 1])):
        end -= 1
    return lines[start:end]


def dedent(lines: list[str]) -> list[str]:
    """Remove the indentation all non-blank lines share."""
    widths = [len(line) - len(line.lstrip(" ")) for line in lines if line.strip()]
    width = min(widths, default=0)
    return [line[width:] if line.strip() else "" for line in lines] if width else lines


def canonical_text(lines: list[str], *, min_level: int, raw: bool = False) -> str:
    """The stored form of a body: trimmed, dedented, fences closed, headings at `min_level` or deeper.

    A fence the body opens and never closes is closed at its end. Escapes written by
    the renderer are removed last, so an escaped fence or heading never counts as one. The loose
    text of a knowledge section is kept `raw`, escapes included: it is written back as it is, and
    an escaped "\\**Solution:**" must stay escaped to stay loose text rather than an item.
    """
    lines = strip_edges(lines)
    # A hard line break (trailing backslash) at the very end breaks nothing.
    while lines and lines[-1].rstrip().endswith("\\") and not lines[-1].rstrip().endswith("\\\\"):
        lines = strip_edges([*lines[:-1], lines[-1].rstrip()[:-1]])
    lines = dedent(lines)
    if not lines:
        return ""
    lines = close_fences(lines)
    fenced, _ = fence_map(lines)
    levels = [atx[0] for index, line in enumerate(lines) if not fenced[index] and (atx := _atx(line))]
    shift = max(0, min_level - min(levels)) if levels else 0
    out = []
    for index, line in enumerate(lines):
        if not fenced[index]:
            if shift and _atx(line):
                line = _relevel(line, shift)
            if not raw:
                line = unescape(line)
        out.append(line)
    return "\n".join(out).rstrip()
