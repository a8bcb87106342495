-- wrk script: send DEPTH requests back to back on each connection (HTTP pipelining), the way
-- TechEmpower's plaintext test does with depth 16. Usage:
--   wrk -c256 -t2 -d10s -s tools/wrk/pipeline.lua http://127.0.0.1:PORT/plaintext -- 16
init = function(args)
  local depth = tonumber(args[1]) or 16
  local requests = {}
  for i = 1, depth do
    requests[i] = wrk.format(nil, nil)
  end
  pipelined = table.concat(requests)
end

request = function()
  return pipelined
end
