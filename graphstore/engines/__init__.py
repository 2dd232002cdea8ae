"""The two engines (Neo4j, LadybugDB) behind the GraphStore protocol, and the Cypher they run."""
