"""Encoding repair: mojibake from Windows-1252/1254 and MacRoman is undone; correct text stays as it is."""

from __future__ import annotations

import pytest

from nexus.hubs.readme import parse
from nexus.hubs.readme.repair import repair


def test_windows_1252_mojibake_is_repaired():
    assert repair("ðŸš€ Project â€” Nexus") == "🚀 Project — Nexus"


def test_macroman_mojibake_is_repaired_even_without_the_emoji_lead_byte():
    assert repair("üöÄ Key Technologies ‚Äì Python") == "🚀 Key Technologies – Python"


@pytest.mark.parametrize(
    ("damaged", "repaired"),
    [
        ("ğŸ“š Table of Contents", "📚 Table of Contents"),  # Windows-1254: 0xF0 reads as ğ
        ("âœ… Done", "✅ Done"),
        ("Itâ€™s", "It’s"),
        ("â€œquotedâ€\x9d", "“quoted”"),
        ("Ã©tÃ©", "été"),
        ("### üß† Key Technologies Covered", "### 🧠 Key Technologies Covered"),
        ("It‚Äôs", "It’s"),
        ("‚úÖ Done", "✅ Done"),
        ("üë®‚Äçüíª dev", "👨\u200d💻 dev"),  # a ZWJ sequence
        ("1ï¸\x8fâƒ£ Next", "1️⃣ Next"),  # a keycap
        ("ï¿½ Security", "� Security"),
    ],
)
def test_other_mojibake_patterns_are_repaired(damaged, repaired):
    assert repair(damaged) == repaired


@pytest.mark.parametrize(
    "correct",
    [
        "correct — text ‘quoted’ café 🚀 Düsseldorf",
        "Full‑Stack (U+2011), 👨‍💻, 1️⃣, � stay",
        "–é …é «ß: pairs that merely look like mojibake",
        "Ελληνικά, Кириллица, 中文",
    ],
)
def test_correct_text_is_left_untouched(correct):
    assert repair(correct) == correct


def test_line_breaks_and_controls_are_normalised():
    assert repair("a\r\nb\rc\u2028d\x00e\ufeff\x1b[31mf\x1b[0m") == "a\nb\nc\nde" + "f"


def test_repairing_twice_is_repairing_once():
    once = repair("ðŸš€ Project â€” Nexus and üöÄ and â€œxâ€\x9d")

    assert repair(once) == once


def test_parse_repairs_before_reading_sections():
    hub = parse("# ðŸš€ Nexus\n\n## ðŸ›\xa0ï¸\x8f Challenges & Solutions\n\n- **Slow pages**: Cached them\n")

    assert hub.title == "🚀 Nexus"
    assert [(entry.section, entry.title) for entry in hub.entries] == [("🛠️ Challenges & Solutions", "Slow pages")]
