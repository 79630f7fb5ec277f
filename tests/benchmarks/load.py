"""Load generation in a process of its own: Debian's `wrk` when installed, else Python.

`wrk` (C, event-driven) is what PERFORMANCE.md measured with; a Lua script gives it the POST
body and prints the summary as JSON. Without it, `python -m tests.benchmarks.pyload` runs an
asyncio + httpx client in a subprocess — never in the server's interpreter. Either way the
result is requests/s and latency percentiles over a timed run after a warm-up.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import orjson

_WRK_SCRIPT = """
local file = io.open("{body}", "rb")
wrk.method = "POST"
wrk.body = file:read("*a")
file:close()
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = "application/json"
-- A GraphQL error comes with status 200 (or another): count answers that carry one.
threads = {{}}
setup = function(thread) table.insert(threads, thread) end
init = function(args) answered_with_errors = 0 end
response = function(status, headers, body)
  if body and string.find(body, '"errors":', 1, true) then
    answered_with_errors = answered_with_errors + 1
  end
end
done = function(summary, latency, requests)
  local e = summary.errors
  local graphql = 0
  for _, thread in ipairs(threads) do
    graphql = graphql + (thread:get("answered_with_errors") or 0)
  end
  io.write(string.format(
    '{{"requests": %d, "seconds": %f, "errors": %d, "non_2xx": %d, "p50_ms": %f, "p99_ms": %f, '
    .. '"graphql_errors": %d}}\\n',
    summary.requests, summary.duration / 1e6, e.connect + e.read + e.write + e.timeout,
    e.status, latency:percentile(50) / 1e3, latency:percentile(99) / 1e3, graphql))
end
"""


@dataclass(frozen=True)
class LoadResult:
    """What a timed run measured."""

    requests: int
    seconds: float
    errors: int
    non_2xx: int
    p50_ms: float
    p99_ms: float
    #: Answers (of any status) that carry GraphQL `errors`.
    graphql_errors: int = 0

    @property
    def per_second(self) -> float:
        """Requests per second."""
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def failures(self) -> int:
        """Requests that failed: transport errors, statuses other than 2xx, GraphQL errors
        (an answer with errors and a status other than 2xx may count twice: an upper bound)."""
        return self.errors + self.non_2xx + self.graphql_errors


class LoadGenerator:
    """Runs timed load against a URL with one fixed POST body."""

    def __init__(
        self, *, concurrency: int, prefer_wrk: bool = True, timeout_s: float = 10.0
    ) -> None:
        self.concurrency = concurrency
        self.timeout_s = timeout_s
        self.wrk = shutil.which("wrk") if prefer_wrk else None
        self._folder = Path(tempfile.mkdtemp(prefix="eventql-load-"))

    def describe(self) -> str:
        """Which load generator runs, and how."""
        if self.wrk:
            return f"wrk (Debian, {self._threads()} threads, {self.concurrency} connections)"
        return f"Python asyncio + httpx in a subprocess ({self.concurrency} concurrent clients)"

    def _threads(self) -> int:
        return 2 if self.concurrency >= 2 else 1

    def run(self, url: str, body: bytes, seconds: float) -> LoadResult:
        """Load `url` with `body` for `seconds`; the result of the run."""
        body_file = self._folder / "body.json"
        body_file.write_bytes(body)
        if self.wrk:
            script = self._folder / "post.lua"
            script.write_text(_WRK_SCRIPT.format(body=body_file), encoding="utf-8")
            command = [
                self.wrk,
                f"-t{self._threads()}",
                f"-c{self.concurrency}",
                f"-d{max(1, round(seconds))}s",
                "--timeout",
                f"{max(1, round(self.timeout_s))}s",
                "-s",
                str(script),
                url,
            ]
        else:
            command = [
                sys.executable,
                "-m",
                "tests.benchmarks.pyload",
                url,
                str(body_file),
                str(seconds),
                str(self.concurrency),
                str(self.timeout_s),
            ]
        output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
        last = [line for line in output.splitlines() if line.startswith("{")][-1]
        return LoadResult(**orjson.loads(last))
