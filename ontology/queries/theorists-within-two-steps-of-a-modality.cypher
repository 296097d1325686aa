// Theorists connected to a modality within two steps, in either direction, through any relation
// (e.g. who developed it, who developed the theory it is grounded in, whom its developer studied with).
// Twin of theorists-within-two-steps-of-a-modality.rq. Parameter: $name, e.g. "Mentalization-Based Treatment".
MATCH (modality:Modality)
WHERE modality.label = $name OR $name IN modality.aliases
CALL (modality) {
  MATCH (modality)-[]-(theorist:Theorist)
  RETURN theorist, 1 AS steps
  UNION
  MATCH (modality)-[:DEVELOPED_BY|SUBTYPE_OF|DERIVED_FROM|GROUNDED_IN]->(middle:Entity)
  MATCH (middle)-[:DEVELOPED_BY]->(theorist:Theorist)
  RETURN theorist, 2 AS steps
  UNION
  MATCH (modality)-[:DEVELOPED_BY|SUBTYPE_OF|DERIVED_FROM|GROUNDED_IN]->(middle:Entity)
  MATCH (middle)-[:STUDENT_OF|INFLUENCED_BY|COLLABORATED_WITH]-(theorist:Theorist)
  RETURN theorist, 2 AS steps
}
RETURN theorist.id AS theorist, theorist.label AS name, min(steps) AS distance
ORDER BY distance, name
