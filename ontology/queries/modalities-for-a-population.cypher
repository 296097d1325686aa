// Modalities designed for, or often used with, a population (matched by its label or an alias).
// Twin of modalities-for-a-population.rq. Parameter: $name, e.g. "Couples".
MATCH (population:Population)
WHERE population.label = $name OR $name IN population.aliases
MATCH (modality:Entity)-[:SERVES_POPULATION]->(population)
RETURN DISTINCT modality.id AS modality, modality.label AS label
ORDER BY label
