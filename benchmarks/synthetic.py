"""Deterministic synthetic corpus in the shape of content/: N modalities with lineage, theorists and vocabulary.

Usage: python -m benchmarks.synthetic N OUT_DIR [--seed S]   (writes OUT_DIR/synthetic.yaml)
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path
from typing import Any

import yaml

from ontology.records import TYPE_PREFIXES

VOCABULARY_SIZES = {"population": 30, "condition": 40, "goal": 50, "technique": 80, "concept": 40}  # by id prefix
VOCABULARY_TYPES = {prefix: name for name, prefix in TYPE_PREFIXES.items() if prefix in VOCABULARY_SIZES}
# Descriptive relations each modality gets: (relation, id prefix of its range, how many); tests/ontology checks them.
DESCRIPTIVE_FACTS = (("servesPopulation", "population", 2), ("addressesCondition", "condition", 2),
                     ("hasGoal", "goal", 2), ("usesTechnique", "technique", 3), ("involvesConcept", "concept", 1))
SOURCE = "synthetic-corpus"


def generate_corpus(n_modalities: int, seed: int = 0) -> dict[str, Any]:
    """A content document (``sources`` + ``entities``) with ``n_modalities`` modalities; same seed, same corpus."""
    rng = random.Random(seed)
    n_theorists = max(10, n_modalities // 4)
    n_theories = max(5, min(40, n_modalities // 50))
    entities: list[dict[str, Any]] = []
    for kind, size in VOCABULARY_SIZES.items():
        for i in range(size):
            entities.append({"id": f"{kind}/synthetic-{kind}-{i}", "type": VOCABULARY_TYPES[kind],
                             "label": f"Synthetic {kind} {i}", "source": SOURCE})
    for i in range(n_theorists):
        born = rng.randint(1850, 1980)
        theorist: dict[str, Any] = {"id": f"theorist/synthetic-theorist-{i}", "type": "Theorist",
                                    "label": f"Theorist {i} Synthetic", "aliases": [f"T. S. {i}"],
                                    "source": SOURCE, "birthYear": born}
        if i and rng.random() < 0.7:
            theorist["studentOf"] = [f"theorist/synthetic-theorist-{rng.randrange(i)}"]
        if i > 1 and rng.random() < 0.4:
            theorist["influencedBy"] = [f"theorist/synthetic-theorist-{rng.randrange(i)}"]
        entities.append(theorist)
    for i in range(n_theories):
        entities.append({"id": f"theory/synthetic-theory-{i}", "type": "Theory", "label": f"Synthetic theory {i}",
                         "source": SOURCE, "introduced": f"{1890 + 10 * (i % 10)}s",
                         "developedBy": [f"theorist/synthetic-theorist-{rng.randrange(n_theorists)}"]})
    for i in range(n_modalities):
        year = 1900 + (i * 120) // max(1, n_modalities)
        modality: dict[str, Any] = {
            "id": f"modality/synthetic-modality-{i}", "type": "Modality", "label": f"Synthetic Modality {i}",
            "aliases": [f"SM{i}"], "source": SOURCE,
            "description": f"A generated modality number {i} used for benchmarks.",
            "introduced": f"{year - year % 10}s" if i % 3 == 0 else str(year),
            "developedBy": sorted({f"theorist/synthetic-theorist-{rng.randrange(n_theorists)}"
                                   for _ in range(rng.randint(1, 2))}),
            "groundedIn": [f"theory/synthetic-theory-{rng.randrange(n_theories)}"],
        }
        if i and rng.random() < 0.8:
            modality["subtypeOf"] = [f"modality/synthetic-modality-{rng.randrange(max(0, i - 500), i)}"]
        if i > 1 and rng.random() < 0.3:
            modality["derivedFrom"] = [f"modality/synthetic-modality-{rng.randrange(i)}"]
        for relation, kind, count in DESCRIPTIVE_FACTS:
            modality[relation] = sorted({f"{kind}/synthetic-{kind}-{rng.randrange(VOCABULARY_SIZES[kind])}"
                                         for _ in range(count)})
        entities.append(modality)
    return {"sources": [{"id": SOURCE, "title": f"Synthetic benchmark corpus ({n_modalities} modalities, seed {seed})",
                         "kind": "reference"}],
            "entities": entities}


def write_corpus(n_modalities: int, out_dir: Path, seed: int = 0) -> Path:
    """Write the corpus as ``out_dir/synthetic.yaml`` (skipped if an identical one exists) and return the folder."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / "synthetic.yaml"
    marker = out_dir / ".generated"
    stamp = f"{n_modalities}:{seed}:v1"
    if target.exists() and marker.exists() and marker.read_text() == stamp:
        return out_dir
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    target.write_text(yaml.dump(generate_corpus(n_modalities, seed), Dumper=dumper, sort_keys=False, width=200))
    marker.write_text(stamp)
    return out_dir


def main() -> None:
    """Command-line entry: write a corpus of N modalities into OUT_DIR."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("n", type=int)
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    print(write_corpus(args.n, args.out_dir, args.seed) / "synthetic.yaml")


if __name__ == "__main__":
    main()
