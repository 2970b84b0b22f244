"""The outbound guard: hostile URLs, real servers on 127.0.0.1, redirects, budgets, DNS rebinding."""

from __future__ import annotations

import asyncio
import gzip
import ipaddress
import ssl
import time

import httpcore
import pytest
import trustme

from nexus.core import outbound
from nexus.core.errors import ApplicationError
from nexus.core.outbound import Limits, Policy
from nexus.core.tests.servers import Drip, Endless, Hang, Redirect, Reply

# Each form below must be refused, for the reason given, whatever the test's allow settings say
# nothing about (both are off here). DNS answers come from `fake_dns` (see DNS_ANSWERS).
HOSTILE = [
    # schemes and shapes
    ("file:///etc/passwd", "scheme"),
    ("gopher://127.0.0.1:6379/_INFO", "scheme"),
    ("ftp://example.com/pub", "scheme"),
    ("javascript:alert(1)", "scheme"),
    ("//example.com/no-scheme", "scheme"),
    ("http://user:pass@example.com/", "credentials"),
    ("http://example.com@127.0.0.1/", "credentials"),
    ("http://example.com\\@127.0.0.1/", "malformed"),
    ("http://127.0.0.1 /", "malformed"),
    ("http:///only-a-path", "malformed"),
    ("http://example.com:99999/", "malformed"),
    ("http://1.2.3.4.5/", "malformed"),
    ("http://[fe80::1%25eth0]/", "malformed"),
    # loopback, in every spelling
    ("http://127.0.0.1/", "loopback"),
    ("http://127.1/", "loopback"),
    ("http://2130706433/", "loopback"),
    ("http://0x7f.1/", "loopback"),
    ("http://0x7f000001/", "loopback"),
    ("http://0177.0.0.1/", "loopback"),
    ("http://017700000001/", "loopback"),
    ("http://127.000.000.001/", "loopback"),
    ("http://127.0.0.1./", "loopback"),
    ("http://%31%32%37.0.0.1/", "loopback"),
    ("http://１２７.０.０.１/", "loopback"),
    ("http://127。0。0。1/", "loopback"),
    ("http://127.0.0.1:6379/", "loopback"),
    ("http://localhost/", "loopback"),
    ("http://LOCALHOST./", "loopback"),
    ("http://api.localhost/", "loopback"),
    ("http://ⓛⓞⓒⓐⓛⓗⓞⓢⓣ/", "loopback"),
    ("http://[::1]/", "loopback"),
    ("http://[0:0:0:0:0:0:0:1]/", "loopback"),
    ("http://[::ffff:127.0.0.1]/", "loopback"),
    ("http://[::ffff:7f00:1]/", "loopback"),
    ("http://[::127.0.0.1]/", "loopback"),
    ("http://[::ffff:0:127.0.0.1]/", "loopback"),
    ("http://[64:ff9b::127.0.0.1]/", "loopback"),
    ("http://[2002:7f00:1::]/", "loopback"),
    ("http://[2001:0:4136:e378:8000:63bf:80ff:fffe]/", "loopback"),  # Teredo client 127.0.0.1
    # private, shared, link-local
    ("http://10.0.0.1/", "private"),
    ("http://172.16.5.4/", "private"),
    ("http://192.168.1.1/", "private"),
    ("http://0xc0.0xa8.1.1/", "private"),
    ("http://[fd00::1]/", "private"),
    ("http://[::ffff:10.0.0.1]/", "private"),
    ("http://100.64.0.1/", "shared"),
    ("http://169.254.169.254/latest/meta-data/", "link_local"),
    ("http://[fe80::1]/", "link_local"),
    ("http://[::ffff:a9fe:a9fe]/", "link_local"),
    ("http://[2002:a9fe:a9fe::]/", "link_local"),
    # unspecified, multicast, reserved, benchmarking, documentation
    ("http://0.0.0.0/", "unspecified"),
    ("http://0/", "unspecified"),
    ("http://[::]/", "unspecified"),
    ("http://224.0.0.1/", "multicast"),
    ("http://[ff02::1]/", "multicast"),
    ("http://240.0.0.1/", "reserved"),
    ("http://255.255.255.255/", "reserved"),
    ("http://192.0.0.8/", "reserved"),
    ("http://[100::1]/", "reserved"),
    ("http://198.18.0.1/", "benchmarking"),
    ("http://192.0.2.1/", "documentation"),
    ("http://[2001:db8::1]/", "documentation"),
    # names whose DNS answers are hostile
    ("http://metadata.nexus-test.example/", "link_local"),
    ("http://mixed.nexus-test.example/", "private"),
    ("http://mapped.nexus-test.example/", "private"),
    ("http://ula.nexus-test.example/", "private"),
    ("http://scoped.nexus-test.example/", "link_local"),
    ("http://loop.nexus-test.example./", "loopback"),
]
DNS_ANSWERS = {
    "metadata.nexus-test.example": ["169.254.169.254"],
    "mixed.nexus-test.example": ["93.184.215.14", "10.0.0.5"],
    "mapped.nexus-test.example": ["::ffff:10.0.0.1"],
    "ula.nexus-test.example": ["fd12:3456::1"],
    "scoped.nexus-test.example": ["fe80::1%eth0"],
    "loop.nexus-test.example": ["127.0.0.1"],
}
NEEDS_DNS = {url for url, _ in HOSTILE if "nexus-test.example" in url}


