"""Origin rules of the WebSocket stack (the consumers' tests cover the whole handshake)."""

import pytest

from nexus.core.websocket import offered_token, origin_kind


@pytest.fixture
def hosts(settings):
    settings.ALLOWED_HOSTS = ["nexus.example", ".cohorts.example"]
    settings.CSRF_TRUSTED_ORIGINS = ["https://admin.partner.example", "https://*.trusted.example"]
    settings.CORS_ALLOWED_ORIGINS = ["http://localhost:3000", "https://frontend.example"]


@pytest.mark.parametrize(
    ("origin", "kind"),
    [
        ("https://nexus.example", "first-party"),
        ("http://nexus.example:8000", "first-party"),  # any scheme and port of an allowed host
        ("https://be-3.cohorts.example", "first-party"),  # a subdomain pattern
        ("https://admin.partner.example", "first-party"),
        ("https://x.trusted.example", "first-party"),
        ("http://admin.partner.example", None),  # trusted origins match their scheme
        ("http://localhost:3000", "cross-origin"),
        ("https://frontend.example", "cross-origin"),
        ("https://frontend.example:8443", None),
        ("https://evil.example", None),
        ("https://nexus.example.evil.example", None),
        ("null", None),
        ("file://nexus.example", None),
        ("", None),
        (None, None),
    ],
)
def test_origin_kind(hosts, origin, kind):
    assert origin_kind(origin) == kind


def test_the_token_comes_from_the_bearer_subprotocol_only():
    assert offered_token({"subprotocols": ["nexus.v1", "bearer.abc.def.ghi"]}) == "abc.def.ghi"
    assert offered_token({"subprotocols": ["nexus.v1"], "query_string": b"token=abc"}) is None
    assert offered_token({}) is None
