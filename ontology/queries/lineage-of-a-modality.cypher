// Lineage of a modality: every modality it is a kind of or grew out of, at any distance, and the theories
// behind each step (variable-length SUBTYPE_OF|DERIVED_FROM paths). Twin of lineage-of-a-modality.rq.
// Parameter: $name, a label or alias such as "Dyadic Developmental Psychotherapy" or "DDP".
MATCH (modality:Modality)
WHERE modality.label = $name OR $name IN modality.aliases
MATCH (modality)-[:SUBTYPE_OF|DERIVED_FROM*1..]->(ancestor:Entity)
OPTIONAL MATCH (ancestor)-[:GROUNDED_IN]->(theory:Entity)
RETURN DISTINCT ancestor.id AS ancestor, ancestor.label AS ancestorLabel, theory.label AS groundingTheory
ORDER BY ancestorLabel, groundingTheory
