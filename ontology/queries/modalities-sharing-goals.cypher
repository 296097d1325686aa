// Pairs of modalities that share treatment goals, with the shared goals; most shared first.
// Twin of modalities-sharing-goals.rq.
MATCH (a:Modality)-[:HAS_GOAL]->(goal:Entity)<-[:HAS_GOAL]-(b:Modality)
WHERE a.label < b.label
WITH a.label AS first, b.label AS second, collect(DISTINCT goal.label) AS goals
RETURN first, second, size(goals) AS sharedGoals, goals
ORDER BY sharedGoals DESC, first, second
