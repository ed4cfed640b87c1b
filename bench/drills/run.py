"""Runs the fault drills named on the command line (all when none is), one PASS or FAIL line each.

    bench/drills.sh [massacre] [db-restart] [storm] [receiver-outage] [outage] [hostile-files] [bad-input-api]
                    [tenant-isolation]
"""

import sys
import time
import traceback

import api_barrage
import db_restart
import hostile_files
import isolation
import massacre
import outage
import receiver_outage
import storm
from common import BIN, PG_BINDIR, Drill, DrillFailure

DRILLS = {
    "massacre": massacre.run,
    "db-restart": db_restart.run,
    "storm": storm.run,
    "receiver-outage": receiver_outage.run,
    "outage": outage.run,
    "hostile-files": hostile_files.run,
    "bad-input-api": api_barrage.run,
    "tenant-isolation": isolation.run,
}


def main(names):
    if not BIN or not PG_BINDIR:
        print("run the drills through bench/drills.sh (it builds longhaul and finds PostgreSQL)", file=sys.stderr)
        return 2
    unknown = [name for name in names if name not in DRILLS]
    if unknown:
        print(f"unknown drill {', '.join(unknown)}; choose from {', '.join(DRILLS)}", file=sys.stderr)
        return 2
    failed = 0
    for name in names or list(DRILLS):
        print(f"== {name}", file=sys.stderr, flush=True)
        drill = Drill(name)
        started = time.time()
        try:
            problems, figures = DRILLS[name](drill)
        except DrillFailure as failure:
            problems, figures = [str(failure)], "(did not finish)"
        except Exception:
            problems, figures = [f"the drill itself broke:\n{traceback.format_exc()}"], "(did not finish)"
        finally:
            drill.close()
        took = time.time() - started
        if problems:
            failed += 1
            print(f"FAIL {name}: {'; '.join(problems)}\n     figures: {figures} [{took:.0f} s]", flush=True)
        else:
            print(f"PASS {name}: {figures} [{took:.0f} s]", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
