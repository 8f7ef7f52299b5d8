"""Turn committee records into stored, searchable passages: parse, chunk, embed, store."""
