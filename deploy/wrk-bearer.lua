-- wrk script for deploy/load.sh: every request carries the bearer token from $TOKEN.
local token = os.getenv("TOKEN")
if token == nil or token == "" then
  error("TOKEN is not set")
end
wrk.method = "GET"
wrk.headers["Authorization"] = "Bearer " .. token
