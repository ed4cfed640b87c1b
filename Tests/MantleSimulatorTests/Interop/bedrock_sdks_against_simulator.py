#!/usr/bin/env python3
"""Drives the simulator's held-generation APIs with the official SDKs and checks what they see:
`openai` Chat Completions, `anthropic` Messages on Mantle (`Anthropic(base_url=…/anthropic)`) and
`anthropic`'s `AnthropicBedrock` (SigV4) on the bedrock-runtime routes.

Usage: bedrock_sdks_against_simulator.py --base-url http://127.0.0.1:PORT

The simulator must run fast with no faults; this script sets faults and AWS credentials itself
through POST /_simulator/config. Every body is validated with the SDK's own pydantic types
(`model_validate`, which raises on a wrong shape). Exits 0 when every check passes.
"""
import argparse
import sys

import anthropic
import httpx
import httpx2
import openai
from anthropic import Anthropic, AnthropicBedrock
from anthropic.types import Message
from openai import OpenAI
from openai.types.chat import ChatCompletion, ChatCompletionChunk

from interop_checks import DOCUMENT, check, expect_error, finish, simulator_config

SYSTEM = "Summarise the document in 2 sentences."
CHAT_MESSAGES = [{"role": "system", "content": SYSTEM}, {"role": "user", "content": DOCUMENT}]
CLAUDE_MESSAGES = [{"role": "user", "content": [{"type": "text", "text": DOCUMENT}]}]
BEDROCK_VERSION = {"anthropic_version": "bedrock-2023-05-31"}
# A stream cut mid-way: a bare transport error (httpx/httpx2) or the SDK's connection error.
CUT = (openai.APIConnectionError, anthropic.APIConnectionError, httpx.TransportError, httpx2.TransportError)


def drain(stream):
    for _ in stream:
        pass


def chat_completions(base):
    client = OpenAI(base_url=f"{base}/v1", api_key="interop-key", max_retries=0, timeout=30)
    raw = client.chat.completions.with_raw_response.create(
        model="qwen.qwen3-32b", messages=CHAT_MESSAGES, metadata={"job_id": "interop-chat"}, store=True
    )
    completion = ChatCompletion.model_validate(raw.http_response.json())
    text = completion.choices[0].message.content
    check(completion.choices[0].finish_reason == "stop", "chat: finish_reason stop")
    check(text.count(".") == 2 and "lighthouse" in text, f"chat: a 2-sentence summary: {text!r}")
    usage = completion.usage
    check(usage.prompt_tokens > 20 and usage.total_tokens == usage.prompt_tokens + usage.completion_tokens, "chat: usage")

    chunks = list(
        client.chat.completions.create(
            model="qwen.qwen3-32b", messages=CHAT_MESSAGES, stream=True, stream_options={"include_usage": True}
        )
    )
    for chunk in chunks:
        ChatCompletionChunk.model_validate(chunk.to_dict())
    streamed = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    check(streamed == text, "chat stream: the deltas join to the whole answer")
    finishes = [c.choices[0].finish_reason for c in chunks if c.choices and c.choices[0].finish_reason]
    check(finishes == ["stop"], f"chat stream: one finish_reason stop (got {finishes})")
    check(chunks[-1].usage is not None and chunks[-1].usage.completion_tokens == usage.completion_tokens, "chat stream: usage chunk")

    short = client.chat.completions.create(model="openai.gpt-oss-120b", messages=CHAT_MESSAGES, max_completion_tokens=40)
    check(short.choices[0].finish_reason == "length" and short.usage.completion_tokens == 40, "chat: max_completion_tokens → length")
    check(getattr(short.choices[0].message, "reasoning", None), "chat: gpt-oss reasoning in message.reasoning")

    expect_error(
        openai.BadRequestError,
        "chat: Responses-only model refused",
        lambda: client.chat.completions.create(model="openai.gpt-5.4", messages=CHAT_MESSAGES),
    )
    error = expect_error(
        openai.BadRequestError,
        "responses: Claude refused",
        lambda: client.responses.create(model="anthropic.claude-opus-4-7", input="hi"),
    )
    check(error is not None and "does not support the '/v1/responses' API" in str(error), "responses: refusal names the API")

    simulator_config(base, {"chatFaults": {"streamCut": 1.0}})
    expect_error(
        CUT,
        "chat stream cut mid-way",
        lambda: drain(client.chat.completions.create(model="qwen.qwen3-32b", messages=CHAT_MESSAGES, stream=True)),
    )
    simulator_config(base, {"chatFaults": {"streamCut": 0, "streamError": 1.0}})
    expect_error(
        openai.APIError,
        "chat stream with an in-stream error",
        lambda: drain(client.chat.completions.create(model="qwen.qwen3-32b", messages=CHAT_MESSAGES, stream=True)),
    )
    simulator_config(base, {"chatFaults": {"streamError": 0, "tooManyRequests": 1.0}})
    expect_error(
        openai.RateLimitError, "chat 429", lambda: client.chat.completions.create(model="qwen.qwen3-32b", messages=CHAT_MESSAGES)
    )
    simulator_config(base, {"chatFaults": {"tooManyRequests": 0}})


