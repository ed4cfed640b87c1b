"""bad-input-api: schemathesis against a live `longhaul serve`, from the document it serves:
thousands of generated requests, valid and hostile (wrong types, oversized and missing fields,
NUL bytes, unknown fields, absurd numbers, other methods). No 5xx, every answer documented and
matching its schema, every schema violation refused."""

import os
import re
import subprocess
import sys

from common import ADMIN_TOKEN, Api, Database, DrillFailure, env_int, longhaul


def run(drill):
    database = Database(drill)
    longhaul(["migrate"], database)
    api = Api(drill, database)
    schemathesis = os.path.join(os.path.dirname(sys.executable), "schemathesis")
    if not os.path.exists(schemathesis):
        raise DrillFailure("schemathesis is not installed beside this Python; run scripts/setup --test")
    examples = env_int("DRILL_SCHEMATHESIS_EXAMPLES", 100)
    done = subprocess.run(
        [schemathesis, "run", f"{api.url}/openapi.json", "--header", f"Authorization: Bearer {ADMIN_TOKEN}",
         "--checks", "all", "--exclude-checks", "positive_data_acceptance", "--max-examples", str(examples),
         "--workers", "2", "--no-color"],
        capture_output=True, text=True, timeout=1800)
    output = done.stdout + done.stderr
    problems = []
    if done.returncode != 0:
        problems.append("schemathesis found failures:\n" + output[-4000:])
    errors = [line for line in drill.log("api.log").splitlines() if " error " in line]
    if errors:
        problems.append(f"the API logged {len(errors)} errors, e.g. {errors[0][:200]}")
    generated = re.search(r"(\d+) generated", output)
    phases = ", ".join(name for _, name in re.findall(r"([✅❌🚫⏭])\s+(\w+) \(in", output))
    return problems, (f"{generated.group(1) if generated else '?'} requests generated from the served document "
                      f"({examples} examples per operation; phases {phases}); no 5xx, no undocumented answer, "
                      f"no schema violation accepted; 0 errors logged by the API")
