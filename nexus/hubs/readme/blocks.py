"""The blocks of a section's text (list items, paragraphs, tables, fences, quotes), and item titles.

A block is decided from its own lines, never from the rest of the section: what one parse leaves
as loose text (an introduction, a quote) is loose text again when the rendered README is parsed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nexus.hubs.readme.lines import (
    bold_line,
    clean_heading,
    dedent,
    fence_map,
    fence_regions,
    indent_of,
    is_blank,
    is_thematic_break,
    label_of,
    list_marker,
)

_TABLE_DELIMITER = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")
# "🐍 **Python**: text", "**Python** - text", "**Backend Framework:** Django", "✅ **Takeaway**: text".
_BOLD_LEAD = re.compile(
    r"^(?P<pre>[^\w*_\[`(]{0,8}?)(?P<mark>\*\*|__)(?P<title>\S(?:.*?\S)?)(?P=mark)"
    r"(?P<sep>[ \t]*(?:[:：]|[-–—]{1,2}|\t)?[ \t]*)(?P<rest>.*)$"
)
# "Python: text", "Web Development – text", "Django\tHigh-level framework" (a pasted table).
_PLAIN_LEAD = re.compile(
    r"^(?P<title>[^:：\t]{1,70}?)[ \t]*(?:[:：][ \t]+|[:：]$|\t+|[ \t]+(?:[–—]|--?)[ \t]+)(?P<rest>.*)$"
)
_SENTENCE_END = re.compile(r"(?<=[.!?])[ \t]+(?=[A-Z\"'“(*\[`])")
_LINK_ONLY = re.compile(r"^[ \t]*(?:!?\[[^\]]*\]\([^)]*\)[ \t]*)+$")
_PIPE_SPLIT = re.compile(r"(?<!\\)\|")


@dataclass
class Block:
    """A run of lines: a list item with its continuation, a paragraph, a table, a fence, a quote..."""

    kind: str  # "list", "para", "bold", "table", "fence", "quote", "html", "rule"
    lines: list[str]
    marker: str = ""  # the list marker ("-", "1.", "a)") of a list item
    start: int = 0  # where the block starts in the lines it was cut from

    @property
    def numbered(self) -> bool:
        """Whether a list item is numbered or lettered ("1.", "A.")."""
        return bool(self.marker) and self.marker[0].isalnum()

    @property
    def end(self) -> int:
        """Where the block ends (after its last non-blank line)."""
        return self.start + len(self.lines)

    def has_label(self) -> bool:
        """Whether a line of the block (outside fences) is a challenge field label."""
        fenced, _ = fence_map(self.lines)
        return any(not fenced[i] and label_of(line) for i, line in enumerate(self.lines))


def _is_table_start(lines: list[str], index: int) -> bool:
    """Whether a table starts here: a row over a delimiter row, or a line framed by pipes."""
    line = lines[index].strip()
    if "|" not in line:
        return False
    followed = index + 1 < len(lines) and _TABLE_DELIMITER.match(lines[index + 1]) is not None
    return followed or (line.startswith("|") and line.endswith("|"))


def _head_kind(lines: list[str], index: int) -> str:
    """The kind of block a line starts."""
    line = lines[index]
    stripped = line.lstrip()
    if is_thematic_break(line):
        return "rule"
    if _is_table_start(lines, index):
        return "table"
    if stripped.startswith(">"):
        return "quote"
    if stripped.startswith("<"):
        return "html"
    if list_marker(line):
        return "list"
    if bold_line(stripped) is not None:
        return "bold"
    return "para"


def build_blocks(lines: list[str]) -> list[Block]:
    """Split lines into blocks, each decided by its own lines.

    A block takes the lines indented deeper than its first line, and for a list item or a paragraph
    the non-blank lines right after it (lazy continuation), up to the next item, table or fence; a
    challenge label right after a list item ("1. Title" then "**Challenge:**") continues it.
    """
    lines = dedent(lines)
    regions, _ = fence_regions(lines)
    blocks: list[Block] = []
    count = len(lines)
    index = 0
    while index < count:
        line = lines[index]
        if is_blank(line):
            index += 1
            continue
        if index in regions:
            blocks.append(Block("fence", lines[index : regions[index] + 1], start=index))
            index = regions[index] + 1
            continue
        kind = _head_kind(lines, index)
        if kind == "table":
            end = index + 1
            if end < count and _TABLE_DELIMITER.match(lines[end]):
                end += 1  # the delimiter row that made it a table is its own, pipe or not ("Python |" over "--")
            while end < count and "|" in lines[end] and end not in regions:
                end += 1
            blocks.append(Block("table", lines[index:end], start=index))
            index = end
            continue
        if kind == "rule":
            blocks.append(Block("rule", [line], start=index))
            index += 1
            continue
        end = _block_end(lines, regions, index, kind)
        block_lines = lines[index:end]
        while block_lines and is_blank(block_lines[-1]):
            block_lines.pop()
        marker = list_marker(line)
        blocks.append(Block(kind, block_lines, marker["marker"] if kind == "list" and marker else "", start=index))
        index = end
    return blocks


def _block_end(lines: list[str], regions: dict[int, int], index: int, kind: str) -> int:
    """Where the block starting at `index` ends (exclusive)."""
    base = indent_of(lines[index])
    count = len(lines)
    end = index + 1
    while end < count:
        current = lines[end]
        if end in regions:
            # A fence belongs to the block when indented under it or glued to its last line.
            if indent_of(current) > base or not is_blank(lines[end - 1]):
                end = regions[end] + 1
                continue
            return end
        if is_blank(current):
            following = next((j for j in range(end, count) if not is_blank(lines[j])), count)
            if following < count and indent_of(lines[following]) > base:
                end = following
                continue
            return end
        if indent_of(current) > base:
            end += 1
            continue
        if is_blank(lines[end - 1]):
            return end
        following_kind = _head_kind(lines, end)
        if (
            (kind == "quote" and following_kind in ("para", "quote"))
            or (kind in ("list", "para") and following_kind in ("para", "html"))
            or (kind in ("list", "para") and following_kind == "bold" and label_of(current))
        ):
            end += 1
        else:
            return end
    return end


def join_loose(blocks: list[Block]) -> list[str]:
    """Loose blocks as text: blocks that touched stay together, others one blank line apart.

    Keeping their separation keeps what they read as: two paragraphs that touched are one.
    """
    lines: list[str] = []
    previous: Block | None = None
    for block in blocks:
        if previous is not None and previous.end != block.start:
            lines.append("")
        lines.extend(block.lines)
        previous = block
    return lines


def item_head(block: Block) -> tuple[str, list[str]]:
    """The first line of a list item without its marker, and the item's other lines."""
    first = block.lines[0]
    marker = list_marker(first)
    if marker and marker["marker"][0].isalpha():
        # "A. Next.js Data Fetching" is no Markdown list: the letter is part of the text.
        return first.strip(), block.lines[1:]
    head = first[marker.end() :] if marker else first
    return head.strip(), block.lines[1:]


