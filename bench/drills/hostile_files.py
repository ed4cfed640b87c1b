"""hostile-files: `longhaul batch` over a folder of files built to hurt a reader — binary, invalid
UTF-8, empty, 100 MiB, 40 MB of text, HTML and JSON nested 100,000 deep, symlink loops, a FIFO, a name that is
not UTF-8 — beside some good ones. No crash, no hang; every refusal says why in the batch's
report (manifest.jsonl and the JSON events); the good files are summarised."""

import json
import os
import re
import subprocess
import time

from common import BIN, Database, DrillFailure, note

GOOD = {
    "good/notes.txt": "The harbour master logged every ship that entered. In winter the storms closed the port "
                      "for weeks. The lighthouse keeper kept the lamp burning through the night.\n",
    "good/readme.md": "# Field report\n\nThe survey covered twelve villages. Wells were tested in each one. "
                      "Three wells need repairs before the summer.\n",
    "good/page.html": "<html><body><h1>Minutes</h1><p>The council approved the new library budget. "
                      "Construction starts in spring.</p></body></html>",
    "good/data.json": json.dumps({"title": "Inventory", "items": ["rope", "lamp oil", "charts"],
                                  "note": "Stock is low on lamp oil before the winter."}),
    "good/table.csv": "ship,arrived,cargo\nAurora,1901-03-02,timber\nMeridian,1901-03-09,coal\n",
}

# Each hostile path and the refusal it must be reported with (None: summarising it is fine too,
# as long as the run survives and says what became of it).
HOSTILE = {
    "bad/binary.txt": r"binary file",
    "bad/latin1.txt": r"not valid UTF-8",
    "bad/empty.txt": r"empty file",
    "bad/huge-sparse.txt": r"too large",
    "bad/too-much-text.txt": r"too much text",
    # Longer than any model's window, but within the text limit: split and summarised (map-reduce).
    "bad/long-text.txt": None,
    "bad/loop-a.txt": r"symlink loop",
    "bad/loop-b.txt": r"symlink loop",
    "bad/dirloop/up": r"symlink loop",
    "bad/broken.txt": r"broken symlink",
    "bad/outside.txt": r"outside the folder",
    "bad/fifo.txt": r"not a regular file",
    "bad/fake.pdf": r"pdftotext|not installed",
    "bad/fake.docx": r"not a valid",
    "bad/picture.png": r"unsupported file type",
    "bad/nested.html": None,
    "bad/nested.json": None,
}
DEPTH = 100_000


