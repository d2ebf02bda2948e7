#include "queue/redis/RedisScripts.h"

namespace mutt::queue {

const RedisScript &RedisScripts::increment()
{
    static const RedisScript script = RedisScript::fromSource(R"lua(
local value = redis.call('INCRBY', KEYS[1], ARGV[1])
local ttl = tonumber(ARGV[2])
if ttl > 0 and redis.call('TTL', KEYS[1]) == -1 then
  redis.call('EXPIRE', KEYS[1], ttl)
end
return value
)lua");
    return script;
}

const RedisScript &RedisScripts::promoteDue()
{
    static const RedisScript script = RedisScript::fromSource(R"lua(
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
for i = #due, 1, -1 do
  redis.call('ZREM', KEYS[1], due[i])
  redis.call('RPUSH', KEYS[2], due[i])
end
return #due
)lua");
    return script;
}

const RedisScript &RedisScripts::moveAllToTail()
{
    static const RedisScript script = RedisScript::fromSource(R"lua(
if KEYS[3] ~= '' and redis.call('EXISTS', KEYS[3]) == 1 then
  return -1
end
local moved = 0
local batch = tonumber(ARGV[1])
while moved < batch do
  local item = redis.call('LPOP', KEYS[1])
  if not item then break end
  redis.call('RPUSH', KEYS[2], item)
  moved = moved + 1
end
return moved
)lua");
    return script;
}

const RedisScript &RedisScripts::rateAcquire()
{
    static const RedisScript script = RedisScript::fromSource(R"lua(
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
local count = tonumber(ARGV[4])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local granted = redis.call('ZCARD', KEYS[1])
if granted + count <= limit then
  for i = 1, count do
    redis.call('ZADD', KEYS[1], now, ARGV[5] .. ':' .. i)
  end
  redis.call('PEXPIRE', KEYS[1], window + 60000)
  return 0
end
local leave = granted + count - limit
if leave > granted then
  return window
end
local entry = redis.call('ZRANGE', KEYS[1], leave - 1, leave - 1, 'WITHSCORES')
local wait = tonumber(entry[2]) + window - now
if wait < 1 then wait = 1 end
return wait
)lua");
    return script;
}

const RedisScript &RedisScripts::claimRated()
{
    static const RedisScript script = RedisScript::fromSource(R"lua(
local wanted = math.min(tonumber(ARGV[1]), redis.call('LLEN', KEYS[1]))
if wanted < 1 then
  return {0}
end
local limit = tonumber(ARGV[2])
local window = tonumber(ARGV[3])
local now = tonumber(ARGV[4])
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now - window)
local granted = math.max(0, math.min(wanted, limit - redis.call('ZCARD', KEYS[3])))
for i = 1, granted do
  redis.call('ZADD', KEYS[3], now, ARGV[5] .. ':' .. i)
end
if granted > 0 then
  redis.call('PEXPIRE', KEYS[3], window + 60000)
end
local reply = {0}
if granted < wanted then
  local oldest = redis.call('ZRANGE', KEYS[3], 0, 0, 'WITHSCORES')
  local wait = tonumber(oldest[2]) + window - now
  if wait < 1 then wait = 1 end
  reply[1] = wait
end
for i = 1, granted do
  reply[i + 1] = redis.call('RPOPLPUSH', KEYS[1], KEYS[2])
end
return reply
)lua");
    return script;
}

const RedisScript &RedisScripts::countUnhandled()
{
    static const RedisScript script = RedisScript::fromSource(R"lua(
local count = redis.call('INCR', KEYS[1])
if redis.call('PTTL', KEYS[1]) < 0 then
  redis.call('EXPIRE', KEYS[1], ARGV[2])
end
if count < tonumber(ARGV[1]) or redis.call('EXISTS', KEYS[2]) == 1 then
  return {count, 0}
end
local ttl = redis.call('PTTL', KEYS[1])
if ttl <= 0 then ttl = tonumber(ARGV[2]) * 1000 end
redis.call('SET', KEYS[2], ARGV[1], 'PX', ttl)
return {count, 1}
)lua");
    return script;
}

