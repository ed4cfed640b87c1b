"""A no-op drain through PgQueuer's public API, for bench/peers.sh (issue 17).

    pgqueuer_drain.py enqueue DSN JOBS   install PgQueuer's schema (its default: durable, every
                                         table logged) and enqueue JOBS no-op jobs
    pgqueuer_drain.py drain DSN JOBS     run consumers with a no-op entrypoint in drain mode until
                                         the queue is empty; print the timings

Two commands, so that the shell can VACUUM ANALYZE and CHECKPOINT between them and read the
server's CPU around the drain alone, exactly as it does for `longhaul work` in bench/pipeline.sh.

Settings, and why:
- 5 consumers, each a QueueManager on its own asyncpg connection, dequeue batch 10: the defaults
  of PgQueuer's own benchmark tool (tools/benchmark.py, `--dequeue 5 --dequeue-batch-size 10`,
  driver `apg`), so our figure can be set beside theirs. Every other `QueueManager.run` argument
  is left at its default (30 s dequeue timeout and heartbeat, completions buffered per batch).
- Standard asyncio event loop: their tool runs under uvloop, which is not a dependency of
  `pgqueuer[asyncpg]`; we install only what the package asks for.
- The drain is timed by the server's clock from PgQueuer's own log table: the first `picked` row
  (first dequeue) to the last `successful` row (last completion), the same window as
  bench/pipeline.sh's "first claim to last finish"; and from starting the consumers to the last
  completion, as its "worker start to last job finished".
"""

from __future__ import annotations

import argparse
import asyncio
import time

import asyncpg
from pgqueuer import Queries, QueueManager
from pgqueuer.db import AsyncpgDriver
from pgqueuer.models import Job
from pgqueuer.types import QueueExecutionMode

ENTRYPOINT = "noop"
CONSUMERS = 5
DEQUEUE_BATCH = 10
# 1,000 rows per INSERT: 20 statements for the default 20,000 jobs, so the enqueue takes about
# a second and none of it is in the timed drain.
ENQUEUE_BATCH = 1000


async def enqueue(dsn: str, jobs: int) -> None:
    connection = await asyncpg.connect(dsn)
    try:
        queries = Queries(AsyncpgDriver(connection))
        await queries.install()
        unlogged = await connection.fetch(
            "SELECT relname FROM pg_class WHERE relname LIKE 'pgqueuer%' AND relkind = 'r'"
            " AND relpersistence <> 'p'"
        )
        if unlogged:
            raise SystemExit(f"pgqueuer: unlogged tables {[r['relname'] for r in unlogged]}; want durable")
        started = time.perf_counter()
        for offset in range(0, jobs, ENQUEUE_BATCH):
            count = min(ENQUEUE_BATCH, jobs - offset)
            await queries.enqueue([ENTRYPOINT] * count, [None] * count, [0] * count)
        elapsed = time.perf_counter() - started
        print(f"enqueue:          {jobs} jobs in batches of {ENQUEUE_BATCH}: {elapsed:.2f} s "
              f"({jobs / elapsed:.0f} jobs/s); durable (every pgqueuer table logged)")
    finally:
        await connection.close()


async def consume(dsn: str) -> None:
    connection = await asyncpg.connect(dsn)
    try:
        manager = QueueManager(Queries(AsyncpgDriver(connection)))

        @manager.entrypoint(ENTRYPOINT)
        async def noop(job: Job) -> None:
            return None

        await manager.run(batch_size=DEQUEUE_BATCH, mode=QueueExecutionMode.drain)
    finally:
        await connection.close()


async def drain(dsn: str, jobs: int) -> None:
    cpu_before = time.process_time()
    started = time.time()  # the server runs on this machine: one clock
    await asyncio.gather(*(consume(dsn) for _ in range(CONSUMERS)))
    returned = time.time() - started
    cpu = time.process_time() - cpu_before

    connection = await asyncpg.connect(dsn)
    try:
        left = await connection.fetchval("SELECT count(*) FROM pgqueuer")
        row = await connection.fetchrow(
            "SELECT count(*) FILTER (WHERE status = 'successful') AS done,"
            " extract(epoch FROM min(created) FILTER (WHERE status = 'picked')) AS first_pick,"
            " extract(epoch FROM max(created) FILTER (WHERE status = 'successful')) AS last_done"
            " FROM pgqueuer_log"
        )
    finally:
        await connection.close()
    done = row["done"]
    window = float(row["last_done"] - row["first_pick"])
    wall = float(row["last_done"]) - started
    print(f"consumers:        {CONSUMERS} QueueManagers, one asyncpg connection each, dequeue batch "
          f"{DEQUEUE_BATCH}, mode drain")
    print(f"jobs:             {done} successful, {left} left in the queue")
    print(f"drain:            {wall:.3f} s from consumers' start to last completion → "
          f"{done / wall:.0f} jobs/s (the last consumer returned at {returned:.3f} s)")
    print(f"                  {window:.3f} s from first dequeue to last completion → "
          f"{done / window:.0f} jobs/s")
    print(f"client CPU:       {cpu:.1f} s ({cpu / done * 1e6:.0f} µs per job)")
    # For bench/peers.sh: one line, fixed keys.
    print(f"peer: done={done} wall={wall:.3f} window={window:.3f} cpu={cpu:.3f}")
    if done != jobs or left != 0:
        raise SystemExit(f"pgqueuer: {done} of {jobs} jobs completed, {left} left")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["enqueue", "drain"])
    parser.add_argument("dsn")
    parser.add_argument("jobs", type=int)
    args = parser.parse_args()
    asyncio.run((enqueue if args.command == "enqueue" else drain)(args.dsn, args.jobs))


if __name__ == "__main__":
    main()
