#!/usr/bin/env python3
"""Drives Vigor's OpenAI-compatible API with the official `openai` package.

Usage: VIGOR_BASE_URL=http://127.0.0.1:PORT/v1 VIGOR_API_KEY=vgr_... python3 openai_sdk_check.py

Prints one line per check ("ok <name> ...") and exits 0 when every check passed,
1 (with the reason on stderr) otherwise.
"""
import os
import sys

import openai


def fail(message):
    print(f"FAIL {message}", file=sys.stderr)
    sys.exit(1)


def main():
    base_url = os.environ["VIGOR_BASE_URL"]
    api_key = os.environ["VIGOR_API_KEY"]
    client = openai.OpenAI(base_url=base_url, api_key=api_key, max_retries=0, timeout=60)
    messages = [
        {"role": "system", "content": "You are a fitness coach."},
        {"role": "user", "content": "How many rest days should I take per week?"},
    ]

    # Non-streaming completion.
    completion = client.chat.completions.create(model="vigor-coach-1", messages=messages, max_tokens=200)
    if completion.object != "chat.completion":
        fail(f"object is {completion.object!r}")
    if not completion.id.startswith("chatcmpl-"):
        fail(f"id is {completion.id!r}")
    if len(completion.choices) != 1:
        fail(f"{len(completion.choices)} choices")
    choice = completion.choices[0]
    if choice.message.role != "assistant" or not choice.message.content:
        fail(f"message is {choice.message!r}")
    if choice.finish_reason != "stop":
        fail(f"finish_reason is {choice.finish_reason!r}")
    usage = completion.usage
    if usage is None or usage.total_tokens != usage.prompt_tokens + usage.completion_tokens:
        fail(f"usage is {usage!r}")
    print(f"ok completion chars={len(choice.message.content)} total_tokens={usage.total_tokens}")

    # Streaming completion with the usage chunk.
    stream = client.chat.completions.create(
        model="vigor-coach-1", messages=messages, stream=True, stream_options={"include_usage": True}
    )
    pieces, finish, stream_usage, chunks = [], None, None, 0
    for chunk in stream:
        chunks += 1
        if chunk.object != "chat.completion.chunk":
            fail(f"chunk object is {chunk.object!r}")
        if chunk.choices:
            delta = chunk.choices[0].delta
            if delta.content:
                pieces.append(delta.content)
            if chunk.choices[0].finish_reason:
                finish = chunk.choices[0].finish_reason
        elif chunk.usage is not None:
            stream_usage = chunk.usage
    text = "".join(pieces)
    if not text:
        fail("the stream carried no text")
    if finish != "stop":
        fail(f"stream finish_reason is {finish!r}")
    if stream_usage is None or stream_usage.completion_tokens <= 0:
        fail(f"stream usage is {stream_usage!r}")
    print(f"ok stream chunks={chunks} chars={len(text)} completion_tokens={stream_usage.completion_tokens}")

    # Model listing.
    models = [model.id for model in client.models.list()]
    if not models:
        fail("no models listed")
    print(f"ok models {','.join(sorted(models))}")

    # Errors arrive as the SDK's typed exceptions.
    try:
        client.chat.completions.create(model="vigor-coach-1", messages=messages, n=2)
        fail("n=2 was accepted")
    except openai.BadRequestError as error:
        if error.status_code != 400:
            fail(f"n=2 gave status {error.status_code}")
    print("ok bad_request")
    # A model no provider serves: the SDK's NotFoundError, code model_not_found (never routed).
    try:
        client.chat.completions.create(model="o1-pro", messages=messages)
        fail("an unknown model was accepted")
    except openai.NotFoundError as error:
        if error.code != "model_not_found":
            fail(f"unknown model gave code {error.code!r}")
    print("ok model_not_found")
    # max_tokens far above any model's limit: BadRequestError naming the parameter, not a crash.
    try:
        client.chat.completions.create(model="vigor-coach-1", messages=messages, max_tokens=9223372036854775807)
        fail("max_tokens = 2^63 - 1 was accepted")
    except openai.BadRequestError as error:
        if error.param != "max_tokens":
            fail(f"huge max_tokens gave param {error.param!r}")
    print("ok max_tokens_too_large")
    try:
        openai.OpenAI(base_url=base_url, api_key="vgr_not-a-real-key", max_retries=0, timeout=60).models.list()
        fail("an invalid key was accepted")
    except openai.AuthenticationError as error:
        if error.code != "invalid_api_key":
            fail(f"invalid key gave code {error.code!r}")
    print("ok auth_error")


if __name__ == "__main__":
    main()
