// PostGraphile v5 over the benchmark database, for `python -m tests.benchmarks`.
// Default (Amber) preset, plus @graphile/pg-aggregates when PG_AGGREGATES is set (the grouped
// workload); bound to 127.0.0.1; the Ruru explorer and watch mode are off.
import { createServer } from "node:http";
import { PgAggregatesPreset } from "@graphile/pg-aggregates";
import { postgraphile } from "postgraphile";
import { makePgService } from "postgraphile/adaptors/pg";
import { grafserv } from "postgraphile/grafserv/node";
import { PostGraphileAmberPreset } from "postgraphile/presets/amber";

const preset = {
  extends: process.env.PG_AGGREGATES
    ? [PostGraphileAmberPreset, PgAggregatesPreset]
    : [PostGraphileAmberPreset],
  pgServices: [
    makePgService({ connectionString: process.env.DATABASE_URL, schemas: ["public"] }),
  ],
  grafserv: { graphiql: false, watch: false },
  grafast: { explain: false },
};

const instance = postgraphile(preset);
const serv = instance.createServ(grafserv);
const server = createServer();
server.on("error", (error) => {
  console.error(error);
  process.exit(1);
});
serv.addTo(server).catch((error) => {
  console.error(error);
  process.exit(1);
});
server.listen(Number(process.env.PORT), "127.0.0.1");
