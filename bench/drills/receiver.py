"""A webhook receiver for the drills: verifies every request with the `standardwebhooks` package
and appends one JSON line per request to a log the drill reads afterwards.

    python receiver.py --port PORT --secret whsec_... --log FILE

Each line: {"id": webhook-id, "type": event type, "job": data.id, "t": arrival (epoch seconds),
"verified": bool, "duplicate": bool, "error": why verification failed}. It is idempotent on
webhook-id (a repeat is answered 200 and not processed again) but logs the repeat, so the drill
counts duplicates. The seen ids are reloaded from the log on start, so a restart (the
receiver-outage drill) keeps them.
"""

import argparse
import json
import os
import signal
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from standardwebhooks.webhooks import Webhook, WebhookVerificationError


class Receiver(ThreadingHTTPServer):
    daemon_threads = True
    # Three workers send up to 64 webhooks each at once; the default backlog of 5 would make
    # connects wait for SYN retries and show up as webhook delay that is not Longhaul's.
    request_queue_size = 1024

    def __init__(self, address, secret, log_path):
        super().__init__(address, Handler)
        self.webhook = Webhook(secret)
        self.lock = threading.Lock()
        self.seen = set()
        if os.path.exists(log_path):
            with open(log_path) as existing:
                for line in existing:
                    record = json.loads(line)
                    if record.get("verified"):
                        self.seen.add(record["id"])
        self.log = open(log_path, "a", buffering=1)

    def record(self, entry):
        with self.lock:
            if entry["verified"]:
                entry["duplicate"] = entry["id"] in self.seen
                self.seen.add(entry["id"])
            self.log.write(json.dumps(entry) + "\n")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as a real receiver would

    def log_message(self, format, *args):
        pass

    def read_body(self):
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            body = b""
            while True:
                size = int(self.rfile.readline().strip().split(b";")[0], 16)
                if size == 0:
                    self.rfile.readline()
                    return body
                body += self.rfile.read(size)
                self.rfile.readline()
        return self.rfile.read(int(self.headers.get("Content-Length", "0")))

    def answer(self, status, text):
        data = text.encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        arrived = time.time()
        body = self.read_body()
        headers = {name.lower(): value for name, value in self.headers.items()}
        entry = {"id": headers.get("webhook-id"), "t": arrived, "verified": False, "duplicate": False}
        try:
            payload = self.server.webhook.verify(body, headers)
            entry["verified"] = True
            entry["type"] = payload.get("type")
            entry["job"] = (payload.get("data") or {}).get("id")
        except WebhookVerificationError as error:
            entry["error"] = str(error)
        except Exception as error:  # a body that is not JSON, say: logged, refused
            entry["error"] = f"{type(error).__name__}: {error}"
        self.server.record(entry)
        if entry["verified"]:
            self.answer(200, "ok")
        else:
            self.answer(400, "signature not verified")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--secret", required=True)
    parser.add_argument("--log", required=True)
    args = parser.parse_args()
    server = Receiver(("127.0.0.1", args.port), args.secret, args.log)
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
    print(f"receiver listening on http://127.0.0.1:{args.port}/", flush=True)
    server.serve_forever()
    server.log.close()


if __name__ == "__main__":
    sys.exit(main())
