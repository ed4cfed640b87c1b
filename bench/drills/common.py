"""What every drill shares: a private PostgreSQL, the simulator, workers and the webhook receiver
as real processes, psql queries, and the figures' arithmetic.

bench/drills.sh sets LONGHAUL_BIN and LONGHAUL_BENCH_BIN (the release binaries) and PG_BINDIR
(PostgreSQL's programs).
"""

import csv
import io
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.environ.get("LONGHAUL_BIN", "")
BENCH_BIN = os.environ.get("LONGHAUL_BENCH_BIN", "")
PG_BINDIR = os.environ.get("PG_BINDIR", "")
HERE = os.path.dirname(os.path.abspath(__file__))


class DrillFailure(Exception):
    """A drill's outcome is wrong; the message says what."""


def env_int(name, default):
    value = os.environ.get(name)
    return int(value) if value else default


def note(message):
    print(f"  · {message}", file=sys.stderr, flush=True)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def percentile(values, fraction):
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


class Drill:
    """One drill's scratch folder and every process it started; `close()` stops them all (by the
    pids it holds, never by name) and removes the folder and the database."""

    def __init__(self, name):
        self.name = name
        self.work = tempfile.mkdtemp(prefix=f"longhaul-drill-{name}.")
        os.chmod(self.work, 0o755)
        self.processes = []
        self.database = None

    def spawn(self, args, log_name, env=None):
        log = open(os.path.join(self.work, log_name), "ab")
        process = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                   env={**os.environ, **(env or {})})
        log.close()
        self.processes.append(process)
        return process

    def log(self, log_name):
        path = os.path.join(self.work, log_name)
        return open(path, errors="replace").read() if os.path.exists(path) else ""

    def close(self):
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if self.database:
            self.database.close()
        if os.environ.get("DRILL_KEEP"):
            print(f"  · kept {self.work}", file=sys.stderr)
        else:
            shutil.rmtree(self.work, ignore_errors=True)


class Database:
    """A throwaway PostgreSQL (scripts/test-database) that can be halted and resumed in place."""

    def __init__(self, drill):
        self.dir = os.path.join(drill.work, "pg")
        self.url = self._script("start").strip()
        drill.database = self

    def _script(self, action):
        done = subprocess.run([os.path.join(ROOT, "scripts", "test-database"), action, self.dir],
                              capture_output=True, text=True)
        if done.returncode != 0:
            raise DrillFailure(f"scripts/test-database {action} failed: {done.stderr.strip()}")
        return done.stdout

    def halt(self):
        self._script("halt")

    def resume(self):
        self._script("resume")

    def close(self):
        self._script("stop")

    def rows(self, query):
        done = subprocess.run([os.path.join(PG_BINDIR, "psql"), "-X", "-q", "--csv", "-t", "-v", "ON_ERROR_STOP=1",
                               "-h", self.dir, "-U", "postgres", "postgres", "-c", query],
                              capture_output=True, text=True)
        if done.returncode != 0:
            raise DrillFailure(f"psql failed: {done.stderr.strip()} (query: {query.strip()[:200]})")
        return list(csv.reader(io.StringIO(done.stdout)))

    def value(self, query):
        rows = self.rows(query)
        return rows[0][0] if rows and rows[0] else None


def longhaul(args, database, env=None, check=True, timeout=300, binary=None):
    """Runs a longhaul (or, with binary=BENCH_BIN, longhaul-bench) command to its end; returns its stdout."""
    binary = binary or BIN
    done = subprocess.run([binary, *args], capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, "DATABASE_URL": database.url, **(env or {})})
    if check and done.returncode != 0:
        name = os.path.basename(binary)
        raise DrillFailure(f"{name} {' '.join(args[:3])} exited {done.returncode}: {done.stderr.strip()[-500:]}")
    return done.stdout


class Simulator:
    """`longhaul sim` in its own process, with the fault flags given."""

    def __init__(self, drill, *flags):
        self.process = drill.spawn([BIN, "sim", "--host", "127.0.0.1", "--port", "0", *flags], "sim.log")
        deadline = time.time() + 20
        self.url = None
        while time.time() < deadline and not self.url:
            found = re.search(r"http://127\.0\.0\.1:\d+", drill.log("sim.log"))
            if found:
                self.url = found.group(0)
            elif self.process.poll() is not None:
                break
            else:
                time.sleep(0.05)
        if not self.url:
            raise DrillFailure(f"the simulator did not start: {drill.log('sim.log')[-500:]}")

    def counters(self):
        with urllib.request.urlopen(f"{self.url}/_simulator/counters", timeout=30) as answer:
            return json.load(answer)

    def response(self, response_id):
        request = urllib.request.Request(f"{self.url}/v1/responses/{response_id}",
                                         headers={"Authorization": "Bearer drill"})
        with urllib.request.urlopen(request, timeout=30) as answer:
            return json.load(answer)


