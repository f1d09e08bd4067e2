"""Load benchmarks the way production serves the app: gunicorn with DEBUG off, driven by wrk.

Each endpoint is a list of requests per wrk thread. A page's list goes round and round; a list
of answers is sent once, in order, one at a time per thread (its own connection), so that every
answer is to the question its quiz is at. Every figure is set beside a bare Django view
(`/healthz`) measured by the same server in the same run: a share of bare says what our code
costs on this machine, whatever the machine. For `make bench` (`manage.py bench_load`), never
for requests."""

from __future__ import annotations

import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

WRK_MISSING = "wrk is not installed: `apt-get install -y wrk` (Debian's package), then run again."
# One Lua script drives every endpoint; its `done` prints one line of JSON that we read.
WRK_SCRIPT = """
-- Each thread reads its own requests, sends them in order (round and round, or once through),
-- and counts the answers that are not 200; done() prints the run's figures as JSON.
local threads, counter = {}, 0

function setup(thread)
  thread:set("id", counter)
  table.insert(threads, thread)
  counter = counter + 1
end

function init(args)
  cycle = args[2] == "cycle"
  queue = {}
  for line in io.lines(args[1] .. "/" .. id .. ".tsv") do
    local fields = {}
    for value in (line .. "\\t"):gmatch("([^\\t]*)\\t") do table.insert(fields, value) end
    local headers = {}
    for i = 4, #fields do
      local name, value = fields[i]:match("^([^:]+): (.*)$")
      headers[name] = value
    end
    local body = nil
    if fields[3] ~= "" then body = fields[3] end
    table.insert(queue, wrk.format(fields[1], fields[2], headers, body))
  end
  position, bad, exhausted, last_bad = 1, 0, 0, 0
end

-- wrk may ask for a request more than once before sending it (on connecting, and once to
-- check the script): the next request is chosen only when a response has come back.
function request()
  if position > #queue then
    if cycle then position = 1 else exhausted = exhausted + 1; position = #queue end
  end
  return queue[position]
end

function response(status, headers, body)
  if status ~= 200 then bad = bad + 1; last_bad = status end
  position = position + 1
end

function done(summary, latency, requests)
  local bad, exhausted, last_bad = 0, 0, 0
  for _, thread in ipairs(threads) do
    bad = bad + thread:get("bad")
    exhausted = exhausted + thread:get("exhausted")
    if thread:get("last_bad") ~= 0 then last_bad = thread:get("last_bad") end
  end
  local errors = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, "not_200": %d, ' ..
    '"last_bad": %d, "exhausted": %d, "socket_errors": %d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    bad, last_bad, exhausted, errors.connect + errors.read + errors.write + errors.timeout))
end
"""


@dataclass(frozen=True)
class Request:
    """One HTTP request as wrk sends it: no tabs or line breaks in any part (a form body is
    URL-encoded, so it has none)."""

    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    body: str = ""

    def line(self) -> str:
        parts = [self.method, self.path, self.body, *(f"{k}: {v}" for k, v in self.headers.items())]
        if any("\t" in part or "\n" in part for part in parts):
            raise ValueError(f"A tab or a line break in a request to {self.path}.")
        return "\t".join(parts)


@dataclass(frozen=True)
class Load:
    """What wrk sends for one endpoint: each thread's requests, in order; `once` lists are
    answers, each sent once (a thread that runs out sends its last again and gets a 409)."""

    queues: Sequence[Sequence[Request]]
    once: bool = False


@dataclass(frozen=True)
class Run:
    """One wrk run of one endpoint."""

    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    not_200: int
    last_bad: int  # the last status that was not 200, 0 when none
    exhausted: int  # requests past the end of a once-through list
    socket_errors: int
    server_cpu_ms: float | None  # CPU the server's processes used, None when not ours
    database_cpu_ms: float | None = None  # CPU this machine's PostgreSQL used, None when none

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def describe(self) -> str:
        words = f"{self.requests} requests in {self.seconds:.1f} s, {self.per_second:,.0f}/s"
        if self.not_200:
            words += f"; {self.not_200} not 200 (the last {self.last_bad})"
        if self.exhausted:
            words += f"; ran out of answers {self.exhausted} times"
        if self.socket_errors:
            words += f"; {self.socket_errors} connection errors or timeouts"
        return words

    @property
    def failed(self) -> bool:
        return bool(self.not_200 or self.exhausted or self.socket_errors)

    @property
    def cpu_per_request_ms(self) -> float | None:
        return self.per_request(self.server_cpu_ms)

    @property
    def database_cpu_per_request_ms(self) -> float | None:
        return self.per_request(self.database_cpu_ms)

    def per_request(self, cpu_ms: float | None) -> float | None:
        if cpu_ms is None or not self.requests:
            return None
        return cpu_ms / self.requests


