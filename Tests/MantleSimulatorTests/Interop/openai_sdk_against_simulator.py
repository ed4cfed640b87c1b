#!/usr/bin/env python3
"""Drives the Mantle simulator with the official `openai` Python SDK and checks what it sees.

Usage: openai_sdk_against_simulator.py --base-url http://127.0.0.1:PORT

The simulator must run at high speed (Responses finish in well under a second), accept any
non-empty key, and start with no faults: this script turns faults on and off itself through
POST /_simulator/config. Exits 0 when every check passes; otherwise prints each mismatch and
exits 1.
"""
import argparse
import sys
import time

import openai
from openai import OpenAI

from interop_checks import DOCUMENT, check, expect_error, finish, simulator_config


def wait_terminal(client, response_id, limit=10.0):
    deadline = time.monotonic() + limit
    response = client.responses.retrieve(response_id)
    while response.status in ("queued", "in_progress") and time.monotonic() < deadline:
        time.sleep(0.05)
        response = client.responses.retrieve(response_id)
    return response




def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base-url", required=True)
    args = parser.parse_args()
    base = args.base_url.rstrip("/")

    plain = OpenAI(base_url=f"{base}/v1", api_key="interop-key", max_retries=0, timeout=30)

    # Projects through the raw client: create, then use it as the SDK's `project`.
    project = plain.post(
        "/organization/projects",
        body={"name": "interop-project", "tags": {"Owner": "Interop"}},
        cast_to=object,
    )
    check(project.get("object") == "organization.project" and project["id"].startswith("proj_"), "project created")
    listed = plain.get("/organization/projects", cast_to=object)
    check({"default", project["id"]} <= {p["id"] for p in listed["data"]}, "projects listed, default included")
    modified = plain.post(
        f"/organization/projects/{project['id']}", body={"add_tags": {"Team": "Core"}}, cast_to=object
    )
    check(modified["tags"] == {"Owner": "Interop", "Team": "Core"}, "project tags added")

    client = OpenAI(base_url=f"{base}/v1", api_key="interop-key", project=project["id"], max_retries=0, timeout=30)

    models = [m.id for m in client.models.list()]
    check("openai.gpt-oss-120b" in models and "openai.gpt-oss-safeguard-20b" in models, "models.list")

    created = client.responses.create(
        model="openai.gpt-oss-120b",
        instructions="Summarise the document in 2 sentences.",
        input=[{"role": "user", "content": [{"type": "input_text", "text": DOCUMENT}]}],
        background=True,
        store=True,
        max_output_tokens=2000,
        metadata={"job_id": "interop-1", "attempt": "1"},
        reasoning={"effort": "low"},
    )
    check(created.id.startswith("resp_"), "create returns a resp_ id")
    check(created.status == "in_progress", f"background create answers in_progress (got {created.status})")
    check(created.output_text == "", "no output while in progress")

    done = wait_terminal(client, created.id)
    check(done.status == "completed", f"response completes (got {done.status})")
    text = done.output_text
    check(text.count(".") == 2 and "lighthouse" in text, f"output_text is a 2-sentence summary: {text!r}")
    usage = done.usage
    check(usage is not None and usage.input_tokens > 20, "usage.input_tokens grows with the text")
    check(usage is not None and usage.output_tokens_details.reasoning_tokens > 0, "reasoning_tokens reported")
    check(usage is not None and usage.input_tokens_details.cached_tokens == 0, "cached_tokens is 0")
    check(
        usage is not None and usage.total_tokens == usage.input_tokens + usage.output_tokens,
        "total = input + output",
    )
    check(done.metadata == {"job_id": "interop-1", "attempt": "1"}, "metadata echoed")

    cancelled_done = client.responses.cancel(created.id)
    check(cancelled_done.status == "completed", "cancel of a finished Response returns it unchanged")

    simulator_config(base, {"speed": 1, "minimumDurationSeconds": 30, "maximumDurationSeconds": 30})
    slow = client.responses.create(model="openai.gpt-oss-20b", input=DOCUMENT, background=True)
    cancelled = client.responses.cancel(slow.id)
    check(cancelled.status == "cancelled", f"cancel of a running Response (got {cancelled.status})")
    again = client.responses.cancel(slow.id)
    check(again.status == "cancelled", "cancel is idempotent")
    simulator_config(base, {"speed": 1000, "minimumDurationSeconds": 1, "maximumDurationSeconds": 2})

    small = client.responses.create(
        model="openai.gpt-oss-120b", input=DOCUMENT, background=True, max_output_tokens=60
    )
    small = wait_terminal(client, small.id)
    check(small.status == "incomplete", f"small max_output_tokens ends incomplete (got {small.status})")
    check(
        small.incomplete_details is not None and small.incomplete_details.reason == "max_output_tokens",
        "incomplete_details.reason",
    )

    client.responses.delete(created.id)
    expect_error(openai.NotFoundError, "retrieve after delete", lambda: client.responses.retrieve(created.id))
    error = expect_error(openai.NotFoundError, "unknown id", lambda: client.responses.retrieve("resp_unknown"))
    check(error is not None and "Response 'resp_unknown' not found." in str(error), "404 message names the id")
    check(error is not None and error.request_id is not None, "x-request-id surfaces as request_id")

    expect_error(
        openai.BadRequestError,
        "model without the Responses API",
        lambda: client.responses.create(model="openai.gpt-oss-safeguard-20b", input="hello"),
    )
    openai_prefix = OpenAI(
        base_url=f"{base}/openai/v1", api_key="interop-key", project=project["id"], max_retries=0, timeout=30
    )
    expect_error(
        openai.BadRequestError,
        "gpt-oss on /openai/v1",
        lambda: openai_prefix.responses.create(model="openai.gpt-oss-120b", input="hello"),
    )
    gpt5 = openai_prefix.responses.create(model="openai.gpt-5.4", input=DOCUMENT, background=True)
    check(wait_terminal(openai_prefix, gpt5.id).status == "completed", "gpt-5 on /openai/v1 completes")
    expect_error(
        openai.BadRequestError,
        "max_output_tokens below 16",
        lambda: client.responses.create(model="openai.gpt-oss-120b", input="hello", max_output_tokens=8),
    )

    # gpt-oss's 131,072-token window scaled to 131: a paragraph crosses it.
    simulator_config(base, {"contextWindowScale": 0.001})
    error = expect_error(
        openai.BadRequestError,
        "input over the context window",
        lambda: client.responses.create(model="openai.gpt-oss-120b", input=DOCUMENT * 4, background=True),
    )
    check(error is not None and error.code == "context_length_exceeded", "context refusal has code context_length_exceeded")
    check(error is not None and "maximum context length is 131 tokens" in str(error), "context refusal names the window")
    simulator_config(base, {"contextWindowScale": 1})

    simulator_config(base, {"createFaults": {"tooManyRequests": 1.0}})
    error = expect_error(
        openai.RateLimitError,
        "injected 429",
        lambda: client.responses.create(model="openai.gpt-oss-120b", input="hello", background=True),
    )
    check(error is not None and error.response.headers.get("retry-after") is not None, "429 carries Retry-After")
    simulator_config(base, {"createFaults": {"tooManyRequests": 0, "internalServerError": 1.0}})
    expect_error(
        openai.InternalServerError,
        "injected 500",
        lambda: client.responses.create(model="openai.gpt-oss-120b", input="hello", background=True),
    )
    simulator_config(base, {"createFaults": {"internalServerError": 0, "dropConnection": 1.0}})
    expect_error(
        openai.APIConnectionError,
        "dropped connection",
        lambda: client.responses.create(model="openai.gpt-oss-120b", input="hello", background=True),
    )
    simulator_config(base, {"createFaults": {"dropConnection": 0, "failedResponse": 1.0}})
    failed = client.responses.create(model="openai.gpt-oss-120b", input="hello", background=True)
    failed = wait_terminal(client, failed.id)
    check(
        failed.status == "failed" and failed.error is not None and failed.error.code == "server_error",
        "Response ends failed with server_error",
    )
    simulator_config(base, {"createFaults": {"failedResponse": 0}})

    simulator_config(base, {"apiKeys": ["the-only-key"]})
    expect_error(openai.AuthenticationError, "wrong key", lambda: client.models.list())
    simulator_config(base, {"apiKeys": []})

    return finish()


if __name__ == "__main__":
    sys.exit(main())
