"""@mentions in Markdown text: pure functions, no ORM.

`@username` counts when it starts a word (so an e-mail address is not a mention) and is not
inside code (`inline` or fenced). Usernames follow Django's rules (letters, digits and
`. + - _`; a trailing full stop is punctuation). Which of the names become mentions is decided
by the services: only members who can read the message or entry.
"""

from __future__ import annotations

import re

MAX_MENTIONS = 20

_FENCED = re.compile(r"^ {0,3}(`{3,}|~{3,})[^\n]*\n.*?(?:^ {0,3}\1[ \t]*$|\Z)", re.MULTILINE | re.DOTALL)
_INLINE_CODE = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)", re.DOTALL)
_MENTION = re.compile(r"(?<![\w@.+\-/])@([\w][\w.+\-]{0,149})")


def mentioned_usernames(text: str) -> list[str]:
    """The distinct usernames @mentioned in `text`, lower-cased, in order, at most MAX_MENTIONS."""
    without_code = _INLINE_CODE.sub(" ", _FENCED.sub("\n", text or ""))
    found: dict[str, None] = {}
    for match in _MENTION.finditer(without_code):
        name = match.group(1).rstrip(".").lower()
        if name:
            found.setdefault(name, None)
        if len(found) >= MAX_MENTIONS:
            break
    return list(found)
