-- Argo CD health of a costguard.io CostBudget (Lua 5.1, base library only).
-- Ok, Warning and Critical are Healthy: the budget holds and costguard acts on its thresholds itself.
-- Actions waiting for approval are Suspended, Exceeded and Invalid are Degraded, Unknown (cost data
-- missing or stale: nothing is judged) and a status not caught up with the spec are Progressing.
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
  hs.message = "waiting for costguard to evaluate the budget"
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
local summary = said(condition(status, "Ready"))
  or (status.used ~= nil and ("used " .. status.used .. " of the amount")) or "no figures in status yet"
if state == "Invalid" then
  hs.status = "Degraded"
  hs.message = "Invalid: " .. (said(condition(status, "Ready")) or "the spec is wrong")
elseif state == "Unknown" then
  local data = condition(status, "DataAvailable")
  hs.status = "Progressing"
  hs.message = "Unknown: " .. ((data ~= nil and data.reason) or "NotCollected") .. ": "
    .. (said(data) or "no cost data yet") .. "; no action is taken until cost data is fresh"
elseif state == "Exceeded" then
  hs.status = "Degraded"
  hs.message = "Exceeded: " .. summary
elseif state == "Ok" or state == "Warning" or state == "Critical" then
  hs.status = "Healthy"
  hs.message = state .. ": " .. summary
else
  hs.status = "Progressing"
  hs.message = "state " .. state .. " is not known to this health check"
  return hs
end
if status.awaitingApproval ~= nil and status.awaitingApproval ~= "" then
  if hs.status == "Healthy" then
    hs.status = "Suspended"
  end
  hs.message = hs.message .. "; awaiting approval (annotation costguard.io/approve): " .. status.awaitingApproval
end
if status.deploysFrozen == true then
  hs.message = hs.message .. "; rollouts in its scope are frozen"
end
return hs
