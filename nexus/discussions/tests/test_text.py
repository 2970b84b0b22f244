"""Pure text rules: which @names are mentions, which reactions are allowed."""

import pytest
from django.core.exceptions import ValidationError

from nexus.discussions.emoji import reaction_name
from nexus.discussions.mentions import MAX_MENTIONS, mentioned_usernames


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("@ada can you look?", ["ada"]),
        ("thanks @Ada.", ["ada"]),  # a trailing full stop is punctuation, names are case-insensitive
        ("(@grace) and @linus, @ada!", ["grace", "linus", "ada"]),
        ("@ada @ada @ADA", ["ada"]),
        ("@first.last and @dash-name and @under_score", ["first.last", "dash-name", "under_score"]),
        ("mail ada@example.com or see http://x.io/@ada", []),  # not at the start of a word
        ("use `@decorator` here", []),  # inline code
        ("```python\n@app.task\ndef f(): ...\n```\nthen @grace", ["grace"]),  # fenced code
        ("@@ada @ @.", []),
        ("", []),
    ],
)
def test_mentioned_usernames(text, expected):
    assert mentioned_usernames(text) == expected


def test_mentions_are_capped():
    text = " ".join(f"@user{n}" for n in range(MAX_MENTIONS + 5))
    assert mentioned_usernames(text) == [f"user{n}" for n in range(MAX_MENTIONS)]


@pytest.mark.parametrize(
    ("value", "name"),
    [("tada", "tada"), (":tada:", "tada"), ("🎉", "tada"), (" TADA ", "tada"), ("+1", "thumbsup"),
     ("👍", "thumbsup"), ("❤️", "heart"), ("❤", "heart"), ("100", "100"), (":-1:", "thumbsdown")],
)  # fmt: skip
def test_reaction_names(value, name):
    assert reaction_name(value) == name


@pytest.mark.parametrize("value", ["", "::", "poop", "💩", "<script>", "tada tada"])
def test_reactions_outside_the_allow_list_are_refused(value):
    with pytest.raises(ValidationError) as refused:
        reaction_name(value)
    assert "emoji" in refused.value.message_dict
