// Shared by the client tests: where the server is, and the operations in ../operations/.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const operationsDir = path.resolve(here, "../operations");

if (!process.env.EVENTQL_URL) {
  throw new Error("EVENTQL_URL must point at a running eventql server (see tests/test_clients_node.py)");
}

/** The GraphQL endpoint of the server under test. */
export const endpoint = new URL("/graphql", process.env.EVENTQL_URL).toString();

/** An operation document from ../operations/ with the fragments it spreads appended. */
export function operation(name) {
  const read = (file) => fs.readFileSync(path.join(operationsDir, `${file}.graphql`), "utf8");
  let text = read(name);
  const seen = new Set();
  for (let spread; (spread = [...text.matchAll(/\.\.\.([A-Z]\w*)/g)].map((m) => m[1]).find((f) => !seen.has(f))); ) {
    seen.add(spread);
    text += `\n${read(spread)}`;
  }
  return text;
}

/** POST a query with fetch; the parsed body. */
export async function post(query, variables = {}) {
  const response = await fetch(endpoint, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify({ query, variables }),
  });
  return response.json();
}
