-- wrk script for deploy/load.sh: POST /refresh chains. Each thread (one connection each) takes one
-- refresh token from $REFRESH_TOKENS (space-separated, one family per thread) and sends every
-- response's successor with its next request, as a client does.
local tokens = {}
for t in string.gmatch(os.getenv("REFRESH_TOKENS") or "", "%S+") do
  table.insert(tokens, t)
end
local handed = 0

function setup(thread)
  handed = handed + 1
  thread:set("token", tokens[handed])
end

function init(args)
  if token == nil then
    error("REFRESH_TOKENS holds fewer tokens than threads")
  end
end

function request()
  return wrk.format("POST", nil, { ["Content-Type"] = "application/json" },
    '{"refresh_token":"' .. token .. '"}')
end

function response(status, headers, body)
  if status == 200 then
    local next_token = body:match('"refresh_token":"([^"]+)"')
    if next_token then
      token = next_token
    end
  end
end
