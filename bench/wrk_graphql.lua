-- wrk script: POST the GraphQL bodies listed in $WRK_BODIES (one JSON document per line) to
-- /graphql/ in turn; print the same JSON summary as wrk_paths.lua.
local bodies = {}
local counter = 0

init = function(args)
  local file = assert(io.open(os.getenv("WRK_BODIES"), "r"))
  for line in file:lines() do bodies[#bodies + 1] = line end
  file:close()
  counter = math.random(#bodies)
  -- wrk.format replaces the default headers when given a table: set it on them instead, so
  -- the -H headers (X-Forwarded-Proto) still go out.
  wrk.headers["Content-Type"] = "application/json"
end

request = function()
  counter = counter % #bodies + 1
  return wrk.format("POST", "/graphql/", nil, bodies[counter])
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "bytes": %d, "connect": %d, "read": %d, "write": %d, ' ..
    '"status": %d, "timeout": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d, "max_us": %d}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