def split_title(text: str) -> tuple[str, str] | None:
    """An item's title and the text after it: "**Python**: text", "Python – text", "Python: text".

    None when the line has no title of its own (a sentence, or a bold phrase followed by more words).
    """
    match = _BOLD_LEAD.match(text)
    if match and match["mark"][0] not in match["title"]:
        title = clean_heading(f"{match['pre']}{match['title']}")
        rest = match["rest"].strip()
        separated = bool(match["sep"].strip(" ")) or match["title"].endswith((":", "："))
        if not rest or separated or rest[0] in "([":
            return title, rest
        return None
    match = _PLAIN_LEAD.match(text)
    if match:
        title = match["title"].strip()
        balanced = title.count("(") == title.count(")") and title.count("[") == title.count("]")
        if (
            0 < len(title.split()) <= 8
            and balanced
            and "http" not in title
            and "`" not in title
            and not title[0].islower()
            and "*" not in title
        ):
            return clean_heading(title), match["rest"].strip()
    return None


def first_sentence(text: str, limit: int = 140) -> str:
    """The first sentence (or line) of a text, cut at a word to `limit` characters with '…'."""
    lines = text.strip().split("\n")
    end = next((i for i, line in enumerate(lines) if not line.strip() or (list_marker(line) and i)), len(lines))
    line = " ".join(line.strip() for line in lines[:end]).rstrip("\\ ")
    marker = list_marker(line)
    if marker:
        line = line[marker.end() :].strip()
    sentence = clean_heading(_SENTENCE_END.split(line, maxsplit=1)[0])
    if len(sentence) > limit:
        cut = sentence[:limit].rsplit(" ", 1)[0].rstrip(" ,;:")
        sentence = clean_heading(f"{cut}…")
    return sentence


def is_link_only(text: str) -> bool:
    """Whether a line holds nothing but links or images ("[🔝 Back to Top](#top)")."""
    return bool(_LINK_ONLY.match(text))


def table_rows(block: Block) -> tuple[list[str], list[list[str]]]:
    """The header cells and the data rows of a Markdown table block."""

    def cells(line: str) -> list[str]:
        line = line.strip()
        if line.startswith("|"):
            line = line[1:]
        if line.endswith("|") and not line.endswith("\\|"):
            line = line[:-1]
        return [cell.strip() for cell in _PIPE_SPLIT.split(line)]

    rows = [line for line in block.lines if not _TABLE_DELIMITER.match(line)]
    if not rows:
        return [], []
    header = cells(rows[0])
    data = []
    for line in rows[1:]:
        row = cells(line)
        if len(row) > len(header) and header:
            row = [*row[: len(header) - 1], " | ".join(row[len(header) - 1 :])]
        data.append(row + [""] * (len(header) - len(row)))
    return header, data
