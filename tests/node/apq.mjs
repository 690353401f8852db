// Apollo Client's persisted-queries link against a running selfserve server.
//
//   node apq.mjs <base-url> <document-file> [<document-file> ...]
//   node apq.mjs --print <document-file>   (the text Apollo Client sends, for a manifest)
//
// Runs each document twice through ApolloClient (HttpLink + createPersistedQueryLink, SHA-256 from
// node:crypto, hashed queries over GET) and prints one JSON object: every HTTP request the link
// made (method, whether the text was sent, status, error codes) and each run's data or error.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";

import { ApolloClient, ApolloLink, HttpLink, InMemoryCache, gql } from "@apollo/client";
import { createPersistedQueryLink } from "@apollo/client/link/persisted-queries";
import { addTypenameToDocument, print } from "@apollo/client/utilities";

const [base, ...files] = process.argv.slice(2);
if (base === "--print") {
  // The cache adds __typename to every selection set; the link hashes the printed result.
  process.stdout.write(print(addTypenameToDocument(gql(readFileSync(files[0], "utf8")))));
  process.exit(0);
}
const requests = [];

async function recordingFetch(url, options = {}) {
  const target = new URL(String(url));
  const body = options.body ? JSON.parse(options.body) : null;
  const sentQuery = Boolean(target.searchParams.get("query") || (body && body.query));
  const response = await fetch(url, options);
  const text = await response.clone().text();
  let codes = [];
  try {
    codes = (JSON.parse(text).errors || []).map((error) => error.extensions?.code);
  } catch {
    codes = ["NOT_JSON"];
  }
  requests.push({ method: options.method || "GET", sentQuery, status: response.status, codes });
  return response;
}

const sha256 = (text) => createHash("sha256").update(text).digest("hex");
const link = ApolloLink.from([
  createPersistedQueryLink({ sha256, useGETForHashedQueries: true }),
  new HttpLink({ uri: `${base}/graphql`, fetch: recordingFetch }),
]);
const client = new ApolloClient({ link, cache: new InMemoryCache() });

const runs = [];
for (const file of files) {
  const query = gql(readFileSync(file, "utf8"));
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const result = await client.query({ query, fetchPolicy: "network-only" });
      runs.push({ file, data: result.data ?? null, error: result.error ? String(result.error) : null });
    } catch (error) {
      const codes = (error.errors || []).map((e) => e.extensions?.code);
      runs.push({ file, data: null, error: String(error.message || error), codes });
    }
  }
}
process.stdout.write(JSON.stringify({ requests, runs }) + "\n");
