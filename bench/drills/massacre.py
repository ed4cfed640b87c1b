"""massacre: three `longhaul work` processes burn down a queue while, every few seconds, one of
them is killed with SIGKILL and started again. Nothing may be lost or done twice."""

import os
import random
import signal
import time

from common import (Database, DrillFailure, Receiver, Simulator, add_endpoint, check_duplicate_creates,
                    check_results, check_webhooks, enqueue, env_int, fmt_seconds, free_port, job_states, note,
                    open_jobs, pending_deliveries, percentile, start_worker, stop_workers, wait_until)

WORKER_ARGS = ["--lease-seconds", "3", "--first-poll", "0.5", "--min-poll-interval", "0.5"]


def run(drill):
    jobs = env_int("DRILL_MASSACRE_JOBS", 5000)
    workers_count = 3
    problems = []
    database = Database(drill)
    # Real-time Responses (2–6 s) and a tenth of the jobs in flight at most: the burn-down lasts
    # tens of seconds, and kills land on creates, polls and sends in flight.
    simulator = Simulator(drill, "--speed", "1", "--seed", "8")
    enqueue(database, jobs, max_in_flight=max(50, jobs // 10))
    port = free_port()
    receiver = Receiver(drill, port, add_endpoint(database, f"http://127.0.0.1:{port}/hook"))
    receiver.start()

    workers = [start_worker(drill, database, simulator, i, WORKER_ARGS) for i in range(workers_count)]
    started = time.time()
    kills = 0
    next_kill = started + random.uniform(1, 2)
    generation = workers_count

    def kill_one():
        nonlocal kills, next_kill, generation
        for index, worker in enumerate(workers):
            if worker.poll() is not None:  # not one we killed: those are replaced at once
                problems.append(f"a worker exited on its own with status {worker.returncode}")
                workers[index] = start_worker(drill, database, simulator, generation, WORKER_ARGS)
                generation += 1
        if time.time() < next_kill:
            return
        victim = random.randrange(workers_count)
        workers[victim].send_signal(signal.SIGKILL)
        workers[victim].wait()
        kills += 1
        workers[victim] = start_worker(drill, database, simulator, generation, WORKER_ARGS)
        generation += 1
        next_kill = time.time() + random.uniform(2, 4)

    wait_until(lambda: open_jobs(database) == 0, 600, "every job to end", tick=kill_one)
    burn_down = float(database.value("SELECT extract(epoch FROM max(finished_at)) FROM jobs")) - started
    note(f"massacre: {jobs} jobs terminal after {kills} kills; waiting for the last webhooks")
    # A delivery whose worker died mid-send waits out its 60 s lease before it is sent again.
    wait_until(lambda: pending_deliveries(database) == 0, 120, "every webhook to be delivered")
    stop_workers(workers, problems)

    states = job_states(database)
    if states.get("completed", 0) != jobs:
        problems.append(f"expected {jobs} completed jobs, found {states}")
    check_results(database, problems)
    delays, duplicate_webhooks = check_webhooks(database, receiver, problems)
    counters = simulator.counters()
    duplicated, explained = check_duplicate_creates(simulator, counters, problems)
    created = counters.get("responsesCreated", 0)
    recorded = int(database.value("SELECT count(DISTINCT response_id) FROM attempts WHERE response_id IS NOT NULL"))
    rescued = int(database.value("SELECT count(*) FROM jobs WHERE attempt > 1"))

    figures = (f"{jobs} jobs, 3 workers, {kills} kills, {burn_down:.1f} s → {jobs / burn_down:.0f} jobs/s; "
               f"creates {created} for {jobs} jobs ({created - recorded} Responses orphaned by a kill mid-create, "
               f"{rescued} jobs resubmitted after a rescue); duplicate attempt creates {duplicated} "
               f"({explained} explained by a lost answer); webhooks {len(delays)} verified, {duplicate_webhooks} duplicate "
               f"arrivals, delay p50 {fmt_seconds(percentile(delays, 0.5))} p99 {fmt_seconds(percentile(delays, 0.99))} "
               f"max {fmt_seconds(max(delays) if delays else 0)}")
    return problems, figures
