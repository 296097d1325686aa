"""The ontology's terms as a namespace that fails on misspelled names, plus the IRI scheme for entities."""

from __future__ import annotations

import os
from functools import cache
from importlib.resources import files
from pathlib import Path

from rdflib import URIRef
from rdflib.namespace import DefinedNamespace, Namespace

from ontology.vocabulary import ONTOLOGY_IRI

DEFAULT_BASE = "https://w3id.org/therapy-kg/id/"


class TKG(DefinedNamespace):
    """Terms of ``ontology/therapy.ttl``; ``TKG.Modalty`` raises AttributeError instead of minting a new IRI.

    The list is written out so type checkers and editors know the names; tests/ontology checks it is exactly the
    Turtle's terms. Code that must follow the Turtle (a relation added there) uses ``vocabulary().iri(name)``.
    """

    _NS = Namespace(ONTOLOGY_IRI + "#")
    _fail = True

    Modality: URIRef
    Theory: URIRef
    Theorist: URIRef
    Population: URIRef
    Condition: URIRef
    Goal: URIRef
    Technique: URIRef
    Concept: URIRef
    TreatmentPhase: URIRef
    Source: URIRef
    Evidence: URIRef
    YearPrecision: URIRef
    YearPrecision_year: URIRef
    YearPrecision_decade: URIRef
    developedBy: URIRef
    subtypeOf: URIRef
    derivedFrom: URIRef
    groundedIn: URIRef
    influencedBy: URIRef
    studentOf: URIRef
    collaboratedWith: URIRef
    servesPopulation: URIRef
    addressesCondition: URIRef
    hasGoal: URIRef
    usesTechnique: URIRef
    involvesConcept: URIRef
    hasPhase: URIRef
    introduced: URIRef
    introducedPrecision: URIRef
    birthYear: URIRef
    deathYear: URIRef
    phaseOrder: URIRef
    typicalDuration: URIRef
    sessionExpectation: URIRef
    quote: URIRef
    startOffset: URIRef
    endOffset: URIRef
    note: URIRef
    sourceKind: URIRef
    ambiguousAlias: URIRef
    Dating: URIRef
    dates: URIRef
    year: URIRef
    precision: URIRef
    idPrefix: URIRef
    pluralLabel: URIRef
    phrase: URIRef
    inversePhrase: URIRef
    lineageRank: URIRef
    statesFact: URIRef


@cache
def entity_base() -> str:
    """The base IRI for entities and sources: TKG_BASE_IRI (a ``/`` added unless it ends in ``/`` or ``#``), else
    DEFAULT_BASE.

    Read once per process, as a setting (term conversions call this for every term). A process that changes
    TKG_BASE_IRI afterwards, as tests do, calls ``entity_base.cache_clear()`` to have it read again.
    """
    base = os.environ.get("TKG_BASE_IRI", DEFAULT_BASE)
    return base if base.endswith(("/", "#")) else base + "/"


def entity_iri(entity_id: str, base: str | None = None) -> str:
    """IRI of an entity id such as ``modality/dyadic-developmental-psychotherapy``."""
    return (base or entity_base()) + entity_id


def source_iri(source_id: str, base: str | None = None) -> str:
    """IRI of a source; it also names the graph holding the source's facts."""
    return (base or entity_base()) + "source/" + source_id


def entity_id_of(iri: str, base: str | None = None) -> str:
    """Inverse of :func:`entity_iri`."""
    prefix = base or entity_base()
    if not iri.startswith(prefix):
        raise ValueError(f"{iri} is not under {prefix}")
    return iri[len(prefix):]


def ontology_path(name: str = "therapy.ttl") -> Path:
    """Path of a file shipped in the ontology package (therapy.ttl, shapes.ttl, queries/...)."""
    return Path(str(files("ontology").joinpath(name)))


PREFIXES = {
    "tkg": ONTOLOGY_IRI + "#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#",
    "dct": "http://purl.org/dc/terms/",
    "schema": "https://schema.org/",
    "wd": "http://www.wikidata.org/entity/",
    "mesh": "http://id.nlm.nih.gov/mesh/",
}


def sparql_prologue(base: str | None = None) -> str:
    """PREFIX lines for our prefixes plus ``id:`` for entities, to put before a query."""
    lines = [f"PREFIX {p}: <{iri}>" for p, iri in PREFIXES.items()]
    lines.append(f"PREFIX id: <{base or entity_base()}>")
    return "\n".join(lines) + "\n"
