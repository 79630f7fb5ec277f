// graphql-codegen generates TypeScript types from the committed SDL (gql/schema.graphql) and
// the operations clients send (operations/*.graphql and the explorer's examples); `tsc` then
// checks the generated file and typed/clients.ts, which uses it with Apollo Client and urql.
// Needs no server: this is the contract a frontend compiles against.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const bin = (name) => path.join(root, "node_modules", ".bin", name);

function run(command, args) {
  try {
    return execFileSync(command, args, { cwd: root, encoding: "utf8", stdio: "pipe" });
  } catch (error) {
    assert.fail(`${path.basename(command)} failed:\n${error.stdout}\n${error.stderr}`);
  }
}

test("graphql-codegen generates types that tsc accepts", () => {
  const generated = path.join(root, "generated", "graphql.ts");
  fs.rmSync(generated, { force: true });
  run(bin("graphql-codegen"), ["--config", "codegen.yml", "--silent"]);
  const source = fs.readFileSync(generated, "utf8");
  for (const name of ["EventsPageDocument", "EventsWithFiguresDocument", "TimelineDocument"]) {
    assert.match(source, new RegExp(`export const ${name}\\b`), `${name} is generated`);
  }
  run(bin("tsc"), ["--noEmit", "-p", "tsconfig.json"]);
});
