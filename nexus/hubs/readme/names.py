"""Recognise README section names ("🛠️ Challenges Faced & Solutions", "Key Technologies Covered", ...).

Two tests, on a name normalised to lower case words (emoji, markup, numbering, parentheses and
dash variants removed, '&' read as 'and'):

- `loose_kind` finds a keyword anywhere. It names the kind of a Markdown heading, which is a
  section whatever it says.
- `strict_kind` also asks the name to be little more than that keyword (plus words such as "key",
  "important", "covered"). It decides whether a bare line of pasted text, a bold line, a nested
  heading or a list item's title *opens* a section, so that "Authentication best practices with JWT"
  stays an item while "Development Best Practices" opens a section.

Kinds: "tech" and "learning" (learning entries), "challenge", "practice", "overview", "toc",
"collab" (collaboration), "aside" (notes that never hold knowledge: setup, structure, license, contact...)
and "note" (other well-known notes: goals, features, conclusion...).
"""

from __future__ import annotations

import re
from functools import lru_cache

from nexus.hubs.readme.model import SECTION_SEPARATOR

KNOWLEDGE_KINDS = frozenset({"tech", "learning", "challenge", "practice"})

_LOOSE: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern))
    for kind, pattern in (
        ("toc", r"\btable of contents\b|^contents$"),
        (
            "challenge",
            r"\bchallenges\b|\bchallenge (?:and|/) solutions?\b|\bstruggles?\b|\blessons learned\b"
            r"|\bproblems? (?:i|we) (?:had|faced|solved)\b|\breal problems\b|\bpain points\b"
            r"|\bdebugging (?:lessons|stories|war stories)\b|\btroubles\b",
        ),
        (
            "practice",
            r"\bbest\b.*\bpractices?\b|\bpractices\b|\btakeaways?\b|\bdo differently\b|\blooking back\b"
            r"|\blessons\b|\bpersonal insights\b",
        ),
        (
            "tech",
            r"\btechnolog|\btech stack\b|\btools\b|\btooling\b|\bframeworks? and libraries\b"
            r"|\blanguages? and frameworks?\b",
        ),
        (
            "learning",
            r"\bconcepts?\b|\blearnings\b|\bwhat i(?:'?ve| have)? learn|\bkey learning\b"
            r"|\b(?:program|engineering|backend|frontend|learning) highlights\b|\bcurriculum\b",
        ),
        (
            "overview",
            r"\boverview\b|\bintroduction\b|^intro$|^about\b|\babout (?:the|this) (?:program|project)\b"
            r"|\btl ?;? ?dr\b|\bwhat this program\b|^(?:the )?(?:alx )?prodev\b.*\bprogram\b",
        ),
        ("collab", r"\bcollaborat|\bteamwork\b|\bcommunication channels?\b|\bpartnerships?\b"),
        (
            "aside",
            r"\bgetting started\b|\binstallation\b|\bset ?up instructions\b|\bquick ?start\b|\bprerequisites\b"
            r"|\b(?:project|repository|repo|folder|directory|file) structure\b|\blicen[cs]e\b|\bcontact\b"
            r"|\bauthors?\b|\bconnect with\b|\bstay in touch\b|\backnowledg|\bcontributing\b|\bhow to contribute\b",
        ),
        (
            "note",
            r"\bfeatures\b|\bobjectives?\b|\bgoals?\b|\bconclusion\b|\bfinal notes\b|\bsummary\b"
            r"|\bnext steps\b|\bfuture\b|\broadmap\b|\bproject (?:details|info|information)\b|\bachievements\b"
            r"|\bcase study\b|\bevaluation\b|\bcommit\b|\bsnippet\b|\bexamples?\b|\bresources\b|\bwhy this repo"
            r"|\bproject highlights\b|^projects?$|^projects? and\b|\binstall|\bset ?up\b|\bstructure\b"
            r"|\bcontribut|\bsupport\b"
            r"|\bscreenshots?\b|\bdemo\b|\busage\b|\bhow to use\b|\bfaq\b|\bapi (?:documentation|docs|endpoints)\b"
            r"|\breferences?\b|\bfurther reading\b|\bchangelog\b|\bcredits\b",
        ),
    )
)


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words a section name may add to its keyword and still be "just that section".
_QUALIFIERS = _words(
    "a an the my our your some all this these that of in on for to with and or from at by i we you me "
    "key important core major main personal general program project technical advanced essential "
    "additional other modern comprehensive real world real-world backend frontend front back end full "
    "stack full-stack fullstack development engineering engineer software web mobile prodev alx "
    "covered used learned learnt explored mastered implemented faced encountered gained followed "
    "adopted applied best recommended what ve have has had new deep dive dives"
)

