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
    """
    The profile page's derived figures, as a user of the library would write them: custom
    Cypher in @cypher fields (the same aggregates as bench/floor.py, one field each).
    """
    stats: ResearcherStats!
      @cypher(
        statement: """
        CALL (this) {
          MATCH (this)-[:AUTHORED]->(w:Work)
          WITH coalesce(w.citedByCount, 0) AS cited ORDER BY cited DESC
          WITH collect(cited) AS cites
          RETURN size(cites) AS works, reduce(total = 0, c IN cites | total + c) AS citations,
                 size([i IN range(0, size(cites) - 1) WHERE cites[i] >= i + 1]) AS hIndex
        }
        CALL (this) {
          OPTIONAL MATCH (u:User)-[:FOLLOWS]->(this)
          RETURN count(u) AS followers
        }
        CALL (this) {
          MATCH (this)-[:AUTHORED]->(:Work)-[:HAS_TOPIC]->(t:Topic)
          RETURN count(DISTINCT t) AS topics
        }
        CALL (this) {
          MATCH (this)-[:AUTHORED]->(w:Work)<-[:AUTHORED]-(c:Researcher)
          WITH c, count(w) AS shared WHERE shared >= 2
          RETURN count(c) AS closeCollaborators
        }
        RETURN {works: works, citations: citations, hIndex: hIndex, followers: followers,
                topics: topics, closeCollaborators: closeCollaborators} AS stats
        """
        columnName: "stats"
      )
    topics(first: Int = 6): [TopicWorks!]!
      @cypher(
        statement: """
        MATCH (this)-[:AUTHORED]->(w:Work)-[:HAS_TOPIC]->(t:Topic)
        WITH t, count(DISTINCT w) AS works ORDER BY works DESC, t.name, t.id LIMIT $first
        RETURN {works: works, topic: {id: t.id, name: t.name}} AS entry
        """
        columnName: "entry"
      )
    collaborators(first: Int = 10, minSharedWorks: Int = 1): [Collaborator!]!
      @cypher(
        statement: """
        MATCH (this)-[:AUTHORED]->(w:Work)<-[:AUTHORED]-(c:Researcher)
        WITH c, count(w) AS shared,
             sum(CASE WHEN w.authorCount > 1 THEN 1.0 / (w.authorCount - 1) ELSE 1.0 END)
               AS strength
        WHERE shared >= $minSharedWorks
        WITH c, shared, strength ORDER BY strength DESC, shared DESC, c.name, c.id LIMIT $first
        RETURN {sharedWorks: shared, strength: strength,
                researcher: {id: c.id, name: c.name}} AS entry
        """
        columnName: "entry"
      )
    affiliations: [Affiliation!]!
      @cypher(
        statement: """
        CALL (this) {
          MATCH (this)-[e:AUTHORED]->(w:Work)
          UNWIND e.institutions AS iid
          MATCH (i:Institution {id: iid})
          RETURN i, w.year AS year
          UNION ALL
          MATCH (this)-[a:AFFILIATED_WITH]->(i:Institution)
          UNWIND coalesce(a.years, [null]) AS year
          RETURN i, year
        }
        WITH i, year ORDER BY year
        WITH i, collect(DISTINCT year) AS years
        WITH i, years ORDER BY coalesce(years[-1], 0) DESC, i.name
        RETURN {institution: {id: i.id, name: i.name}, years: years} AS entry
        """
        columnName: "entry"
      )
  }

  type ResearcherStats {
    works: Int!
    citations: Int!
    hIndex: Int!
    followers: Int!
    topics: Int!
    closeCollaborators: Int!
  }

  type TopicWorks {
    works: Int!
    topic: Ref!
  }

  type Collaborator {
    sharedWorks: Int!
    strength: Float!
    researcher: Ref!
  }

  type Affiliation {
    institution: Ref!
    years: [Int!]!
  }

  "An id and a name: what the page shows of a node it links to."
  type Ref {
    id: ID!
    name: String
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
  // Numbers inside the maps that @cypher fields return reach GraphQL as they come from the
  // driver: lossless Integer objects would fail `Int` serialisation.
  disableLosslessIntegers: true,
  // As our store's and the floor's drivers run: no per-query warnings computed, sent, logged.
  notificationFilter: { minimumSeverityLevel: "OFF" },
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
