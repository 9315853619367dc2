-- wrk script for the kesu benchmark (bench/measure.py runs it; see bench/README.md).
--
-- Without KESU_REQUESTS, wrk sends its own request (the URL and the -H headers).
-- With KESU_REQUESTS=<file>, each thread cycles through the file's lines,
--   METHOD <TAB> PATH <TAB> BEARER-TOKEN <TAB> JSON-BODY
-- starting at a different line per thread, e.g. POST /api/v1/complaints as many agents.
-- done() prints one line "KESU_RESULT {json}" with the latency percentiles in microseconds.

local threads = {}
local requests = nil
local counter = 1

function setup(thread)
  table.insert(threads, thread)
  thread:set("thread_number", #threads)
end

function init(args)
  local path = os.getenv("KESU_REQUESTS")
  if path == nil or path == "" then
    return
  end
  requests = {}
  for line in io.lines(path) do
    local method, url, token, body = line:match("^(%S+)\t(%S+)\t(%S+)\t(.*)$")
    if method then
      local headers = {}
      headers["Authorization"] = "Bearer " .. token
      headers["Content-Type"] = "application/json"
      if body == "" then body = nil end
      table.insert(requests, wrk.format(method, url, headers, body))
    end
  end
  if #requests == 0 then
    error("no requests in " .. path)
  end
  counter = ((thread_number or 1) - 1) * 7919 % #requests + 1
end

function request()
  if requests == nil then
    return wrk.request()
  end
  local r = requests[counter]
  counter = counter % #requests + 1
  return r
end

function done(summary, latency, _)
  local e = summary.errors
  io.write(string.format(
    'KESU_RESULT {"requests": %d, "duration_us": %d, "p50_us": %d, "p90_us": %d, ' ..
    '"p95_us": %d, "p99_us": %d, "max_us": %d, "mean_us": %.1f, "errors_connect": %d, ' ..
    '"errors_read": %d, "errors_write": %d, "errors_status": %d, "errors_timeout": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90),
    latency:percentile(95), latency:percentile(99), latency.max, latency.mean,
    e.connect, e.read, e.write, e.status, e.timeout))
end
