"""Extraction quality: precision and recall of the page loader against gold facts, per relation, style and page set.

Usage::

    python -m benchmarks.bench_extract_quality [PAGE_DIR ...] [--no-resolve] [--json] [--per-page]

Every page in the folders (default: ``tests/resources/pages`` plus the seed page when ``../shared`` is present) with a
``<stem>.gold.json`` beside it is read by the real loader (``loaders.registry.load_page``), resolved against the
bundled curated content (as ``tkg build --pages`` does; ``--no-resolve`` skips that), and scored.

Gold files come in two shapes:

* the extraction contract of ARCHITECTURE.md: ``{"source", "style", "topic", "relations": [...], "entities":
  [{"id", "type", "label", "aliases"}], "facts": [{"subject", "predicate", "object"}]}``; only the listed
  ``relations`` are scored on that page;
* the first generation's ``{"layout", "topic", "facts": [[s, p, o], ...]}``; every relation is scored.

Entities are matched as a reader would match them: two ids denote the same entity when one of them is a curated id
the other's names resolve to (``ontology.names.NameIndex``), or when the extracted entity and the gold entity of
the same class share a normalised name (label or alias). Years compare as ``"1987"`` (year) or ``"1980s"`` (decade).

Figures printed: facts found/gold/hits, precision, recall and F1 (micro-averaged) overall, per relation group
(``developedBy``; ``lineage`` = subtypeOf, derivedFrom, groundedIn; ``for`` = servesPopulation, addressesCondition;
``introduced``; ``other``), per page style, and for pages whose topic is not in the curated content; then speed in
pages/s on one core and seconds for a 0.25 MB and a 1 MB page (linear time means about 4x between the two). The
run without resolution is printed beside the resolved one as the baseline.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graph.pipeline.corpus import BUNDLED_CONTENT, assemble, content_files, read_curated
from graph.pipeline.resolve import PageResolver
from loaders.registry import extensions, load_page
from ontology.names import NameIndex, normalise_name
from ontology.records import TYPE_PREFIXES, Entity, Extraction, Year

ROOT = Path(__file__).resolve().parent.parent
DEV_PAGES = ROOT / "tests" / "resources" / "pages"
SEED_PAGE = ROOT.parent / "shared" / "seeds" / "attachment-focused-psychotherapy.txt"
SEED_GOLD = ROOT / "tests" / "resources" / "seed_gold.json"
GROUPS: dict[str, str] = {
    "developedBy": "developedBy",
    "subtypeOf": "lineage",
    "derivedFrom": "lineage",
    "groundedIn": "lineage",
    "servesPopulation": "for",
    "addressesCondition": "for",
    "introduced": "introduced",
}
GROUP_ORDER = ("developedBy", "lineage", "for", "introduced", "other")

Triple = tuple[str, str, str]


@dataclass
class Tally:
    """Counts of extracted facts, gold facts and hits; precision, recall and F1 derived from them."""

    found: int = 0
    gold: int = 0
    hits: int = 0

    def add(self, found: int, gold: int, hits: int) -> None:
        """Add one page's counts."""
        self.found += found
        self.gold += gold
        self.hits += hits

    @property
    def precision(self) -> float:
        """Hits / found (1.0 when nothing was found)."""
        return self.hits / self.found if self.found else 1.0

    @property
    def recall(self) -> float:
        """Hits / gold (1.0 when the gold list is empty)."""
        return self.hits / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float | int]:
        """The counts and rates, rounded for printing or JSON."""
        return {"found": self.found, "gold": self.gold, "hits": self.hits, "precision": round(self.precision, 3),
                "recall": round(self.recall, 3), "f1": round(self.f1, 3)}


@dataclass
class PageScore:
    """One page's outcome: counts per relation group, and the false positives and misses for reading."""

    page: Path
    style: str
    topic: str
    topic_curated: bool
    groups: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    extra: list[Triple] = field(default_factory=list)
    missed: list[Triple] = field(default_factory=list)
    seconds: float = 0.0


def gold_pages(folders: Iterable[Path]) -> list[Path]:
    """Pages with a ``.gold.json`` beside them, sorted, from the given folders (or single files)."""
    found: list[Path] = []
    for folder in folders:
        folder = Path(folder)
        candidates = [folder] if folder.is_file() else sorted(folder.iterdir())
        found.extend(p for p in candidates if p.suffix.lower() in extensions("page") and gold_path(p).exists())
    return found


