# The API image. With NEO4J_URI set it serves from Neo4j; without, from the embedded default.
FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY researchgraph ./researchgraph
COPY schema ./schema
COPY resolvers ./resolvers
COPY graphstore ./graphstore
RUN pip install --no-cache-dir .
EXPOSE 8000
CMD ["researchgraph", "serve", "--host", "0.0.0.0", "--port", "8000", "--data-dir", "/data"]
