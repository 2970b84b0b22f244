"""Time README import over the whole corpus, topic recognition included (not a test).

    uv run --frozen python bench/readme_parse.py [--passes N] [--corpus PATH]

Builds a recognizer from the topic taxonomy (nexus/topics/data/topics.yaml), then parses every
README of ../shared/corpus/readmes with it, N times, and prints the time of a full-corpus pass
(mean, p50, max), and for one pass each: parsing without topics, rendering, and the round trip.
Target: under one second per pass. Needs no database: Django is set up only for the taxonomy's
model validation.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
django.setup()

from nexus.hubs.readme import parse, render, word_coverage  # noqa: E402
from nexus.topics import taxonomy  # noqa: E402
from nexus.topics.recognizer import Recognizer  # noqa: E402

DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "readmes"


def _timed(function, *args, **kwargs) -> tuple[float, object]:
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return time.perf_counter() - start, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--passes", type=int, default=20, help="full-corpus passes to time (default 20)")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="folder of README .md files")
    args = parser.parse_args()

    texts = [path.read_text(encoding="utf-8") for path in sorted(args.corpus.glob("*.md"))]
    if not texts:
        sys.exit(f"No README in {args.corpus}")
    build, recognizer = _timed(lambda: Recognizer(taxonomy.terms(taxonomy.read(taxonomy.DEFAULT_PATH))))

    def corpus_pass(with_topics: bool = True) -> list:
        return [parse(text, recognizer=recognizer if with_topics else None) for text in texts]

    corpus_pass()  # warm the regular expressions and caches
    times = [_timed(corpus_pass)[0] for _ in range(args.passes)]
    plain, hubs = _timed(corpus_pass, False)
    rendering, rendered = _timed(lambda: [render(hub) for hub in hubs])
    round_trip, again = _timed(lambda: [parse(text) for text in rendered])
    fixpoints = sum(a.without_warnings() == b.without_warnings() for a, b in zip(again, hubs, strict=True))
    coverages = [word_coverage(text, out) for text, out in zip(texts, rendered, strict=True)]
    topics = sum(len(hub.topics) for hub in corpus_pass())

    print(f"files: {len(texts)}, total chars: {sum(map(len, texts)):,}")
    print(f"recognizer: {len(recognizer)} terms, built in {build * 1000:.0f} ms (once, not in the passes)")
    print(
        f"full pass with topics, {args.passes} passes: mean {statistics.mean(times) * 1000:.1f} ms, "
        f"p50 {statistics.median(times) * 1000:.1f} ms, max {max(times) * 1000:.1f} ms "
        f"({topics} hub topics found)"
    )
    print(
        f"one pass without topics: {plain * 1000:.1f} ms; render: {rendering * 1000:.1f} ms; "
        f"parse of the renderings: {round_trip * 1000:.1f} ms"
    )
    print(
        f"fixpoints: {fixpoints}/{len(texts)}; word coverage min {min(coverages):.4f}, "
        f"mean {statistics.mean(coverages):.4f}"
    )
    print("target (< 1 s per pass):", "met" if max(times) < 1 else "NOT met")


if __name__ == "__main__":
    main()
