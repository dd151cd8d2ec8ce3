-- wrk script for bench/api-adds.sh: POST /api/routes/<PREFIX>NNNNN/ with JupyterHub-style bodies, cycling over
-- ADDS distinct routes (the first ADDS requests add, later ones replace: the same code path, as when the hub
-- re-adds a route). Environment: ADDS (10000), TOKEN, TARGET, PREFIX (/user/u).
local counter = 0
local n = tonumber(os.getenv("ADDS") or "10000")
local token = os.getenv("TOKEN") or "t"
local target = os.getenv("TARGET") or "http://127.0.0.1:8080"
local prefix = os.getenv("PREFIX") or "/user/u"
local headers = {["Authorization"] = "token " .. token, ["Content-Type"] = "application/json"}

function request()
  local user = string.format("%05d", counter % n)
  counter = counter + 1
  local body = string.format('{"target":"%s","user":"u%s","server_name":"","jupyterhub":true}', target, user)
  return wrk.format("POST", "/api/routes" .. prefix .. user .. "/", headers, body)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("ADDS requests=%d duration_us=%d non2xx=%d errors=%d p99_us=%d\n", summary.requests,
    summary.duration, e.status, e.connect + e.read + e.write + e.timeout, latency:percentile(99)))
end