@pytest.fixture
def dns(fake_dns):
    for name, answers in DNS_ANSWERS.items():
        fake_dns[name] = answers
    return fake_dns


@pytest.fixture
def loopback(settings):
    settings.NEXUS_OUTBOUND_ALLOW_LOOPBACK = True


def test_the_corpus_is_large_enough():
    assert len(HOSTILE) >= 28
    assert len({url for url, _ in HOSTILE}) == len(HOSTILE)


@pytest.mark.parametrize(("url", "reason"), HOSTILE, ids=[url for url, _ in HOSTILE])
def test_hostile_url_is_refused_without_a_connection(url, reason, dns, settings):
    settings.NEXUS_OUTBOUND_ALLOW_LOOPBACK = False
    settings.NEXUS_OUTBOUND_ALLOW_PRIVATE = False

    with pytest.raises(outbound.OutboundRefused) as refused:
        outbound.request("GET", url)

    assert refused.value.reason == reason
    assert refused.value.message
    assert dns.lookups == ([url.split("/")[2].rstrip(".").lower()] if url in NEEDS_DNS else [])


@pytest.mark.parametrize(
    ("url", "reason"),
    [(u, r) for u, r in HOSTILE if u not in NEEDS_DNS],
    ids=[u for u, _ in HOSTILE if u not in NEEDS_DNS],
)
def test_registration_refuses_what_can_never_pass(url, reason, fake_dns):
    with pytest.raises(ApplicationError) as refused:
        outbound.validate_url(url, field="url")

    assert refused.value.code == "url_not_allowed"
    assert refused.value.status == 400
    assert refused.value.extra["reason"] == reason
    assert refused.value.extra["errors"] == {"url": [refused.value.message]}
    assert fake_dns.lookups == []  # registration never asks DNS


def test_registration_accepts_names_and_returns_the_canonical_url(fake_dns):
    assert outbound.validate_url("HTTPS://Hooks.Example.COM.:443/api/hook?x=1#frag") == (
        "https://hooks.example.com/api/hook?x=1"
    )
    assert outbound.validate_url("http://münchen.example/") == "http://xn--mnchen-3ya.example/"
    assert outbound.validate_url("http://93.184.215.14:8080") == "http://93.184.215.14:8080/"
    assert fake_dns.lookups == []


def test_refusal_messages_name_the_address_and_never_the_path():
    with pytest.raises(outbound.OutboundRefused) as refused:
        outbound.check_url("http://0x7f.1/hooks/secret-token?key=hunter2")

    assert str(refused.value) == "127.0.0.1 is a loopback address (this machine); Nexus does not send requests there."
    assert "secret-token" not in str(refused.value) and "hunter2" not in str(refused.value)


def test_embedded_ipv4_is_judged_by_the_ipv4_address():
    def reason(text):
        return outbound.address_refusal(ipaddress.ip_address(text), Policy())

    assert reason("::ffff:93.184.215.14") is None  # a public IPv4 host, reached over IPv6
    assert reason("64:ff9b::93.184.215.14") is None  # NAT64 of a public host
    assert reason("2002:5db8:d70e::1") is None  # 6to4 of a public host
    assert reason("2606:4700::1111") is None
    assert reason("::93.184.215.14") == "reserved"  # IPv4-compatible: deprecated
    assert reason("2001:0:4136:e378:8000:63bf:a247:28f1") == "reserved"  # Teredo to a public client


