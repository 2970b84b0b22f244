"""`manage.py readme parse|render|import|export|report`."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from nexus.cohorts.tests.factories import MembershipFactory
from nexus.hubs import readme

pytestmark = pytest.mark.django_db

DEMO = Path(__file__).resolve().parents[1] / "demo"


def _run(*args: str) -> str:
    out = StringIO()
    call_command("readme", *args, stdout=out)
    return out.getvalue()


def test_parse_prints_one_json_object_per_file(taxonomy):
    out = _run("parse", str(DEMO / "ada.md"), str(DEMO / "linus.md"))

    lines = out.strip().splitlines()
    objects = [json.loads(line) for line in lines]
    assert [Path(o["file"]).name for o in objects] == ["ada.md", "linus.md"]
    for obj in objects:
        assert set(obj) >= {"file", "title", "overview", "entries", "topics", "warnings"}
        for entry in obj["entries"]:
            assert set(entry) >= {"kind", "section", "title", "body", "problem", "solution", "topics"}
            if entry["kind"] != "challenge":
                assert entry["problem"] is None and entry["solution"] is None
    assert "drf" in objects[0]["topics"]


def test_render_turns_parse_output_back_into_markdown(taxonomy, tmp_path):
    parsed = tmp_path / "ada.json"
    parsed.write_text(_run("parse", str(DEMO / "ada.md")))

    out = _run("render", str(parsed))

    assert out == readme.render(readme.parse((DEMO / "ada.md").read_text()))


def test_import_and_export(taxonomy):
    member = MembershipFactory(user__username="kofi").user

    first = _run("import", str(DEMO / "grace.md"), "--user", "kofi")
    second = _run("import", str(DEMO / "grace.md"), "--user", "KOFI")
    exported = _run("export", "kofi")

    assert first.startswith(f"Imported {DEMO / 'grace.md'} into hub kofi-")
    assert " 0 created, 0 updated," in second
    assert exported == readme.render(readme.parse((DEMO / "grace.md").read_text()))
    assert member.hubs.count() == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["parse", "/no/such/file.md"], "/no/such/file.md: no such file."),
        (["import", "{ada}", "--user", "nobody"], "No member 'nobody'."),
        (["export", "nobody"], "'nobody' has no hub."),
        (["render", "{ada}"], "not a parsed README (as printed by `readme parse`)"),
    ],
)
def test_bad_input_exits_with_a_clear_message(taxonomy, args, message):
    args = [a.format(ada=DEMO / "ada.md") for a in args]

    with pytest.raises(CommandError) as caught:
        call_command("readme", *args, stdout=StringIO())

    assert message in str(caught.value)


def test_binary_file_is_refused(taxonomy, tmp_path):
    binary = tmp_path / "logo.png"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")

    with pytest.raises(CommandError) as caught:
        _run("parse", str(binary))

    assert str(caught.value) == f"{binary}: This is a binary file, not a Markdown README."


def test_report_lists_entries_by_kind_and_coverage(taxonomy):
    out = _run("report", str(DEMO / "ada.md"))

    header, row = out.splitlines()[:2]
    assert header.split()[:6] == ["file", "learn", "chall", "pract", "note", "cover"]
    assert row.startswith("ada.md")
    assert row.split()[2] == "3"  # three challenges in the table
    assert row.split()[5].endswith("%")
