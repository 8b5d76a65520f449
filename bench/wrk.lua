-- wrk script for bench/loadgen.py: GET the paths of BENCH_PATHS (space-separated) in turn,
-- and at the end print the totals and the latency quantiles (microseconds) so the slices of one
-- row, run in separate rounds, can be merged.
local paths = {}
for p in string.gmatch(os.getenv("BENCH_PATHS") or "/", "%S+") do
  paths[#paths + 1] = p
end
wrk.path = paths[1]

if #paths > 1 then
  local turn = 0
  function init(args)
    turn = math.random(#paths)
  end
  function request()
    turn = turn % #paths + 1
    return wrk.format(nil, paths[turn])
  end
end

-- Quantiles, not the raw histogram: wrk walks its microsecond array from the minimum for every
-- entry it returns (latency(i)), which takes seconds after a long tail; a percentile stops at
-- its own rank. 1 % steps to p90, 0.2 % to p99, 0.05 % to the maximum: bench/loadgen.py merges
-- the slices of a row from these.
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH requests=%d duration_us=%d bytes=%d connect=%d read=%d write=%d status=%d timeout=%d\n",
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout))
  local parts = {}
  local function add(q)
    parts[#parts + 1] = string.format("%g:%d", q, latency:percentile(q))
  end
  for i = 1, 90 do add(i) end
  for i = 1, 45 do add(90 + i * 0.2) end
  for i = 1, 19 do add(99 + i * 0.05) end
  parts[#parts + 1] = string.format("100:%d", latency.max)
  io.write("BENCH-Q " .. table.concat(parts, " ") .. "\n")
end
