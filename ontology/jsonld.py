"""The JSON-LD context of the exports, generated from the vocabulary; writes and checks ontology/context.jsonld."""

from __future__ import annotations

import argparse
import json
import sys
from importlib.resources import files
from pathlib import Path

from ontology.namespace import PREFIXES, entity_base
from ontology.vocabulary import XSD, vocabulary

# Terms of other vocabularies that the graph uses (graph/pipeline/rdf.py writes them): name -> (CURIE, @type).
EXTERNAL_TERMS: dict[str, tuple[str, str | None]] = {
    "Statement": ("rdf:Statement", None),
    "label": ("rdfs:label", None),
    "prefLabel": ("skos:prefLabel", None),
    "altLabel": ("skos:altLabel", None),
    "definition": ("skos:definition", None),
    "title": ("dct:title", None),
    "creator": ("dct:creator", None),
    "date": ("dct:date", "xsd:gYear"),
    "source": ("dct:source", "@id"),
    "exactMatch": ("skos:exactMatch", "@id"),
    "wasQuotedFrom": ("prov:wasQuotedFrom", "@id"),
    "wasDerivedFrom": ("prov:wasDerivedFrom", "@id"),
    "subject": ("rdf:subject", "@id"),
    "predicate": ("rdf:predicate", "@id"),
    "object": ("rdf:object", None),
}
# Folders of IRIs minted by the build besides entities: name -> path under the base IRI.
MINTED_PREFIXES: dict[str, str] = {"source": "source/", "statement": "statement/", "dating": "dating/"}


def export_prefixes(base: str | None = None) -> dict[str, str]:
    """Prefixes for exports: ours, one per entity class (``modality:``, ``theorist:`` ... from ``tkg:idPrefix``)
    and one per folder of minted IRIs (sources, statements, datings)."""
    base = base or entity_base()
    typed = {prefix: f"{base}{prefix}/" for prefix in sorted(c.id_prefix for c in vocabulary().classes)}
    return {**PREFIXES, **typed, **{name: base + folder for name, folder in MINTED_PREFIXES.items()}}


def _term(curie: str, kind: str | None) -> str | dict[str, str]:
    return curie if kind is None else {"@id": curie, "@type": kind}


def jsonld_context(base: str | None = None) -> dict[str, object]:
    """The JSON-LD context: prefixes, every class and property of therapy.ttl as a term, and the other
    vocabularies' terms the graph uses.

    Object properties take ``"@type": "@id"``; a datatype property is typed by its ``rdfs:range`` unless that is
    xsd:string (then a plain term).
    """
    words = vocabulary()
    context: dict[str, object] = dict(export_prefixes(base))
    for name in words.class_names:
        context[name] = f"tkg:{name}"
    for relation in words.relations:
        context[relation.name] = _term(f"tkg:{relation.name}", "@id")
    for link in words.links:
        context[link.name] = _term(f"tkg:{link.name}", "@id")
    for literal in words.literals:
        datatype = None if literal.datatype == XSD + "string" else "xsd:" + literal.datatype.removeprefix(XSD)
        context[literal.name] = _term(f"tkg:{literal.name}", datatype)
    for name, (curie, kind) in EXTERNAL_TERMS.items():
        context[name] = _term(curie, kind)
    return {"@context": context}


def context_text() -> str:
    """The text of ``ontology/context.jsonld``: the context for the default base IRI, indented JSON."""
    return json.dumps(jsonld_context(), indent=2) + "\n"


def context_file() -> Path:
    """Path of the shipped ``ontology/context.jsonld``."""
    return Path(str(files("ontology").joinpath("context.jsonld")))


def main(argv: list[str] | None = None) -> int:
    """``python -m ontology.jsonld --write | --check``: regenerate ontology/context.jsonld, or exit 1 if stale."""
    parser = argparse.ArgumentParser(prog="python -m ontology.jsonld", description=__doc__)
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--write", action="store_true", help="Write ontology/context.jsonld from therapy.ttl.")
    group.add_argument("--check", action="store_true", help="Exit 1 if ontology/context.jsonld is stale.")
    args = parser.parse_args(argv)
    path = context_file()
    if args.write:
        path.write_text(context_text(), encoding="utf-8")  # a source file under version control: no reader races
        print(f"wrote {path}")
        return 0
    if path.read_text(encoding="utf-8") != context_text():
        print(f"{path} is stale: run python -m ontology.jsonld --write", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