def gold_path(page: Path) -> Path:
    """Where a page's gold list lives (the seed page's is kept in tests/resources)."""
    return SEED_GOLD if page.resolve() == SEED_PAGE.resolve() else page.with_suffix(".gold.json")


def curated_index() -> NameIndex:
    """The name index over the bundled curated content (what page resolution uses)."""
    return assemble(read_curated(content_files([BUNDLED_CONTENT]))).name_index()


def _value(obj: object) -> str:
    return str(obj) if isinstance(obj, Year | int) else str(obj)


def _names(label: str, aliases: Iterable[str], entity_id: str = "") -> set[str]:
    names = {normalise_name(n) for n in (label, *aliases) if n}
    if entity_id and "/" in entity_id:
        names.add(normalise_name(entity_id.split("/", 1)[1].replace("-", " ")))
    return {n for n in names if n}


class Matcher:
    """Maps gold and extracted entity ids onto shared keys (curated ids, or the gold id of a same-named entity)."""

    def __init__(self, gold: Mapping[str, Any], index: NameIndex | None):
        self.index = index
        self.gold_key: dict[str, str] = {}
        self.gold_names: dict[tuple[str, str], str] = {}  # (type, normalised name) -> key
        for entity in gold.get("entities", []):
            key = self._curated(entity["type"], _names(entity["label"], [])) or self._curated(
                entity["type"], _names(entity["label"], entity.get("aliases", []), entity["id"])
            )  # the label first: "Child-Centered Play Therapy" also called "play therapy" on its page
            key = key or entity["id"]
            self.gold_key[entity["id"]] = key
            for name in _names(entity["label"], entity.get("aliases", []), entity["id"]):
                self.gold_names.setdefault((entity["type"], name), key)
        for subject, _, obj in gold_triples(gold):
            for entity_id in (subject, obj):
                if "/" in entity_id and entity_id not in self.gold_key:
                    entity_type = TYPE_OF_PREFIX.get(entity_id.split("/", 1)[0], "")
                    names = _names("", [], entity_id)
                    key = entity_id if self._is_curated(entity_id) else self._curated(entity_type, names) or entity_id
                    self.gold_key[entity_id] = key
                    for name in names:
                        self.gold_names.setdefault((entity_type, name), key)

    def _is_curated(self, entity_id: str) -> bool:
        return self.index is not None and entity_id in self.index

    def _curated(self, entity_type: str, names: Iterable[str]) -> str | None:
        """The one curated entity the names resolve to; a name with several meanings ("EFT") decides nothing when
        another name of the entity ("Emotionally Focused Couple Therapy") resolves to one, and a one-word name (an
        acronym: "TBCT") decides nothing when none of the entity's longer names ("Trial-Based Cognitive Therapy")
        is curated, as the page loader resolves acronyms (issue 12, item 8)."""
        if self.index is None:
            return None
        names = list(names)
        meanings = [{c.id for c in self.index.lookup(name, [entity_type])} for name in names]
        longer = [meaning for name, meaning in zip(names, meanings, strict=True) if " " in name]
        if longer and not any(longer):
            return None
        found = set().union(*(m for m in meanings if len(m) == 1)) or set().union(*meanings)
        return found.pop() if len(found) == 1 else None

    def extracted_keys(self, entities: Iterable[Entity]) -> dict[str, str]:
        """Key of every extracted entity id."""
        keys: dict[str, str] = {}
        for entity in entities:
            names = _names(entity.label, entity.aliases, entity.id)
            if self._is_curated(entity.id):
                keys[entity.id] = entity.id
                continue
            shared = {self.gold_names[(entity.type, n)] for n in names if (entity.type, n) in self.gold_names}
            if len(shared) == 1:
                keys[entity.id] = shared.pop()
            else:
                by_label = self._curated(entity.type, _names(entity.label, []))
                keys[entity.id] = by_label or self._curated(entity.type, names) or entity.id
        return keys


TYPE_OF_PREFIX = {prefix: name for name, prefix in TYPE_PREFIXES.items()}  # "phase" -> "TreatmentPhase"


