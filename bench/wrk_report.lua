-- wrk script: rotate through BENCH_PATHS ("|"-separated) when it is set, and print
-- the run's figures as one JSON line prefixed with "WRK_JSON ".
local paths = {}
for path in string.gmatch(os.getenv("BENCH_PATHS") or "", "[^|]+") do
  table.insert(paths, path)
end
local counter = 0

if #paths > 0 then
  request = function()
    counter = counter + 1
    return wrk.format(nil, paths[(counter % #paths) + 1])
  end
end

done = function(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests": %d, "duration_us": %d, "bytes": %d, ' ..
    '"connect_errors": %d, "read_errors": %d, "write_errors": %d, ' ..
    '"status_errors": %d, "timeouts": %d, "p50_us": %d, "p99_us": %d, ' ..
    '"max_us": %d}\n',
    summary.requests, summary.duration, summary.bytes,
    errors.connect, errors.read, errors.write, errors.status, errors.timeout,
    latency:percentile(50), latency:percentile(99), latency.max))
end
