"""The property graph: records, the GraphStore protocol, its two engines, and importers."""