def gold_triples(gold: Mapping[str, Any]) -> list[Triple]:
    """The gold facts as ``(subject id, predicate, object id or literal)`` in either gold shape."""
    triples = []
    for fact in gold["facts"]:
        if isinstance(fact, Mapping):
            triples.append((fact["subject"], fact["predicate"], str(fact["object"])))
        else:
            subject, predicate, obj = fact
            triples.append((subject, predicate, str(obj)))
    return triples


def score_extraction(extraction: Extraction, gold: Mapping[str, Any], index: NameIndex | None) -> PageScore:
    """Score one extraction against its gold list (see the module docstring for how entities are matched)."""
    matcher = Matcher(gold, index)
    keys = matcher.extracted_keys(extraction.entities)
    relations = set(gold.get("relations") or [])

    def key(entity_id: str, table: Mapping[str, str]) -> str:
        return table.get(entity_id, entity_id)

    wanted = {(key(s, matcher.gold_key), p, key(o, matcher.gold_key)) for s, p, o in gold_triples(gold)}
    found = set()
    for fact in extraction.facts:
        if relations and fact.predicate not in relations:
            continue
        obj = _value(fact.object)
        found.add((key(fact.subject, keys), fact.predicate, key(obj, keys)))
    topic = key(gold.get("topic") or "", matcher.gold_key)
    result = PageScore(Path(str(gold.get("source", ""))), str(gold.get("style") or gold.get("layout") or "?"),
                       topic, bool(index is not None and topic in index))
    for triple in found | wanted:
        group = GROUPS.get(triple[1], "other")
        result.groups[group].add(int(triple in found), int(triple in wanted), int(triple in found and triple in wanted))
    result.extra = sorted(found - wanted)
    result.missed = sorted(wanted - found)
    return result


def score_pages(pages: Iterable[Path], resolve: bool = True) -> list[PageScore]:
    """Read, (resolve,) and score every page; each result carries the seconds its reading took."""
    index = curated_index()
    resolver = PageResolver(index) if resolve else None
    gazetteer = PageResolver(index).gazetteer
    scores = []
    for page in pages:
        gold = json.loads(gold_path(page).read_text(encoding="utf-8"))
        started = time.perf_counter()
        extraction = load_page(page, resolver, gazetteer=gazetteer).extraction
        seconds = time.perf_counter() - started
        result = score_extraction(extraction, gold, index)
        result.page, result.seconds = page, seconds
        scores.append(result)
    return scores


def summarise(scores: list[PageScore]) -> dict[str, Any]:
    """Overall, per-group, per-style and not-in-our-content tallies of a list of page scores."""
    overall = Tally()
    by_group: dict[str, Tally] = defaultdict(Tally)
    by_style: dict[str, Tally] = defaultdict(Tally)
    unseen = Tally()
    for result in scores:
        for group, tally in result.groups.items():
            overall.add(tally.found, tally.gold, tally.hits)
            by_group[group].add(tally.found, tally.gold, tally.hits)
            by_style[result.style].add(tally.found, tally.gold, tally.hits)
            if not result.topic_curated:
                unseen.add(tally.found, tally.gold, tally.hits)
    return {"pages": len(scores), "overall": overall.as_dict(),
            "groups": {g: by_group[g].as_dict() for g in GROUP_ORDER if g in by_group},
            "styles": {s: t.as_dict() for s, t in sorted(by_style.items())},
            "not_in_content": {"pages": sum(1 for r in scores if not r.topic_curated), **unseen.as_dict()}}


