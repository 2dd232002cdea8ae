# The API image. With NEO4J_URI set it serves from Neo4j; without, from the embedded default.

# Browser assets (GraphiQL, /explorer), built from the pinned npm packages in web/.
FROM node:20-slim AS web
WORKDIR /build
COPY web ./web
RUN mkdir -p researchgraph/web && cd web && npm ci --no-audit --no-fund

FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml setup.py MANIFEST.in README.md ./
COPY researchgraph ./researchgraph
COPY schema ./schema
COPY resolvers ./resolvers
COPY graphstore ./graphstore
COPY --from=web /build/researchgraph/web/assets ./researchgraph/web/assets
RUN pip install --no-cache-dir .
EXPOSE 8000
CMD ["researchgraph", "serve", "--host", "0.0.0.0", "--port", "8000", "--data-dir", "/data"]
