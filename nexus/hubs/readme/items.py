"""Split a learning or practice section into items: one per technology, concept or practice.

Items come from list items ("- **Python**: text"), numbered items that keep the paragraphs after
them, bold lines over a list ("**Core Languages:**"), "Title: text" lines of pasted text, short
lines, table rows and (for practices) paragraphs. Anything else is loose text, kept as a note.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from nexus.hubs.readme.blocks import (
    Block,
    build_blocks,
    first_sentence,
    is_link_only,
    item_head,
    split_title,
    table_rows,
)
from nexus.hubs.readme.lines import clean_heading, dedent, fence_map, indent_of
from nexus.hubs.readme.names import is_meta_paragraph


@dataclass
class Item:
    """An item of a section: its title and the lines of its body."""

    title: str
    body: list[str] = field(default_factory=list)


def _short(line: str, limit: int = 100) -> bool:
    return len(line.strip()) <= limit and len(line.split()) <= 16


def _from_line(text: str, rest_lines: list[str]) -> Item:
    """An item from its first line (marker removed) and the lines under it."""
    split = split_title(text)
    if split is not None and split[0]:
        title, rest = split
        body = [rest, *dedent(rest_lines)] if rest else dedent(rest_lines)
        return Item(title, body)
    sentence = first_sentence(text)
    if sentence and clean_heading(text) == sentence:
        return Item(sentence, dedent(rest_lines))
    # A long first line: its first sentence is the title, and the body keeps the whole text.
    return Item(sentence or "Untitled", [text, *dedent(rest_lines)])


def _paragraph_items(block: Block, kind: str) -> list[Item] | None:
    """Items from a paragraph, or None when it is loose text.

    Each line at the paragraph's indent heads a group, with the lines indented under it and the
    code fences glued to it.
    """
    base = indent_of(block.lines[0])
    fenced, _ = fence_map(block.lines)
    groups: list[tuple[str, list[str]]] = []
    for index, line in enumerate(block.lines):
        if line.strip() and indent_of(line) <= base and not (fenced[index] and groups):
            groups.append((line.strip(), []))
        elif groups:
            groups[-1][1].append(line)
    heads = [head for head, _ in groups]
    text = " ".join(heads)
    if is_link_only(text) or is_meta_paragraph(text):
        return None
    uppercase = all(not head[0].islower() for head in heads)
    one_a_line = len(heads) > 1 and uppercase and all(_short(h, 120) and not h.endswith(":") for h in heads)
    if len(heads) == 1 and groups[0][1] and any(line.strip() for line in groups[0][1]):
        # "Python Ecosystem" over indented lines (pasted outline): a title and its body.
        return [_from_line(heads[0], groups[0][1])]
    if one_a_line or all(split_title(head) for head in heads):
        # "Python: ..." lines, or a pasted list: one item a line.
        return [_from_line(head, children) for head, children in groups]
    if len(heads) == 1 and _short(heads[0]) and uppercase:
        return [_from_line(heads[0], [])]
    if kind == "practice":
        return [_from_line(text, [line for _, children in groups for line in children])]
    return None


def split_items(lines: list[str], kind: str) -> tuple[list[Item], list[Block]]:
    """The items of a learning or practice section's text, and the loose chunks of text left over."""
    blocks = build_blocks(lines)
    items: list[Item] = []
    loose: list[Block] = []
    open_item: Item | None = None  # a numbered item or a bold line keeps the blocks after it
    absorbs: str = ""
    previous_item: Item | None = None
    previous_end = -1
    for position, block in enumerate(blocks):
        # Blocks that touched in the source stay together (a list's items), others a blank line apart.
        gap = [] if block.start == previous_end else [""]
        previous_end = block.end
        if open_item is not None:
            keeps = absorbs == "numbered" and not (block.kind == "list" and block.numbered)
            keeps = keeps or (absorbs == "bold" and block.kind in ("list", "fence", "table", "quote"))
            if keeps:
                open_item.body.extend([*gap, *block.lines] if open_item.body else block.lines)
                continue
            open_item, absorbs = None, ""
        if block.kind == "list":
            head, rest = item_head(block)
            item = _from_line(head, rest) if head else None
            if item is None:
                loose.append(block)
                continue
            items.append(item)
            previous_item = item
            if block.numbered:
                open_item, absorbs = item, "numbered"
        elif block.kind == "bold":
            split = split_title(block.lines[0].strip())
            title = split[0] if split else clean_heading(block.lines[0])
            item = Item(title, [])
            items.append(item)
            previous_item = item
            open_item, absorbs = item, "bold"
        elif block.kind == "table":
            rows = _table_items(block)
            if rows:
                items.extend(rows)
                previous_item = None
            else:
                loose.append(block)
        elif block.kind == "fence" and previous_item is not None and _follows(blocks, position):
            previous_item.body.extend([*gap, *block.lines] if previous_item.body else block.lines)
        elif block.kind == "para":
            if previous_item is not None and _explains(blocks, position):
                # "✔ Building Scalable APIs" over its paragraph (pasted text): the paragraph is its body.
                previous_item.body.extend(block.lines)
                previous_item = None
                continue
            found = _paragraph_items(block, kind)
            if found is None:
                loose.append(block)
                previous_item = None
            else:
                items.extend(found)
                previous_item = found[-1]
        elif block.kind != "rule":
            loose.append(block)
            previous_item = None
    return items, loose


def _explains(blocks: list[Block], position: int) -> bool:
    """Whether a paragraph of sentences follows a one-line title paragraph that has no text of its own."""
    previous, block = blocks[position - 1] if position else None, blocks[position]
    if previous is None or previous.kind != "para" or len(previous.lines) != 1:
        return False
    title, text = previous.lines[0].strip(), " ".join(line.strip() for line in block.lines)
    is_title = len(title.split()) <= 10 and not title.endswith((".", ":", "!", "?")) and split_title(title) is None
    return is_title and text.endswith((".", "!", "?")) and not is_meta_paragraph(text)


def _follows(blocks: list[Block], position: int) -> bool:
    """Whether a fence follows an item block directly (it shows that item's code)."""
    return position > 0 and blocks[position - 1].kind in ("list", "para", "bold", "fence")


def _table_items(block: Block) -> list[Item]:
    """One item per row of a table: the first cell is the title, the other cells the body."""
    header, rows = table_rows(block)
    if len(header) < 2 or not rows:
        return []
    items = []
    for row in rows:
        title = clean_heading(row[0])
        if not title:
            continue
        # Each other cell under its column's name, so that the header's words stay.
        body = [
            f"**{clean_heading(name) or '-'}:** {cell}" for name, cell in zip(header[1:], row[1:], strict=True) if cell
        ]
        items.append(Item(title, body))
    return items
