// Modalities that address a condition (matched by its label or an alias such as "BPD"), with who developed them.
// Twin of modalities-for-a-condition.rq. Parameter: $name, e.g. "Borderline personality disorder".
MATCH (condition:Condition)
WHERE condition.label = $name OR $name IN condition.aliases
MATCH (modality:Entity)-[:ADDRESSES_CONDITION]->(condition)
OPTIONAL MATCH (modality)-[:DEVELOPED_BY]->(developer:Entity)
WITH modality, collect(DISTINCT developer.label) AS developedBy
RETURN modality.id AS modality, modality.label AS label, developedBy
ORDER BY label
