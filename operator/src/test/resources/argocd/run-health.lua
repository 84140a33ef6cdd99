-- Runs one Argo CD health script the way Argo CD does: `obj` is the only global it is given, with
-- the base and table libraries; the string library is not loaded by Argo CD (useOpenLibs off), so
-- string methods are cut off here too. Prints the status on the first line and the message after it.
-- Usage: lua5.1 run-health.lua <health.lua> <file holding `return <object as a Lua table>`>
local script, objectFile = arg[1], arg[2]
local function fail(code, text)
  io.stderr:write(text, "\n")
  os.exit(code)
end
local readObject, err = loadfile(objectFile)
if readObject == nil then fail(3, "fixture: " .. err) end
local obj = readObject()
local chunk, loadErr = loadfile(script)
if chunk == nil then fail(2, loadErr) end
setfenv(chunk, {
  obj = obj, assert = assert, error = error, ipairs = ipairs, next = next, pairs = pairs, pcall = pcall,
  select = select, tonumber = tonumber, tostring = tostring, type = type, unpack = unpack,
  rawequal = rawequal, rawget = rawget, rawset = rawset, setmetatable = setmetatable, table = table,
})
getmetatable("").__index = nil
local ok, hs = pcall(chunk)
if not ok then fail(2, tostring(hs)) end
if type(hs) ~= "table" then fail(2, "the script returned a " .. type(hs) .. ", not a table") end
if type(hs.status) ~= "string" then fail(2, "hs.status is a " .. type(hs.status) .. ", not a string") end
if type(hs.message) ~= "string" then fail(2, "hs.message is a " .. type(hs.message) .. ", not a string") end
io.write(hs.status, "\n", hs.message)
