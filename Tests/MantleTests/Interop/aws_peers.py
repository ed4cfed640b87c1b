"""Real peers for the AWS credential tests, on loopback only.

Starts moto's server (STS, SSM, Secrets Manager: the real APIs' shapes) and a small metadata
server that plays EC2 instance metadata (IMDSv2: token PUT with a TTL header, 401 without a
token, the role's credentials JSON with Expiration) and the ECS/EKS container credentials
endpoint (checks the Authorization token). Prints one JSON line with both base URLs, then serves
until standard input closes.

The metadata server is steered over POST /control with JSON: {"fail": N} answers the next N
credential requests with 503, {"lifetime": S} sets how long new credentials live, {"generation": G}
changes the access key ids handed out, {"container_token": T} sets the expected token.
GET /control answers the request counts.
"""
import datetime
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from moto.server import ThreadedMotoServer

ROLE = "longhaul-instance-role"
state = {"fail": 0, "lifetime": 3600, "generation": 1, "container_token": "container-secret-token",
         "counts": {"token": 0, "roles": 0, "credentials": 0, "container": 0, "refused": 0}, "tokens": set()}
lock = threading.Lock()


def credentials(prefix):
    with lock:
        generation = state["generation"]
        expires = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=state["lifetime"])
    return {
        "Code": "Success",
        "Type": "AWS-HMAC",
        "AccessKeyId": "ASIA%s%04d" % (prefix, generation),
        "SecretAccessKey": "secret-of-%s-%d" % (prefix.lower(), generation),
        "Token": "session-token-of-%s-%d" % (prefix.lower(), generation),
        "Expiration": expires.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "LastUpdated": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def answer(self, status, body, content_type="text/plain"):
        data = body.encode() if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def failing(self):
        with lock:
            if state["fail"] > 0:
                state["fail"] -= 1
                return True
        return False

    def do_PUT(self):
        if self.path != "/latest/api/token":
            return self.answer(404, "not found")
        ttl = self.headers.get("X-aws-ec2-metadata-token-ttl-seconds")
        if not ttl or not ttl.isdigit() or not (1 <= int(ttl) <= 21600):
            return self.answer(400, "missing or bad X-aws-ec2-metadata-token-ttl-seconds")
        with lock:
            state["counts"]["token"] += 1
            token = "imds-token-%d" % state["counts"]["token"]
            state["tokens"].add(token)
        self.send_response(200)
        self.send_header("X-aws-ec2-metadata-token-ttl-seconds", ttl)
        self.send_header("Content-Length", str(len(token)))
        self.end_headers()
        self.wfile.write(token.encode())

    def do_GET(self):
        if self.path == "/control":
            with lock:
                return self.answer(200, json.dumps(state["counts"]), "application/json")
        if self.path.startswith("/latest/meta-data/iam/security-credentials/"):
            with lock:
                known = self.headers.get("X-aws-ec2-metadata-token") in state["tokens"]
                if not known:
                    state["counts"]["refused"] += 1
            if not known:
                return self.answer(401, "")
            role = self.path[len("/latest/meta-data/iam/security-credentials/"):]
            if role == "":
                with lock:
                    state["counts"]["roles"] += 1
                return self.answer(200, ROLE)
            if role != ROLE:
                return self.answer(404, "not found")
            with lock:
                state["counts"]["credentials"] += 1
            if self.failing():
                return self.answer(503, "service unavailable")
            return self.answer(200, json.dumps(credentials("IMDS")), "application/json")
        if self.path == "/container/credentials":
            with lock:
                state["counts"]["container"] += 1
                expected = state["container_token"]
            if self.headers.get("Authorization") != expected:
                return self.answer(401, json.dumps({"message": "bad token"}), "application/json")
            if self.failing():
                return self.answer(503, "service unavailable")
            body = credentials("CONTAINER")
            body["RoleArn"] = "arn:aws:iam::123456789012:role/longhaul-task"
            return self.answer(200, json.dumps(body), "application/json")
        self.answer(404, "not found")

    def do_POST(self):
        if self.path != "/control":
            return self.answer(404, "not found")
        length = int(self.headers.get("Content-Length", "0"))
        change = json.loads(self.rfile.read(length) or b"{}")
        with lock:
            for key in ("fail", "lifetime", "generation", "container_token"):
                if key in change:
                    state[key] = change[key]
        self.answer(200, "{}", "application/json")


def main():
    moto = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    moto.start()
    host, port = moto.get_host_and_port()
    metadata = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=metadata.serve_forever, daemon=True).start()
    print(json.dumps({"moto": "http://%s:%d" % (host, port), "metadata": "http://127.0.0.1:%d" % metadata.server_address[1]}), flush=True)
    sys.stdin.read()
    metadata.shutdown()
    moto.stop()


if __name__ == "__main__":
    main()
