"""Repair text before parsing: mojibake (UTF-8 read as cp1252/cp1254 or as MacRoman), controls, line endings.

Mojibake is repaired one character at a time, never by judging a whole line: each sequence of
characters that are what a UTF-8 character looks like when its bytes are read as Windows-1252,
Windows-1254 or MacRoman ('â€”' for '—', 'ðŸš€' or 'ğŸš€' for 🚀, '‚Äì' for '–', 'üöÄ' for 🚀) is
decoded back, if it gives a letter, punctuation, symbol or emoji a README plausibly holds. So the
same text is repaired the same way wherever it stands, and repairing twice is repairing once,
which `parse(render(hub)) == hub` needs. (ftfy's own detection weighs the neighbouring characters:
it repairs '# â€”' but not 'â€”' alone, so it only supplies codecs and local fixes here.) Correct
text is left unchanged, apart from line breaks and control characters.
"""

from __future__ import annotations

import re
import unicodedata

import ftfy.bad_codecs  # noqa: F401 - registers the "sloppy-windows-125x" codecs used below
from ftfy.fixes import fix_surrogates, remove_terminal_escapes

# Everything that could surprise a Markdown reader but is no text: NUL and the other C0/C1 controls
# (tab and newline stay), and the byte order mark.
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufeff]")
_LINE_BREAKS = re.compile(r"\r\n?|[\u2028\u2029\x85]")


def _byte_table(*codecs: str) -> dict[str, int]:
    """Which byte (0x80-0xFF) each character stands for in any of these single-byte codecs."""
    table: dict[str, int] = {}
    for codec in codecs:
        for byte, char in zip(range(0x80, 0x100), bytes(range(0x80, 0x100)).decode(codec), strict=True):
            table.setdefault(char, byte)
    return table


def _unit_pattern(table: dict[str, int], *, lost_lead: bool) -> re.Pattern[str]:
    """A regex for one UTF-8 character's bytes written with `table`'s characters (4, 3, then 2 bytes)."""

    def chars(low: int, high: int) -> str:
        return "".join(re.escape(char) for char, byte in table.items() if low <= byte <= high)

    cont, lead2, lead3, lead4 = chars(0x80, 0xBF), chars(0xC2, 0xDF), chars(0xE0, 0xEF), chars(0xF0, 0xF4)
    alternatives = [f"[{lead4}][{cont}]{{3}}", f"[{lead3}][{cont}]{{2}}", f"[{lead2}][{cont}]"]
    if lost_lead:
        # MacRoman copies often lose the 0xF0 lead byte of an emoji: 'üöÄ' for 🚀.
        alternatives.insert(2, f"{re.escape(next(c for c, b in table.items() if b == 0x9F))}[{cont}]{{2}}")
    return re.compile("|".join(alternatives))


_WINDOWS = _byte_table("sloppy-windows-1252", "sloppy-windows-1254")
_MAC = _byte_table("mac_roman")
_WINDOWS_UNIT = _unit_pattern(_WINDOWS, lost_lead=False)
_MAC_UNIT = _unit_pattern(_MAC, lost_lead=True)


def _plausible(char: str, size: int) -> bool:
    """Whether a repaired character of `size` bytes is one a README plausibly holds.

    Narrow on purpose, so that correct text that happens to look like mojibake stays: two bytes
    give Latin letters (not 'Ɏ' from '…é'), three give punctuation and symbols (not Cyrillic or
    CJK), four give emoji.
    """
    code = ord(char)
    if size == 2:
        return 0xA0 <= code <= 0x17F
    if size == 3:
        return 0x2000 <= code <= 0x2BFF or 0xFE00 <= code <= 0xFE0F or code == 0xFFFD
    return 0x1F000 <= code <= 0x1FAFF


def _decoder(table: dict[str, int]):
    def decode(match: re.Match[str]) -> str:
        found = match.group()
        data = bytes(table[char] for char in found)
        if data[0] == 0x9F:
            data = b"\xf0" + data
        try:
            char = data.decode("utf-8")
        except UnicodeDecodeError:
            return found
        return char if len(char) == 1 and _plausible(char, len(data)) else found

    return decode


_DECODE_WINDOWS = _decoder(_WINDOWS)
_DECODE_MAC = _decoder(_MAC)
_CODECS = ((_WINDOWS_UNIT, _DECODE_WINDOWS), (_MAC_UNIT, _DECODE_MAC))
_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]+")


def _fix_run(match: re.Match[str]) -> str:
    """Decode a run of non-ASCII characters with the codec that explains most of it.

    One codec per run: a MacRoman '├──' ('├‚îÄ‚îÄ') also holds what looks like a Windows-1252
    unit ('Ä‚'), and a Windows-1252 keycap ('âƒ£') what looks like a MacRoman one ('ƒ£').
    """
    run = match.group()
    best, best_fixed = run, 0
    for pattern, decode in _CODECS:
        fixed = 0

        def counting(unit: re.Match[str], decode=decode) -> str:
            nonlocal fixed
            out = decode(unit)
            if out != unit.group():
                fixed += len(unit.group())
            return out

        result = pattern.sub(counting, run)
        if fixed > best_fixed:
            best, best_fixed = result, fixed
    return best


def _repair_once(text: str) -> str:
    text = _LINE_BREAKS.sub("\n", text)
    if not text.isascii():
        text = _NON_ASCII_RUN.sub(_fix_run, fix_surrogates(text))
    if "\x1b" in text:
        text = remove_terminal_escapes(text)
    return _CONTROLS.sub("", text)


def repair(text: str) -> str:
    """Repair mojibake, drop control characters and normalise line breaks to '\\n'.

    Repeated until nothing changes (text encoded twice), so that repairing twice is repairing once.
    """
    for _ in range(4):
        repaired = _repair_once(text)
        if repaired == text:
            break
        text = repaired
    return text


def is_emoji_or_symbol(char: str) -> bool:
    """Whether a character is decoration in a heading: emoji, symbol, joiner, selector or keycap."""
    if char.isascii():
        return False  # '`', '^', '|' are Markdown, not decoration
    if char in "\u200d\ufe0f\ufe0e\u20e3\ufffd":
        return True
    return unicodedata.category(char)[0] == "S" or 0x1F000 <= ord(char) <= 0x1FAFF
