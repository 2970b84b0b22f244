"""The Redis channel layer (services mode), with a connection pool that waits instead of failing.

channels_redis builds a plain redis-py pool, which since redis-py 8 holds at most 100
connections and raises `MaxConnectionsError` beyond them -- a burst of WebSocket handshakes or
disconnects (one `group_add`/`group_discard` each, all at once) failed that way in
`bench/ws_fanout.py`. Here the pool is a `BlockingConnectionPool`: past `max_connections` a
command waits up to `timeout` seconds for a free connection. The `hosts` entries of
CHANNEL_LAYERS (settings) carry the pool's options next to the `address`.
"""

from __future__ import annotations

from typing import Any

from channels_redis.core import RedisChannelLayer as BaseRedisChannelLayer
from redis import asyncio as aioredis


class RedisChannelLayer(BaseRedisChannelLayer):
    def create_pool(self, index: int) -> Any:
        host = dict(self.hosts[index])
        address = host.pop("address")
        return aioredis.BlockingConnectionPool.from_url(address, **host)
