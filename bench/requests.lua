-- wrk script: cycle through prepared requests (one per line: METHOD TAB PATH TAB headers
-- joined by \31 as "Name: value" TAB body), optionally pausing per connection (half rate),
-- and write a JSON summary to $BENCH_OUT. Run with one thread so no request repeats early.
local requests = {}
local index = 0
wrapped = 0  -- global: done() reads it through thread:get
local delay_ms = tonumber(os.getenv("BENCH_DELAY_MS") or "0")
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  for line in io.lines(os.getenv("BENCH_REQUESTS")) do
    local method, path, headers, body = line:match("^([^\t]*)\t([^\t]*)\t([^\t]*)\t(.*)$")
    local parsed = {}
    for pair in headers:gmatch("[^\31]+") do
      local name, value = pair:match("^([^:]+): (.*)$")
      parsed[name] = value
    end
    if body == "" then body = nil end
    table.insert(requests, wrk.format(method, path, parsed, body))
  end
end

function request()
  index = index + 1
  if index > #requests then
    index = 1
    wrapped = wrapped + 1
  end
  return requests[index]
end

if delay_ms > 0 then
  function delay()
    return delay_ms
  end
end

function done(summary, latency, requests)
  local wraps = 0
  for _, thread in ipairs(threads) do
    wraps = wraps + thread:get("wrapped")
  end
  local errors = summary.errors
  local file = io.open(os.getenv("BENCH_OUT"), "w")
  file:write(string.format(
    '{"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, ' ..
    '"status_errors": %d, "socket_errors": %d, "wrapped": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    errors.status, errors.connect + errors.read + errors.write + errors.timeout, wraps))
  file:close()
end
