"""Rate limits per API token that hold across gunicorn workers (no Flask, no database).

A sliding window of ``period`` seconds, approximated from two fixed windows: the calls in
the current window plus those of the previous one weighted by how much of it still lies in
the last ``period`` seconds. A call that is refused is not counted, so a client that waits
as told by Retry-After gets through.

Counters live in Redis when REDIS_URL is configured (shared by every host), else in small
files under the instance folder locked with flock (shared by every worker on this host,
which is how gunicorn runs the desk). Nothing goes to the database: a refused call leaves
no row behind.
"""

import fcntl
import logging
import math
import os
import time
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

# Atomic in Redis: read both windows, refuse or count, in one step.
_SCRIPT = """
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
local previous = tonumber(redis.call('GET', KEYS[2]) or '0')
if previous * tonumber(ARGV[1]) + current >= tonumber(ARGV[2]) then
  return {0, current, previous}
end
current = redis.call('INCR', KEYS[1])
redis.call('EXPIRE', KEYS[1], ARGV[3])
return {1, current, previous}
"""


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    limit: int
    remaining: int
    retry_after: int  # seconds until a call would be allowed again (0 when allowed)


def _retry_after(limit: int, period: float, offset: float, current: int, previous: int) -> int:
    """Seconds until previous * (1 - x / period) + current drops below the limit."""
    if current < limit:
        wait = period * (1 - (limit - current) / previous) - offset if previous else 0
    else:  # not before the next window, where this window's calls become the weighted ones
        wait = (period - offset) + period * (1 - limit / current)
    return max(1, math.ceil(wait))


class FileCounters:
    """Two windows' counts per key, one small locked file each, in ``folder``."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)

    def hit(self, key: str, window: int, weight: float, limit: int) -> tuple[bool, int, int]:
        self.folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.folder / key, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            try:
                stored, current, previous = (int(x) for x in os.pread(fd, 64, 0).split())
            except ValueError:  # new, or damaged: start counting afresh
                stored, current, previous = window, 0, 0
            if stored != window:
                previous = current if stored == window - 1 else 0
                current = 0
            allowed = previous * weight + current < limit
            current += allowed
            record = f"{window} {current} {previous}".encode()
            os.pwrite(fd, record.ljust(64), 0)
            return allowed, current, previous
        finally:
            os.close(fd)  # also releases the lock


class RedisCounters:
    def __init__(self, url: str, prefix: str = "moderation:ratelimit:"):
        import redis

        self.errors = redis.RedisError
        self.client = redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)
        self.script = self.client.register_script(_SCRIPT)
        self.prefix = prefix

    def hit(self, key: str, window: int, weight: float, limit: int,
            period: int = 60) -> tuple[bool, int, int]:
        keys = [f"{self.prefix}{key}:{window}", f"{self.prefix}{key}:{window - 1}"]
        allowed, current, previous = self.script(keys=keys, args=[repr(weight), limit,
                                                                  2 * period])
        return bool(allowed), int(current), int(previous)


class Limiter:
    """``hit(key, limit)`` counts a call against ``limit`` calls per ``period`` seconds."""

    def __init__(self, folder: Path, *, period: int = 60, redis_url: str = ""):
        self.period = period
        self.files = FileCounters(folder)
        self.redis = RedisCounters(redis_url) if redis_url else None

    def hit(self, key: str, limit: int, now: float | None = None) -> Verdict:
        now = time.time() if now is None else now
        window, offset = divmod(now, self.period)
        window = int(window)
        weight = 1 - offset / self.period
        counts = None
        if self.redis is not None:
            try:
                counts = self.redis.hit(key, window, weight, limit, self.period)
            except self.redis.errors as exc:  # an outage must not stop the API
                log.warning("rate limit: Redis unavailable (%s); counting on this host", exc)
        if counts is None:
            counts = self.files.hit(key, window, weight, limit)
        allowed, current, previous = counts
        used = previous * weight + current
        if allowed:
            return Verdict(True, limit, max(0, math.floor(limit - used)), 0)
        return Verdict(False, limit, 0,
                       _retry_after(limit, self.period, offset, current, previous))
