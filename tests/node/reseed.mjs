// A reseed that changes the served dataset, run the way the Python driver says: the JSON argv
// in EVENTQL_RESEED (tests/reseeding.py edits a seed copy and runs `eventql seed` on it).
import { execFile } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);

/** Whether the Python driver gave a reseed command. */
export const canReseed = Boolean(process.env.EVENTQL_RESEED);

/** Edit the seed copy and reseed it; what it made: `{dataset, number, added, changed,
 * removed}` (the version number the database recorded, the counts the edit implies). */
export async function reseed() {
  if (!canReseed) throw new Error("EVENTQL_RESEED must hold a reseed command (a JSON argv)");
  const [command, ...args] = JSON.parse(process.env.EVENTQL_RESEED);
  const { stdout } = await run(command, args, { encoding: "utf8" });
  return JSON.parse(stdout.trim().split("\n").at(-1));
}
