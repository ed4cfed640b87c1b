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

moto serves neither IAM Identity Center API (only sso-admin), so the same server also plays the
SSO portal (GET /federation/credentials, the token in x-amz-sso_bearer_token) and SSO OIDC
(POST /token, refresh grant) in the shapes of botocore's service models: access tokens starting
"valid-" or "access-from-" are accepted, others answer 401 UnauthorizedException; refresh tokens
starting "refresh-" are exchanged for "access-from-<refresh token>", others answer 400
InvalidGrantException. Each SSO call is recorded (path, query, token, body); GET /control/sso
answers the record and clears it, so a test can check that Longhaul sent what botocore sent.
"""
import datetime
import json
import sys
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from moto.server import ThreadedMotoServer

ROLE = "longhaul-instance-role"
state = {"fail": 0, "lifetime": 3600, "generation": 1, "container_token": "container-secret-token",
         "counts": {"token": 0, "roles": 0, "credentials": 0, "container": 0, "refused": 0}, "tokens": set(), "sso": []}
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

    def record(self, body=None):
        url = urllib.parse.urlsplit(self.path)
        with lock:
            state["sso"].append({"path": url.path, "query": dict(urllib.parse.parse_qsl(url.query)),
                                 "token": self.headers.get("x-amz-sso_bearer_token"), "body": body})

    def refuse(self, status, error_type, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("x-amzn-ErrorType", error_type + ":http://internal.amazon.com/coral/com.amazonaws.switchboard.portal/")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def role_credentials(self):
        self.record()
        query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(self.path).query))
        token = self.headers.get("x-amz-sso_bearer_token") or ""
        if not (token.startswith("valid-") or token.startswith("access-from-")):
            return self.refuse(401, "UnauthorizedException", {"message": "Session token not found or invalid"})
        if "account_id" not in query or "role_name" not in query:
            return self.refuse(400, "InvalidRequestException", {"message": "missing account_id or role_name"})
        with lock:
            expires = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=state["lifetime"])
        key = "ASIASSO%s%s" % (query["account_id"][-4:], query["role_name"].upper()[:8])
        self.answer(200, json.dumps({"roleCredentials": {
            "accessKeyId": key, "secretAccessKey": "secret-of-" + key.lower(), "sessionToken": "session-of-" + key.lower(),
            "expiration": int(expires.timestamp() * 1000)}}), "application/json")

    def create_token(self):
        length = int(self.headers.get("Content-Length", "0"))
        body = json.loads(self.rfile.read(length) or b"{}")
        self.record(body)
        refresh = body.get("refreshToken") or ""
        if body.get("grantType") != "refresh_token" or not refresh.startswith("refresh-") or not body.get("clientId"):
            return self.refuse(400, "InvalidGrantException", {"error": "invalid_grant", "error_description": "Invalid refresh token provided"})
        self.answer(200, json.dumps({"accessToken": "access-from-" + refresh, "tokenType": "Bearer", "expiresIn": 28800,
                                     "refreshToken": refresh + "-next"}), "application/json")

    def do_GET(self):
        if self.path == "/control":
            with lock:
                return self.answer(200, json.dumps(state["counts"]), "application/json")
        if self.path == "/control/sso":
            with lock:
                calls, state["sso"] = state["sso"], []
            return self.answer(200, json.dumps(calls), "application/json")
        if self.path.startswith("/federation/credentials"):
            return self.role_credentials()
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
        if self.path == "/token":
            return self.create_token()
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
