#!/usr/bin/env node
// The local Cosmos DB endpoint of `bench` (connection: local). It runs @vercel/cosmosdb-server and fixes
// what the .NET SDK trips over, without touching the package:
// - keep-alive: the package closes every connection unless started through its API with keepAlive;
// - a read, replace, patch or delete of a missing item answers 404 NotFound (the package throws and answers 500);
// - the SDK's query-plan request (sent on Linux for queries without a partition key) gets a plan that asks
//   for no rewriting, so cross-partition queries run; ORDER BY, TOP, DISTINCT and aggregates across
//   partitions are therefore not planned: keep such queries partition-scoped here.
// It listens on 127.0.0.1 only and prints "ready <port>" once it accepts connections.
"use strict";

const { createHttpsServer } = require("@vercel/cosmosdb-server");

const port = Number(process.argv[2] || 0);
const itemPath = /^\/+dbs\/[^/]+\/colls\/[^/]+\/docs\/[^/]+\/?$/;

// What an SDK needs of a query plan when the query needs no cross-partition processing.
const plainQueryPlan = JSON.stringify({
  partitionedQueryExecutionInfoVersion: 2,
  queryInfo: {
    distinctType: "None", top: null, offset: null, limit: null, orderBy: [], orderByExpressions: [],
    groupByExpressions: [], groupByAliases: [], aggregates: [], groupByAliasToAggregateType: {},
    rewrittenQuery: "", hasSelectValue: false, dCountInfo: null,
  },
  queryRanges: [{ min: "", max: "FF", isMinInclusive: true, isMaxInclusive: false }],
});

// The package logs every handler exception; a missing item is a normal answer here, not an error.
const logError = console.error.bind(console);
console.error = (...args) => {
  const text = args.map(a => (a && a.message) || String(a)).join(" ");
  if (!/Cannot read propert/.test(text)) logError(...args);
};

const server = createHttpsServer({ keepAlive: true });
const [packageHandler] = server.listeners("request");
server.removeAllListeners("request");
server.keepAliveTimeout = 60_000;

server.on("request", (req, res) => {
  if (req.method === "POST" && String(req.headers["x-ms-cosmos-is-query-plan-request"]).toLowerCase() === "true") {
    req.resume();
    res.writeHead(200, { "content-type": "application/json", "x-ms-request-charge": "0", connection: "keep-alive" });
    res.end(plainQueryPlan);
    return;
  }

  if (itemPath.test(req.url.split("?")[0])) {
    const end = res.end.bind(res);
    res.end = (chunk, ...rest) => {
      if (res.statusCode === 500 && chunk && /Cannot read propert/.test(String(chunk))) {
        res.statusCode = 404;
        chunk = JSON.stringify({ code: "NotFound", message: "Entity with the specified id does not exist in the system." });
      }
      return end(chunk, ...rest);
    };
  }

  packageHandler(req, res);
});

server.listen(port, "127.0.0.1", () => {
  console.log(`ready ${server.address().port}`);
});

for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.close(() => process.exit(0)));