# The words that make up each kind's keyword(s); any other word counts against the kind's allowance.
_HEADS: dict[str, frozenset[str]] = {
    "challenge": _words(
        "challenges challenge solutions solution struggles struggle lessons learned problems problem "
        "faced implemented encountered overcome debugging deep dive solve solved pain points"
    ),
    "practice": _words(
        "practices practice takeaways takeaway lessons differently do looking back insights conventions "
        "methodologies tips"
    ),
    "tech": _words(
        "technologies technology tech stack tools tooling frameworks framework libraries languages "
        "mastery comfortable got"
    ),
    "learning": _words(
        "concepts concept learnings learning learned highlights curriculum stuck actually foundational "
        "explored mastered"
    ),
    "overview": _words("overview introduction intro about tl dr tldr program curriculum is goals"),
    "toc": _words("table contents"),
    "collab": _words(
        "collaboration collaborate collaborators collaborating teamwork success matters hub guidelines "
        "framework aspect cross team cross-team communication channels channel platform partnerships "
        "fellow learners who where resources contribution"
    ),
    "aside": _words(
        "structure repository repo folder directory getting started installation install setup set up "
        "quick start prerequisites license contact information author authors connect stay touch "
        "acknowledgments acknowledgements contributing contribute contributors contribution how use usage "
        "support screenshots screenshot demo instructions references reference further reading changelog "
        "credits faq sample api documentation docs endpoints"
    ),
    "note": _words(
        "install setup set up structure support screenshots demo usage how use faq api documentation docs "
        "endpoints references reference further reading changelog credits contribution contributions "
        "instructions features feature objectives objective goals goal conclusion final notes note "
        "summary next steps future roadmap projects project achievements case study evaluation criteria "
        "commit workflow git snippet code example examples resources why this repo exists highlights "
        "details enhancements practical work"
    ),
}
_ALLOWANCE = {
    "challenge": 3,
    "practice": 1,
    "tech": 1,
    "learning": 1,
    "overview": 1,
    "toc": 0,
    "collab": 2,
    "aside": 1,
    "note": 1,
}

# A name that starts with one of these verbs, or contains one of these words, is a sentence.
_VERBS = _words(
    "to prepare support document encourage serve provide consolidate write use keep avoid test "
    "communicate maintain validate enable follow build create implement explain capture demonstrate "
    "share ask get work form fork add submit clone review explore collaborate apply adopt ensure "
    "design develop practice stay engage join exchange organize integrate leverage improve optimize "
    "handle manage run configure make never always break start learn understand focus prefer embrace"
)
_SENTENCE_WORDS = frozenset(["is", "are", "was", "were", "will", "can", "should", "must", "you", "your", "it", "its"])

_MARKUP = re.compile(r"[*_`#\\~]")
_PARENTHESES = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_DASHES = re.compile(r"[\u2010-\u2015\u2212]")
_NOT_WORD = re.compile(r"[^\w\s'’;/.-]")
_NUMBERING = re.compile(r"^(?:\d{1,2}|[a-z])[.)]\s+|^(?:step|week|part|phase) \d+\b[ :-]*")
_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=8192)
def normalize_name(text: str) -> str:
    """Lower-case words of a heading, without emoji, markup, numbering, parentheses or trailing colon."""
    text = _MARKUP.sub("", text)
    text = _DASHES.sub("-", text).replace("&", " and ").replace("+", " and ")
    text = _PARENTHESES.sub(" ", text).casefold()
    text = _NOT_WORD.sub(" ", text.replace(":", " : ").replace(".", ". "))
    text = _SPACES.sub(" ", text).strip(" -:;/.")
    text = _NUMBERING.sub("", text).replace(".", " ")
    return _SPACES.sub(" ", text).replace(" :", ":").strip(" -:;/")


@lru_cache(maxsize=8192)
def loose_kind(name: str) -> str | None:
    """The kind a heading's keywords name, or None for an unknown name."""
    norm = normalize_name(name)
    for kind, pattern in _LOOSE:
        if pattern.search(norm):
            return kind
    return None