def build_folder(root):
    for path, text in GOOD.items():
        write(root, path, text.encode())
    write(root, "bad/binary.txt", bytes(range(256)) * 64)
    write(root, "bad/latin1.txt", "Le café était fermé. ".encode("latin-1") * 40)
    write(root, "bad/empty.txt", b"")
    with open(os.path.join(root, "bad/huge-sparse.txt"), "wb") as huge:
        huge.truncate(100 * 1024 * 1024)
    line = b"The quarterly report lists every shipment and its weight in tonnes.\n"
    # 40 MB of text: under the file limit for a text file (twice the text limit), over the
    # 32 MiB of text a document may hold.
    write(root, "bad/too-much-text.txt", line * (40_000_000 // len(line)))
    write(root, "bad/long-text.txt", line * (12_000_000 // len(line)))
    os.symlink("loop-b.txt", os.path.join(root, "bad/loop-a.txt"))
    os.symlink("loop-a.txt", os.path.join(root, "bad/loop-b.txt"))
    os.makedirs(os.path.join(root, "bad/dirloop"))
    os.symlink("..", os.path.join(root, "bad/dirloop/up"))
    os.symlink("does-not-exist.txt", os.path.join(root, "bad/broken.txt"))
    os.symlink("/etc/hostname", os.path.join(root, "bad/outside.txt"))
    os.mkfifo(os.path.join(root, "bad/fifo.txt"))  # a reader that opens it blindly blocks forever
    write(root, "bad/fake.pdf", b"%PDF-1.4\nthis is not really a PDF\n")
    write(root, "bad/fake.docx", b"PK\x03\x04 not really a zip archive")
    write(root, "bad/picture.png", b"\x89PNG\r\n\x1a\n" + bytes(100))
    write(root, "bad/nested.html", b"<div>" * DEPTH + b"Deep inside the nest lies one sentence." + b"</div>" * DEPTH)
    write(root, "bad/nested.json", b"[" * DEPTH + b"]" * DEPTH)
    write(root, b"bad/name-\xff.txt", b"A file whose name is not UTF-8.\n")


def write(root, path, data):
    full = os.path.join(os.fsencode(root), path if isinstance(path, bytes) else path.encode())
    os.makedirs(os.path.dirname(full), exist_ok=True)
    with open(full, "wb") as handle:
        handle.write(data)


def run(drill):
    problems = []
    database = Database(drill)
    folder = os.path.join(drill.work, "hostile")
    build_folder(folder)
    started = time.time()
    try:
        done = subprocess.run(
            [BIN, "batch", folder, "--json"], capture_output=True, timeout=300, cwd=drill.work,
            env={**os.environ, "DATABASE_URL": database.url, "LONGHAUL_SIMULATOR_SPEED": "50"})
    except subprocess.TimeoutExpired:
        raise DrillFailure("`longhaul batch` did not finish within 300 s (a hostile file hangs it)")
    took = time.time() - started
    stderr = done.stderr.decode(errors="replace")
    if done.returncode < 0 or done.returncode > 1:
        problems.append(f"`longhaul batch` exited with status {done.returncode}: {stderr[-800:]}")
    events = []
    for line in done.stdout.decode(errors="replace").splitlines():
        try:
            events.append(json.loads(line))
        except json.JSONDecodeError:
            problems.append(f"--json wrote a line that is not JSON: {line[:200]}")
    finished = [e for e in events if e.get("event") == "finished"]
    if not finished:
        problems.append(f"no 'finished' event (exit {done.returncode}): {stderr[-800:]}")

    manifest_path = os.path.join(folder + ".summaries", "manifest.jsonl")
    if not os.path.exists(manifest_path):
        problems.append("no manifest.jsonl was written")
        return problems, f"exit {done.returncode} after {took:.1f} s"
    with open(manifest_path) as manifest:
        rows = {row["path"]: row for row in map(json.loads, manifest)}

    for path in GOOD:
        row = rows.get(path)
        if not row or row.get("state") != "completed":
            problems.append(f"good file {path} was not summarised: {row}")
            continue
        summary = os.path.join(folder + ".summaries", row.get("summary", ""))
        if not os.path.isfile(summary) or "_(no text)_" in open(summary).read():
            problems.append(f"good file {path} has no summary text at {summary}")
    outcomes = []
    for path, pattern in HOSTILE.items():
        row = rows.get(path)
        if row is None:
            problems.append(f"{path} is missing from the manifest (every file must be reported)")
            continue
        reason = (row.get("error") or {}).get("message", "")
        if row["state"] == "skipped":
            outcomes.append(f"{path.split('/', 1)[1]}: {reason}")
            if not reason:
                problems.append(f"{path} was skipped without a reason")
            elif pattern and not re.search(pattern, reason):
                problems.append(f"{path} was refused as '{reason}', expected /{pattern}/")
        elif pattern:
            problems.append(f"{path} should have been refused (/{pattern}/) but is {row['state']}")
        else:
            outcomes.append(f"{path.split('/', 1)[1]}: {row['state']}")
    # Its name cannot be shown as it is; the manifest names it with the bytes escaped: bad/name-\xFF.txt.
    odd_name = [row for path, row in rows.items() if path.startswith("bad/") and path not in HOSTILE]
    if not odd_name or odd_name[0]["state"] != "skipped" or "UTF-8" not in odd_name[0]["error"]["message"]:
        problems.append(f"the file whose name is not UTF-8 was not refused as such: {odd_name}")
    else:
        outcomes.append(f"name-\\xff.txt (listed as {odd_name[0]['path']}): {odd_name[0]['error']['message']}")
    note("hostile-files: " + "; ".join(outcomes))

    counts = finished[0].get("counts") if finished else {}
    figures = (f"{len(rows)} files in {took:.1f} s, exit {done.returncode}, {counts}; refusals: "
               + "; ".join(outcomes))
    return problems, figures