def test_policy_allows_loopback_and_private_separately_but_never_link_local():
    loop, private, both = Policy(allow_loopback=True), Policy(allow_private=True), Policy(True, True)

    assert outbound.check_url("http://127.0.0.1:8000/", loop).host == "127.0.0.1"
    assert outbound.check_url("http://localhost/", loop).host == "localhost"
    assert outbound.check_url("http://[::ffff:127.0.0.1]/", loop).ip is not None
    assert outbound.check_url("http://10.1.2.3/", private).host == "10.1.2.3"
    assert outbound.check_url("http://[fd00::1]/", private).host == "fd00::1"
    with pytest.raises(outbound.OutboundRefused, match="private"):
        outbound.check_url("http://10.1.2.3/", loop)
    with pytest.raises(outbound.OutboundRefused, match="loopback"):
        outbound.check_url("http://127.0.0.1/", private)
    for url in ("http://169.254.169.254/", "http://100.64.0.1/", "http://[fe80::1]/", "http://0.0.0.0/"):
        with pytest.raises(outbound.OutboundRefused):
            outbound.check_url(url, both)


# --- Real servers --------------------------------------------------------------------------


def test_a_request_reaches_an_allowed_server_with_its_headers(local_server, loopback):
    server = local_server()
    server.answer(Reply(201, b'{"ok": true}', {"Content-Type": "application/json; charset=utf-8"}))

    response = outbound.request(
        "POST", server.url("/hook?x=1"), content=b"{}", headers={"Content-Type": "application/json"}
    )

    assert (response.status_code, response.content, response.text) == (201, b'{"ok": true}', '{"ok": true}')
    assert response.ok and not response.truncated and response.redirects == ()
    assert response.address == "127.0.0.1"
    [received] = server.requests
    assert (received.method, received.path, received.body) == ("POST", "/hook?x=1", b"{}")
    assert received.headers["host"] == f"127.0.0.1:{server.port}"
    assert received.headers["user-agent"] == outbound.USER_AGENT
    assert received.headers["accept-encoding"] == "identity"


def test_loopback_is_refused_unless_the_setting_allows_it(local_server, settings):
    server = local_server()
    settings.NEXUS_OUTBOUND_ALLOW_LOOPBACK = False

    with pytest.raises(outbound.OutboundRefused) as refused:
        outbound.request("GET", server.url())

    assert refused.value.reason == "loopback"
    assert server.requests == []


def test_proxy_environment_variables_are_ignored(local_server, loopback, monkeypatch):
    # A proxy would be asked to fetch the URL for us, out of the guard's sight.
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")
    monkeypatch.setenv("ALL_PROXY", "http://127.0.0.1:9")
    server = local_server()

    assert outbound.request("GET", server.url()).status_code == 200
    assert len(server.requests) == 1


def test_redirects_are_followed_and_each_hop_is_vetted(local_server, loopback):
    server = local_server()
    server.answer(Redirect("/second", 303), Redirect(server.url("/third"), 307), Reply(200, b"done"))

    response = outbound.request("POST", server.url("/first"), content=b"payload", headers={"Authorization": "t"})

    assert response.content == b"done"
    assert response.redirects == (server.url("/second"), server.url("/third"))
    assert [(r.method, r.path, r.body) for r in server.requests] == [
        ("POST", "/first", b"payload"),
        ("GET", "/second", b""),  # 303: the method becomes GET and the body is dropped
        ("GET", "/third", b""),
    ]
    assert server.requests[2].headers["authorization"] == "t"  # same origin keeps credentials


def test_credentials_do_not_follow_a_redirect_to_another_origin(local_server, loopback):
    other = local_server()
    server = local_server()
    server.answer(Redirect(other.url("/elsewhere"), 307))

    outbound.request("GET", server.url(), headers={"Authorization": "Bearer secret", "X-Keep": "1"})

    [received] = other.requests
    assert "authorization" not in received.headers
    assert received.headers["x-keep"] == "1"


