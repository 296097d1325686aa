// Modalities grounded in the same theory as a given modality (its theoretical siblings).
// Twin of modalities-sharing-a-theoretical-root.rq. Parameter: $name, e.g. "Emotionally Focused Therapy".
MATCH (modality:Modality)
WHERE modality.label = $name OR $name IN modality.aliases
MATCH (modality)-[:GROUNDED_IN]->(theory:Entity)<-[:GROUNDED_IN]-(sibling:Modality)
WHERE sibling <> modality
RETURN DISTINCT sibling.id AS sibling, sibling.label AS label, theory.label AS sharedTheory
ORDER BY sharedTheory, label
