"""Request context, DataLoaders and resolver functions; talks to the graph only via graphstore."""