def wrk_path() -> str:
    found = shutil.which("wrk")
    if found is None:
        raise FileNotFoundError(WRK_MISSING)
    return found


def wrk_run(
    base_url: str, load: Load, seconds: float, server: Server | None, *, postgres: bool = False
) -> Run:
    """Drive `load` at `base_url` for `seconds`, one wrk thread and connection per queue;
    `postgres`: the database is a PostgreSQL on this machine, whose CPU is measured too."""
    with tempfile.TemporaryDirectory(prefix="batteries-wrk-") as folder:
        directory = Path(folder)
        for number, queue in enumerate(load.queues):
            lines = "\n".join(request.line() for request in queue)
            (directory / f"{number}.tsv").write_text(lines + "\n")
        script = directory / "driver.lua"
        script.write_text(WRK_SCRIPT)
        threads = len(load.queues)
        command = [
            wrk_path(),
            f"--threads={threads}",
            f"--connections={threads}",
            f"--duration={max(1, round(seconds))}s",
            "--timeout=10s",
            f"--script={script}",
            base_url,
            "--",
            str(directory),
            "once" if load.once else "cycle",
        ]
        cpu_before = server.cpu_ms() if server else None
        database_before = postgres_cpu_ms() if postgres else None
        finished = subprocess.run(command, capture_output=True, text=True, check=False)
        cpu_after = server.cpu_ms() if server else None
        database_after = postgres_cpu_ms() if postgres else None
    if finished.returncode != 0:
        raise RuntimeError(f"wrk failed: {finished.stderr or finished.stdout}")
    figures = json.loads(finished.stdout.strip().splitlines()[-1])
    return Run(
        requests=figures["requests"],
        seconds=figures["duration_us"] / 1e6,
        p50_ms=figures["p50_us"] / 1000,
        p99_ms=figures["p99_us"] / 1000,
        not_200=figures["not_200"],
        last_bad=figures["last_bad"],
        exhausted=figures["exhausted"],
        socket_errors=figures["socket_errors"],
        server_cpu_ms=(
            cpu_after - cpu_before if cpu_before is not None and cpu_after is not None else None
        ),
        database_cpu_ms=(
            database_after - database_before
            if database_before is not None and database_after is not None
            else None
        ),
    )


# --- The server ------------------------------------------------------------------------------


def production_environment(database: dict[str, str], secret_key: str) -> dict[str, str]:
    """The README's production settings, on plain HTTP on this machine: DEBUG off, the bench's
    secret key (its sessions are signed with it), persistent connections; HTTPS redirects and
    HSTS are the proxy's job here."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "SQLITE_PATH", "DEBUG"}
    }
    environment.update(
        DEBUG="false",
        SECRET_KEY=secret_key,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        CONN_MAX_AGE="600",
        SECURE_SSL_REDIRECT="false",
        SECURE_HSTS_SECONDS="0",
        ALLOW_CONSOLE_EMAIL="true",
        LOG_LEVEL="WARNING",
    )
    environment.update(database)
    return environment


def process_cpu_ms(pid: int | str) -> float | None:
    """User and system CPU of one process, in milliseconds; None when it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def postgres_cpu_ms() -> float | None:
    """The CPU of every PostgreSQL process on this machine (the server and its backends, which
    live as long as the workers' kept connections), or None when there is none: where the
    database is on this machine, a request's cost is the server's CPU and this."""
    total, found = 0.0, False
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            name = (proc / "comm").read_text().strip()
        except OSError:
            continue
        if name == "postgres" or name.startswith("postgres:"):
            cpu = process_cpu_ms(proc.name)
            if cpu is not None:
                total, found = total + cpu, True
    return total if found else None


