// The techniques a modality uses, including those it inherits from the modalities it is a kind of
// (SUBTYPE_OF*0.. then USES_TECHNIQUE). Twin of techniques-of-a-modality.rq.
// Parameter: $name, a label or alias, e.g. "Attachment-Focused Psychotherapy".
MATCH (modality:Modality)
WHERE modality.label = $name OR $name IN modality.aliases
MATCH (modality)-[:SUBTYPE_OF*0..]->(:Entity)-[:USES_TECHNIQUE]->(technique:Entity)
RETURN DISTINCT technique.id AS technique, technique.label AS label
ORDER BY label
