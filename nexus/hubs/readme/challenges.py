"""Split a challenges section into challenges, whichever of the shapes learners use (SUMMARY.md §3).

Labels ("Challenge:", "**Problem**:", "*Solution*:", "**Solution**" alone, "Issue:", "Outcome:") are
read in list items, paragraphs and lines, on the label's line or below it; a labelled challenge
keeps the blocks that follow it (a solution's bullet list and code) until the next label. Without
labels: tables with a challenge and a solution column, "- **Problem**: fix" bullets, plain bullets,
a title line over its solution line, and prose paragraphs. Introductions ("Here are...:") stay loose.
"""

from __future__ import annotations

import re
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
from nexus.hubs.readme.lines import clean_heading, dedent, fence_map, indent_of, label_of, list_marker
from nexus.hubs.readme.names import is_meta_paragraph

# "... grew. Solution: Adopt ..." and "... data types Solution:Implemented ...": both on one line.
_INLINE_SOLUTION = re.compile(
    r"(?<=\S)[ \t]+(?:\*\*|__|\*|_)?(?:Solution|Fix)(?:\*\*|__|\*|_)?[ \t]*[:：](?:\*\*|__)?[ \t]*"
)
_PROBLEM_COLUMN = re.compile(r"challenge|problem|issue", re.IGNORECASE)
_DESCRIPTION_COLUMN = re.compile(r"description|details|cause|symptom", re.IGNORECASE)
_SOLUTION_COLUMN = re.compile(r"solution|fix|resolution|solved|approach|remedy|workaround", re.IGNORECASE)
_OUTCOME_COLUMN = re.compile(r"outcome|result|impact", re.IGNORECASE)


@dataclass
class Challenge:
    """A challenge being read: its title and the lines of each field."""

    title: str
    problem: list[str] = field(default_factory=list)
    solution: list[str] | None = None
    outcome: list[str] | None = None
    body: list[str] = field(default_factory=list)
    labelled: bool = False
    last: str = "problem"  # the field the next unlabelled lines continue

    def extend(self, lines: list[str], *, touching: bool = False) -> None:
        """Continue the field last opened with more lines (a bullet list, code); a blank line
        separates them unless they touched the previous block in the source."""
        target = {"problem": self.problem, "solution": self.solution, "outcome": self.outcome}.get(self.last)
        if target is None:
            target = self.problem
        target.extend(["", *lines] if target and not touching else lines)


def _segments(lines: list[str]) -> list[tuple[list[str], dict[str, list[str]]]]:
    """Each challenge of some lines: the lines before its labels, and its fields by name.

    A problem label starts a new segment once a field is open; another label adds its field, and a
    label seen twice continues it. A short line right before a problem label, set apart from the
    previous field by a blank line or by a smaller indent, is the next challenge's title.
    """
    fenced, _ = fence_map(lines)
    segments: list[tuple[list[str], dict[str, list[str]]]] = [([], {})]
    last = ""
    for index, line in enumerate(lines):
        label = None if fenced[index] else label_of(line)
        before, fields = segments[-1]
        if label is None:
            (fields[last] if last else before).append(line)
            continue
        name, rest, _ = label
        if name == "problem" and fields:
            title = _carried_title(fields[last], line) if last else []
            before, fields = title, {}
            segments.append((before, fields))
        if name in fields:
            fields[name].append(line)  # a repeated label continues its field
            continue
        fields[name] = [rest] if rest.strip() else []
        last = name
    for _, fields in segments:
        for name, value in fields.items():
            # Lines wrapped under a label ("  **Challenge:** ... in\n    TypeScript.") lose their indent.
            fields[name] = value[:1] + dedent(value[1:]) if value and value[0].strip() else value
    return [segment for segment in segments if segment[1] or segment[0]]


def _carried_title(field_lines: list[str], label_line: str) -> list[str]:
    """Take the title of the next challenge off the end of the previous field, if it is there."""
    while field_lines and not field_lines[-1].strip():
        field_lines.pop()
    if len(field_lines) < 2:
        return []
    candidate = field_lines[-1]
    separated = not field_lines[-2].strip() or indent_of(candidate) < indent_of(field_lines[-2])
    short = len(candidate.split()) <= 12 and not candidate.rstrip().endswith((".", ":", ","))
    if short and separated and indent_of(candidate) <= indent_of(label_line) and label_of(candidate) is None:
        field_lines.pop()
        while field_lines and not field_lines[-1].strip():
            field_lines.pop()
        return [candidate]
    return []


