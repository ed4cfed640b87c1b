"""outage: one project's Mantle goes away for DRILL_OUTAGE_MANTLE_SECONDS in the middle of a run —
first every create and retrieve answers 503, then nothing listens — and comes back empty. The
work must pause, not fail (issue 19): no job failed, every job completed after recovery, at most
one attempt more per job than without the outage, the other project kept completing meanwhile,
and the endpoint was not hammered while it answered 503."""

import json
import signal
import time
import urllib.request

from common import (BIN, Database, DrillFailure, Simulator, check_results, check_workers_alive, enqueue, env_int,
                    free_port, job_states, longhaul, note, open_jobs, start_worker, stop_workers, wait_until)

# Responses of 2–4 s in real time, so jobs are running, queued and finishing all through the outage.
SIM_FLAGS = ["--speed", "1", "--min-duration", "2", "--max-duration", "4"]
WORKER_ARGS = ["--first-poll", "0.5", "--min-poll-interval", "0.5"]
# Alpha (in outage) gets the wider door so its backlog drains within RECOVERY_WAIT once its
# endpoint is back (about 5 jobs/s); beta gets a narrow one (about 1.7 jobs/s) so its half of the
# jobs lasts past the end of the outage and its pace during the outage can be compared with before.
ALPHA_IN_FLIGHT, BETA_IN_FLIGHT = 20, 6
# Attempts a job uses with no fault configured, and what the outage may add: a job running on sim
# A when it restarts finds its Response gone (404) and is submitted once more.
ATTEMPTS_WITHOUT_OUTAGE, OUTAGE_EXTRA_ATTEMPTS = 1, 1
# A breaker sends one probe on a growing interval while the endpoint answers 503, so creates and
# retrieves to sim A in that phase should be a handful. How the probes grow is the code's choice,
# and the polls of the Responses already running back off on their own schedule; fail only when
# the calls reach what a per-job retry loop would send — 10 per alpha job in 60 s — not a breaker.
MAX_CALLS_PER_ALPHA_JOB = 10
# After recovery: a breaker may wait one more probe interval before it reopens, then alpha's
# backlog drains. This bounds the whole drill to about 5 minutes even when every job fails or hangs.
RECOVERY_WAIT = 150
# The outage begins no sooner than this after the workers start, so beta's pace before it is
# measured over a steady stretch rather than the first Responses' start-up.
STEADY_SECONDS = 15


