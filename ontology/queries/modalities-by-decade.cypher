// How many modalities were introduced in each decade, and which; a modality dated differently by several sources
// counts in the decade of its earliest date, which is what introducedYear holds. Twin of modalities-by-decade.rq.
MATCH (modality:Modality)
WHERE modality.introducedYear IS NOT NULL
WITH modality.introducedYear / 10 * 10 AS decade, modality
ORDER BY modality.label
RETURN decade, count(modality) AS modalities, collect(modality.label) AS names
ORDER BY decade
