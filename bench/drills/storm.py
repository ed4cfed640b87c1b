"""storm: a Mantle that answers 10 % of calls 429 (with Retry-After), 5 % 5xx, hangs on 2 %, drops
2 % of connections and fails 5 % of Responses. Every job must end as the rules say (DESIGN §5/§7,
RetryPolicy): retried while attempts remain, failed only when they are used up; no retry storm
(calls per job bounded) and Retry-After honoured."""

import time

from common import (Database, Receiver, Simulator, add_endpoint, check_duplicate_creates, check_results,
                    check_webhooks, enqueue, env_int, fmt_seconds, free_port, job_states, note, open_jobs,
                    pending_deliveries, percentile, start_worker, stop_workers, wait_until)

SPEED = 10
RETRY_AFTER_REAL = 3.0  # seconds a 429 asks for: above RetryPolicy's first backoff (1–2 s), so it binds
FAULTS = []
for route in ("create", "retrieve"):
    FAULTS += [f"--fault-{route}-429", "0.10", f"--fault-{route}-500", "0.025", f"--fault-{route}-503", "0.025",
               f"--fault-{route}-hang", "0.02", f"--fault-{route}-drop", "0.02"]
FAULTS += ["--fault-create-failed", "0.05"]
WORKER_ARGS = ["--first-poll", "0.5", "--min-poll-interval", "0.5"]
# Bounds that a retry storm would break by an order of magnitude; what the faults make likely is
# about 1.3 creates and 3 retrieves per job.
MAX_MEAN_CREATES, MAX_MEAN_RETRIEVES, MAX_POLLS_PER_ATTEMPT = 2.0, 10.0, 40


def run(drill):
    jobs = env_int("DRILL_STORM_JOBS", 1000)
    problems = []
    database = Database(drill)
    simulator = Simulator(drill, "--speed", str(SPEED), "--seed", "42", "--hang-seconds", "3",
                          "--retry-after-seconds", str(RETRY_AFTER_REAL * SPEED), *FAULTS)
    enqueue(database, jobs)
    port = free_port()
    receiver = Receiver(drill, port, add_endpoint(database, f"http://127.0.0.1:{port}/hook"))
    receiver.start()
    workers = [start_worker(drill, database, simulator, i, WORKER_ARGS) for i in range(2)]
    started = time.time()
    wait_until(lambda: open_jobs(database) == 0, 600, "every job to end")
    burn_down = float(database.value("SELECT extract(epoch FROM max(finished_at)) FROM jobs")) - started
    wait_until(lambda: pending_deliveries(database) == 0, 120, "every webhook to be delivered")
    stop_workers(workers, problems)
    counters = simulator.counters()
    faults = counters.get("faultsByKind", {})
    note(f"storm: faults injected {faults}")

    # The end state each job's history demands.
    states = job_states(database)
    max_attempts = int(database.value("SELECT max_attempts FROM projects WHERE slug = 'drill'"))
    early_failures = int(database.value(f"SELECT count(*) FROM jobs WHERE state = 'failed' AND attempt < {max_attempts}"))
    if early_failures:
        problems.append(f"{early_failures} jobs failed with attempts left (every injected fault is transient)")
    other = {s: n for s, n in states.items() if s not in ("completed", "failed")}
    if other:
        problems.append(f"jobs ended in states the faults cannot cause: {other}")
    failed_responses = set(counters.get("failedResponseIDs", []))
    completed_on_failed = sum(1 for (rid,) in database.rows(
        "SELECT response_id FROM jobs WHERE state = 'completed'") if rid in failed_responses)
    if completed_on_failed:
        problems.append(f"{completed_on_failed} jobs completed on a Response the simulator failed")
    resubmitted = database.rows("SELECT response_id FROM attempts WHERE outcome = 'remote_failed'")
    wrongly = sum(1 for (rid,) in resubmitted if rid not in failed_responses)
    if wrongly:
        problems.append(f"{wrongly} attempts were marked remote_failed on a Response that did not fail")
    check_results(database, problems)
    delays, duplicate_webhooks = check_webhooks(database, receiver, problems)
    duplicated, _ = check_duplicate_creates(simulator, counters, problems)

    # No retry storm: calls per job. Every create call is an attempt (numbered in jobs.attempt);
    # the simulator counts the calls and the Responses they created.
    routes = counters.get("requestsByRoute", {})
    mean_creates = routes.get("createResponse", 0) / jobs
    mean_retrieves = routes.get("retrieveResponse", 0) / jobs
    most_attempts = int(database.value("SELECT max(attempt) FROM jobs"))
    responses_per_job = [sum(a.values()) for a in counters.get("createsByJob", {}).values()]
    max_polls = int(database.value("SELECT max(poll_count) FROM jobs"))
    if most_attempts > max_attempts or max(responses_per_job) > max_attempts:
        problems.append(f"a job made {most_attempts} attempts and {max(responses_per_job)} Responses; the limit is {max_attempts}")
    if mean_creates > MAX_MEAN_CREATES or mean_retrieves > MAX_MEAN_RETRIEVES or max_polls > MAX_POLLS_PER_ATTEMPT:
        problems.append(f"retry storm: {mean_creates:.2f} creates and {mean_retrieves:.2f} retrieves per job, "
                        f"{max_polls} polls in one attempt (bounds {MAX_MEAN_CREATES}, {MAX_MEAN_RETRIEVES}, {MAX_POLLS_PER_ATTEMPT})")

    # Retry-After: the next attempt after a 429 started no sooner than asked (finished_at is the
    # commit that recorded the 429, after the answer, so the gap measured is a lower bound).
    gaps = [float(g) for (g,) in database.rows("""
        SELECT extract(epoch FROM n.started_at - a.finished_at) FROM attempts a
        JOIN attempts n ON n.job_id = a.job_id AND n.attempt = a.attempt + 1
        WHERE a.http_status = 429""")]
    early = [g for g in gaps if g < RETRY_AFTER_REAL - 0.05]
    if early:
        problems.append(f"{len(early)} of {len(gaps)} retries after a 429 came sooner than Retry-After "
                        f"({RETRY_AFTER_REAL} s), the soonest after {min(early):.2f} s")
    outcomes = dict(database.rows("SELECT outcome, count(*) FROM attempts GROUP BY 1"))

    figures = (f"{jobs} jobs in {burn_down:.1f} s: {states}; faults {sum(faults.values())} "
               f"({', '.join(f'{k} {v}' for k, v in sorted(faults.items()))}); attempts {outcomes}; create calls per job "
               f"mean {mean_creates:.2f} max {most_attempts}, Responses per job max {max(responses_per_job)}; "
               f"retrieves per job mean {mean_retrieves:.2f}, "
               f"most polls in one attempt {max_polls}; retries after 429: {len(gaps)}, soonest "
               f"{min(gaps) if gaps else float('nan'):.2f} s (Retry-After {RETRY_AFTER_REAL} s); duplicate attempt creates "
               f"{duplicated}; webhooks {len(delays)} verified, p99 {fmt_seconds(percentile(delays, 0.99))}, "
               f"{duplicate_webhooks} duplicates")
    return problems, figures
