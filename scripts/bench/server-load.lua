-- wrk script for scripts/bench/server-load.sh: cycles through bench/queries.txt
-- (GET /api/search?q=...&k=10) and prints one JSON summary line at the end.
local queries = {}
local n = 0
local extra = ""

local function urlencode(s)
  return (s:gsub("[^%w%-_%.~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

function init(args)
  local path = args[1] or "bench/queries.txt"
  -- Further query parameters for every request (e.g. "mode=vector"), optional.
  if args[2] and args[2] ~= "" then extra = "&" .. args[2] end
  for line in io.lines(path) do
    line = line:gsub("^%s+", ""):gsub("%s+$", "")
    if line ~= "" then table.insert(queries, urlencode(line)) end
  end
  -- Threads start at different queries.
  n = math.random(#queries)
end

function request()
  n = n % #queries + 1
  return wrk.format("GET", "/api/search?k=10" .. extra .. "&q=" .. queries[n])
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "seconds": %.2f, "rps": %.1f, "p50_ms": %.2f, "p90_ms": %.2f, "p99_ms": %.2f, "max_ms": %.2f, "non_2xx": %d, "socket_errors": %d}\n',
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, e.status, e.connect + e.read + e.write + e.timeout))
end
