"""The OpenAPI schema is valid and its documentation pages load nothing from outside the server."""

import re

import pytest
import yaml
from django.core.management import call_command

pytestmark = pytest.mark.django_db

ASSET = re.compile(r"""(?:src|href)\s*=\s*["']([^"']+)["']""", re.I)


def test_schema_validates_without_warnings(tmp_path):
    out = tmp_path / "openapi.yaml"

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))

    schema = yaml.safe_load(out.read_text())
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/entries/" in schema["paths"]
    assert schema["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"


def test_schema_endpoint_serves_openapi(client):
    response = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")

    assert response.status_code == 200
    assert response.json()["info"]["title"] == "Nexus API"


@pytest.mark.parametrize("page", ["/api/docs/", "/api/redoc/"])
def test_docs_pages_load_only_local_assets(client, page):
    response = client.get(page)
    html = response.content.decode()

    assets = ASSET.findall(html)
    assert response.status_code == 200
    assert assets, "expected the page to reference its scripts and styles"
    for asset in assets:
        assert asset.startswith("/"), f"{page} loads {asset} from outside the server"
        assert not asset.startswith("//"), f"{page} loads {asset} from outside the server"
    for asset in [a for a in assets if a.startswith("/static/")]:
        assert client.get(asset).status_code == 200, f"{asset} is not served"
    assert "cdn" not in html.lower()
    assert "https://" not in html and "http://" not in html


def test_swagger_ui_does_not_call_the_public_validator(client):
    html = client.get("/api/docs/").content.decode()

    assert '"validatorUrl": null' in html
