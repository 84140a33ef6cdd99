-- Argo CD health of a costguard.io PerfBaseline (Lua 5.1, base library only).
-- Healthy is Healthy; Regressed, SLOViolated and Invalid are Degraded; Unknown (data missing, stale or
-- no requests: nothing is judged) and a status not caught up with the spec are Progressing.
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
if status == nil or status.state == nil then
  hs.status = "Progressing"
  hs.message = "waiting for costguard to evaluate the workload"
  return hs
end
local generation = obj.metadata.generation
if generation ~= nil and status.observedGeneration ~= nil and status.observedGeneration < generation then
  hs.status = "Progressing"
  hs.message = "waiting for costguard to evaluate generation " .. generation .. " (status is of generation "
    .. status.observedGeneration .. ")"
  return hs
end

local state = status.state
if state == "Healthy" then
  hs.status = "Healthy"
  hs.message = "Healthy: " .. (said(condition(status, "SLOMet")) or "no regression")
elseif state == "SLOViolated" then
  hs.status = "Degraded"
  hs.message = "SLOViolated: " .. (said(condition(status, "SLOMet")) or "an objective in spec.slo is missed")
elseif state == "Regressed" then
  hs.status = "Degraded"
  hs.message = "Regressed: " .. (said(condition(status, "Regressed")) or "worse than the baseline")
elseif state == "Invalid" then
  hs.status = "Degraded"
  hs.message = "Invalid: " .. (said(condition(status, "Ready")) or "the spec is wrong")
elseif state == "Unknown" then
  local data = condition(status, "DataAvailable")
  hs.status = "Progressing"
  hs.message = "Unknown: " .. ((data ~= nil and data.reason) or "NotCollected") .. ": "
    .. (said(data) or "no measurements yet") .. "; nothing is judged until data is fresh"
else
  hs.status = "Progressing"
  hs.message = "state " .. state .. " is not known to this health check"
  return hs
end
if status.deploysFrozen == true then
  hs.message = hs.message .. "; rollouts are frozen"
end
return hs