class Receiver:
    """The verifying webhook receiver (receiver.py) on a fixed port, so it can be stopped and
    started again at the same address."""

    def __init__(self, drill, port, secret):
        self.drill, self.port, self.secret = drill, port, secret
        self.log_path = os.path.join(drill.work, "received.jsonl")
        self.process = None

    def start(self):
        self.process = self.drill.spawn([sys.executable, os.path.join(HERE, "receiver.py"), "--port", str(self.port),
                                         "--secret", self.secret, "--log", self.log_path], "receiver.log")
        deadline = time.time() + 10
        while time.time() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return
            except OSError:
                if self.process.poll() is not None:
                    break
                time.sleep(0.05)
        raise DrillFailure(f"the receiver did not start: {self.drill.log('receiver.log')[-500:]}")

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=10)

    def records(self):
        if not os.path.exists(self.log_path):
            return []
        with open(self.log_path) as log:
            return [json.loads(line) for line in log if line.strip()]


ADMIN_TOKEN = "drill-admin-token-0123456789abcdef"


class Api:
    """`longhaul serve` in its own process (the API alone), with the drills' admin token."""

    def __init__(self, drill, database, log_name="api.log"):
        self.process = drill.spawn([BIN, "serve", "--port", "0", "--log-level", "warning"], log_name,
                                   env={"DATABASE_URL": database.url, "LONGHAUL_ADMIN_TOKEN": ADMIN_TOKEN,
                                        "LONGHAUL_AUTO_MIGRATE": "0"})
        deadline = time.time() + 20
        self.url = None
        while time.time() < deadline and not self.url:
            found = re.search(r"listening on (http://127\.0\.0\.1:\d+)", drill.log(log_name))
            if found:
                self.url = found.group(1)
            elif self.process.poll() is not None:
                break
            else:
                time.sleep(0.05)
        if not self.url:
            raise DrillFailure(f"longhaul serve did not start: {drill.log(log_name)[-500:]}")

    def call(self, method, path, token=ADMIN_TOKEN, body=None, timeout=30):
        """(status, headers, parsed JSON body or text) of one request; never raises on a status."""
        data = None if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode())
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        if data is not None:
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(f"{self.url}{path}", data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=timeout) as answer:
                status, answer_headers, raw = answer.status, dict(answer.headers), answer.read()
        except urllib.error.HTTPError as error:
            status, answer_headers, raw = error.code, dict(error.headers), error.read()
        try:
            parsed = json.loads(raw) if raw else None
        except ValueError:
            parsed = raw.decode(errors="replace")
        return status, answer_headers, parsed


def create_token(database, project):
    """A project token's secret, from `longhaul tokens create --json`."""
    created = json.loads(longhaul(["tokens", "create", "--project", project, "--name", "drill", "--json"], database))
    return created["secret"]


def enqueue(database, jobs, project="drill", max_in_flight=100_000):
    """N distinct small jobs in `project` through the store (`longhaul-bench pipeline enqueue`)."""
    longhaul(["pipeline", "enqueue", "--database-url", database.url, "--project", project,
              "--jobs", str(jobs), "--max-in-flight", str(max_in_flight)], database, binary=BENCH_BIN)


def add_endpoint(database, url, project="drill"):
    """Registers `url` as the project's only endpoint with `longhaul webhooks add`; returns its
    secret. The bench enqueue adds a placeholder endpoint, which is removed first."""
    listed = longhaul(["webhooks", "list", "--project", project, "--json"], database)
    for line in listed.splitlines():
        endpoint = json.loads(line)
        longhaul(["webhooks", "remove", "--project", project, endpoint["public_id"]], database)
    added = longhaul(["webhooks", "add", "--project", project, "--url", url], database, env=WEBHOOK_ENV)
    secret = re.search(r"^secret: (whsec_\S+)$", added, re.M)
    if not secret:
        raise DrillFailure(f"`longhaul webhooks add` printed no secret: {added}")
    return secret.group(1)


WEBHOOK_ENV = {"LONGHAUL_WEBHOOK_ALLOW_CIDRS": "127.0.0.0/8"}


def start_worker(drill, database, simulator, index, extra=(), env=None):
    """One `longhaul work` process against the simulator."""
    return drill.spawn(
        [BIN, "work", "--log-level", "warning", *extra],
        f"worker{index}.log",
        env={"DATABASE_URL": database.url, "OPENAI_BASE_URL": f"{simulator.url}/v1", "OPENAI_API_KEY": "drill",
             "LONGHAUL_AUTO_MIGRATE": "0", **WEBHOOK_ENV, **(env or {})})


def wait_until(condition, timeout, what, interval=0.25, tick=None):
    """Calls `condition()` until it returns a true value (returned) or `timeout` seconds pass."""
    deadline = time.time() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.time() > deadline:
            raise DrillFailure(f"timed out after {timeout} s waiting for {what}")
        if tick:
            tick()
        time.sleep(interval)


def open_jobs(database, project="drill"):
    return int(database.value(
        f"SELECT count(*) FROM jobs j JOIN projects p ON p.id = j.project_id WHERE p.slug = '{project}' AND j.finished_at IS NULL"))


def pending_deliveries(database):
    return int(database.value("SELECT count(*) FROM deliveries WHERE state = 'pending'"))


