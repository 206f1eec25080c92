-- wrk script: cycles through "HOST PATH" lines of the file named by $BENCH_URLS (every URL of the web).
local requests = {}
for line in io.lines(os.getenv("BENCH_URLS")) do
  local host, path = line:match("^(%S+) (%S+)$")
  if host then
    requests[#requests + 1] = wrk.format("GET", path, { Host = host })
  end
end
local i = 0

request = function()
  i = i % #requests + 1
  return requests[i]
end
