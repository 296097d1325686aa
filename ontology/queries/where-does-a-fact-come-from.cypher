// Where a fact comes from: the sources asserting that a modality addresses a condition, with the quoted sentence
// and its offsets when the fact was read from a page. Twin of where-does-a-fact-come-from.rq (source titles, kinds
// and curator notes stay in the embedded store; Neo4j has the source ids).
// Parameters: $modality and $condition, labels or aliases, e.g. "MBT" and "BPD".
MATCH (modality:Modality)-[fact:ADDRESSES_CONDITION]->(condition:Condition)
WHERE (modality.label = $modality OR $modality IN modality.aliases)
  AND (condition.label = $condition OR $condition IN condition.aliases)
UNWIND fact.sources AS source
OPTIONAL CALL (fact, source) {
  UNWIND range(0, size(coalesce(fact.evidenceSource, [])) - 1) AS i
  WITH i WHERE fact.evidenceSource[i] = source
  RETURN fact.evidenceText[i] AS quote, fact.evidenceStart[i] AS start, fact.evidenceEnd[i] AS end
}
RETURN source, quote, start, end
ORDER BY source, start
