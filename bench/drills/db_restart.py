"""db-restart: PostgreSQL goes away mid-run (stopped like a crash) for DRILL_DB_DOWN_SECONDS and
comes back; the workers and the API must recover on their own (the API answering 503, never 500,
meanwhile) and every job end, nothing lost."""

import time

from common import (Api, Database, DrillFailure, Receiver, Simulator, add_endpoint, check_duplicate_creates, check_results,
                    check_webhooks, check_workers_alive, enqueue, env_int, fmt_seconds, free_port, job_states,
                    note, open_jobs, pending_deliveries, percentile, start_worker, stop_workers, wait_until)

WORKER_ARGS = ["--lease-seconds", "5", "--first-poll", "1", "--min-poll-interval", "0.5"]


def api_during_outage(api, problems):
    """While the database is down the API answers 503 with `Retry-After` and the error shape (a
    read, a write, readiness), never a 500, and liveness stays 200. Returns the figure."""
    answers = {
        "GET /v1/jobs": api.call("GET", "/v1/jobs?limit=1"),
        "POST /v1/jobs": api.call("POST", "/v1/jobs", body={"document": "written while the database is down"}),
        "GET /readyz": api.call("GET", "/readyz", token=None),
        "GET /healthz": api.call("GET", "/healthz", token=None),
    }
    for route, (status, headers, body) in answers.items():
        expected = 200 if route == "GET /healthz" else 503
        if status != expected:
            problems.append(f"during the outage {route} answered {status}, not {expected}: {str(body)[:200]}")
        elif route.startswith(("GET /v1", "POST /v1")):
            kind = (body or {}).get("error", {}).get("type") if isinstance(body, dict) else None
            if kind != "service_unavailable" or "Retry-After" not in headers:
                problems.append(f"during the outage {route} gave no service_unavailable error with Retry-After: {headers} {body}")
    return ", ".join(f"{route} {status}" for route, (status, _, _) in answers.items())


def api_after_outage(api, problems):
    """The API recovers on its own: reads and readiness are 200 again."""
    def ready():
        return api.call("GET", "/readyz", token=None)[0] == 200 and api.call("GET", "/v1/jobs?limit=1")[0] == 200
    try:
        wait_until(ready, 60, "the API to answer 200 again")
    except DrillFailure as failure:
        problems.append(str(failure))


def run(drill):
    jobs = env_int("DRILL_DB_RESTART_JOBS", 2000)
    down_seconds = env_int("DRILL_DB_DOWN_SECONDS", 20)
    problems = []
    database = Database(drill)
    # Real-time Responses (2–6 s) and at most 400 in flight: while the database is down there are
    # jobs queued, submitting, running and finishing, and webhooks waiting to go.
    simulator = Simulator(drill, "--speed", "1", "--seed", "20")
    enqueue(database, jobs, max_in_flight=400)
    port = free_port()
    receiver = Receiver(drill, port, add_endpoint(database, f"http://127.0.0.1:{port}/hook"))
    receiver.start()

    workers = [start_worker(drill, database, simulator, i, WORKER_ARGS) for i in range(2)]
    api = Api(drill, database)
    started = time.time()
    wait_until(lambda: open_jobs(database) <= jobs * 3 // 4, 300, "a quarter of the jobs to end")
    before = job_states(database)
    database.halt()
    halted = time.time()
    note(f"db-restart: PostgreSQL halted at {halted - started:.1f} s with {before}; down for {down_seconds} s")
    time.sleep(down_seconds / 2)
    time.sleep(1)
    api_figure = api_during_outage(api, problems)
    time.sleep(max(0, down_seconds - (time.time() - halted)))
    check_workers_alive(workers, problems)
    database.resume()
    resumed = time.time()
    note(f"db-restart: PostgreSQL back after {resumed - halted:.1f} s")

    def recovered():
        return int(database.value(
            f"SELECT count(*) FROM jobs WHERE updated_at > to_timestamp({resumed})")) > 0
    wait_until(recovered, 120, "the workers to write again after the restart")
    recovery = time.time() - resumed
    api_after_outage(api, problems)
    wait_until(lambda: open_jobs(database) == 0, 600, "every job to end after the restart")
    wait_until(lambda: pending_deliveries(database) == 0, 120, "every webhook to be delivered")
    finished = float(database.value("SELECT extract(epoch FROM max(finished_at)) FROM jobs")) - started
    check_workers_alive(workers, problems)
    stop_workers(workers, problems)

    states = job_states(database)
    total = sum(states.values())
    if total != jobs or states.get("completed", 0) != jobs:
        problems.append(f"expected {jobs} completed jobs, found {states}")
    check_results(database, problems)
    delays, duplicate_webhooks = check_webhooks(database, receiver, problems)
    counters = simulator.counters()
    duplicated, _ = check_duplicate_creates(simulator, counters, problems)
    errors = sum(drill.log(f"worker{i}.log").count("warning") for i in range(2))

    figures = (f"{jobs} jobs, 2 workers, PostgreSQL down {resumed - halted:.1f} s at {halted - started:.1f} s; "
               f"first write {fmt_seconds(recovery)} after it came back; all ended at {finished:.1f} s; "
               f"{counters.get('responsesCreated', 0)} creates, duplicate attempt creates {duplicated}; "
               f"webhooks {len(delays)} verified ({duplicate_webhooks} duplicate arrivals), delay p50 "
               f"{fmt_seconds(percentile(delays, 0.5))} p99 {fmt_seconds(percentile(delays, 0.99))}; "
               f"{errors} warnings logged by the workers; "
               f"API during the outage: {api_figure}, 200 again after")
    return problems, figures
