"""The Redis channel layer's pool: it waits for a connection, and its reads outlast the blocking receive."""

import asyncio

import pytest
from channels.layers import get_channel_layer
from redis.asyncio import BlockingConnectionPool

from nexus.core.channel_layer import RedisChannelLayer


def test_the_pool_waits_and_reads_outlast_the_blocking_receive():
    layer = RedisChannelLayer(
        hosts=[{"address": "redis://127.0.0.1:6379/5", "socket_timeout": 15, "max_connections": 3, "timeout": 2}]
    )
    pool = layer.create_pool(0)  # no connection is made yet
    assert isinstance(pool, BlockingConnectionPool)
    assert (pool.max_connections, pool.timeout) == (3, 2)
    assert pool.connection_kwargs["socket_timeout"] > layer.brpop_timeout
    assert pool.connection_kwargs["db"] == 5


@pytest.mark.asyncio
async def test_a_burst_of_group_changes_fits_the_configured_layer():
    """400 handshakes at once: more group changes in flight than the pool has connections."""
    layer = get_channel_layer()
    names = [await layer.new_channel() for _ in range(400)]
    await asyncio.gather(*(layer.group_add("core.burst", name) for name in names))
    await layer.group_send("core.burst", {"type": "ping"})
    received = await asyncio.gather(*(layer.receive(name) for name in names[:5]))
    await asyncio.gather(*(layer.group_discard("core.burst", name) for name in names))
    assert [m["type"] for m in received] == ["ping"] * 5