def _split_inline(problem: list[str]) -> tuple[list[str], list[str] | None]:
    """Split "Challenge: ... Solution: ..." written on one line."""
    for index, line in enumerate(problem):
        match = _INLINE_SOLUTION.search(line)
        if match:
            return [*problem[:index], line[: match.start()]], [line[match.end() :], *problem[index + 1 :]]
    return problem, None


def _text(lines: list[str] | None) -> str:
    """The words of some lines, to test them for emptiness or take a title from them."""
    return "\n".join(line.strip() for line in lines or []).strip()


def _title_from(before: list[str], fallback: str) -> tuple[str, list[str]]:
    """A title from the lines before the labels (a bold title, a title line), or from `fallback`."""
    lines = [line for line in before if line.strip()]
    if not lines:
        return first_sentence(fallback), []
    head = lines[0].strip()
    marker = list_marker(head)
    if marker:
        head = head[marker.end() :].strip()
    split = split_title(head)
    if split is not None and not split[1] and len(lines) == 1:
        return split[0], []
    if len(lines) == 1 and len(head.split()) <= 20:
        return clean_heading(head), []
    last = lines[-1].strip()
    if len(last.split()) <= 12 and not last.endswith((".", ":", ",")) and not list_marker(last):
        # A group title over the challenge's own title ("Scalability Architecture" / "Horizontal Scaling").
        return clean_heading(last), before[: before.index(lines[-1])]
    return first_sentence(" ".join(line.strip() for line in lines)), before


def from_fields(title: str, lines: list[str]) -> Challenge:
    """A challenge under its own heading: the text before its labels is the body (shape C)."""
    segments = _segments(lines)
    before = segments[0][0] if segments else []
    challenge = Challenge(title, body=before)
    for number, (leading, fields) in enumerate(segments):
        if number and leading:
            challenge.extend(leading)
        for name, value in fields.items():
            if name == "problem" and not challenge.problem:
                challenge.problem = value
            elif name == "solution" and challenge.solution is None:
                challenge.solution = value
            elif name == "outcome" and challenge.outcome is None:
                challenge.outcome = value
            else:
                challenge.extend(value)
            challenge.last = name
    if challenge.solution is None:
        challenge.problem, challenge.solution = _split_inline(challenge.problem)
    return challenge


def _labelled(block: Block, pending: str | None, current: Challenge | None) -> list[Challenge]:
    """The challenges a block with labels starts (or the fields it adds to `current`)."""
    started: list[Challenge] = []
    for leading, segment in _segments(block.lines):
        if not segment:
            continue
        if "problem" not in segment and current is not None and not any(line.strip() for line in leading):
            # "Solution: ..." in the paragraph after "Challenge: ..." (shapes J and E).
            names = [name for name in ("solution", "outcome") if name in segment]
            if any(getattr(current, name) is not None for name in names):
                current.extend(block.lines)  # a field given twice: the block continues the last one
                return started
            for name in names:
                setattr(current, name, segment[name])
                current.last = name
            continue
        problem = segment.get("problem", [])
        title, body = _title_from(leading, _text(problem) or _text(segment.get("solution")))
        if not any(line.strip() for line in leading) and pending:
            title = pending
        solution = segment.get("solution")
        if solution is None:
            problem, solution = _split_inline(problem)
        challenge = Challenge(
            title or "Untitled",
            problem=problem,
            solution=solution,
            outcome=segment.get("outcome"),
            body=body,
            labelled=True,
            last="outcome" if "outcome" in segment else "solution" if solution is not None else "problem",
        )
        started.append(challenge)
        current = challenge
    return started