class PinnedSimulator(Simulator):
    """`longhaul sim` on a port chosen once, so it can be killed and started again at the same
    address (with a fresh process: a clean configuration and no Responses)."""

    def __init__(self, drill, label, seed):
        self.drill, self.label, self.seed = drill, label, seed
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process, self.starts = None, 0

    def start(self):
        # A port just let go of may be refused for a moment; try again until the deadline.
        deadline = time.time() + 20
        while True:
            self.starts += 1
            log_name = f"sim-{self.label}-{self.starts}.log"
            self.process = self.drill.spawn([BIN, "sim", "--host", "127.0.0.1", "--port", str(self.port),
                                             "--seed", str(self.seed), *SIM_FLAGS], log_name)
            while self.process.poll() is None and "listening on" not in self.drill.log(log_name):
                if time.time() > deadline:
                    raise DrillFailure(f"sim {self.label} did not start on port {self.port}: {self.drill.log(log_name)[-500:]}")
                time.sleep(0.05)
            if self.process.poll() is None:
                return
            if time.time() > deadline:
                raise DrillFailure(f"sim {self.label} exited on start: {self.drill.log(log_name)[-500:]}")
            time.sleep(0.5)

    def kill(self):
        """Like a crash: the listening socket closes at once and connections are refused."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def configure(self, patch):
        request = urllib.request.Request(f"{self.url}/_simulator/config", data=json.dumps(patch).encode(), method="POST",
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as answer:
            return json.load(answer)


def add_project(database, slug, simulator, in_flight, jobs):
    """A project whose endpoint is `simulator`, with `jobs` queued and no webhook endpoint (the
    bench enqueue adds a placeholder; its failing deliveries would only be noise here)."""
    longhaul(["projects", "add", slug, "--base-url", f"{simulator.url}/v1"], database)
    enqueue(database, jobs, project=slug, max_in_flight=in_flight)
    for line in longhaul(["webhooks", "list", "--project", slug, "--json"], database).splitlines():
        longhaul(["webhooks", "remove", "--project", slug, json.loads(line)["public_id"]], database)


def completed_between(database, slug, start, end):
    return int(database.value(f"""
        SELECT count(*) FROM jobs j JOIN projects p ON p.id = j.project_id
        WHERE p.slug = '{slug}' AND j.state = 'completed'
          AND j.finished_at >= to_timestamp({start}) AND j.finished_at < to_timestamp({end})"""))


def calls(counters):
    routes = counters.get("requestsByRoute", {})
    return routes.get("createResponse", 0), routes.get("retrieveResponse", 0)


def run(drill):
    jobs = env_int("DRILL_OUTAGE_MANTLE_JOBS", 500)
    outage_seconds = env_int("DRILL_OUTAGE_MANTLE_SECONDS", 90)
    unavailable_seconds = outage_seconds * 2 / 3  # every call 503; the last third, connections refused
    alpha_jobs, beta_jobs = jobs // 2, jobs - jobs // 2
    problems = []
    database = Database(drill)
    longhaul(["migrate"], database)
    sim_a, sim_b = PinnedSimulator(drill, "a", 101), PinnedSimulator(drill, "b", 202)
    sim_a.start()
    sim_b.start()
    add_project(database, "alpha", sim_a, ALPHA_IN_FLIGHT, alpha_jobs)
    add_project(database, "beta", sim_b, BETA_IN_FLIGHT, beta_jobs)

    # The default project (unused) points at sim B; alpha and beta name their own endpoints.
    workers = [start_worker(drill, database, sim_b, i, WORKER_ARGS) for i in range(2)]
    started = time.time()

    def alpha_under_way():
        states = job_states(database, "alpha")
        if states.get("completed", 0) >= max(10, alpha_jobs // 10) and time.time() - started >= STEADY_SECONDS:
            return True
        if open_jobs(database, "alpha") == 0:
            raise DrillFailure(f"alpha's jobs all ended before the outage began: {states}")
        return False
    wait_until(alpha_under_way, 90, "a tenth of alpha's jobs to complete")

    # Phase 1: every create and retrieve to sim A answers 503.
    before_outage = sim_a.counters()
    sim_a.configure({"createFaults": {"serviceUnavailable": 1}, "retrieveFaults": {"serviceUnavailable": 1}})
    outage_start = time.time()
    note(f"outage: sim A answers 503 from {outage_start - started:.1f} s; alpha {job_states(database, 'alpha')}")
    time.sleep(unavailable_seconds)

    # Phase 2: sim A's process is gone; its counters are read just before.
    before_kill = sim_a.counters()
    sim_a.kill()
    note(f"outage: sim A stopped at {time.time() - started:.1f} s; alpha {job_states(database, 'alpha')}")
    time.sleep(max(0.0, outage_seconds - (time.time() - outage_start)))

    # Recovery: a fresh sim A on the same port, knowing none of the Responses made before.
    sim_a.start()
    recovered = time.time()
    alpha_at_recovery = job_states(database, "alpha")
    note(f"outage: sim A back at {recovered - started:.1f} s; alpha {alpha_at_recovery}, beta {job_states(database, 'beta')}")
    try:
        wait_until(lambda: open_jobs(database, "alpha") + open_jobs(database, "beta") == 0, RECOVERY_WAIT,
                   "every job to end after recovery", interval=1)
    except DrillFailure as failure:
        problems.append(f"{failure} (alpha {job_states(database, 'alpha')}, beta {job_states(database, 'beta')})")
    waited_until = time.time()
    check_workers_alive(workers, problems)
    stop_workers(workers, problems)

    # The end state: nothing failed, everything completed.
    states = {slug: job_states(database, slug) for slug in ("alpha", "beta")}
    completed = sum(s.get("completed", 0) for s in states.values())
    failed = sum(s.get("failed", 0) for s in states.values())
    if failed:
        reason = database.value("""SELECT coalesce(r.error_message, r.error_code, '') FROM jobs j
                                   LEFT JOIN results r ON r.job_id = j.id
                                   WHERE j.state = 'failed' ORDER BY j.finished_at LIMIT 1""") or ""
        problems.append(f"{failed} jobs failed (alpha {states['alpha'].get('failed', 0)}, beta {states['beta'].get('failed', 0)})"
                        + (f", the first: {reason[:160]}" if reason else ""))
    if completed != jobs:
        problems.append(f"{completed} of {jobs} jobs completed: alpha {states['alpha']}, beta {states['beta']}")
    for slug in states:
        check_results(database, problems, slug)

    # Attempts: no more than one above what a job uses with no outage.
    most_attempts = int(database.value("SELECT coalesce(max(attempt), 0) FROM jobs"))
    total_attempts = int(database.value("SELECT coalesce(sum(attempt), 0) FROM jobs"))
    limit = ATTEMPTS_WITHOUT_OUTAGE + OUTAGE_EXTRA_ATTEMPTS
    over = int(database.value(f"SELECT count(*) FROM jobs WHERE attempt > {limit}"))
    if over:
        problems.append(f"{over} jobs used more than {limit} attempts (most {most_attempts})")

    # Beta kept completing while alpha's endpoint was out.
    # Paces: before, from beta's first completion to the outage; during, over the outage or until
    # beta ran out of jobs, whichever came first.
    beta_first, beta_last = (float(v or 0) for v in database.rows("""
        SELECT coalesce(extract(epoch FROM min(j.finished_at)), 0), coalesce(extract(epoch FROM max(j.finished_at)), 0)
        FROM jobs j JOIN projects p ON p.id = j.project_id WHERE p.slug = 'beta' AND j.state = 'completed'""")[0])
    beta_before = completed_between(database, "beta", started, outage_start)
    beta_during = completed_between(database, "beta", outage_start, recovered)
    during_end = min(recovered, beta_last) if beta_last > outage_start else recovered
    rate_before = max(beta_before - 1, 0) / max(outage_start - beta_first, 0.001) if beta_before else 0.0
    rate_during = beta_during / max(during_end - outage_start, 0.001)
    if beta_during == 0:
        problems.append("beta completed no job during alpha's outage")

    # Calls to sim A while it answered 503.
    creates_503 = calls(before_kill)[0] - calls(before_outage)[0]
    retrieves_503 = calls(before_kill)[1] - calls(before_outage)[1]
    if creates_503 + retrieves_503 > MAX_CALLS_PER_ALPHA_JOB * alpha_jobs:
        problems.append(f"{creates_503} creates and {retrieves_503} retrieves reached sim A in its {unavailable_seconds:.0f} s "
                        f"of 503s (bound {MAX_CALLS_PER_ALPHA_JOB} per alpha job: {MAX_CALLS_PER_ALPHA_JOB * alpha_jobs})")

    alpha_last = database.value("""SELECT extract(epoch FROM max(j.finished_at)) FROM jobs j JOIN projects p ON p.id = j.project_id
                                   WHERE p.slug = 'alpha' AND j.state = 'completed'""")
    alpha_after = completed_between(database, "alpha", recovered, waited_until + 1)
    last_alpha = f"{float(alpha_last) - recovered:.1f} s" if alpha_last and alpha_after else "none completed after recovery"
    finished = float(database.value("SELECT coalesce(extract(epoch FROM max(finished_at)), 0) FROM jobs") or 0)
    wall = (finished if open_jobs(database, "alpha") + open_jobs(database, "beta") == 0 else waited_until) - started
    figures = (f"{jobs} jobs (alpha {alpha_jobs} on sim A, beta {beta_jobs} on sim B), outage {outage_seconds} s "
               f"({unavailable_seconds:.0f} s of 503, then refused); failed {failed}, completed {completed}; "
               f"max attempt {most_attempts}, attempts/jobs {total_attempts / jobs:.2f}; calls to sim A during the 503s: "
               f"{creates_503 + retrieves_503} ({creates_503} creates, {retrieves_503} retrieves); beta completions during the "
               f"outage {beta_during} ({rate_during:.2f} jobs/s, before {rate_before:.2f} jobs/s); alpha at recovery "
               f"{alpha_at_recovery}; last alpha job completed {last_alpha} after recovery; wall time {wall:.1f} s")
    return problems, figures

