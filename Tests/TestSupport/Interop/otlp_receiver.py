"""An OTLP/HTTP trace receiver and webhook sink for Longhaul's tracing test.

POST /v1/traces       an ExportTraceServiceRequest in protobuf, decoded with the official
                      opentelemetry-proto types (so a malformed export fails here, not in our
                      own reading of it); answers 200 with an empty ExportTraceServiceResponse.
POST /hook            a webhook: records its `traceparent` header, answers 200.
GET  /_spans          every span received, as JSON: trace_id, span_id, parent_span_id (hex),
                      name, kind, service (the resource's service.name), attributes.
GET  /_hooks          every webhook received: path and traceparent.

Usage: otlp_receiver.py [--port N]   (prints "PORT n" once listening)
"""

import argparse
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
    ExportTraceServiceResponse,
)

lock = threading.Lock()
spans = []
hooks = []


def value(any_value):
    kind = any_value.WhichOneof("value")
    if kind == "array_value":
        return [value(item) for item in any_value.array_value.values]
    return getattr(any_value, kind) if kind else None


def decode(body):
    request = ExportTraceServiceRequest()
    request.ParseFromString(body)
    out = []
    for resource_spans in request.resource_spans:
        resource = {kv.key: value(kv.value) for kv in resource_spans.resource.attributes}
        for scope_spans in resource_spans.scope_spans:
            for span in scope_spans.spans:
                out.append({
                    "trace_id": span.trace_id.hex(),
                    "span_id": span.span_id.hex(),
                    "parent_span_id": span.parent_span_id.hex(),
                    "name": span.name,
                    "kind": span.kind,
                    "service": resource.get("service.name"),
                    "scope": scope_spans.scope.name,
                    "start": span.start_time_unix_nano,
                    "end": span.end_time_unix_nano,
                    "status": span.status.code,
                    "attributes": {kv.key: value(kv.value) for kv in span.attributes},
                })
    return out


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, status, body=b"", content_type="application/json"):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        with lock:
            data = spans if self.path == "/_spans" else hooks if self.path == "/_hooks" else None
            body = json.dumps(data).encode() if data is not None else b""
        self.reply(200 if data is not None else 404, body)

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        if self.path == "/v1/traces":
            if self.headers.get("Content-Type") != "application/x-protobuf":
                self.reply(415, b"send application/x-protobuf")
                return
            try:
                decoded = decode(body)
            except Exception as error:  # a malformed export: say so to the sender
                self.reply(400, str(error).encode(), "text/plain")
                return
            with lock:
                spans.extend(decoded)
            self.reply(200, ExportTraceServiceResponse().SerializeToString(), "application/x-protobuf")
        else:
            with lock:
                hooks.append({"path": self.path, "traceparent": self.headers.get("traceparent")})
            self.reply(200, b"{}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    arguments = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", arguments.port), Handler)
    print(f"PORT {server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