def _unlabelled(block: Block) -> Challenge | None:
    """A challenge from a block without labels, or None when it is loose text."""
    if block.kind == "list":
        head, rest = item_head(block)
        if not head:
            return None
        split = split_title(head)
        if split is not None:
            title, after = split
            solution = [after, *rest] if after else rest
            has_solution = bool(_text(solution))
            return Challenge(title, [title], solution if has_solution else None)
        text = "\n".join([head, *rest])
        return Challenge(first_sentence(text), [head, *rest])
    if block.kind != "para":
        return None
    lines = [line for line in block.lines if line.strip()]
    text = " ".join(line.strip() for line in lines)
    if is_link_only(text) or is_meta_paragraph(text):
        return None
    if len(lines) >= 2 and len(lines[0]) <= 150 and lines[1].strip()[:1].isupper():
        # A title line over its solution line (shape L).
        first = lines[0].strip()
        return Challenge(clean_heading(first), [first], lines[1:])
    if len(lines) == 1 and len(text) <= 150 and first_sentence(text) == clean_heading(text):
        return Challenge(clean_heading(text), [text])
    return Challenge(first_sentence(text), lines)


def _table(block: Block) -> list[Challenge] | None:
    """One challenge per row of a table with a challenge column and a solution column."""
    header, rows = table_rows(block)

    def column(pattern: re.Pattern[str], skip: tuple[int | None, ...] = ()) -> int | None:
        return next((i for i, cell in enumerate(header) if i not in skip and pattern.search(cell)), None)

    problem = column(_PROBLEM_COLUMN)
    solution = column(_SOLUTION_COLUMN, (problem,))
    if problem is None or solution is None:
        return None
    description = column(_DESCRIPTION_COLUMN, (problem, solution))
    outcome = column(_OUTCOME_COLUMN, (problem, solution, description))
    used = {problem, solution, description, outcome}
    challenges = []
    for row in rows:
        title = clean_heading(row[problem])
        if not title:
            continue
        body = [
            f"**{clean_heading(header[i]) or '-'}:** {row[i]}" for i in range(len(header)) if i not in used and row[i]
        ]
        challenges.append(
            Challenge(
                title,
                [row[description]] if description is not None and row[description] else [title],
                [row[solution]] if row[solution] else None,
                [row[outcome]] if outcome is not None and row[outcome] else None,
                body,
            )
        )
    return challenges


def _is_title_for(blocks: list[Block], position: int) -> bool:
    """Whether a one-line block names the labelled challenge right after it."""
    block = blocks[position]
    if position + 1 >= len(blocks) or block.kind not in ("para", "list") or len(block.lines) != 1:
        return False
    following = blocks[position + 1]
    first = next((line for line in following.lines if line.strip()), "")
    label = label_of(first)
    return label is not None and label[0] == "problem" and len(block.lines[0].split()) <= 20


def split_challenges(lines: list[str]) -> tuple[list[Challenge], list[Block]]:
    """The challenges of a section's text, and the loose chunks of text left over."""
    blocks = build_blocks(lines)
    found: list[Challenge] = []
    loose: list[Block] = []
    current: Challenge | None = None  # a labelled challenge keeps the unlabelled blocks after it
    pending: str | None = None
    previous_end = -1
    for position, block in enumerate(blocks):
        touching = block.start == previous_end
        previous_end = block.end
        if block.kind == "rule":
            continue
        if block.kind == "table":
            rows = _table(block)
            if rows is not None:
                found.extend(rows)
                current = None
                continue
        if block.has_label():
            started = _labelled(block, pending, current)
            found.extend(started)
            current = started[-1] if started else current
            pending = None
            continue
        if _is_title_for(blocks, position):
            head, _ = item_head(block) if block.kind == "list" else (block.lines[0].strip(), [])
            pending = clean_heading(head)
            continue
        if current is not None and current.labelled:
            current.extend(block.lines, touching=touching)
            continue
        challenge = _unlabelled(block)
        if challenge is None:
            loose.append(block)
        else:
            found.append(challenge)
    return found, loose


def is_group(lines: list[str]) -> bool:
    """Whether the text under a nested heading holds several challenges rather than one."""
    segments = _segments(lines)
    problems = sum(1 for _, fields in segments if "problem" in fields)
    if problems >= 2:
        return True
    if any(fields for _, fields in segments):
        return False
    items = [block for block in build_blocks(lines) if block.kind == "list"]
    return len(items) >= 2