def messages_on_mantle(base):
    headers = {"anthropic-version": "bedrock-2023-05-31", "anthropic-workspace": "default"}
    client = Anthropic(base_url=f"{base}/anthropic", api_key="interop-key", default_headers=headers, max_retries=0, timeout=30)
    raw = client.messages.with_raw_response.create(
        model="anthropic.claude-opus-4-7", max_tokens=1024, system=SYSTEM, messages=CLAUDE_MESSAGES
    )
    message = Message.model_validate(raw.http_response.json())
    check(message.stop_reason == "end_turn" and "lighthouse" in message.content[0].text, "messages: end_turn with the summary")
    check(message.usage.cache_read_input_tokens == 0 and message.usage.input_tokens > 20, "messages: usage with cache fields")

    with client.messages.stream(
        model="anthropic.claude-haiku-4-5", max_tokens=30, system=SYSTEM, messages=CLAUDE_MESSAGES
    ) as stream:
        text = "".join(stream.text_stream)
        final = stream.get_final_message()
    Message.model_validate(final.to_dict())
    check(final.stop_reason == "max_tokens" and final.usage.output_tokens == 30, "messages stream: max_tokens, output usage")
    check(final.content[0].text == text and text.startswith("The lighthouse"), "messages stream: text deltas join")

    # Older SDKs send the key as x-api-key.
    legacy = httpx.post(
        f"{base}/anthropic/v1/messages",
        headers={"x-api-key": "interop-key", "anthropic-version": "bedrock-2023-05-31"},
        json={"model": "anthropic.claude-opus-4-7", "max_tokens": 20, "messages": CLAUDE_MESSAGES},
        timeout=30,
    )
    check(legacy.status_code == 200 and Message.model_validate(legacy.json()).type == "message", "messages: key as x-api-key")
    plain = Anthropic(base_url=f"{base}/anthropic", api_key="interop-key", max_retries=0)
    expect_error(
        anthropic.BadRequestError,
        "messages: the SDK's default anthropic-version refused",
        lambda: plain.messages.create(model="anthropic.claude-opus-4-7", max_tokens=20, messages=CLAUDE_MESSAGES),
    )
    expect_error(
        anthropic.BadRequestError,
        "messages: non-Claude model refused",
        lambda: client.messages.create(model="openai.gpt-oss-120b", max_tokens=20, messages=CLAUDE_MESSAGES),
    )
    simulator_config(base, {"contextWindowScale": 0.0001})
    error = expect_error(
        anthropic.BadRequestError,
        "messages: prompt is too long",
        lambda: client.messages.create(model="anthropic.claude-opus-4-7", max_tokens=16, messages=CLAUDE_MESSAGES),
    )
    check(error is not None and "prompt is too long" in str(error), "messages: context refusal wording")
    simulator_config(base, {"contextWindowScale": 1})

    call = lambda: client.messages.create(model="anthropic.claude-opus-4-7", max_tokens=20, messages=CLAUDE_MESSAGES)  # noqa: E731
    simulator_config(base, {"messagesFaults": {"overloaded": 1.0}})
    error = expect_error(anthropic.InternalServerError, "messages 529", call)
    check(error is not None and error.status_code == 529 and type(error).__name__ == "OverloadedError", "messages: 529 is OverloadedError")
    simulator_config(base, {"messagesFaults": {"overloaded": 0, "tooManyRequests": 1.0}})
    error = expect_error(anthropic.RateLimitError, "messages 429", call)
    check(error is not None and error.response.headers.get("retry-after") is not None, "messages: 429 carries retry-after")
    stream_call = lambda: drain(  # noqa: E731
        client.messages.create(model="anthropic.claude-opus-4-7", max_tokens=200, messages=CLAUDE_MESSAGES, stream=True)
    )
    simulator_config(base, {"messagesFaults": {"tooManyRequests": 0, "streamCut": 1.0}})
    expect_error(CUT, "messages stream cut mid-way", stream_call)
    simulator_config(base, {"messagesFaults": {"streamCut": 0, "streamError": 1.0}})
    expect_error(anthropic.APIStatusError, "messages stream with an error event", stream_call)
    simulator_config(base, {"messagesFaults": {"streamError": 0}})


