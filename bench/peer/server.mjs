// The peer of bench/run.py: the Neo4j GraphQL Library (@neo4j/graphql 7) on Apollo Server,
// over the very graph Research Graph serves (the same Neo4j database, the same labels,
// relationship types and properties).
//
//   node server.mjs BOLT_URI PORT        serve GraphQL at http://127.0.0.1:PORT/
//   node server.mjs BOLT_URI --schema    print the generated GraphQL schema and exit
//
// Apollo's standalone server is a plain node http server; it listens on 127.0.0.1 only.
import { ApolloServer } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";
import { Neo4jGraphQL } from "@neo4j/graphql";
import { printSchema } from "graphql";
import neo4j from "neo4j-driver";

// The graph model of graphstore/ (Researcher -AUTHORED-> Work -HAS_TOPIC-> Topic,
// Researcher -AFFILIATED_WITH-> Institution), as @neo4j/graphql type definitions.
const typeDefs = /* GraphQL */ `
  type Researcher @node {
    id: ID!
    name: String
    orcid: String
    openToCollaborate: Boolean
    claimStatus: String
    works: [Work!]! @relationship(type: "AUTHORED", direction: OUT, properties: "Authored")
    institutions: [Institution!]! @relationship(type: "AFFILIATED_WITH", direction: OUT)
  }

  type Authored @relationshipProperties {
    position: Int
  }

  type Work @node {
    id: ID!
    title: String
    type: String
    year: Int
    venue: String
    abstract: String
    citedByCount: Int
    authors: [Researcher!]! @relationship(type: "AUTHORED", direction: IN, properties: "Authored")
    topics: [Topic!]! @relationship(type: "HAS_TOPIC", direction: OUT, properties: "HasTopic")
  }

  type HasTopic @relationshipProperties {
    score: Float
  }

  type Topic @node {
    id: ID!
    name: String
    level: String
  }

  type Institution @node {
    id: ID!
    name: String
  }
`;

const [uri, second] = process.argv.slice(2);
if (!uri || !second) {
  console.error("usage: node server.mjs BOLT_URI PORT | --schema");
  process.exit(2);
}
const driver = neo4j.driver(uri, neo4j.auth.basic("neo4j", "unused"), {
  maxConnectionPoolSize: 100,
});
const library = new Neo4jGraphQL({ typeDefs, driver });
const schema = await library.getSchema();
if (second === "--schema") {
  console.log(printSchema(schema));
  await driver.close();
  process.exit(0);
}
const server = new ApolloServer({ schema });
const { url } = await startStandaloneServer(server, {
  listen: { host: "127.0.0.1", port: Number(second) },
});
console.log(`peer: @neo4j/graphql on Apollo Server at ${url}`);
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, async () => {
    await server.stop();
    await driver.close();
    process.exit(0);
  });
}