@pytest.mark.parametrize(
    ("location", "reason"),
    [
        ("http://10.1.2.3/admin", "private"),
        ("http://169.254.169.254/latest/meta-data/iam/", "link_local"),
        ("http://[::ffff:192.168.0.1]/", "private"),
        ("file:///etc/passwd", "scheme"),
        ("http://metadata.nexus-test.example/", "link_local"),  # vetted when its DNS answer comes
    ],
)
def test_a_redirect_to_a_forbidden_address_is_refused(local_server, loopback, dns, location, reason):
    server = local_server()
    server.answer(Redirect(location))

    with pytest.raises(outbound.OutboundRefused) as refused:
        outbound.request("GET", server.url("/start"))

    assert refused.value.reason == reason
    assert len(server.requests) == 1


def test_a_redirect_loop_stops_at_the_limit(local_server, loopback):
    server = local_server()
    server.answer(Redirect("/again"))

    started = time.monotonic()
    with pytest.raises(outbound.TooManyRedirects) as refused:
        outbound.request("GET", server.url(), limits=Limits(max_redirects=3))

    assert refused.value.reason == "redirects"
    assert str(refused.value) == "127.0.0.1 redirected more than 3 times."
    assert len(server.requests) == 4  # the first request and three redirects
    assert time.monotonic() - started < 5


def test_redirects_are_not_followed_when_the_caller_says_so(local_server, loopback):
    server = local_server()
    server.answer(Redirect("http://10.0.0.1/"))

    response = outbound.request("GET", server.url(), follow_redirects=False)

    assert response.status_code == 302
    assert response.headers["location"] == "http://10.0.0.1/"


def test_a_hanging_server_times_out(local_server, loopback):
    server = local_server()
    server.answer(Hang(30))

    started = time.monotonic()
    with pytest.raises(outbound.OutboundTimeout) as timed_out:
        outbound.request("GET", server.url(), limits=Limits(read_timeout=0.5))

    assert timed_out.value.reason == "timeout"
    assert 0.4 < time.monotonic() - started < 3
    assert len(server.requests) == 1


def test_a_server_dribbling_bytes_is_stopped_by_the_total_deadline(local_server, loopback):
    # each byte comes well within the read timeout, so only the total deadline can end this
    server = local_server()
    server.answer(Drip(interval=0.1, count=200))

    started = time.monotonic()
    with pytest.raises(outbound.OutboundTimeout) as timed_out:
        outbound.request("GET", server.url(), limits=Limits(read_timeout=2, total_timeout=1))

    assert "total limit of 1 s" in str(timed_out.value)
    assert 0.9 < time.monotonic() - started < 3


def test_a_closed_port_is_a_connect_error(loopback):
    with pytest.raises(outbound.OutboundConnectError) as failed:
        outbound.request("GET", "http://127.0.0.1:9/", limits=Limits(connect_timeout=2))

    assert failed.value.reason == "connect"


def test_a_huge_body_is_cut_at_the_cap(local_server, loopback):
    server = local_server()
    server.answer(Endless())

    started = time.monotonic()
    response = outbound.request("GET", server.url(), limits=Limits(max_bytes=100_000), truncate=True)

    assert response.truncated
    assert response.content == b"x" * 100_000
    assert time.monotonic() - started < 3

    with pytest.raises(outbound.ResponseTooLarge) as too_large:
        outbound.request("GET", server.url(), limits=Limits(max_bytes=100_000))
    assert too_large.value.reason == "too_large"


def test_a_declared_length_over_the_cap_is_refused_before_reading(local_server, loopback):
    server = local_server()
    server.answer(Endless(declared_length=10**12))

    with pytest.raises(outbound.ResponseTooLarge, match="more than 1000 bytes"):
        outbound.request("GET", server.url(), limits=Limits(max_bytes=1000))


def test_a_compressed_body_is_capped_after_decompression(local_server, loopback):
    bomb = gzip.compress(b"\0" * 20_000_000)  # 20 MB that travels as about 20 kB
    server = local_server()
    server.answer(
        Reply(200, bomb, {"Content-Encoding": "gzip"}),
        Reply(200, gzip.compress(b"small"), {"Content-Encoding": "gzip"}),
    )

    response = outbound.request("GET", server.url(), limits=Limits(max_bytes=50_000), truncate=True)
    small = outbound.request("GET", server.url(), limits=Limits(max_bytes=50_000))

    assert len(bomb) < 50_000
    assert response.truncated and response.content == b"\0" * 50_000
    assert small.content == b"small" and not small.truncated


# --- DNS rebinding -------------------------------------------------------------------------


