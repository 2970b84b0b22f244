"""`make screenshots`: a PNG of every page at desktop (1280 px) and mobile (390 px) width in var/screenshots/.

Builds the site of e2e/site.py in a fresh SQLite file (var/screenshots.sqlite3), serves it with
the browser tests' server (e2e/server.py), and photographs each page full length with Debian's
Chromium, signed in as the member who would see it.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "var" / "screenshots"
DB = ROOT / "var" / "screenshots.sqlite3"
WIDTHS = {"desktop": (1280, 900), "mobile": (390, 844)}
# SCREENSHOTS_DARK=1 adds a pass at desktop width in the dark theme (files end in -dark.png).
PASSES = [(label, size, "light") for label, size in WIDTHS.items()]
if os.environ.get("SCREENSHOTS_DARK") == "1":
    PASSES.append(("dark", WIDTHS["desktop"], "dark"))


def main() -> int:
    sys.path.insert(0, str(ROOT))
    for suffix in ("", "-wal", "-shm"):
        Path(f"{DB}{suffix}").unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{DB}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    for name in ("REDIS_URL", "CELERY_BROKER_URL"):
        os.environ.pop(name, None)
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from e2e import site
    from e2e.server import serve
    from nexus.accounts.models import User

    call_command("migrate", verbosity=0, interactive=False)
    ids = site.build()
    chromium = os.environ.get("NEXUS_CHROMIUM") or shutil.which("chromium")
    if not chromium:
        print("screenshots: Debian's Chromium is missing (apt-get install -y chromium)", file=sys.stderr)
        return 1
    OUT.mkdir(parents=True, exist_ok=True)
    sessions: dict[str, str] = {}
    for username in {p.user for p in site.pages(ids) if p.user}:
        client = Client()
        client.force_login(User.objects.get(username=username))
        sessions[username] = client.cookies["sessionid"].value
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's loop runs in this thread from here on
    written = 0
    with serve() as server, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium)
        for label, (width, height), scheme in PASSES:
            contexts = {}
            for page_spec in site.pages(ids):
                context = contexts.get(page_spec.user)
                if context is None:
                    context = contexts[page_spec.user] = browser.new_context(
                        base_url=server.url,
                        viewport={"width": width, "height": height},
                        is_mobile=width < 600,
                        color_scheme=scheme,
                    )
                    if page_spec.user:
                        context.add_cookies(
                            [{"name": "sessionid", "value": sessions[page_spec.user], "url": server.url}]
                        )
                page = context.new_page()
                page.goto(page_spec.path)
                page.wait_for_load_state("networkidle")
                path = OUT / f"{page_spec.name}-{label}.png"
                page.screenshot(path=str(path), full_page=True)
                page.close()
                written += 1
            # The notifications menu, open (ada was mentioned).
            page = contexts["ada"].new_page()
            page.goto("/channels/")
            page.locator("#notifications-count").wait_for()
            page.locator("#notifications-menu > summary").click()
            page.locator("#notifications-list .notif").first.wait_for()
            page.screenshot(path=str(OUT / f"notifications-menu-{label}.png"))
            page.close()
            written += 1
            for context in contexts.values():
                context.close()
        browser.close()
    print(f"screenshots: {written} PNGs in {OUT.relative_to(ROOT)}/")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