const RedisScript &RedisScripts::circuit()
{
    // KEYS: state, failures, open_time, probe, forced, closed_at.
    // ARGV: op (acquire|record|status|force|reset), now, threshold, openMs,
    // probeTimeoutMs, then record: success, wasProbe, sentAt; force: state,
    // untilMs, by, reason. Returns state, failures, openedAt, nextProbe, probeInFlight,
    // forcedBy, forcedReason, forcedUntil, permit, retryAfter, from, to.
    static const RedisScript script = RedisScript::fromSource(R"lua(
local op = ARGV[1]
local now = tonumber(ARGV[2])
local threshold = tonumber(ARGV[3])
local openMs = tonumber(ARGV[4])
local probeTimeout = tonumber(ARGV[5])
local dirty = false

local function load()
  local s = {}
  local raw = redis.call('GET', KEYS[1])
  s.present = raw ~= false
  s.state = 'CLOSED'
  if raw == 'OPEN' or raw == 'HALF_OPEN' then s.state = raw end
  s.failures = tonumber(redis.call('GET', KEYS[2]) or '0') or 0
  local openTime = redis.call('GET', KEYS[3])
  s.openedAt = 0
  if openTime then s.openedAt = math.floor((tonumber(openTime) or 0) * 1000 + 0.5) end
  s.probeAt = tonumber(redis.call('GET', KEYS[4]) or '0') or 0
  s.closedAt = tonumber(redis.call('GET', KEYS[6]) or '0') or 0
  local forced = redis.call('GET', KEYS[5])
  if forced then
    local ok, f = pcall(cjson.decode, forced)
    if ok and type(f) == 'table' and (f.state == 'OPEN' or f.state == 'CLOSED' or f.state == 'HALF_OPEN') then
      s.forced = {state = f.state, by = tostring(f.by or ''), reason = tostring(f.reason or ''),
                  untilMs = tonumber(f.until_ms) or 0}
    end
  end
  return s
end

local function forcedActive(s)
  return s.forced ~= nil and s.forced.untilMs > now
end

local function evaluate(s)
  local e = {failures = s.failures, openedAt = 0, nextProbe = 0, probeInFlight = 0,
             forcedBy = '', forcedReason = '', forcedUntil = 0}
  if forcedActive(s) then
    e.state = s.forced.state
    if e.state == 'OPEN' then
      e.openedAt = s.openedAt
      e.nextProbe = s.forced.untilMs
    end
    e.forcedBy = s.forced.by
    e.forcedReason = s.forced.reason
    e.forcedUntil = s.forced.untilMs
    return e
  end
  e.state = s.state
  if s.state == 'OPEN' then
    if s.forced ~= nil and s.forced.state == 'OPEN' then
      e.nextProbe = s.forced.untilMs
    else
      e.nextProbe = s.openedAt + openMs
    end
    if now >= e.nextProbe then e.state = 'HALF_OPEN' end
  end
  if e.state == 'HALF_OPEN' and s.probeAt ~= 0 and now < s.probeAt + probeTimeout then
    e.probeInFlight = 1
    e.nextProbe = s.probeAt + probeTimeout
  end
  if e.state ~= 'CLOSED' then e.openedAt = s.openedAt end
  return e
end

local function settle(s, e)
  if forcedActive(s) then return nil end
  if s.forced ~= nil then
    s.forced = nil
    dirty = true
  end
  if s.state == e.state then return nil end
  local t = {s.state, e.state}
  s.state = e.state
  s.probeAt = 0
  dirty = true
  return t
end

local function put(key, present, value)
  if present then redis.call('SET', key, value) else redis.call('DEL', key) end
end

local function save(s)
  put(KEYS[1], true, s.state)
  put(KEYS[2], true, string.format('%d', s.failures))
  put(KEYS[3], s.openedAt ~= 0, string.format('%.3f', s.openedAt / 1000))
  put(KEYS[4], s.probeAt ~= 0, string.format('%d', s.probeAt))
  local json = ''
  if s.forced ~= nil then
    json = '{"state":' .. cjson.encode(s.forced.state) .. ',"by":' .. cjson.encode(s.forced.by) ..
           ',"reason":' .. cjson.encode(s.forced.reason) .. ',"until_ms":' ..
           string.format('%d', s.forced.untilMs) .. '}'
  end
  put(KEYS[5], s.forced ~= nil, json)
  put(KEYS[6], s.closedAt ~= 0, string.format('%d', s.closedAt))
end

local function reply(e, t, permit, retry)
  local from, to = '', ''
  if t ~= nil then from, to = t[1], t[2] end
  return {e.state, e.failures, e.openedAt, e.nextProbe, e.probeInFlight, e.forcedBy, e.forcedReason,
          e.forcedUntil, permit, retry, from, to}
end

local s = load()
if op == 'status' then
  return reply(evaluate(s), nil, '', 0)
end

if op == 'acquire' then
  local e = evaluate(s)
  dirty = not s.present
  local t = settle(s, e)
  local permit, retry = 'ALLOWED', 0
  if e.state == 'OPEN' then
    permit = 'DENIED'
    retry = math.max(1, e.nextProbe - now)
  elseif e.state == 'HALF_OPEN' and e.probeInFlight == 1 then
    permit = 'DENIED'
    retry = math.max(1, s.probeAt + probeTimeout - now)
  elseif e.state == 'HALF_OPEN' then
    permit = 'PROBE'
    s.probeAt = now
    dirty = true
  end
  if dirty then
    save(s)
    e = evaluate(s)
  end
  return reply(e, t, permit, retry)
end

if op == 'record' then
  local success = ARGV[6] == '1'
  local wasProbe = ARGV[7] == '1'
  local sentAt = tonumber(ARGV[8]) or 0
  local before = evaluate(s)
  if forcedActive(s) then return reply(before, nil, '', 0) end
  -- A request sent before the circuit last closed failed: the probe that
  -- closed it went out later and got through.
  if not success and not wasProbe and sentAt > 0 and sentAt < s.closedAt then
    return reply(before, nil, '', 0)
  end
  settle(s, before)
  local t = nil
  if before.state == 'CLOSED' and success and s.failures ~= 0 then
    s.failures = 0
    dirty = true
  elseif before.state == 'CLOSED' and not success then
    dirty = true
    s.failures = s.failures + 1
    if s.failures >= threshold then
      s.state = 'OPEN'
      s.openedAt = now
      s.probeAt = 0
      t = {'CLOSED', 'OPEN'}
    end
  elseif before.state == 'HALF_OPEN' and wasProbe then
    dirty = true
    if success then
      s.state = 'CLOSED'
      s.failures = 0
      s.openedAt = 0
      s.closedAt = now
    else
      s.state = 'OPEN'
      s.openedAt = now
    end
    s.probeAt = 0
    t = {'HALF_OPEN', s.state}
  end
  if dirty then save(s) end
  return reply(evaluate(s), t, '', 0)
end

if op == 'force' then
  local state = ARGV[6]
  local from = evaluate(s).state
  s.state = state
  s.forced = {state = state, untilMs = tonumber(ARGV[7]), by = ARGV[8], reason = ARGV[9]}
  s.probeAt = 0
  s.openedAt = 0
  if state == 'OPEN' then s.openedAt = now end
  if state == 'CLOSED' then
    s.failures = 0
    s.closedAt = now
  end
  save(s)
  local t = nil
  if from ~= state then t = {from, state} end
  return reply(evaluate(s), t, '', 0)
end

if op == 'reset' then
  local from = evaluate(s).state
  s = {state = 'CLOSED', failures = 0, openedAt = 0, probeAt = 0, forced = nil, closedAt = now}
  save(s)
  local t = nil
  if from ~= 'CLOSED' then t = {from, 'CLOSED'} end
  return reply(evaluate(s), t, '', 0)
end

return redis.error_reply('unknown circuit operation ' .. tostring(op))
)lua");
    return script;
}

}  // namespace mutt::queue
