"""A webhook receiver for Longhaul's delivery tests, verifying with the official libraries.

Every request is checked with `standardwebhooks` and `svix` against each configured secret, and
recorded; GET /_log returns the records as JSON. The path chooses how it answers:

  /ok                 200
  /fail/N             500 for the first N requests of each webhook-id, then 200
  /throttle/N         429 with Retry-After: 1 for the first N of each webhook-id, then 200
  /gone               410
  /redirect?to=URL    302 to URL (Longhaul must not follow it)
  /slow/S             sleeps S seconds before answering 200 the first time per webhook-id

Usage: webhook_receiver.py [--port N] [--secret whsec_...]...   (prints "PORT n" once listening)
POST /_secrets {"secrets": [...]} replaces the secrets (for rotation tests).
"""

import argparse
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

from standardwebhooks.webhooks import Webhook as StandardWebhook
from svix.webhooks import Webhook as SvixWebhook

lock = threading.Lock()
records = []
seen = {}
secrets = []


def verify(body, headers):
    """For each secret: did each library accept the request?"""
    results = {"standardwebhooks": [], "svix": []}
    for secret in secrets:
        for name, library in (("standardwebhooks", StandardWebhook), ("svix", SvixWebhook)):
            try:
                library(secret).verify(body, headers)
                results[name].append(True)
            except Exception:
                results[name].append(False)
    return results


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, status, body=b"", headers=None):
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        if self.path == "/_log":
            with lock:
                payload = json.dumps(records).encode()
            self.reply(200, payload, {"Content-Type": "application/json"})
        else:
            self.reply(200, b"ok")

    def do_POST(self):
        global secrets
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        url = urlparse(self.path)
        if url.path == "/_secrets":
            with lock:
                secrets = json.loads(body)["secrets"]
            self.reply(204)
            return
        headers = {name: value for name, value in self.headers.items()}
        webhook_id = self.headers.get("webhook-id", "")
        with lock:
            seen[(url.path, webhook_id)] = seen.get((url.path, webhook_id), 0) + 1
            count = seen[(url.path, webhook_id)]
            verified = verify(body, headers)
        try:
            parsed = json.loads(body)
        except ValueError:
            parsed = None
        record = {
            "path": url.path,
            "id": webhook_id,
            "timestamp": self.headers.get("webhook-timestamp", ""),
            "signature": self.headers.get("webhook-signature", ""),
            "content_type": self.headers.get("content-type", ""),
            "body": body.decode("utf-8", "replace"),
            "type": parsed.get("type") if isinstance(parsed, dict) else None,
            "verified": verified,
            "received_at": time.time(),
            "count": count,
        }
        with lock:
            records.append(record)
        parts = [part for part in url.path.split("/") if part]
        kind = parts[0] if parts else "ok"
        argument = float(parts[1]) if len(parts) > 1 else 0
        if kind == "fail" and count <= argument:
            self.reply(500, b"failing on purpose")
        elif kind == "throttle" and count <= argument:
            self.reply(429, b"slow down", {"Retry-After": "1"})
        elif kind == "gone":
            self.reply(410, b"gone")
        elif kind == "redirect":
            target = parse_qs(url.query).get("to", ["http://169.254.169.254/"])[0]
            self.reply(302, b"", {"Location": target})
        elif kind == "slow" and count == 1:
            time.sleep(argument)
            self.reply(200, b"late")
        else:
            self.reply(200, b"received")


def main():
    global secrets
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--secret", action="append", default=[])
    arguments = parser.parse_args()
    secrets = arguments.secret
    ThreadingHTTPServer.allow_reuse_address = True
    ThreadingHTTPServer.daemon_threads = True
    server = ThreadingHTTPServer(("127.0.0.1", arguments.port), Handler)
    print("PORT %d" % server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