def test_the_connection_goes_to_the_address_that_was_vetted(local_server, loopback, fake_dns):
    # given a name whose first answer is allowed and every later answer is a private address
    server = local_server()
    fake_dns["rebind.nexus-test.example"] = [["127.0.0.1"], ["10.0.0.7"]]

    # when
    response = outbound.request("GET", server.url("/", host="rebind.nexus-test.example"))

    # then DNS was asked once, and the socket went to that answer; Host keeps the name
    assert fake_dns.lookups == ["rebind.nexus-test.example"]
    assert response.status_code == 200 and response.address == "127.0.0.1"
    assert server.requests[0].headers["host"] == f"rebind.nexus-test.example:{server.port}"

    # and the next connection is vetted again: the private answer is refused
    with pytest.raises(outbound.OutboundRefused, match=r"resolves to 10\.0\.0\.7"):
        outbound.request("GET", server.url("/", host="rebind.nexus-test.example"))
    assert len(server.requests) == 1


class _RecordingBackend(httpcore.NetworkBackend):
    """Stands in for the sockets to a public address, which would leave the machine."""

    def __init__(self):
        self.connects = []

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        self.connects.append((host, port))
        raise httpcore.ConnectError("not leaving the test machine")


def test_rebinding_from_a_public_address_to_loopback_never_reaches_loopback(local_server, fake_dns, settings):
    # given a public first answer, then loopback (a local server waits there)
    settings.NEXUS_OUTBOUND_ALLOW_LOOPBACK = False
    server = local_server()
    fake_dns["rebind.nexus-test.example"] = [["93.184.215.14"], ["127.0.0.1"]]
    sockets = _RecordingBackend()
    backend = outbound.GuardedBackend(Policy(), inner=sockets)

    # when a connection is opened, and then another one
    with pytest.raises(httpcore.ConnectError):
        backend.connect_tcp("rebind.nexus-test.example", server.port)
    with pytest.raises(outbound.OutboundRefused) as refused:
        backend.connect_tcp("rebind.nexus-test.example", server.port)

    # then the first went to the vetted public address, the second was refused, loopback saw nothing
    assert sockets.connects == [("93.184.215.14", server.port)]
    assert refused.value.reason == "loopback"
    assert server.requests == []


def test_a_name_with_one_forbidden_answer_is_refused_whatever_the_order(local_server, loopback, fake_dns, settings):
    settings.NEXUS_OUTBOUND_ALLOW_LOOPBACK = False
    server = local_server()
    fake_dns["both.nexus-test.example"] = ["93.184.215.14", "127.0.0.1"]

    with pytest.raises(outbound.OutboundRefused, match=r"resolves to 127\.0\.0\.1"):
        outbound.request("GET", server.url("/", host="both.nexus-test.example"))
    assert server.requests == []


# --- TLS keeps the hostname ----------------------------------------------------------------


@pytest.fixture
def ca():
    return trustme.CA()


def _tls_server(local_server, ca, name):
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert(name).configure_cert(context)
    return local_server(ssl_context=context)


def _trusting(ca):
    context = ssl.create_default_context()
    ca.configure_trust(context)
    return context


def test_tls_verifies_the_hostname_while_connecting_to_the_pinned_address(local_server, loopback, fake_dns, ca):
    server = _tls_server(local_server, ca, "hooks.nexus-test.example")
    fake_dns["hooks.nexus-test.example"] = ["127.0.0.1"]

    response = outbound.request("GET", server.url("/tls", host="hooks.nexus-test.example"), ssl_context=_trusting(ca))

    assert response.status_code == 200 and response.address == "127.0.0.1"
    assert server.server_names == ["hooks.nexus-test.example"]
    assert server.requests[0].headers["host"] == f"hooks.nexus-test.example:{server.port}"


def test_tls_refuses_a_certificate_for_another_name(local_server, loopback, fake_dns, ca):
    server = _tls_server(local_server, ca, "other.nexus-test.example")
    fake_dns["hooks.nexus-test.example"] = ["127.0.0.1"]

    with pytest.raises(outbound.OutboundConnectError) as failed:
        outbound.request("GET", server.url("/", host="hooks.nexus-test.example"), ssl_context=_trusting(ca))

    assert failed.value.reason == "tls"
    assert server.requests == []


