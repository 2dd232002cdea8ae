"""The property graph: records and the GraphStore protocol here; engines/ and ingest/ beside."""
