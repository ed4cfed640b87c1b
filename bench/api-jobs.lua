-- wrk script for bench/api.sh: POST /v1/jobs, each request a distinct 2 KB document (the request
-- number, then the same filler), so every request takes the insert path. One wrk thread: its
-- counter is then unique to each request.
local counter = 0
local words = { "harbour", "lighthouse", "museum", "pier", "market", "station", "library", "bridge",
                "opened", "closed", "repaired", "visitors", "painted", "flooded", "extended" }
local filler = ""
local i = 0
while #filler < 2048 do
  i = i + 1
  filler = filler .. " " .. words[(i * 7) % #words + 1]
end

request = function()
  counter = counter + 1
  local document = ("Report " .. counter .. "." .. filler):sub(1, 2048)
  return wrk.format("POST", "/v1/jobs", nil, '{"document":"' .. document .. '"}')
end
