"""The import path: OpenAlex records mapped to rows and written through the GraphStore protocol."""
