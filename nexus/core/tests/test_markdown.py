from nexus.core.markdown import render_markdown


def test_renders_commonmark_tables_and_strikethrough():
    html = render_markdown("# Title\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n~~old~~ **bold**")

    assert "<h1>Title</h1>" in html
    assert "<table>" in html and "<td>1</td>" in html
    assert "<s>old</s>" in html and "<strong>bold</strong>" in html


def test_strips_scripts_event_handlers_and_dangerous_urls():
    html = render_markdown(
        '<script>alert(1)</script>\n\n<img src="https://x.test/a.png" onerror="alert(1)">\n\n'
        '[click](javascript:alert(1)) <a href="data:text/html,x">d</a> <iframe src="https://x.test"></iframe>'
    )

    assert "<script" not in html and "alert(1)</script>" not in html
    assert "onerror" not in html
    assert 'href="javascript' not in html and "data:text" not in html
    assert '<a rel="noopener noreferrer nofollow">d</a>' in html  # the data: URL is gone
    assert "<iframe" not in html
    assert '<img src="https://x.test/a.png">' in html


def test_links_get_safe_rel_and_keep_allowed_html():
    html = render_markdown("[docs](https://docs.test) <details><summary>More</summary>hidden</details>")

    assert '<a href="https://docs.test" rel="noopener noreferrer nofollow">docs</a>' in html
    assert "<details><summary>More</summary>hidden</details>" in html


def test_empty_text_renders_empty():
    assert render_markdown("") == ""
