"""The property graph: records and the GraphStore protocol here, the engines in engines/."""
