// The phases of a modality's course of treatment, in order. Twin of treatment-phases-in-order.rq.
// Parameter: $name, e.g. "Attachment-Focused Psychotherapy".
MATCH (modality:Modality)
WHERE modality.label = $name OR $name IN modality.aliases
MATCH (modality)-[:HAS_PHASE]->(phase:Entity)
RETURN phase.phaseOrder AS order, phase.id AS phase, phase.label AS label
ORDER BY order, label
