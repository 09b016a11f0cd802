"""Directory curation: duplicate detection, the review queue and merges that keep
provenance (issue 7, item 5)."""
