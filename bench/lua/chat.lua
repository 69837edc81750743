-- wrk script for the Vigor bench: one POST per request, fixed body and headers.
-- Environment:
--   VB_BODY_FILE  file holding the request body (JSON)
--   VB_TOKEN      bearer token (API key or JWT); empty = no Authorization header
--   VB_STREAM     "1" = ask for SSE (Accept: text/event-stream)
--   VB_TAG        label echoed in the result line
-- At the end it prints one line `VBRESULT {json}` with latencies in microseconds.

local function slurp(path)
  local f = assert(io.open(path, "rb"), "cannot open " .. tostring(path))
  local s = f:read("*a")
  f:close()
  return s
end

local body_file = os.getenv("VB_BODY_FILE")
local token = os.getenv("VB_TOKEN") or ""
local stream = os.getenv("VB_STREAM") == "1"
local tag = os.getenv("VB_TAG") or "run"

wrk.method = "POST"
wrk.body = slurp(body_file)
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = stream and "text/event-stream" or "application/json"
if token ~= "" then wrk.headers["Authorization"] = "Bearer " .. token end

-- No `response` callback on purpose: it makes wrk hand every response to Lua, which costs
-- load-generator CPU; non-2xx/3xx answers are counted in summary.errors.status.

done = function(summary, latency, requests)
  local e = summary.errors
  local secs = summary.duration / 1e6
  io.write(string.format(
    'VBRESULT {"tag":"%s","requests":%d,"duration_s":%.3f,"rps":%.2f,"bytes":%d,' ..
    '"mean_us":%.1f,"stdev_us":%.1f,"max_us":%d,"p50_us":%d,"p90_us":%d,"p99_us":%d,"p999_us":%d,' ..
    '"err_connect":%d,"err_read":%d,"err_write":%d,"err_status":%d,"err_timeout":%d}\n',
    tag, summary.requests, secs, summary.requests / secs, summary.bytes,
    latency.mean, latency.stdev, latency.max,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency:percentile(99.9),
    e.connect, e.read, e.write, e.status, e.timeout))
end
