// Modalities that share treatment goals with a given modality, with the shared goals; most shared first.
// Twin of modalities-sharing-goals.rq. Parameter: $name, a label or alias, e.g. "Attachment-Focused Psychotherapy".
MATCH (modality:Modality)
WHERE modality.label = $name OR $name IN modality.aliases
MATCH (modality)-[:HAS_GOAL]->(goal:Entity)<-[:HAS_GOAL]-(other:Entity)
WHERE other <> modality
WITH other, collect(DISTINCT goal.label) AS goals
RETURN other.id AS other, other.label AS label, size(goals) AS sharedGoals, goals
ORDER BY sharedGoals DESC, label
