"""The reactions members may use: short names from an allow-list, or the emoji themselves.

A reaction is stored as its canonical short name ("tada"); `reaction_name` accepts the short
name, the name between colons (":tada:"), an alias ("+1") or the emoji character ("🎉", with or
without the variation selector).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError

REACTIONS: dict[str, str] = {
    "thumbsup": "👍",
    "thumbsdown": "👎",
    "heart": "❤️",
    "tada": "🎉",
    "smile": "😄",
    "laughing": "😂",
    "eyes": "👀",
    "rocket": "🚀",
    "white_check_mark": "✅",
    "fire": "🔥",
    "thinking": "🤔",
    "pray": "🙏",
    "clap": "👏",
    "100": "💯",
    "bulb": "💡",
    "bug": "🐛",
    "confused": "😕",
}
ALIASES: dict[str, str] = {"+1": "thumbsup", "-1": "thumbsdown", "check": "white_check_mark", "joy": "laughing"}
# The picker of the pages (a message in a thread, a comment on an entry) offers these six.
QUICK_REACTIONS = ("thumbsup", "heart", "tada", "eyes", "rocket", "white_check_mark")

_VARIATION_SELECTOR = "\ufe0f"
_BY_CHARACTER = {char.replace(_VARIATION_SELECTOR, ""): name for name, char in REACTIONS.items()}


def reaction_name(value: str) -> str:
    """The canonical short name of a reaction, or a ValidationError naming the allowed ones."""
    text = value.strip()
    name = text.strip(":").lower() if text.startswith(":") and text.endswith(":") and len(text) > 2 else text.lower()
    name = ALIASES.get(name, name)
    if name in REACTIONS:
        return name
    by_char = _BY_CHARACTER.get(text.replace(_VARIATION_SELECTOR, ""))
    if by_char:
        return by_char
    raise ValidationError(
        {"emoji": f"{value!r} is not an allowed reaction; use one of: {', '.join(REACTIONS)} (or the emoji itself)."}
    )


def reaction_char(name: str) -> str:
    return REACTIONS.get(name, "")


def quick_reactions() -> list[tuple[str, str]]:
    """The pages' reaction picker: (short name, character) of each of `QUICK_REACTIONS`."""
    return [(name, REACTIONS[name]) for name in QUICK_REACTIONS]
