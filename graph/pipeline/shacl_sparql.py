"""SHACL Core shapes compiled to SPARQL SELECT queries that find the violations, run on the Oxigraph store itself."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass

import rdflib
from rdflib.collection import Collection

SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
SUBCLASS_OF = "<http://www.w3.org/2000/01/rdf-schema#subClassOf>"
XSD = "http://www.w3.org/2001/XMLSchema#"
# Datatypes whose lexical forms Oxigraph checks: a value is well-formed when the cast to its own type succeeds.
CHECKED_DATATYPES = {XSD + name for name in (
    "boolean", "decimal", "integer", "float", "double", "date", "time", "dateTime", "gYear", "gYearMonth",
    "gMonth", "gMonthDay", "gDay", "duration", "yearMonthDuration", "dayTimeDuration")}
NODE_KINDS = {
    "IRI": "isIRI({v})", "BlankNode": "isBlank({v})", "Literal": "isLiteral({v})",
    "BlankNodeOrIRI": "(isIRI({v}) || isBlank({v}))", "BlankNodeOrLiteral": "(isBlank({v}) || isLiteral({v}))",
    "IRIOrLiteral": "(isIRI({v}) || isLiteral({v}))",
}
SUBJECTS_OF_TARGET = re.compile(r"\{ (\?focus <[^<>\s]+>) \[\] \}")  # sh:targetSubjectsOf, as targets() writes it
COMPARISONS = {"minInclusive": ">=", "maxInclusive": "<=", "minExclusive": ">", "maxExclusive": "<"}
PAIR_COMPARISONS = {"lessThan": "<", "lessThanOrEquals": "<="}
# Parameters that are read as part of another constraint or carry no constraint of their own.
NOT_CONSTRAINTS = {"path", "message", "name", "description", "order", "group", "severity", "deactivated",
                   "targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf", "property", "flags",
                   "defaultValue"}
VALUE_PARAMETERS = {"class", "datatype", "nodeKind", "in", "pattern", "minLength", "maxLength", "languageIn",
                    *COMPARISONS, "node", "or", "and", "not", "xone", "hasValue"}


class UnsupportedShape(ValueError):
    """A shape uses a SHACL feature the SPARQL compiler does not cover (named with the shape in the message)."""


@dataclass(frozen=True)
class ShapeQuery:
    """One constraint of one shape as a SPARQL query.

    ``text`` selects ``?focus`` and optionally ``?value`` for each violation; ``shape`` is the shape that declares
    the constraint (a property shape or a node shape), ``node_shape`` the shape whose targets give the focus nodes,
    ``component`` the SHACL parameter (``minCount``, ``class``, ``or``...), ``path`` the property path node in the
    shapes graph (None for a constraint on the focus node itself) and ``message`` the text to report.
    """

    text: str
    shape: rdflib.term.Node
    node_shape: rdflib.term.Node
    component: str
    path: rdflib.term.Node | None
    message: str


def _term(node: rdflib.term.Node) -> str:
    if isinstance(node, rdflib.URIRef):
        return f"<{node}>"
    if isinstance(node, rdflib.Literal):
        return node.n3()
    raise UnsupportedShape(f"a blank node {node} cannot be a value in a constraint")


class ShapeCompiler:
    """Turns the shapes of one shapes graph into :class:`ShapeQuery` objects (one per constraint and shape).

    Covered (SHACL Core, https://www.w3.org/TR/shacl/): the four target kinds; property paths (predicate,
    inverse, sequence, alternative, zero-or-more, one-or-more, zero-or-one); sh:class, sh:datatype, sh:nodeKind,
    sh:in, sh:hasValue, sh:pattern (with sh:flags), sh:minLength, sh:maxLength, sh:languageIn, the four range
    comparisons, sh:minCount, sh:maxCount, sh:equals, sh:disjoint (on a node shape its value node is the focus
    node itself: "X subtypeOf X"), sh:lessThan, sh:lessThanOrEquals, and the logical sh:or, sh:and, sh:not,
    sh:xone and sh:node over nested shapes. Anything else (sh:closed, sh:qualifiedValueShape, sh:sparql,
    sh:uniqueLang...) raises :class:`UnsupportedShape` naming the shape, so a new shape never passes silently
    unchecked.
    """

    def __init__(self, shapes: rdflib.Graph):
        self.shapes = shapes
        self._names = itertools.count()

    def _var(self) -> str:
        return f"?v{next(self._names)}"

    def _list(self, node: rdflib.term.Node) -> list[rdflib.term.Node]:
        return list(Collection(self.shapes, node))

    def path(self, node: rdflib.term.Node) -> str:
        """A SHACL property path in SPARQL 1.1 path syntax."""
        if isinstance(node, rdflib.URIRef):
            return f"<{node}>"
        value = self.shapes.value
        if value(node, rdflib.RDF.first) is not None:
            return "(" + "/".join(self.path(step) for step in self._list(node)) + ")"
        for parameter, pattern in (("inversePath", "^{}"), ("zeroOrMorePath", "{}*"), ("oneOrMorePath", "{}+"),
                                   ("zeroOrOnePath", "{}?")):
            inner = value(node, SH[parameter])
            if inner is not None:
                return "(" + pattern.format(self.path(inner)) + ")"
        alternatives = value(node, SH.alternativePath)
        if alternatives is not None:
            return "(" + "|".join(self.path(step) for step in self._list(alternatives)) + ")"
        raise UnsupportedShape(f"unknown property path {node}")

    def targets(self, shape: rdflib.term.Node) -> str:
        """A group pattern binding ``?focus`` to every target of ``shape`` (empty string: no targets)."""
        parts = []
        for cls in self.shapes.objects(shape, SH.targetClass):
            parts.append(f"{{ ?focus {RDF_TYPE}/{SUBCLASS_OF}* {_term(cls)} }}")
        for predicate in self.shapes.objects(shape, SH.targetSubjectsOf):
            parts.append(f"{{ ?focus {_term(predicate)} [] }}")
        for predicate in self.shapes.objects(shape, SH.targetObjectsOf):
            parts.append(f"{{ [] {_term(predicate)} ?focus }}")
        nodes = [_term(n) for n in self.shapes.objects(shape, SH.targetNode)]
        if nodes:
            parts.append(f"{{ VALUES ?focus {{ {' '.join(nodes)} }} }}")
        if (shape, rdflib.RDF.type, rdflib.RDFS.Class) in self.shapes:
            parts.append(f"{{ ?focus {RDF_TYPE}/{SUBCLASS_OF}* {_term(shape)} }}")
        return " UNION ".join(parts)

    def parameters(self, shape: rdflib.term.Node) -> list[tuple[str, rdflib.term.Node]]:
        """The constraint parameters of one shape, as (local name, value) pairs; unknown ones raise."""
        found = []
        for predicate, value in self.shapes.predicate_objects(shape):
            if not str(predicate).startswith(str(SH)):
                continue
            name = str(predicate)[len(str(SH)):]
            if name in NOT_CONSTRAINTS:
                continue
            if name not in VALUE_PARAMETERS | {"minCount", "maxCount", "equals", "disjoint", *PAIR_COMPARISONS}:
                raise UnsupportedShape(f"shape {shape} uses sh:{name}, which the SPARQL validator does not cover")
            found.append((name, value))
        return sorted(found, key=lambda item: (item[0], str(item[1])))

    # ------------------------------------------------------------------ value tests (SPARQL expressions)

    def value_test(self, shape: rdflib.term.Node, name: str, value: rdflib.term.Node, v: str) -> str:
        """A SPARQL expression true when the term in ``v`` satisfies one value-type constraint (errors count as
        false: callers wrap it in COALESCE)."""
        if name == "class":
            # a direct rdf:type first: Oxigraph's || skips the path walk for the (usual) directly typed value
            return (f"(EXISTS {{ {v} {RDF_TYPE} {_term(value)} }} || "
                    f"EXISTS {{ {v} {RDF_TYPE}/{SUBCLASS_OF}+ {_term(value)} }})")
        if name == "datatype":
            test = f"(isLiteral({v}) && datatype({v}) = {_term(value)})"
            if str(value) in CHECKED_DATATYPES:
                test = f"({test} && isLiteral(<{value}>({v})))"
            return test
        if name == "nodeKind":
            kind = str(value).rsplit("#", 1)[-1]
            if kind not in NODE_KINDS:
                raise UnsupportedShape(f"shape {shape}: unknown sh:nodeKind {value}")
            return NODE_KINDS[kind].format(v=v)
        if name == "in":
            members = [f"sameTerm({v}, {_term(member)})" for member in self._list(value)]
            return "(" + (" || ".join(members) or "false") + ")"
        if name == "hasValue":
            return f"sameTerm({v}, {_term(value)})"
        if name == "pattern":
            flags = self.shapes.value(shape, SH.flags)
            extra = f", {_term(rdflib.Literal(str(flags)))}" if flags is not None else ""
            return f"(!isBlank({v}) && regex(str({v}), {_term(rdflib.Literal(str(value)))}{extra}))"
        if name in ("minLength", "maxLength"):
            operator = ">=" if name == "minLength" else "<="
            return f"(!isBlank({v}) && strlen(str({v})) {operator} {_int(value)})"
        if name in COMPARISONS:
            return f"({v} {COMPARISONS[name]} {_term(value)})"
        if name == "languageIn":
            tags = [f"langMatches(lang({v}), {_term(rdflib.Literal(str(tag)))})" for tag in self._list(value)]
            return f"(isLiteral({v}) && lang({v}) != \"\" && (" + (" || ".join(tags) or "false") + "))"
        if name == "node":
            return self.conforms(value, v)
        if name == "not":
            return f"!{self.conforms(value, v)}"
        if name in ("or", "and"):
            operator = " || " if name == "or" else " && "
            return "(" + operator.join(self.conforms(member, v) for member in self._list(value)) + ")"
        if name == "xone":
            counts = [f"IF({self.conforms(member, v)}, 1, 0)" for member in self._list(value)]
            return "((" + " + ".join(counts) + ") = 1)"
        raise UnsupportedShape(f"shape {shape} uses sh:{name} on values, which the SPARQL validator does not cover")

    def _distinct_values(self, focus: str, path: str, count: int) -> str:
        names = [self._var() for _ in range(count)]
        triples = " ".join(f"{focus} {path} {name} ." for name in names)
        different = " && ".join(f"!sameTerm({a}, {b})" for a, b in itertools.combinations(names, 2))
        return triples + (f" FILTER({different})" if different else "")

    def conforms(self, shape: rdflib.term.Node, v: str) -> str:
        """A SPARQL expression true when the node in ``v`` conforms to ``shape`` (used by sh:or, sh:and, sh:not,
        sh:xone and sh:node)."""
        tests = []
        path_node = self.shapes.value(shape, SH.path)
        path = self.path(path_node) if path_node is not None else None
        for name, value in self.parameters(shape):
            tests.append(self._constraint_test(shape, name, value, v, path))
        for property_shape in self.shapes.objects(shape, SH.property):
            tests.append(self.conforms(property_shape, v))
        return "(" + (" && ".join(f"COALESCE({t}, false)" for t in tests) or "true") + ")"

    def _constraint_test(self, shape: rdflib.term.Node, name: str, value: rdflib.term.Node, v: str,
                         path: str | None) -> str:
        if path is None:
            if name == "disjoint":  # a node shape's value node is the focus node itself
                return f"NOT EXISTS {{ {v} {_term(value)} {v} }}"
            if name in ("minCount", "maxCount", "equals", *PAIR_COMPARISONS):
                raise UnsupportedShape(f"shape {shape}: sh:{name} needs sh:path")
            return self.value_test(shape, name, value, v)
        if name == "minCount":
            return f"EXISTS {{ {self._distinct_values(v, path, _int(value))} }}" if _int(value) else "true"
        if name == "maxCount":
            return f"NOT EXISTS {{ {self._distinct_values(v, path, _int(value) + 1)} }}"
        if name == "hasValue":
            return f"EXISTS {{ {v} {path} {_term(value)} }}"
        other = self._var()
        if name == "equals":
            return (f"(NOT EXISTS {{ {v} {path} {other} FILTER NOT EXISTS {{ {v} {_term(value)} {other} }} }} && "
                    f"NOT EXISTS {{ {v} {_term(value)} {other} FILTER NOT EXISTS {{ {v} {path} {other} }} }})")
        if name == "disjoint":
            return f"NOT EXISTS {{ {v} {path} {other} . {v} {_term(value)} {other} }}"
        if name in PAIR_COMPARISONS:
            compared = self._var()
            return (f"NOT EXISTS {{ {v} {path} {other} . {v} {_term(value)} {compared} "
                    f"FILTER(!COALESCE({other} {PAIR_COMPARISONS[name]} {compared}, false)) }}")
        test = self.value_test(shape, name, value, other)
        return f"NOT EXISTS {{ {v} {path} {other} FILTER(!COALESCE({test}, false)) }}"

    # ------------------------------------------------------------------ top-level queries

    def message(self, shape: rdflib.term.Node, name: str, value: rdflib.term.Node) -> str:
        """The shape's sh:message, else a default naming the SHACL constraint and its parameter."""
        declared = self.shapes.value(shape, SH.message)
        if declared is not None:
            return str(declared)
        if name == "in":
            shown = ", ".join(_short_term(member) for member in self._list(value))
            return f"sh:in: the value must be one of {shown}"
        if name in ("or", "and", "xone", "not", "node"):
            return f"sh:{name}: the value does not conform to the nested shape(s)"
        return f"sh:{name} {_short_term(value)} not satisfied"

    def queries(self) -> Iterator[ShapeQuery]:
        """One query per constraint of every targeted node shape and of its property shapes."""
        for node_shape in sorted(set(self._targeted()), key=str):
            targets = self.targets(node_shape)
            if self.shapes.value(node_shape, SH.deactivated) == rdflib.Literal(True):
                continue
            yield from self._shape_queries(node_shape, node_shape, targets)
            for property_shape in sorted(self.shapes.objects(node_shape, SH.property), key=str):
                if self.shapes.value(property_shape, SH.deactivated) == rdflib.Literal(True):
                    continue
                yield from self._shape_queries(property_shape, node_shape, targets)

    def _targeted(self) -> Iterator[rdflib.term.Node]:
        for parameter in ("targetClass", "targetSubjectsOf", "targetObjectsOf", "targetNode"):
            yield from self.shapes.subjects(SH[parameter], None)

    def _shape_queries(self, shape: rdflib.term.Node, node_shape: rdflib.term.Node,
                       targets: str) -> Iterator[ShapeQuery]:
        path_node = self.shapes.value(shape, SH.path)
        path = self.path(path_node) if path_node is not None else None
        for name, value in self.parameters(shape):
            message = self.message(shape, name, value)
            where = self._violation_pattern(shape, name, value, path)
            text = f"SELECT DISTINCT ?focus ?value WHERE {{ {_joined(_unless_implied(targets, where), where)} }}"
            yield ShapeQuery(text, shape, node_shape, name, path_node, message)

    def _class_only(self, shape: rdflib.term.Node) -> bool:
        """Whether a nested shape is just one sh:class (then sh:or over such shapes is an anti-join too)."""
        return [name for name, _ in self.parameters(shape)] == ["class"] and not any(
            self.shapes.objects(shape, SH.property)) and self.shapes.value(shape, SH.path) is None

    def _violation_pattern(self, shape: rdflib.term.Node, name: str, value: rdflib.term.Node,
                           path: str | None) -> str:
        if name == "class":  # an anti-join with the class's instances: one hash join instead of a test per value
            instances = f"MINUS {{ ?value {RDF_TYPE}/{SUBCLASS_OF}* {_term(value)} }}"
            return f"BIND(?focus AS ?value) {instances}" if path is None else f"?focus {path} ?value {instances}"
        if name == "or" and all(self._class_only(member) for member in self._list(value)):
            classes = [_term(next(self.shapes.objects(member, SH["class"]))) for member in self._list(value)]
            instances = " UNION ".join(f"{{ ?value {RDF_TYPE}/{SUBCLASS_OF}* {cls} }}" for cls in classes)
            values = "BIND(?focus AS ?value)" if path is None else f"?focus {path} ?value"
            return f"{values} MINUS {{ {instances} }}"
        if path is None and name == "disjoint":  # on a node shape the value node is the focus node itself
            return f"?focus {_term(value)} ?focus . BIND(?focus AS ?value)"  # "X subtypeOf X"
        if path is None:  # a constraint on the focus node itself: the value reported is the focus node
            test = self.value_test(shape, name, value, "?focus")
            return f"FILTER(!COALESCE({test}, false)) BIND(?focus AS ?value)"
        if name == "minCount" and _int(value) == 1:  # an anti-join: one hash join instead of a lookup per focus node
            return f"MINUS {{ ?focus {path} {self._var()} }}"
        if name == "minCount":
            return f"FILTER NOT EXISTS {{ {self._distinct_values('?focus', path, _int(value))} }}" if _int(value) \
                else "FILTER(false)"
        if name == "maxCount":  # counted per focus node in one grouped scan: pairs of values cost 2-3x as much
            counted = self._var()
            return (f"{{ SELECT ?focus WHERE {{ ?focus {path} {counted} }} GROUP BY ?focus "
                    f"HAVING (COUNT(DISTINCT {counted}) > {_int(value)}) }}")
        if name == "hasValue":
            return f"MINUS {{ ?focus {path} {_term(value)} }}"
        if name == "equals":
            return (f"{{ ?focus {path} ?value MINUS {{ ?focus {_term(value)} ?value }} }} UNION "
                    f"{{ ?focus {_term(value)} ?value MINUS {{ ?focus {path} ?value }} }}")
        if name == "disjoint":
            return f"?focus {path} ?value . ?focus {_term(value)} ?value ."
        if name in PAIR_COMPARISONS:
            other = self._var()
            return (f"?focus {path} ?value . ?focus {_term(value)} {other} "
                    f"FILTER(!COALESCE(?value {PAIR_COMPARISONS[name]} {other}, false))")
        return f"?focus {path} ?value FILTER(!COALESCE({self.value_test(shape, name, value, '?value')}, false))"


