import type { Redis } from 'ioredis';
import { InvalidInput } from '../../../errors.js';

/** The Redis function of the lean transport (one name, a few bytes in every call). */
export const FUNCTION = 'z1';

/** Characters of a run's handle (base64url): the name of its channel, and the head of every call. */
export const HANDLE_LENGTH = 3;

/** Seconds a run's keys live after its last round. */
export const LEAN_TTL = 7 * 24 * 3600;

/** The key that maps a run's handle to the base of its keys (the function finds the run through it). */
export const handleKey = (handle: string): string => `zeroth:lean:${handle}`;

/**
 * The Redis function library (Redis ≥ 7): one function `z1` called with no keys and one argument, the
 * 3-character handle of a run followed by a message.
 *
 * - A round (byte-0 kind 0): the round becomes current (explicit, or the one after the last), with its number of
 *   tasks; the answers of the round before are dropped; the message is appended to the run's log stream (entry id
 *   `round-*`) and published on the channel named by the handle. Returns the number of receivers.
 * - Again (kind 1) and end (kind 2): published only.
 * - An answer (kind 3: bit 2 an error, bits 3–7 the task, 31 = a varint follows; then the round): counted once —
 *   an answer for another round or a task already answered is ignored (the coordinator hears byte 2 on channel
 *   handle + '!'); the first error of a task goes to the coordinator at once (byte 1, round, task, message); when
 *   every task has its values, the coordinator gets them all in task order (byte 0, round, values).
 *
 * A handle whose run Redis does not know (a restart lost it) answers the status `U`.
 */
export const LIBRARY = `#!lua name=zeroth_lean_1
local TTL = ${LEAN_TTL}
local function uvar(s, i)
  local v, m = 0, 1
  while true do
    local b = string.byte(s, i)
    if b == nil then return error('zeroth: a truncated message') end
    i = i + 1
    v = v + (b % 128) * m
    if b < 128 then return v, i end
    m = m * 128
  end
end
local function enc(v)
  local t = {}
  while v >= 128 do
    t[#t + 1] = string.char(v % 128 + 128)
    v = math.floor(v / 128)
  end
  t[#t + 1] = string.char(v)
  return table.concat(t)
end
local function z1(keys, args)
  local p = args[1]
  local h = string.sub(p, 1, ${HANDLE_LENGTH})
  local base = redis.call('GET', 'zeroth:lean:' .. h)
  if not base then return redis.status_reply('U') end
  local c = string.byte(p, ${HANDLE_LENGTH + 1})
  local kind = c % 4
  if kind == 3 then
    local task, i = math.floor(c / 8), ${HANDLE_LENGTH + 2}
    if task == 31 then task, i = uvar(p, i) end
    local round
    round, i = uvar(p, i)
    local answers = base .. ':a'
    local cur = redis.call('HGET', base, 'r')
    if not cur then return redis.status_reply('U') end
    if tonumber(cur) ~= round or redis.call('HEXISTS', answers, task) == 1 then
      redis.call('PUBLISH', h .. '!', string.char(2))
      return redis.status_reply('')
    end
    if math.floor(c / 4) % 2 == 1 then
      redis.call('PUBLISH', h .. '!', string.char(1) .. enc(round) .. enc(task) .. string.sub(p, i))
      return redis.status_reply('')
    end
    redis.call('HSET', answers, task, string.sub(p, i))
    local n = redis.call('HINCRBY', base, 'n', 1)
    local total = tonumber(redis.call('HGET', base, 'T'))
    if n == total then
      local fields = {}
      for t = 0, total - 1 do fields[t + 1] = t end
      local values = redis.call('HMGET', answers, unpack(fields))
      redis.call('PUBLISH', h .. '!', string.char(0) .. enc(round) .. table.concat(values))
    end
    return redis.status_reply('')
  end
  local msg = string.sub(p, ${HANDLE_LENGTH + 1})
  if kind == 0 then
    local i, round, total = ${HANDLE_LENGTH + 2}, nil, nil
    if math.floor(c / 4) % 2 == 1 then
      round, i = uvar(p, i)
    else
      local cur = redis.call('HGET', base, 'r')
      if not cur then return redis.status_reply('U') end
      round = tonumber(cur) + 1
    end
    if math.floor(c / 8) % 2 == 1 then
      total, i = uvar(p, i)
    else
      total = redis.call('HGET', base, 'T')
      if not total then return redis.status_reply('U') end
    end
    redis.call('HSET', base, 'r', round, 'T', total, 'n', 0)
    redis.call('DEL', base .. ':a')
    redis.call('XADD', base .. ':l', round .. '-*', 'm', msg)
    redis.call('EXPIRE', base, TTL)
    redis.call('EXPIRE', base .. ':l', TTL)
    redis.call('EXPIRE', 'zeroth:lean:' .. h, TTL)
  end
  return redis.call('PUBLISH', h, msg)
end
redis.register_function{function_name='${FUNCTION}', callback=z1, flags={'no-cluster'}}
`;

/** Loads the library (idempotent); a Redis without functions (before 7.0) is told clearly. */
export async function loadLibrary(redis: Redis, url: string): Promise<void> {
  try {
    await redis.function('LOAD', 'REPLACE', LIBRARY);
  } catch (e) {
    const text = String(e);
    if (/unknown command|unknown subcommand/i.test(text)) {
      throw new InvalidInput('redis', `the Redis server at ${url} has no FUNCTION command (it is older than 7.0)`, "Use Redis ≥ 7.0, or pass transport: 'bullmq'.");
    }
    throw new InvalidInput('redis', `the Redis server at ${url} refused to load zeroth's function library (${text})`, "Allow FUNCTION LOAD for this user, or pass transport: 'bullmq'.");
  }
}

/** True for the error of a call to a function that Redis does not have (it restarted since it was loaded). */
export function isMissingFunction(e: unknown): boolean {
  return /function not found/i.test(String(e));
}