@dataclass
class Server:
    """gunicorn serving the app; its CPU time is read from /proc, the master's and workers'."""

    process: subprocess.Popen[bytes]
    url: str

    def pids(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            workers = [int(pid) for pid in children.read_text().split()]
        except OSError:
            workers = []
        return [self.process.pid, *workers]

    def cpu_ms(self) -> float | None:
        """User and system CPU of the server's processes, in milliseconds."""
        total = 0.0
        for pid in self.pids():
            cpu = process_cpu_ms(pid)
            if cpu is None:
                return None
            total += cpu
        return total


@contextmanager
def gunicorn_serving(environment: dict[str, str], *, workers: int, port: int) -> Iterator[Server]:
    """gunicorn with `workers` sync workers on 127.0.0.1:`port`, until the block ends; the
    static files collected first, as a deployment does."""
    command = [
        str(Path(sys.executable).with_name("gunicorn")),
        "config.wsgi:application",
        f"--bind=127.0.0.1:{port}",
        f"--workers={workers}",
        "--worker-class=sync",
        "--log-level=warning",
    ]
    # With DEBUG off the pages name their static files by the manifest collectstatic writes.
    collect = [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity=0"]
    subprocess.run(collect, env=environment, check=True)
    process = subprocess.Popen(command, env=environment)
    server = Server(process, f"http://127.0.0.1:{port}")
    try:
        healthy_wait(server.url, process)
        yield server
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


def healthy_wait(url: str, process: subprocess.Popen[bytes] | None, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while True:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"gunicorn stopped with status {process.returncode}.")
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:  # not listening yet, or still starting its workers
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"{url}/healthz did not answer within {timeout:.0f} s.")
        time.sleep(0.2)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def status_of(base_url: str, request: Request) -> int:
    """The status one request gets, redirects not followed: a page that sends the bench's
    learner to the log-in page would otherwise look fast and fine."""
    sent = urllib.request.Request(
        base_url + request.path,
        data=request.body.encode() if request.body else None,
        headers=request.headers,
        method=request.method,
    )
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(sent, timeout=30) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code


# --- The table -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Result:
    """An endpoint's runs, summed up against bare's runs of the same rounds."""

    label: str
    runs: list[Run]
    bare_runs: list[Run]
    target: float | None  # least share of bare, or None

    @property
    def per_second(self) -> float:
        return statistics.median(run.per_second for run in self.runs)

    @property
    def share(self) -> float:
        bare = statistics.median(run.per_second for run in self.bare_runs)
        return self.per_second / bare if bare else 0.0

    @property
    def middle(self) -> Run:
        """The run whose rate is the median's: its latencies are shown."""
        return sorted(self.runs, key=lambda run: run.per_second)[len(self.runs) // 2]

    @property
    def failed(self) -> bool:
        return any(run.failed for run in self.runs)

    @property
    def meets_target(self) -> bool:
        return self.target is None or self.share >= self.target

    def row(self) -> list[str]:
        middle = self.middle
        not_200 = sum(run.not_200 + run.exhausted + run.socket_errors for run in self.runs)
        cpu = [run.cpu_per_request_ms for run in self.runs if run.cpu_per_request_ms is not None]
        database = [
            run.database_cpu_per_request_ms
            for run in self.runs
            if run.database_cpu_per_request_ms is not None
        ]
        verdict = "—" if self.target is None else f"≥ {self.target:.0%}"
        if self.target is not None:
            verdict += " ✓" if self.meets_target else " ✗"
        return [
            self.label,
            f"{self.per_second:,.0f}" if self.per_second >= 10 else f"{self.per_second:.1f}",
            f"{self.share:.1%}",
            f"{middle.p50_ms:.1f}",
            f"{middle.p99_ms:.1f}",
            f"{not_200}",
            f"{statistics.median(cpu):.2f}" if cpu else "—",
            f"{statistics.median(database):.2f}" if database else "—",
            verdict,
        ]


HEADINGS = [
    "endpoint",
    "req/s",
    "share of bare",
    "p50 ms",
    "p99 ms",
    "non-200",
    "server CPU ms/req",
    "PostgreSQL CPU ms/req",
    "target",
]


def table(results: Sequence[Result]) -> str:
    """A Markdown table, to read in a terminal and to paste."""
    rows = [HEADINGS, *(result.row() for result in results)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(HEADINGS))]

    def line(cells: Sequence[str]) -> str:
        padded = [
            cell.ljust(width) if i == 0 else cell.rjust(width)
            for i, (cell, width) in enumerate(zip(cells, widths, strict=True))
        ]
        return "| " + " | ".join(padded) + " |"

    rule = "|" + "|".join("-" * (width + 2) for width in widths) + "|"
    return "\n".join([line(rows[0]), rule, *(line(row) for row in rows[1:])])
