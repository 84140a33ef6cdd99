-- Argo CD health of a costguard.io BenchRun (Lua 5.1, base library only).
-- Pending, Running and Collecting are Progressing; Passed is Healthy; Failed, Error and Invalid are Degraded.
local hs = {}
local function condition(status, type)
  if status.conditions ~= nil then
    for _, c in ipairs(status.conditions) do
      if c.type == type then
        return c
      end
    end
  end
  return nil
end
local function said(c)
  if c ~= nil and c.message ~= nil and c.message ~= "" then
    return c.message
  end
  return nil
end

local status = obj.status
if status == nil or status.phase == nil then
  hs.status = "Progressing"
  hs.message = "waiting for costguard to start the run"
  return hs
end
local generation = obj.metadata.generation
if generation ~= nil and status.observedGeneration ~= nil and status.observedGeneration < generation then
  hs.status = "Progressing"
  hs.message = "waiting for costguard to handle generation " .. generation .. " (status is of generation "
    .. status.observedGeneration .. ")"
  return hs
end

local phase = status.phase
local complete = said(condition(status, "Complete"))
if phase == "Pending" or phase == "Running" or phase == "Collecting" then
  hs.status = "Progressing"
  hs.message = phase .. ": " .. (complete or "in progress")
elseif phase == "Passed" then
  hs.status = "Healthy"
  hs.message = "Passed: " .. (complete or "the run passed")
elseif phase == "Failed" then
  hs.status = "Degraded"
  hs.message = "Failed: " .. (complete or "the run failed")
elseif phase == "Error" or phase == "Invalid" then
  local ready = condition(status, "Ready")
  hs.status = "Degraded"
  hs.message = phase .. ": " .. ((ready ~= nil and ready.reason ~= nil and (ready.reason .. ": ")) or "")
    .. (said(ready) or "the run could not complete")
else
  hs.status = "Progressing"
  hs.message = "phase " .. phase .. " is not known to this health check"
end
return hs
