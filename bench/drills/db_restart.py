"""db-restart: PostgreSQL goes away mid-run (stopped like a crash) for DRILL_DB_DOWN_SECONDS and
comes back; the workers must recover on their own and every job end, nothing lost."""

import time

from common import (Database, Receiver, Simulator, add_endpoint, check_duplicate_creates, check_results,
                    check_webhooks, check_workers_alive, enqueue, env_int, fmt_seconds, free_port, job_states,
                    note, open_jobs, pending_deliveries, percentile, start_worker, stop_workers, wait_until)

WORKER_ARGS = ["--lease-seconds", "5", "--first-poll", "1", "--min-poll-interval", "0.5"]


def api_during_outage(drill):
    """HOOK(lead): when `longhaul serve` exists, start it beside the workers in `run` and check here
    that it answers 503 (with an error body that says the database is unreachable) while the
    database is down, and 200 again after. Returns a figure for the report, or None while there
    is no API to ask."""
    return None


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
    started = time.time()
    wait_until(lambda: open_jobs(database) <= jobs * 3 // 4, 300, "a quarter of the jobs to end")
    before = job_states(database)
    database.halt()
    halted = time.time()
    note(f"db-restart: PostgreSQL halted at {halted - started:.1f} s with {before}; down for {down_seconds} s")
    time.sleep(down_seconds / 2)
    api_figure = api_during_outage(drill)
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
               + (api_figure or "API 503 check: not wired (no `longhaul serve` yet)"))
    return problems, figures