def long_page_seconds(size_bytes: int, sample: Path) -> float:
    """Seconds to read a page of about ``size_bytes`` made by repeating a real page's text (one long file)."""
    import tempfile

    text = sample.read_text(encoding="utf-8")
    body = (text + "\n\n") * (size_bytes // max(len(text.encode("utf-8")), 1) + 1)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"long{sample.suffix}"
        path.write_text(body[:size_bytes], encoding="utf-8")
        started = time.perf_counter()
        load_page(path, max_bytes=max(size_bytes * 2, 5 * 1024 * 1024))
        return time.perf_counter() - started


def _row(name: str, a: Mapping[str, Any], b: Mapping[str, Any] | None = None) -> str:
    cells = f"{name:<34}{a['found']:>6}{a['gold']:>6}{a['hits']:>6}"
    cells += f"{a['precision']:>7.2f}{a['recall']:>7.2f}{a['f1']:>7.2f}"
    if b is not None:
        cells += f"   |{b['precision']:>7.2f}{b['recall']:>7.2f}{b['f1']:>7.2f}"
    return cells


def print_report(resolved: dict[str, Any], unresolved: dict[str, Any], per_page: list[PageScore] | None) -> None:
    """Print the tables: resolved run on the left, the no-resolve baseline on the right."""
    print(f"{'':<34}{'found':>6}{'gold':>6}{'hits':>6}{'P':>7}{'R':>7}{'F1':>7}   |{'P':>7}{'R':>7}{'F1':>7}"
          "  (right: --no-resolve)")
    print(_row(f"overall ({resolved['pages']} pages)", resolved["overall"], unresolved["overall"]))
    for group, tally in resolved["groups"].items():
        print(_row(f"  {group}", tally, unresolved["groups"].get(group)))
    for style, tally in resolved["styles"].items():
        print(_row(f"  style: {style[:26]}", tally, unresolved["styles"].get(style)))
    unseen = resolved["not_in_content"]
    print(_row(f"  topic not in content ({unseen['pages']} pages)", unseen, unresolved["not_in_content"]))
    for result in per_page or []:
        total = Tally()
        for tally in result.groups.values():
            total.add(tally.found, tally.gold, tally.hits)
        print(f"\n{result.page.name}: P={total.precision:.2f} R={total.recall:.2f} ({result.style})")
        for triple in result.extra:
            print(f"   + {' '.join(triple)}")
        for triple in result.missed:
            print(f"   - {' '.join(triple)}")


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; returns the process exit code (2 when no page has a gold list)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folders", nargs="*", type=Path, help="folders of pages with .gold.json lists")
    parser.add_argument("--no-resolve", action="store_true", help="score the left columns without resolving names too")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--per-page", action="store_true", help="list each page's false positives and misses")
    parser.add_argument("--speed", action="store_true", help="also time pages/s and a 0.25 MB and 1 MB page")
    args = parser.parse_args(argv)
    folders = args.folders or [DEV_PAGES, *([SEED_PAGE] if SEED_PAGE.exists() else [])]
    pages = gold_pages(folders)
    if not pages:
        print("no page with a .gold.json list in " + ", ".join(map(str, folders)), file=sys.stderr)
        return 2
    unresolved_scores = score_pages(pages, resolve=False)
    resolved_scores = unresolved_scores if args.no_resolve else score_pages(pages, resolve=True)
    resolved, unresolved = summarise(resolved_scores), summarise(unresolved_scores)
    report: dict[str, Any] = {"resolved": resolved, "no_resolve": unresolved}
    if args.speed:
        seconds = sum(r.seconds for r in resolved_scores)
        styles = Counter(r.page.suffix for r in resolved_scores)
        # the largest plain-text page: a saved HTML page repeated is one document and its copies after </html>
        # are not read, so an HTML sample would time a small page
        sample = max((p for p in pages if p.suffix == ".txt"), key=lambda p: p.stat().st_size,
                     default=max(pages, key=lambda p: p.stat().st_size))
        report["speed"] = {"pages_per_second_one_core": round(len(pages) / seconds, 1),
                           "suffixes": dict(styles),
                           "quarter_mb_seconds": round(long_page_seconds(256 * 1024, sample), 2),
                           "one_mb_seconds": round(long_page_seconds(1024 * 1024, sample), 2),
                           "load_average": os.getloadavg()[0]}
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print_report(resolved, unresolved, resolved_scores if args.per_page else None)
        if "speed" in report:
            speed = report["speed"]
            print(f"\nspeed: {speed['pages_per_second_one_core']} pages/s on one core ({speed['suffixes']}); "
                  f"0.25 MB page {speed['quarter_mb_seconds']} s, 1 MB page {speed['one_mb_seconds']} s "
                  f"(ratio {speed['one_mb_seconds'] / max(speed['quarter_mb_seconds'], 1e-9):.1f}, linear = 4); "
                  f"load average {speed['load_average']:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
