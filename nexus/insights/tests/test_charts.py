from xml.etree import ElementTree

from nexus.insights.charts import Series, bar_chart

SVG = "{http://www.w3.org/2000/svg}"


def _parse(svg: str) -> ElementTree.Element:
    return ElementTree.fromstring(  # noqa: S314
        svg.replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1)
    )


def test_bars_are_scaled_to_a_round_maximum_and_labelled():
    svg = bar_chart(
        title="Activity",
        chart_id="c",
        labels=["02 Nov", "09 Nov"],
        series=[Series("Entries published", "entries", [10, 3]), Series("Messages posted", "messages", [0, 7])],
        height=228,  # a plot area of 228 - 28 - 34 = 166 px
    )

    root = _parse(svg)
    bars = [r for r in root.iter(f"{SVG}rect") if r.find(f"{SVG}title") is not None]
    assert [(r.get("class"), r.get("height"), r.find(f"{SVG}title").text) for r in bars] == [
        ("chart__bar chart__bar--entries", "138.3", "02 Nov: 10 entries published"),
        ("chart__bar chart__bar--messages", "0.0", "02 Nov: 0 messages posted"),
        ("chart__bar chart__bar--entries", "41.5", "09 Nov: 3 entries published"),
        ("chart__bar chart__bar--messages", "96.8", "09 Nov: 7 messages posted"),
    ]  # on a scale of 0 to 12 in steps of 3
    assert [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "chart__tick"] == ["0", "3", "6", "9", "12"]
    assert root.find(f"{SVG}title").text == "Activity"
    assert root.find(f"{SVG}desc").text == (
        "02 Nov: 10 entries published, 0 messages posted; 09 Nov: 3 entries published, 7 messages posted"
    )
    assert root.get("role") == "img"


def test_text_is_escaped():
    svg = bar_chart(title="<script>", chart_id="c", labels=["a&b"], series=[Series("<x>", "entries", [1])])

    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    assert "a&amp;b" in svg
    _parse(svg)  # still well-formed


def test_an_empty_chart_still_draws_its_axis():
    svg = bar_chart(title="Nothing", chart_id="c", labels=["w1"], series=[Series("Entries", "entries", [0])])

    ticks = [t.text for t in _parse(svg).iter(f"{SVG}text") if t.get("class") == "chart__tick"]
    assert ticks == ["0", "1", "2", "3", "4"]
