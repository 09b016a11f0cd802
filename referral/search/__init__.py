"""Full-text search over service-at-locations: a Whoosh index kept current from a change
log, with filters, facets, typo tolerance and synonyms (see ``service.search``)."""