def job_states(database, project="drill"):
    return {state: int(count) for state, count in database.rows(
        f"SELECT j.state, count(*) FROM jobs j JOIN projects p ON p.id = j.project_id WHERE p.slug = '{project}' GROUP BY 1")}


def check_results(database, problems, project="drill"):
    """Every completed job has its text and all usage fields stored."""
    missing = int(database.value(f"""
        SELECT count(*) FROM jobs j JOIN projects p ON p.id = j.project_id LEFT JOIN results r ON r.job_id = j.id
        WHERE p.slug = '{project}' AND j.state = 'completed'
          AND (r.job_id IS NULL OR r.output_text IS NULL OR r.input_tokens IS NULL OR r.output_tokens IS NULL
               OR r.total_tokens IS NULL OR r.cached_tokens IS NULL OR r.reasoning_tokens IS NULL)"""))
    if missing:
        problems.append(f"{missing} completed jobs lack their text or usage in results")


def check_webhooks(database, receiver, problems, project="drill"):
    """Every terminal job's event arrived verified with the right type, exactly the outbox's
    webhook-ids arrived, and none failed verification. Returns (delays in seconds from the job's
    terminal commit to its webhook's first arrival, duplicate arrivals)."""
    records = receiver.records()
    unverified = [r for r in records if not r["verified"]]
    if unverified:
        problems.append(f"{len(unverified)} webhooks failed verification, e.g. {unverified[0].get('error')}")
    first = {}
    for record in records:
        if record["verified"] and record["id"] not in first:
            first[record["id"]] = record
    duplicates = sum(1 for r in records if r["verified"] and r["duplicate"])
    jobs = {public_id: (state, float(finished)) for public_id, state, finished in database.rows(f"""
        SELECT j.public_id, j.state, extract(epoch FROM j.finished_at) FROM jobs j JOIN projects p ON p.id = j.project_id
        WHERE p.slug = '{project}' AND j.finished_at IS NOT NULL""")}
    outbox = {public_id: job for public_id, job in database.rows(f"""
        SELECT d.public_id, j.public_id FROM deliveries d JOIN jobs j ON j.id = d.job_id
        JOIN projects p ON p.id = j.project_id WHERE p.slug = '{project}' AND d.endpoint_id IS NOT NULL""")}
    not_arrived = [d for d in outbox if d not in first]
    if not_arrived:
        problems.append(f"{len(not_arrived)} of {len(outbox)} webhooks never arrived, e.g. {not_arrived[0]}")
    strangers = [i for i in first if i not in outbox]
    if strangers:
        problems.append(f"{len(strangers)} webhook-ids arrived that the outbox does not hold")
    by_job = {}
    for delivery, job in outbox.items():
        if delivery in first:
            by_job.setdefault(job, []).append(first[delivery])
    without = [job for job in jobs if job not in by_job]
    if without:
        problems.append(f"{len(without)} terminal jobs have no verified webhook, e.g. {without[0]}")
    wrong = [job for job, arrivals in by_job.items()
             if job in jobs and any(a["type"] != f"job.{jobs[job][0]}" or a["job"] != job for a in arrivals)]
    if wrong:
        problems.append(f"{len(wrong)} jobs' webhooks name the wrong event or job, e.g. {wrong[0]}")
    delays = [min(a["t"] for a in arrivals) - jobs[job][1] for job, arrivals in by_job.items() if job in jobs]
    return delays, duplicates


def check_duplicate_creates(simulator, counters, problems):
    """No job attempt created twice unless one of its Responses is one whose create answer the
    simulator dropped on purpose. Returns (duplicate attempts, those the simulator explains)."""
    duplicated = {(job, attempt) for job, attempts in counters.get("createsByJob", {}).items()
                  for attempt, count in attempts.items() if count > 1}
    explained = set()
    for response_id in counters.get("answerLostResponseIDs", []):
        metadata = simulator.response(response_id).get("metadata") or {}
        explained.add((metadata.get("longhaul_job_id"), metadata.get("longhaul_attempt")))
    unexplained = duplicated - explained
    if unexplained:
        problems.append(f"{len(unexplained)} job attempts were created twice without a lost answer, e.g. {sorted(unexplained)[0]}")
    return len(duplicated), len(duplicated & explained)


def check_workers_alive(workers, problems, what="worker"):
    dead = [(i, w.returncode) for i, w in enumerate(workers) if w.poll() is not None]
    if dead:
        problems.append(f"{len(dead)} {what} processes exited on their own: " +
                        ", ".join(f"#{i} status {code}" for i, code in dead))


def stop_workers(workers, problems):
    """SIGTERM, and a clean exit within the grace period."""
    for worker in workers:
        if worker.poll() is None:
            worker.send_signal(signal.SIGTERM)
    for index, worker in enumerate(workers):
        try:
            code = worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            problems.append(f"worker #{index} did not stop within 20 s of SIGTERM")
            worker.kill()
            worker.wait()
            continue
        if code != 0:
            problems.append(f"worker #{index} exited with status {code} after SIGTERM")


def fmt_seconds(value):
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.1f} s"