def _unless_implied(targets: str, where: str) -> str:
    """``targets``, or "" when the violation pattern itself starts by matching them: a target "subjects of P"
    (``{ ?focus <P> [] }``) is implied by a pattern whose first triple is ``?focus <P> ...`` at the top of the
    group; joining with it again only repeats the scan (a twelfth of the cost without it, measured at 5,000
    modalities), the solutions are the same."""
    subjects_of = SUBJECTS_OF_TARGET.fullmatch(targets)
    return "" if subjects_of and where.startswith(subjects_of.group(1) + " ") else targets


def _joined(targets: str, where: str) -> str:
    """The group pattern of one query: the violation pattern first when it starts by matching the focus node's
    values (``?focus <path> ?value ...``, a sub-select or a union), then the targets, which Oxigraph then joins by
    hash instead of looking the values up once per focus node (a third of the time for a value test on every
    dating at 5,000 modalities). The solutions are the same: joins commute, a FILTER applies to its whole group, and
    a MINUS in the pattern subtracts only solutions that share its variables, which the targets do not bind
    (they bind ?focus alone). A pattern that uses ?focus before matching it (a BIND, a FILTER, a MINUS of its own)
    keeps the targets first."""
    if targets and where.startswith(("?focus ", "{ ")):
        return f"{where} {targets}"
    return f"{targets} {where}".strip()


def _int(node: rdflib.term.Node) -> int:
    if not isinstance(node, rdflib.Literal):
        raise UnsupportedShape(f"{node} must be an integer literal")
    return int(str(node))


def _short_term(node: rdflib.term.Node) -> str:
    if isinstance(node, rdflib.Literal):
        return repr(str(node))
    return re.split(r"[#/]", str(node))[-1]