def bedrock_runtime(base):
    simulator_config(base, {"awsCredentials": {"AKIDINTEROP": "interop-secret"}})
    client = AnthropicBedrock(
        aws_access_key="AKIDINTEROP", aws_secret_key="interop-secret", aws_region="us-east-1", base_url=base, max_retries=0
    )
    raw = client.messages.with_raw_response.create(
        model="us.anthropic.claude-sonnet-4-6", max_tokens=1024, system=SYSTEM, messages=CLAUDE_MESSAGES, extra_body=BEDROCK_VERSION
    )
    message = Message.model_validate(raw.http_response.json())
    check(message.stop_reason == "end_turn" and message.id.startswith("msg_bdrk_"), "invoke (SigV4): a Message")

    with client.messages.stream(
        model="global.anthropic.claude-sonnet-4-5-20250929-v1:0", max_tokens=10, messages=CLAUDE_MESSAGES, extra_body=BEDROCK_VERSION
    ) as stream:
        text = "".join(stream.text_stream)
        final = stream.get_final_message()
    Message.model_validate(final.to_dict())
    check(final.stop_reason == "max_tokens" and final.usage.output_tokens == 10 and bool(text), "invoke stream: event-stream decoded by botocore")

    expect_error(
        anthropic.BadRequestError,
        "invoke: the SDK's default anthropic_version refused",
        lambda: client.messages.create(model="anthropic.claude-opus-4-7", max_tokens=20, messages=CLAUDE_MESSAGES),
    )
    wrong = AnthropicBedrock(
        aws_access_key="AKIDINTEROP", aws_secret_key="not-the-secret", aws_region="us-east-1", base_url=base, max_retries=0
    )
    expect_error(
        anthropic.PermissionDeniedError,
        "invoke: a wrong secret fails the signature",
        lambda: wrong.messages.create(
            model="anthropic.claude-opus-4-7", max_tokens=20, messages=CLAUDE_MESSAGES, extra_body=BEDROCK_VERSION
        ),
    )
    keyed = AnthropicBedrock(api_key="bedrock-api-key-interop", aws_region="us-east-1", base_url=base, max_retries=0)
    check(
        keyed.messages.create(
            model="anthropic.claude-haiku-4-5", max_tokens=20, messages=CLAUDE_MESSAGES, extra_body=BEDROCK_VERSION
        ).type == "message",
        "invoke: Bedrock API key as Bearer",
    )

    call = lambda: client.messages.create(  # noqa: E731
        model="anthropic.claude-opus-4-7", max_tokens=20, messages=CLAUDE_MESSAGES, extra_body=BEDROCK_VERSION
    )
    stream_call = lambda: drain(  # noqa: E731
        client.messages.create(
            model="anthropic.claude-opus-4-7", max_tokens=200, messages=CLAUDE_MESSAGES, extra_body=BEDROCK_VERSION, stream=True
        )
    )
    simulator_config(base, {"invokeFaults": {"tooManyRequests": 1.0}})
    expect_error(anthropic.RateLimitError, "invoke 429 (ThrottlingException)", call)
    simulator_config(base, {"invokeFaults": {"tooManyRequests": 0, "overloaded": 1.0}})
    expect_error(anthropic.InternalServerError, "invoke 503 (ServiceUnavailableException)", call)
    simulator_config(base, {"invokeFaults": {"overloaded": 0, "streamCut": 1.0}})
    expect_error(CUT, "invoke stream cut mid-way", stream_call)
    simulator_config(base, {"invokeFaults": {"streamCut": 0, "streamError": 1.0}})
    expect_error(anthropic.APIStatusError, "invoke stream with an exception message", stream_call)
    simulator_config(base, {"invokeFaults": {"streamError": 0}})

    # Input over the window: InvokeModel refuses with a 400; the stream route answers 200 and
    # refuses inside the stream, as botocore reports it from bedrock-runtime (bedrock-chat#95).
    simulator_config(base, {"contextWindowScale": 0.0001})
    too_long = dict(model="anthropic.claude-opus-4-7", max_tokens=16, messages=CLAUDE_MESSAGES, extra_body=BEDROCK_VERSION)
    expect_error(anthropic.BadRequestError, "invoke: prompt is too long", lambda: client.messages.create(**too_long))
    error = expect_error(
        anthropic.APIStatusError, "invoke stream: input too long", lambda: drain(client.messages.create(stream=True, **too_long))
    )
    check(error is not None and "Input is too long for requested model" in str(error), "invoke stream: refused inside the stream")
    simulator_config(base, {"contextWindowScale": 1})


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base-url", required=True)
    base = parser.parse_args().base_url.rstrip("/")
    print(f"anthropic {anthropic.__version__}, openai {openai.__version__}")
    chat_completions(base)
    messages_on_mantle(base)
    bedrock_runtime(base)
    counters = httpx.get(f"{base}/_simulator/counters", timeout=30).json()
    check(counters["generationsInFlight"] == 0, "no generation left in flight")
    return finish()


if __name__ == "__main__":
    sys.exit(main())
