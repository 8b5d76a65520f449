-- wrk script for bench/loadgen.py: GET the paths of BENCH_PATHS (space-separated) in turn,
-- and at the end print the totals and the whole latency histogram (microseconds) so the
-- slices of one row, run in separate rounds, can be merged exactly.
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

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH requests=%d duration_us=%d bytes=%d connect=%d read=%d write=%d status=%d timeout=%d\n",
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout))
  local parts = {}
  for i = 1, #latency do
    local value, count = latency(i)
    parts[#parts + 1] = string.format("%d:%d", value, count)
  end
  io.write("BENCH-HIST " .. table.concat(parts, " ") .. "\n")
end