@lru_cache(maxsize=8192)
def strict_kind(name: str) -> str | None:
    """The kind of a name that is nothing but a section name; None for an item title or a sentence."""
    norm = normalize_name(name)
    if not norm or len(norm) > 90:
        return None
    # "Challenges and Solutions: A Technical Deep Dive": what follows a colon is a subtitle.
    head, _, subtitle = norm.partition(":")
    kind = loose_kind(head)
    if kind is None or (subtitle and kind not in ("challenge", "overview", "learning", "tech", "practice")):
        return None
    words = [word.strip("'’") for word in head.replace("/", " ").split()]
    if words[0] in _VERBS or _SENTENCE_WORDS.intersection(words):
        return None  # "Prepare you for real-world challenges" is an item, not a section
    extra = [word for word in words if word not in _QUALIFIERS and word not in _HEADS[kind]]
    return kind if len(extra) <= _ALLOWANCE[kind] else None


def section_kind(section: str) -> str | None:
    """The kind of a (possibly " › "-joined) section: its last part with a known kind wins."""
    for part in reversed(section.split(SECTION_SEPARATOR)):
        kind = loose_kind(part)
        if kind is not None:
            return kind
    return None


def entry_kind(section_kind_: str | None) -> str:
    """The entry kind a section of this kind holds."""
    if section_kind_ in ("tech", "learning"):
        return "learning"
    if section_kind_ in ("challenge", "practice"):
        return section_kind_
    return "note"


_WRAPPER = re.compile(r"\blearnings\b|\bhighlights\b|\bwhat i(?:'?ve| have)? learn")


def is_wrapper(name: str) -> bool:
    """Whether a section name gathers other sections: "Major Learnings", "Program Highlights", and
    a practices name joining two things ("Best Practices and Personal Takeaways")."""
    norm = normalize_name(name)
    return bool(_WRAPPER.search(norm)) or (loose_kind(name) == "practice" and " and " in f" {norm} ")


def opens_section(title: str, parent: str) -> bool:
    """Whether a nested heading or an item titled `title` under section `parent` opens a section.

    Decided from names alone, so that a README and its rendering agree. Under a note only a
    knowledge section does. Under a knowledge section, a setup/structure/contents name always
    does, and so does a challenges name ("Technical Challenges"); another knowledge name does
    under a wrapper ("Major Learnings") or when its kind differs ("Best Practices" under "Key
    Concepts"), while "Cloud Technologies" under "Key Technologies" is an entry like the others.
    """
    kind = strict_kind(title)
    if kind is None:
        return False
    parent_kind = section_kind(parent)
    if entry_kind(parent_kind) == "note":
        return kind in KNOWLEDGE_KINDS
    if kind in ("aside", "toc"):
        return True
    if kind not in KNOWLEDGE_KINDS:
        return False
    if kind == "challenge" or is_wrapper(parent.split(SECTION_SEPARATOR)[-1]):
        return True  # "Technical Challenges" under "Challenges and Solutions" is a group of them
    return entry_kind(kind) != entry_kind(parent_kind)


_META_START = re.compile(
    r"(?:^|[.!?:]\s+)(?:this section|this document|this repository|below\b|here are|here's|here is|the following"
    r"|in this section|for each challenge|some of the|throughout (?:the|this)|during the program|these are)",
    re.IGNORECASE,
)


def is_meta_paragraph(text: str) -> bool:
    """Whether a paragraph introduces or closes a list ("Here are some...:") rather than being an item."""
    stripped = _MARKUP.sub("", text).strip()
    return stripped.endswith((":", "：")) or bool(_META_START.search(stripped))


_PLACEHOLDER = re.compile(
    r"\[(?:your|my|insert|add|enter|brief|describe|placeholder|todo|tbd|image of|link to"
    r"|challenge \d+|best practice \d+|solution \d+|lesson \d+|takeaway \d+)\b[^\]\n]{0,80}\](?!\()"
    r"|\bYOUR_[A-Z0-9_]+\b"
    r"|\byour[-_](?:github[-_])?(?:user[-_]?name|user|playlist|email|repo|project|secret|db|domain|api|key"
    r"|token|app|name|password|handle|profile|jwt|aws|s3|production|paypal|sentry)(?![a-z])[\w-]*"
    r"|\byour[-_]github[-_][\w-]+"
    r"|\byour(?:user)?name\b|\byouremail\b|\blorem ipsum\b",
    re.IGNORECASE,
)


def placeholders(text: str) -> list[str]:
    """Unfilled template placeholders in `text` ("[Challenge 1]", "YOUR_USERNAME"), each once."""
    if "[" not in text and "your" not in text.casefold() and "lorem" not in text.casefold():
        return []  # the common case, without running the regular expression
    return list(dict.fromkeys(match.group() for match in _PLACEHOLDER.finditer(text)))
