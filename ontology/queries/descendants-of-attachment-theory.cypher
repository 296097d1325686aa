// All descendants of attachment theory: modalities grounded in it directly, plus every modality that is a
// subtype of, or derived from, one of those (at any depth). Twin of descendants-of-attachment-theory.rq.
// Parameter: $theory, the theory's label, e.g. "Attachment Theory".
MATCH (theory:Theory {label: $theory})<-[:GROUNDED_IN]-(root:Entity)
MATCH (modality:Modality)-[:SUBTYPE_OF|DERIVED_FROM*0..]->(root)
RETURN DISTINCT modality.id AS modality, modality.label AS label
ORDER BY label
