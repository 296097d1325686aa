// The techniques a modality uses, including those it inherits from the modalities it is a kind of.
// Twin of techniques-of-a-modality.rq. Parameter: $name, e.g. "Attachment-Focused Psychotherapy".
MATCH (modality:Modality)
WHERE modality.label = $name OR $name IN modality.aliases
CALL (modality) {
  MATCH (modality)-[:USES_TECHNIQUE]->(technique:Entity)
  RETURN technique, null AS inheritedFrom
  UNION
  MATCH (modality)-[:SUBTYPE_OF*1..]->(parent:Entity)-[:USES_TECHNIQUE]->(technique:Entity)
  RETURN technique, parent.label AS inheritedFrom
}
RETURN DISTINCT technique.id AS technique, technique.label AS label, inheritedFrom
ORDER BY label
