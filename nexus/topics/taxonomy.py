"""The taxonomy file (data/topics.yaml): reading and validating it, without touching the database.

    topics:
      - slug: drf                       # required; letters, digits, hyphens, underscores
        name: Django REST Framework     # required
        kind: technology                # required: technology, concept or practice
        parent: django                  # optional: the slug of another topic in the file
        aliases: [DRF, djangorestframework]   # optional
        description: Toolkit for building Web APIs with Django.   # optional
        case_sensitive: false           # optional: match the *name* only with its exact case

Aliases always match in any case. No name or alias may belong to two topics, compared ignoring
case, white space, hyphens and apostrophes (as the recognizer compares them).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import ValidationError

from nexus.topics.models import Topic, TopicAlias
from nexus.topics.recognizer import Term, normalize_term

DEFAULT_PATH = Path(__file__).resolve().parent / "data" / "topics.yaml"

# libyaml's loader when PyYAML was built with it: parsing the file is ten times faster.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_KEYS = ("slug", "name", "kind", "parent", "aliases", "description", "case_sensitive")


@dataclass(frozen=True)
class TopicSpec:
    """One topic as the file describes it."""

    slug: str
    name: str
    kind: str
    parent: str | None = None
    aliases: tuple[str, ...] = ()
    description: str = ""
    case_sensitive: bool = False

    def terms(self) -> list[Term]:
        """The name (with its case rule) and the aliases (any case), for a Recognizer."""
        return [Term(self.name, self.slug, self.case_sensitive), *(Term(a, self.slug) for a in self.aliases)]


def read(path: Path) -> list[TopicSpec]:
    """Parse and validate a taxonomy file; a ValidationError lists every problem, naming its entry."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ValidationError(f"Cannot read the topics file {path}: {exc}.") from exc
    try:
        data = yaml.load(text, Loader=_Loader)  # noqa: S506 - a safe loader
    except yaml.YAMLError as exc:
        raise ValidationError(f"The topics file {path} is not valid YAML: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("topics"), list):
        raise ValidationError(f'The topics file {path} must be a mapping with a "topics" list.')

    specs: list[TopicSpec] = []
    errors: list[str] = []
    for number, entry in enumerate(data["topics"], start=1):
        spec, problems = _parse(number, entry)
        errors += problems
        if spec is not None:
            specs.append(spec)
    if errors:
        raise ValidationError(errors)
    errors = _check_slugs(specs) + _check_terms(specs) + _check_parents(specs)
    if errors:
        raise ValidationError(errors)
    return specs


def _label(number: int, slug: object = None) -> str:
    return f'Topic #{number} "{slug}"' if isinstance(slug, str) and slug else f"Topic #{number}"


def _parse(number: int, entry: Any) -> tuple[TopicSpec | None, list[str]]:
    if not isinstance(entry, dict):
        return None, [f"{_label(number)} must be a mapping of {', '.join(_KEYS)}."]
    label = _label(number, entry.get("slug"))
    errors = [f'{label}: unknown key "{key}".' for key in entry if key not in _KEYS]
    for key in ("slug", "name", "kind"):
        value = entry.get(key)
        if value is None:
            errors.append(f'{label}: "{key}" is required.')
        elif not isinstance(value, str):
            errors.append(f'{label}: "{key}" must be a string.')
    for key in ("parent", "description"):
        if entry.get(key) is not None and not isinstance(entry[key], str):
            errors.append(f'{label}: "{key}" must be a string.')
    aliases = entry.get("aliases") or []
    if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
        errors.append(f'{label}: "aliases" must be a list of non-empty strings.')
    if not isinstance(entry.get("case_sensitive", False), bool):
        errors.append(f'{label}: "case_sensitive" must be true or false.')
    if errors:
        return None, errors

    spec = TopicSpec(
        slug=entry["slug"].strip(),
        name=entry["name"].strip(),
        kind=entry["kind"].strip(),
        parent=(entry.get("parent") or "").strip() or None,
        aliases=tuple(a.strip() for a in aliases),
        description=(entry.get("description") or "").strip(),
        case_sensitive=entry.get("case_sensitive", False),
    )
    return spec, _model_errors(label, spec)


def _model_errors(label: str, spec: TopicSpec) -> list[str]:
    """The model's own field validation (slug format, lengths, kind), which needs no query."""
    errors = []
    topic = Topic(
        slug=spec.slug, name=spec.name, kind=spec.kind, description=spec.description, case_sensitive=spec.case_sensitive
    )
    try:
        topic.full_clean(exclude=["parent"], validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        errors += [f"{label}: {field}: {' '.join(messages)}" for field, messages in exc.message_dict.items()]
    for alias in spec.aliases:
        try:
            TopicAlias(name=alias).full_clean(exclude=["topic"], validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            errors += [f'{label}: alias "{alias}": {" ".join(exc.message_dict["name"])}']
    return errors


def _check_slugs(specs: list[TopicSpec]) -> list[str]:
    first: dict[str, int] = {}
    errors = []
    for number, spec in enumerate(specs, start=1):
        if spec.slug in first:
            errors.append(f"{_label(number, spec.slug)}: the slug is already used by topic #{first[spec.slug]}.")
        else:
            first[spec.slug] = number
    return errors


def _check_terms(specs: list[TopicSpec]) -> list[str]:
    owners: dict[str, tuple[int, str]] = {}
    errors = []
    for number, spec in enumerate(specs, start=1):
        label = _label(number, spec.slug)
        for index, term in enumerate(spec.terms()):
            what = "name" if index == 0 else "alias"
            key = normalize_term(term.term)
            if not any(char.isalnum() for char in key):
                errors.append(f'{label}: {what} "{term.term}" has no letter or digit to recognise.')
            elif key not in owners:
                owners[key] = (number, spec.slug)
            elif owners[key][0] == number:
                errors.append(f'{label}: {what} "{term.term}" repeats another name or alias of the same topic.')
            else:
                other_number, other_slug = owners[key]
                errors.append(
                    f'{label}: {what} "{term.term}" is already a name or alias of topic #{other_number} "{other_slug}".'
                )
    return errors


def _check_parents(specs: list[TopicSpec]) -> list[str]:
    numbers = {spec.slug: number for number, spec in enumerate(specs, start=1)}
    parents = {spec.slug: spec.parent for spec in specs}
    errors = []
    for number, spec in enumerate(specs, start=1):
        if spec.parent is not None and spec.parent not in numbers:
            errors.append(f'{_label(number, spec.slug)}: the parent "{spec.parent}" is not a topic in the file.')
    reported: set[str] = set()
    for spec in specs:
        chain = [spec.slug]
        while (parent := parents.get(chain[-1])) is not None and parent in numbers:
            if parent in chain:
                cycle = chain[chain.index(parent) :]
                if not reported.intersection(cycle):
                    reported.update(cycle)
                    errors.append(f"Parent cycle: {' -> '.join([*cycle, parent])}.")
                break
            chain.append(parent)
    return errors


def terms(specs: list[TopicSpec]) -> list[Term]:
    """Every term of every topic, in file order."""
    return [term for spec in specs for term in spec.terms()]
