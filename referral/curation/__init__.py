"""Directory curation (issue 7): duplicate detection, the review queue and merges that
keep provenance; field-level change requests (``changes``, ``fields``); verification,
staleness and campaigns (``verification``, ``freshness``); and the curator pages
(``views``, ``review_views``)."""
