from nexus.core.tests.servers import fake_dns, local_server  # noqa: F401 - fixtures
