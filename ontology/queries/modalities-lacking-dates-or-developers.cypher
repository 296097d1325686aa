// Curation gaps: modalities with no introduction date or no recorded developer, to fill in next.
// Twin of modalities-lacking-dates-or-developers.rq.
MATCH (modality:Modality)
WITH modality, modality.introducedYear IS NULL AS missingDate,
     NOT EXISTS { (modality)-[:DEVELOPED_BY]->() } AS missingDeveloper
WHERE missingDate OR missingDeveloper
RETURN modality.id AS modality, modality.label AS label, missingDate, missingDeveloper
ORDER BY label
