"""Each fixture README (one per shape of SUMMARY.md §3, and per kind of damage) parses to exactly these entries."""

from __future__ import annotations

from pathlib import Path

import pytest

from nexus.hubs.readme import ParsedHub, parse, render, word_coverage

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def _read(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def _summary(hub: ParsedHub) -> list[tuple]:
    """Entries as tuples: challenges with their problem/solution split, the others with their body."""
    rows: list[tuple] = []
    for entry in hub.entries:
        if entry.kind == "challenge":
            row: tuple = ("challenge", entry.section, entry.title, entry.problem, entry.solution)
            if entry.outcome is not None or entry.body:
                row = (*row, entry.outcome, entry.body)
        elif entry.kind == "note":
            row = ("note", entry.section, entry.body)
        else:
            row = (entry.kind, entry.section, entry.title, entry.body)
        rows.append(row)
    return rows


DEBUGGING = "🧩 Debugging Struggles & Lessons Learned"
IMPLEMENTED = "Challenges Faced and Solutions Implemented"
ROADBLOCKS = "🚧 Challenges Faced and Solutions Implemented"

EXPECTED: dict[str, tuple[str, str, list[tuple]]] = {
    # A: a 2-column table, with bold, emoji, inline code and padding in its cells; the quote stays a note.
    "a_two_column_table.md": (
        "🧭 Nexus Notes – Frontend Track",
        "",
        [
            ("note", DEBUGGING, "> *Every fixed bug taught me something.*"),
            (
                "challenge",
                DEBUGGING,
                "⚠️ Hydration Errors",
                "⚠️ Hydration Errors",
                "Moved browser-only code into `useEffect`.",
            ),
            (
                "challenge",
                DEBUGGING,
                "Slow image loading",
                "Slow image loading",
                "Switched to `next/image` with **lazy loading**.",
            ),
            (
                "challenge",
                DEBUGGING,
                "`fetch` cache confusion",
                "`fetch` cache confusion",
                'Set `cache: "no-store"` on live data.',
            ),
        ],
    ),
    # B: 3-column tables: Challenge | Description | Solution, and Area | Challenge | Solution.
    "b_three_column_tables.md": (
        "Project Nexus",
        "",
        [
            (
                "challenge",
                IMPLEMENTED,
                "Migration clashes",
                "Two branches added the same migration number",
                "Rebased and regenerated migrations",
            ),
            ("challenge", IMPLEMENTED, "Slow list endpoint", "Each row queried its author", "Added `select_related`"),
            (
                "challenge",
                "Real-World Challenges & Solutions",
                "Flaky background jobs",
                "Flaky background jobs",
                "Retried tasks with backoff",
                None,
                "**Area:** Backend",
            ),
            (
                "challenge",
                "Real-World Challenges & Solutions",
                "Stale cached responses",
                "Stale cached responses",
                "Invalidated queries after writes",
                None,
                "**Area:** Frontend",
            ),
        ],
    ),
    # C: a heading per challenge; labels on consecutive lines, after a hard break, alone on their
    # line, in a bold heading, and as bullets under "### 4. Title".
    "c_heading_per_challenge.md": (
        "Backend Journey",
        "",
        [
            (
                "challenge",
                ROADBLOCKS,
                "Challenge 1: Slow Dashboards",
                "Every widget ran its own query.",
                "Batched the queries into one endpoint.",
            ),
            (
                "challenge",
                ROADBLOCKS,
                "Challenge 2: Leaking Secrets",
                "API keys were committed to the repository.",
                "- Moved keys to environment variables\n- Rotated every exposed key",
            ),
            (
                "challenge",
                ROADBLOCKS,
                "Challenge 3: Broken Builds",
                "CI failed on every pull request from forks.",
                "Split the workflow so forks skip the deploy job.",
            ),
            (
                "challenge",
                ROADBLOCKS,
                "4. Timezone Bugs",
                "Dates shifted by one day for users in Nairobi.",
                "Stored every timestamp in UTC.",
            ),
        ],
    ),
    # D: a bullet with a bold title, then italic labels on indented lines.
    "d_bold_title_italic_labels.md": (
        "ALX Project Nexus",
        "",
        [
            (
                "challenge",
                IMPLEMENTED,
                "Dependency Drift",
                "Packages differed between laptops",
                "Pinned versions in a lock file",
            ),
            (
                "challenge",
                IMPLEMENTED,
                "Noisy Logs",
                "Errors were hidden among debug messages",
                "Set log levels per environment",
            ),
        ],
    ),
    # E: one bullet holding both labels; colon outside the bold; a Pandoc backslash break.
    "e_one_bullet_both_labels.md": (
        "Nexus",
        "",
        [
            (
                "challenge",
                "⚡ Challenges & Solutions",
                "Keeping API contracts in sync with the frontend team.",
                "Keeping API contracts in sync with the frontend team.",
                "Published an OpenAPI schema on every merge.",
            ),
            (
                "challenge",
                "⚡ Challenges & Solutions",
                "Long test runs.",
                "Long test runs.",
                "Ran the suite in parallel.",
            ),
            (
                "challenge",
                "⚡ Challenges & Solutions",
                "Understanding generics in TypeScript.",
                "Understanding generics in\nTypeScript.",
                "Rewrote small helpers with explicit type\nparameters.",
            ),
        ],
    ),
    # F: the solution as a nested sub-bullet.
    "f_nested_solution.md": (
        "Nexus",
        "",
        [
            (
                "challenge",
                IMPLEMENTED,
                "Debugging failing checker tests despite working code",
                "Debugging failing checker tests despite working code",
                "Matched the expected output format exactly.",
            ),
            (
                "challenge",
                IMPLEMENTED,
                "Designing the booking schema",
                "Designing the booking schema",
                "Drew the ERD first, then wrote the models.",
            ),
        ],
    ),
    # G: an ordered list, labels on the item's two lines.
    "g_ordered_list.md": (
        "ALX Project Nexus",
        "",
        [
            (
                "challenge",
                "💡 Challenges Faced and Solutions Implemented",
                "Managing complex migrations.",
                "Managing complex migrations.",
                "I squashed old migrations before the release.",
            ),
            (
                "challenge",
                "💡 Challenges Faced and Solutions Implemented",
                "Handling edge cases in serializers.",
                "Handling edge cases in serializers.",
                "I wrote validation tests for every field.",
            ),
        ],
    ),
    # H: "- **Challenge N: Title**" then "*Solution*:", no problem text: the title is the problem.
    "h_numbered_bold_title.md": (
        "ALX Project Nexus",
        "",
        [
            (
                "challenge",
                "Challenges Faced & Solutions",
                "Challenge 1: Token Expiry Surprises",
                "Challenge 1: Token Expiry Surprises",
                "Refreshed tokens silently before they expired.",
            ),
            (
                "challenge",
                "Challenges Faced & Solutions",
                "Challenge 2: Overloaded Celery Queue",
                "Challenge 2: Overloaded Celery Queue",
                "Split tasks into a fast and a slow queue.",
            ),
        ],
    ),
    # I: "- **Problem**: fix" with no labels, grouped under two sub-headings.
    "i_implicit_pairs.md": (
        "Nexus Knowledge Hub",
        "",
        [
            (
                "challenge",
                f"{IMPLEMENTED} › Technical Challenges",
                "Scaling Reads",
                "Scaling Reads",
                "Added a read replica and routed list queries to it",
            ),
            (
                "challenge",
                f"{IMPLEMENTED} › Technical Challenges",
                "Image Uploads",
                "Image Uploads",
                "Moved uploads to object storage with signed URLs",
            ),
            (
                "challenge",
                f"{IMPLEMENTED} › Learning Curve Management",
                "Too Many New Tools",
                "Too Many New Tools",
                "Learned one tool per week",
            ),
            (
                "challenge",
                f"{IMPLEMENTED} › Learning Curve Management",
                "Unfamiliar Codebase",
                "Unfamiliar Codebase",
                "Paired with a teammate for the first sprint",
            ),
        ],
    ),
    # J: plain labels in paragraphs separated by runs of blank lines (Word export, no '#').
    "j_label_paragraphs.md": (
        "Project Nexus Notes",
        "",
        [
            (
                "challenge",
                IMPLEMENTED,
                "Keeping the cart consistent across devices.",
                "Keeping the cart consistent across devices.",
                "Stored the cart on the server and synced it on login.",
            ),
            (
                "challenge",
                IMPLEMENTED,
                "Sending receipts without slowing checkout.",
                "Sending receipts without slowing checkout.",
                "Queued the emails with Celery.",
            ),
            ("practice", "Best Practices and Personal Takeaways", "Write the test before the fix.", ""),
        ],
    ),
    # J: a title line over "Challenge:" / "Solution:" lines, and "N. Challenge: Title" + "Solution:".
    "j_triplets_and_numbers.md": (
        "Nexus Frontend Notes",
        "",
        [
            ("note", "Challenges and Solutions", "This section lists what went wrong and how it was fixed."),
            (
                "challenge",
                "Challenges and Solutions",
                "Flaky Layout Shifts",
                "Content jumped while fonts loaded.",
                "Preloaded the fonts and reserved space.",
            ),
            (
                "challenge",
                "Challenges and Solutions",
                "Search Felt Slow",
                "Every keystroke hit the API.",
                "Debounced the input by 300 ms.",
            ),
            (
                "challenge",
                "Challenges and Solutions › 🛠 Troubles Along the Way",
                "Broken Deploys",
                "Broken Deploys",
                "Added a smoke test after each deploy.",
            ),
            (
                "challenge",
                "Challenges and Solutions › 🛠 Troubles Along the Way",
                "Missing Translations",
                "Missing Translations",
                "Failed the build when a key was missing.",
            ),
        ],
    ),
    # J: an indented outline with extra labels ("Tools:", "Measures:") kept in the solution.
    "j_indented_outline.md": (
        "Backend Program Notes",
        "",
        [
            (
                "challenge",
                "Challenges and Solutions: A Technical Deep Dive › Performance Optimization Challenges",
                "Chatty ORM Queries",
                "Each page issued hundreds of queries",
                "Prefetched related rows\n\nTools: Django Debug Toolbar",
            ),
            (
                "challenge",
                "Challenges and Solutions: A Technical Deep Dive › Security Implementation Challenges",
                "Weak Passwords",
                "Users chose short passwords",
                "Enforced a length validator\n\nMeasures: Rate limiting on login",
            ),
        ],
    ),
    # J: "* Challenge:" with a lazy "Solution:" line, and bold labels on consecutive plain lines.
    "j_lazy_and_bold_lines.md": (
        "📖 Nexus Case Study",
        "",
        [
            (
                "challenge",
                "🔑 Challenges & Solutions",
                "File uploads failed over GraphQL.",
                "File uploads failed over GraphQL.",
                "Sent a URL string instead of the file.",
            ),
            (
                "challenge",
                "🔑 Challenges & Solutions",
                "CORS errors after deploying.",
                "CORS errors after deploying.",
                "Listed the frontend origin in the settings.",
            ),
            (
                "challenge",
                "Challenges and Solutions (Frontend)",
                "Infinite scroll stuttered.",
                "Infinite scroll stuttered.",
                "Rendered only the visible rows.",
            ),
            (
                "challenge",
                "Challenges and Solutions (Frontend)",
                "Filters reset on refresh.",
                "Filters reset on refresh.",
                "Kept filters in the URL.",
            ),
        ],
    ),
    # K: both labels on one line, and "Problem: ... Solution:..." with no space after the colon.
    "k_one_line.md": (
        "Nexus",
        "",
        [
            (
                "challenge",
                "5. Challenges, Solutions & Lessons Learned",
                "routes grew hard to find.",
                "routes grew hard to find.",
                "grouped them by feature folder.",
            ),
            (
                "challenge",
                "5. Challenges, Solutions & Lessons Learned",
                "Challenge 1: Payment Webhooks",
                "Webhooks arrived twice",
                "Made the handler idempotent",
            ),
        ],
    ),
    # L: a challenge line over its solution line; a last challenge without a solution.
    "l_alternating_lines.md": (
        "Frontend Learnings",
        "## Overview\n\nNotes from the frontend track.",
        [
            ("learning", "Key Technologies Covered", "Styling", "TailwindCSS, CSS modules"),
            (
                "challenge",
                "Challenges Faced & Solutions",
                "Keeping components small",
                "Keeping components small",
                "Split pages into presentational and container components",
            ),
            (
                "challenge",
                "Challenges Faced & Solutions",
                "Handling loading states",
                "Handling loading states",
                "Added skeleton screens to every list",
            ),
            ("challenge", "Challenges Faced & Solutions", "Tight deadlines", "Tight deadlines", None),
        ],
    ),
    # M: prose paragraphs, each a challenge titled by its first sentence.
    "m_prose.md": (
        "My Backend Journey",
        "",
        [
            (
                "challenge",
                "Some Real Problems I Had to Solve",
                "The N+1 problem hit my feed endpoint first.",
                "The N+1 problem hit my feed endpoint first. Each post loaded its author separately, and the page "
                "took four seconds. Adding `select_related` brought it under 200 ms.",
                None,
            ),
            (
                "challenge",
                "Some Real Problems I Had to Solve",
                "Caching was the next headache.",
                "Caching was the next headache. Users saw stale profiles after editing them, so I invalidated the "
                "cache key on every save.",
                None,
            ),
        ],
    ),
    # N: challenges without solutions; the introduction and the closing sentence stay a note.
    "n_no_solutions.md": (
        "📚 Nexus Learnings",
        "",
        [
            (
                "note",
                "⚡ Challenges & Solutions",
                "Some of the challenges I met include:\n\nFor each challenge, I wrote down what I tried in my notes.",
            ),
            (
                "challenge",
                "⚡ Challenges & Solutions",
                "Designing pagination for very large tables.",
                "Designing pagination for very large tables.",
                None,
            ),
            (
                "challenge",
                "⚡ Challenges & Solutions",
                "Testing code that depends on the clock.",
                "Testing code that depends on the clock.",
                None,
            ),
        ],
    ),
    # O: a numbered title, "**Challenge:**" bullets, "**Solution**" (no colon) bullets with code.
    "o_code_blocks.md": (
        "Nexus",
        "",
        [
            (
                "challenge",
                IMPLEMENTED,
                "Leaked Tokens",
                "- Tokens stayed valid after logout.\n- Old refresh tokens still worked.",
                "- Blacklisted tokens on logout\n```python\ntoken.blacklist()\n```\n- Shortened the refresh lifetime\n"
                "```plaintext\nREFRESH_TOKEN_LIFETIME = timedelta(days=1)\n```",
            ),
        ],
    ),
    # P: an unfinished "- **Logs**:" label, then a heading pasted inside a list item.
    "p_unfinished.md": (
        "Project Nexus Documentation",
        "",
        [
            (
                "challenge",
                f"Major Learnings › {IMPLEMENTED}",
                "Challenge 1: Geolocation Middleware Crash",
                "The middleware pointed at a backend that does not exist.\n- **Logs**:",
                None,
            ),
            (
                "challenge",
                "Challenges and Solutions",
                "1. Missing manage.py",
                "The project root had no `manage.py`.",
                "Recreated the layout with `django-admin startproject`.",
            ),
        ],
    ),
    # Q: no challenge content: empty headings stay, as empty notes (their words are kept).
    "q_no_challenges.md": (
        "alx-project-nexus: Job Board",
        "## Overview\n\nA job board API.",
        [
            ("learning", "Technologies Used", "Django", "Web framework"),
            ("learning", "Technologies Used", "PostgreSQL", "Database"),
            ("note", "Challenges faced and solutions implemented", ""),
            ("note", "Best practices and personal takeaways", ""),
        ],
    ),
    "mojibake_cp1252.md": (
        "🚀 Project — Nexus",
        "",
        [
            ("learning", "🧠 Key Technologies Covered", "Python", "It’s the backend language"),
            ("learning", "🧠 Key Technologies Covered", "✅ Docker", "Containers"),
            ("challenge", "🛠 Challenges & Solutions", "Slow “search”", "Slow “search”", "Added an index"),
        ],
    ),
    "mojibake_macroman.md": (
        "ALX Project Nexus 🚀",
        "",
        [
            ("learning", "🧠 Key Technologies Covered", "Python", "for backend logic"),
            ("learning", "🧠 Key Technologies Covered", "Django", "it’s the framework"),
            ("practice", "💡 Best Practices and Personal Takeaways", "✅ Write tests first", ""),
        ],
    ),
    # ZWJ and keycap emoji, a U+2011 hyphen in a section name, a U+FFFD in a heading.
    "unicode_edge.md": (
        "👨\u200d💻 Nexus — Full‑Stack Notes",
        "",
        [
            ("learning", "1️⃣ Key Technologies", "Next.js", "App Router"),
            ("learning", "1️⃣ Key Technologies", "Django", "REST APIs"),
            (
                "challenge",
                "Real‑World Challenges & Solutions",
                "Broken Emoji in Logs",
                "Broken Emoji in Logs",
                "Forced UTF-8 everywhere",
            ),
            ("note", "� Security Notes", "Rotate secrets every quarter."),
        ],
    ),
    # Pasted rendered text: no '#', no blank lines, a table of contents whose names come back.
    "pasted_no_headings.md": (
        "ALX Project Nexus",
        "## Overview\n\nA pasted copy of my documentation.",
        [
            ("learning", "Key Technologies", "Python", "Backend language."),
            ("learning", "Key Technologies", "Docker", "Containers for every service."),
            ("challenge", "Challenges and Solutions", "Slow builds.", "Slow builds.", "Cached the dependency layer."),
            ("note", "📚 Table of Contents", "Key Technologies\n\nChallenges and Solutions\n\nCollaboration"),
            ("note", "Collaboration", "We met every Friday on Discord."),
        ],
    ),
    # A fence that never closes does not hide the sections after it; each is closed where its section ends.
    "unclosed_fence.md": (
        "Nexus",
        "",
        [
            # The fence is closed where its section ends, as stored text has it: Django's code.
            (
                "learning",
                "Key Technologies Covered",
                "Django",
                'Web framework\n\n```python\nprint("never closed")\n```',
            ),
            ("practice", "Best Practices & Personal Takeaways", "Keep functions short", ""),
            ("note", "Repository Structure", "```txt\napp/\n ├─ page.tsx\n```"),
        ],
    ),
    "raw_html.md": (
        "Nexus Portfolio",
        '<div align="center">\n\n![Status](https://img.shields.io/badge/Status-Done-green)\n\n</div>',
        [
            ("learning", "Key Technologies Covered", "Prisma", "ORM for PostgreSQL"),
            (
                "note",
                "📑 Table of Contents",
                "<details>\n<summary>Click to expand</summary>\n\n- [Overview](#overview)\n- [Challenges](#challenges)"
                "\n\n</details>",
            ),
            (
                "note",
                "Project Structure",
                '<pre><code>app/\n├── models.py\n</pre></code>\n\n<p align="center">\n  '
                '<img src="https://example.com/footer.svg"/>\n</p>',
            ),
        ],
    ),
    # Two documents in one file: the second H1 and the second Overview become notes.
    "concatenated.md": (
        "Project Nexus Documentation",
        "## Overview\n\nFirst document.",
        [
            ("learning", "Key Technologies Covered", "Python", "Backend language"),
            ("learning", "Key Learnings", "Caching with **Redis**", ""),
            ("note", "Project Nexus - Second Document", ""),
            ("note", "Overview", "The same repository, written again."),
        ],
    ),
    # Template placeholders: their sections are kept as notes, not imported as knowledge.
    "placeholders.md": (
        "Project Nexus Documentation",
        "## Overview\n\nA template I started filling in.",
        [
            (
                "note",
                "Key Technologies Covered",
                "* **Python:** Backend language.\n* **System Design:** [My explanation here]",
            ),
            (
                "note",
                "Challenges and Solutions",
                "* **[Challenge 1]:** [Brief description of the challenge].\n"
                "    * **Solution:** [Brief description of the solution].",
            ),
            ("note", "Best Practices and Personal Takeaways", "* **[Best Practice 1]:** [My insight or takeaway]."),
            (
                "note",
                "📫 Connect With Me",
                "- **GitHub:** [Your GitHub Profile]\n- Clone: `git clone https://github.com/YOUR_USERNAME/nexus.git`\n"
                "- Stars: ![stars](https://img.shields.io/github/stars/your-github-username/nexus)",
            ),
        ],
    ),
    # Setext title, "#Overview" without a space, two spaces after '##', '---' glued to a heading,
    # a trailing colon, a bold heading line, '**' inside headings.
    "heading_styles.md": (
        "ALX Nexus Notes",
        "Intro paragraph.\n\n## Overview\n\nAn overview written without a space after the hash.",
        [
            ("learning", "🚀 Major Learnings › 🌐 Key Technologies Covered", "GraphQL", "Query language"),
            ("learning", "🚀 Major Learnings", "1. Database Design", "Normalised tables."),
            (
                "challenge",
                "🚀 Major Learnings › Challenges and Solutions",
                "Slow Search",
                "Slow Search",
                "Added a trigram index",
            ),
            ("practice", "Best Practices & Takeaways", "Review every migration", ""),
        ],
    ),
    # A Word export: CRLF line endings, runs of blank lines, '\&' and '\_' escapes, Pandoc bullets.
    "windows_export.md": (
        "Project Nexus Export",
        "## Overview of the ProDev Backend Engineering Program\n\nExported from Word.",
        [
            ("learning", "Key Technologies Covered", "Celery \\& RabbitMQ", "Background tasks."),
            ("learning", "Key Technologies Covered", "SECRET\\_KEY handling", "Kept in the environment."),
            ("practice", "Best Practices and Personal Takeaways", "Commit small changes", ""),
            ("practice", "Best Practices and Personal Takeaways", "Review the diff before pushing", ""),
        ],
    ),
}


def test_every_fixture_has_expectations():
    assert sorted(path.name for path in FIXTURES.glob("*.md")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_parses_to_the_expected_entries(name):
    title, overview, entries = EXPECTED[name]

    hub = parse(_read(name))

    assert hub.title == title
    assert hub.overview == overview
    assert _summary(hub) == entries


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_rendering_keeps_its_words_and_is_a_fixpoint(name):
    source = _read(name)
    hub = parse(source)

    rendered = render(hub)

    assert word_coverage(source, rendered) >= 0.99
    assert parse(rendered).without_warnings() == hub.without_warnings()


def test_unclosed_fences_are_reported_with_their_line():
    hub = parse(_read("unclosed_fence.md"))

    assert hub.warnings[:2] == (
        "Line 7 opens a code fence that is never closed; it is closed where its section ends.",
        "Line 16 opens a code fence that is never closed; it is closed where its section ends.",
    )


def test_placeholders_are_reported_once_each():
    hub = parse(_read("placeholders.md"))

    assert hub.warnings == (
        'Template placeholder "[My explanation here]" in "Key Technologies Covered": kept as a note, '
        "not imported as knowledge.",
        'Template placeholder "[Challenge 1]" in "Challenges and Solutions": kept as a note, '
        "not imported as knowledge.",
        'Template placeholder "[Brief description of the challenge]" in "Challenges and Solutions": kept as a note, '
        "not imported as knowledge.",
        'Template placeholder "[Brief description of the solution]" in "Challenges and Solutions": kept as a note, '
        "not imported as knowledge.",
        'Template placeholder "[Best Practice 1]" in "Best Practices and Personal Takeaways": kept as a note, '
        "not imported as knowledge.",
        'Template placeholder "[My insight or takeaway]" in "Best Practices and Personal Takeaways": kept as a note, '
        "not imported as knowledge.",
        'Template placeholder "[Your GitHub Profile]" in "📫 Connect With Me".',
        'Template placeholder "YOUR_USERNAME" in "📫 Connect With Me".',
        'Template placeholder "your-github-username" in "📫 Connect With Me".',
    )


def test_loose_text_and_unknown_sections_yield_warnings():
    assert parse(_read("n_no_solutions.md")).warnings == (
        'Text in "⚡ Challenges & Solutions" that is no list of items was kept as a note.',
    )
    assert parse(_read("concatenated.md")).warnings == (
        'Section "Project Nexus - Second Document" is not a known README section; kept as a note.',
    )
