"""receiver-outage: the webhook receiver is down while jobs end, and comes up later. Under a
compressed retry schedule every delivery must arrive, each after the attempts the schedule
predicts: failures spaced by the schedule's delays while the receiver was down, then one success."""

import time

from common import (Database, Receiver, Simulator, add_endpoint, check_results, check_webhooks, enqueue,
                    env_int, fmt_seconds, free_port, job_states, note, open_jobs, pending_deliveries, start_worker,
                    stop_workers, wait_until)

DELAYS = [0, 1, 2, 4, 8, 16, 32]  # seconds: LONGHAUL_WEBHOOK_SCHEDULE below
JITTER = 0.1
SCHEDULE = ",".join(f"{d}s" for d in DELAYS) + f";jitter={JITTER}"
DOWN_SECONDS = 14
# The Deliverer looks for due retries every second when nothing wakes it, and a refused connect
# plus the batched attempt log take a moment: an attempt may start this much after it is due.
LATE = 1.5


def predicted_attempts(first_start, up_at, slack):
    """How many attempts the schedule makes for a delivery first tried at `first_start` when the
    receiver answers from `up_at`: every attempt before `up_at` fails, the first after succeeds.
    `slack` (-1 soonest, +1 latest) picks the edge of the jitter and lateness window."""
    at, count = first_start, 1
    for delay in DELAYS[1:]:
        if at >= up_at:
            break
        at += delay * (1 - JITTER) if slack < 0 else delay * (1 + JITTER) + LATE
        count += 1
    return count if at >= up_at else None


def run(drill):
    jobs = env_int("DRILL_OUTAGE_JOBS", 200)
    problems = []
    database = Database(drill)
    # Responses of 0.5–8 s, so jobs end (and first attempts fail) all through the outage.
    simulator = Simulator(drill, "--speed", "1", "--min-duration", "0.5", "--max-duration", "8", "--seed", "5")
    enqueue(database, jobs)
    port = free_port()
    receiver = Receiver(drill, port, add_endpoint(database, f"http://127.0.0.1:{port}/hook"))
    workers = [start_worker(drill, database, simulator, 0, ["--first-poll", "0.5", "--min-poll-interval", "0.5"],
                            env={"LONGHAUL_WEBHOOK_SCHEDULE": SCHEDULE})]
    started = time.time()
    time.sleep(DOWN_SECONDS)
    receiver.start()
    up_at = time.time()
    note(f"receiver-outage: receiver up after {up_at - started:.1f} s; {job_states(database)}")
    wait_until(lambda: open_jobs(database) == 0, 300, "every job to end")
    wait_until(lambda: pending_deliveries(database) == 0, sum(DELAYS) * 2, "every delivery to finish")
    stop_workers(workers, problems)

    states = job_states(database)
    if states.get("completed", 0) != jobs:
        problems.append(f"expected {jobs} completed jobs, found {states}")
    check_results(database, problems)
    _, duplicates = check_webhooks(database, receiver, problems)
    if duplicates:
        problems.append(f"{duplicates} deliveries arrived twice (the receiver answered 200 the first time)")
    failed = int(database.value("SELECT count(*) FROM deliveries WHERE state <> 'succeeded'"))
    if failed:
        problems.append(f"{failed} deliveries did not succeed")

    attempts = {}
    for delivery, attempt, start, status, error in database.rows("""
            SELECT d.public_id, a.attempt, extract(epoch FROM a.started_at), coalesce(a.http_status, 0), coalesce(a.error, '')
            FROM delivery_attempts a JOIN deliveries d ON d.id = a.delivery_id ORDER BY d.id, a.attempt"""):
        attempts.setdefault(delivery, []).append((int(attempt), float(start), int(status), error))
    histogram, mismatched, bad_gaps, worst_late = {}, [], [], 0.0
    for delivery, log in attempts.items():
        count = len(log)
        histogram[count] = histogram.get(count, 0) + 1
        if [a[0] for a in log] != list(range(1, count + 1)):
            mismatched.append(f"{delivery}: attempt numbers {[a[0] for a in log]}")
            continue
        if log[-1][2] != 200 or any(a[2] == 200 for a in log[:-1]):
            mismatched.append(f"{delivery}: statuses {[a[2] for a in log]} (want failures, then one 200)")
        if any(a[1] >= up_at + 0.2 for a in log[:-1]) or (count > 1 and log[-1][1] < up_at - 0.2):
            mismatched.append(f"{delivery}: failed after the receiver was up, or succeeded before")
        for (_, previous, _, _), (number, start, _, _) in zip(log, log[1:]):
            delay = DELAYS[number - 1]
            gap = start - previous
            worst_late = max(worst_late, gap - delay)
            if not delay * (1 - JITTER) - 0.05 <= gap <= delay * (1 + JITTER) + LATE:
                bad_gaps.append(f"{delivery}: attempt {number} {gap:.2f} s after the previous, schedule says {delay} s ±{JITTER:.0%}")
        low, high = predicted_attempts(log[0][1], up_at, +1), predicted_attempts(log[0][1], up_at, -1)
        if low is None or high is None or not low <= count <= high:
            mismatched.append(f"{delivery}: {count} attempts, the schedule predicts {low}–{high}")
    if mismatched:
        problems.append(f"{len(mismatched)} deliveries disagree with the schedule, e.g. {mismatched[0]}")
    if bad_gaps:
        problems.append(f"{len(bad_gaps)} retry gaps off the schedule, e.g. {bad_gaps[0]}")
    if len(attempts) != jobs:
        problems.append(f"{len(attempts)} deliveries have attempts logged, expected {jobs}")

    spread = ", ".join(f"{n} attempts × {histogram[n]}" for n in sorted(histogram))
    last = float(database.value("SELECT extract(epoch FROM max(finished_at)) FROM deliveries")) - up_at
    figures = (f"{jobs} jobs, receiver down {up_at - started:.1f} s, schedule {SCHEDULE}: {spread}; "
               f"{sum(histogram.values())} delivered, last {fmt_seconds(last)} after the receiver came up; "
               f"latest retry {fmt_seconds(worst_late)} behind its schedule")
    return problems, figures
