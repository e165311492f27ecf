-- A mix of CORS traffic for the example app, sent by wrk: preflights granted and refused,
-- actual requests from allowed, disallowed and malformed origins, repeated Origin headers, and a
-- hostile preflight. Every request is one the app must answer with 200, 204 or 403.

local huge_names = {}
for i = 1, 2000 do
  huge_names[i] = "x-h" .. i
end

local requests = {}
local function add(method, path, headers, body)
  requests[#requests + 1] = wrk.format(method, path, headers, body)
end

local page = "http://localhost:3000"
add("GET", "/", { ["Origin"] = page })
add("GET", "/", { ["Origin"] = "https://evil.example.net" })
add("GET", "/", {})
add("OPTIONS", "/items/", { ["Origin"] = page, ["Access-Control-Request-Method"] = "POST",
  ["Access-Control-Request-Headers"] = "content-type" })
add("OPTIONS", "/items/", { ["Origin"] = "https://evil.example.net",
  ["Access-Control-Request-Method"] = "POST" })
add("OPTIONS", "/items/", { ["Origin"] = page, ["Access-Control-Request-Method"] = "PUT" })
add("POST", "/items/", { ["Origin"] = page, ["Content-Type"] = "application/json" },
  '{"name":"load","price":1.5}')
add("GET", "/items/7", { ["Origin"] = "http://localhost:5173" })
add("GET", "/account", { ["Origin"] = "https://app.example.com/" })
add("GET", "/account", { ["Origin"] = "null" })
add("GET", "/public", { ["Origin"] = "https://anyone.example.org" })
add("OPTIONS", "/protected", { ["Origin"] = page, ["Access-Control-Request-Method"] = "GET",
  ["Access-Control-Request-Headers"] = table.concat(huge_names, ",") })
-- two Origin headers, written by hand: a Lua table holds one value per name
requests[#requests + 1] = "GET /account HTTP/1.1\r\nHost: 127.0.0.1\r\n"
  .. "Origin: " .. page .. "\r\nOrigin: https://evil.example.net\r\n\r\n"

local counter = 0
request = function()
  counter = counter + 1
  return requests[(counter % #requests) + 1]
end

statuses = {}
response = function(status)
  statuses[status] = (statuses[status] or 0) + 1
end

local threads = {}
setup = function(thread)
  threads[#threads + 1] = thread
end

done = function()
  local total = {}
  for _, thread in ipairs(threads) do
    local counts = thread:get("statuses")
    for status, count in pairs(counts) do
      total[status] = (total[status] or 0) + count
    end
  end
  for status, count in pairs(total) do
    io.write(string.format("status %d %d\n", status, count))
  end
end