def test_tls_refuses_an_untrusted_certificate(local_server, loopback, fake_dns, ca):
    server = _tls_server(local_server, ca, "hooks.nexus-test.example")
    fake_dns["hooks.nexus-test.example"] = ["127.0.0.1"]

    with pytest.raises(outbound.OutboundConnectError) as failed:
        outbound.request("GET", server.url("/", host="hooks.nexus-test.example"))  # the system trust store

    assert failed.value.reason == "tls"


# --- The async client shares all of it ------------------------------------------------------


def test_async_client_runs_many_requests_on_one_pool(local_server, loopback):
    server = local_server()
    server.answer(Reply(200, b"pong"))

    async def check_all():
        async with outbound.AsyncOutboundClient(max_connections=5) as client:
            return await asyncio.gather(*(client.request("GET", server.url(f"/{i}")) for i in range(20)))

    responses = asyncio.run(check_all())

    assert [r.content for r in responses] == [b"pong"] * 20
    assert sorted(r.path for r in server.requests) == sorted(f"/{i}" for i in range(20))


def test_async_requests_queued_for_a_connection_keep_their_whole_time_budget(local_server, loopback):
    # three requests on one connection, each answered in 0.4 s, each with 1 s in total
    server = local_server()
    server.answer(Reply(200, b"slow", delay=0.4))

    async def check_all():
        async with outbound.AsyncOutboundClient(max_connections=1, limits=Limits(total_timeout=1)) as client:
            return await asyncio.gather(*(client.request("GET", server.url(f"/{i}")) for i in range(3)))

    started = time.monotonic()
    responses = asyncio.run(check_all())

    assert [r.content for r in responses] == [b"slow"] * 3
    assert time.monotonic() - started >= 1.2  # one at a time, and none ran out of time waiting
    assert all(r.elapsed < 1 for r in responses)


def test_async_client_applies_the_same_guard_and_budgets(local_server, fake_dns, settings):
    settings.NEXUS_OUTBOUND_ALLOW_LOOPBACK = True
    hanging, looping, huge = local_server(), local_server(), local_server()
    hanging.answer(Hang(30))
    looping.answer(Redirect("http://169.254.169.254/"))
    huge.answer(Endless())
    fake_dns["rebind.nexus-test.example"] = [["127.0.0.1"], ["10.0.0.7"]]
    limits = Limits(read_timeout=0.5, max_bytes=10_000)

    async def run(client, url, **kwargs):
        try:
            return await client.request("GET", url, **kwargs)
        except outbound.OutboundError as exc:
            return exc.reason

    async def check_all():
        async with outbound.AsyncOutboundClient(limits=limits) as client:
            return await asyncio.gather(
                run(client, "http://10.0.0.1/"),
                run(client, hanging.url()),
                run(client, looping.url()),
                run(client, huge.url()),
                run(client, huge.url(), truncate=True),
            )

    started = time.monotonic()
    private, hang, redirect, too_large, truncated = asyncio.run(check_all())

    assert (private, hang, redirect, too_large) == ("private", "timeout", "link_local", "too_large")
    assert truncated.truncated and len(truncated.content) == 10_000
    assert time.monotonic() - started < 3

    async def rebinding():
        async with outbound.AsyncOutboundClient() as client:
            first = await client.request(
                "GET", looping.url("/", host="rebind.nexus-test.example"), follow_redirects=False
            )
            try:
                await client.request("GET", hanging.url("/", host="rebind.nexus-test.example"))
            except outbound.OutboundRefused as exc:
                return first, exc

    first, refused = asyncio.run(rebinding())
    assert first.status_code == 302 and first.address == "127.0.0.1"
    assert refused.reason == "private"
    assert len(hanging.requests) == 1  # only the earlier timed-out request


def test_deploy_checks_warn_when_the_guard_is_loosened(settings):
    from django.core.checks import run_checks

    settings.NEXUS_OUTBOUND_ALLOW_LOOPBACK = False
    settings.NEXUS_OUTBOUND_ALLOW_PRIVATE = False
    assert not [m for m in run_checks(include_deployment_checks=True) if m.id.startswith("nexus.")]

    settings.NEXUS_OUTBOUND_ALLOW_LOOPBACK = True
    settings.NEXUS_OUTBOUND_ALLOW_PRIVATE = True
    found = {m.id for m in run_checks(include_deployment_checks=True) if m.id.startswith("nexus.")}
    assert found == {"nexus.W001", "nexus.W002"}
