#!/usr/bin/env python3
"""Writes the JSON the host hands the openai plugin for one /v1/chat/completions request
(docs/plugin-abi.md, "Operations" and "Payloads"), for bench/plugin/plugbench.c:

  build_input.json     provider.build_request   {"schema":1,"request":<chat request>,"base_url"}
  parse_input.json     provider.parse_response  {"schema":1,"status","headers","body","request"}
  stream_request.json  provider.stream          <chat request with stream:true>

usage: plugin_inputs.py MOCK_DIR OUT_DIR BASE_URL   (MOCK_DIR holds chat.json from mock/generate.py)
"""
import json
import os
import sys

mock_dir, out_dir, base_url = sys.argv[1], sys.argv[2], sys.argv[3]
os.makedirs(out_dir, exist_ok=True)
body = open(os.path.join(mock_dir, "chat.json")).read()


def chat_request(stream):
    return {
        "schema": 1,
        "model": "gpt-4o-mini",
        "messages": [{"role": "user", "content": "Plan a 3-day beginner workout"}],
        "json_mode": False,
        "stream": stream,
    }


# The headers nginx sends back for the JSON answer, as the host's egress passes them on.
headers = [
    ["server", "nginx"],
    ["date", "Thu, 01 Jan 2026 00:00:00 GMT"],
    ["content-type", "application/json"],
    ["content-length", str(len(body.encode()))],
    ["connection", "keep-alive"],
]

files = {
    "build_input.json": {"schema": 1, "request": chat_request(False), "base_url": base_url},
    "parse_input.json": {"schema": 1, "status": 200, "headers": headers, "body": body, "request": chat_request(False)},
    "stream_request.json": chat_request(True),
}
for name, obj in files.items():
    with open(os.path.join(out_dir, name), "w") as f:
        json.dump(obj, f, separators=(",", ":"))
