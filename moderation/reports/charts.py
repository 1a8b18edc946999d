"""Charts drawn on the server as inline SVG (pygal), with no script and nothing loaded from outside."""

import sys
from collections.abc import Sequence

import pygal
from lxml import etree
from markupsafe import Markup
from pygal.style import Style

# pygal adds an import finder for its map plugins (not used here) that lacks find_spec, so
# every failed optional import elsewhere (feedparser trying cchardet...) would raise an
# ImportWarning; take it out again.
sys.meta_path[:] = [f for f in sys.meta_path if not isinstance(f, pygal.PluginImportFixer)]

# Chinese publisher names need a CJK font; the first one installed wins.
FONTS = ('"Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "PingFang SC", '
         '"Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif')
COLOURS = ("#2f5aa8", "#d9822b", "#3b8f5a", "#9b4dca", "#c0392b", "#7f8c8d")
STYLE = Style(font_family=FONTS, background="transparent", plot_background="#ffffff",
              colors=COLOURS, title_font_size=15, legend_font_size=12, label_font_size=11,
              major_label_font_size=11, value_font_size=11, tooltip_font_size=12)
LABEL_LENGTH = 28


def _options(title: str, height: int) -> dict:
    return {"title": title, "style": STYLE, "js": [], "disable_xml_declaration": True,
            "width": 760, "height": height, "legend_at_bottom": True, "print_values": False,
            "truncate_label": LABEL_LENGTH, "truncate_legend": LABEL_LENGTH, "margin": 12}


def svg(chart: pygal.graph.graph.Graph) -> Markup:
    """The chart as inline SVG: text escaped by the XML writer, pygal's script removed.

    pygal builds the SVG as an element tree, so labels (publisher names, which come from
    outside) are serialised as text and escaped; the only thing marked safe is that output.
    """
    tree = chart.render_tree()
    for node in tree.xpath("//*[local-name()='script'] | //comment()"):
        node.getparent().remove(node)
    tree.set("role", "img")
    tree.set("aria-label", str(chart.config.title or ""))
    return Markup(etree.tostring(tree, encoding="unicode"))


def has_data(series: dict[str, Sequence[float]]) -> bool:
    return any(value for values in series.values() for value in values if value)


def bars(title: str, labels: Sequence[str], series: dict[str, Sequence[float]], *,
         stacked: bool = True, horizontal: bool = True) -> Markup | None:
    """Bars per label (one colour per series); None when every value is zero."""
    if not labels or not has_data(series):
        return None
    kind = {(True, True): pygal.HorizontalStackedBar, (True, False): pygal.StackedBar,
            (False, True): pygal.HorizontalBar, (False, False): pygal.Bar}[(stacked, horizontal)]
    height = max(260, 90 + 26 * len(labels)) if horizontal else 340
    chart = kind(**_options(title, height), show_legend=len(series) > 1)
    # Horizontal bars list the first label at the bottom; reverse so the biggest comes first.
    order = list(reversed(range(len(labels)))) if horizontal else list(range(len(labels)))
    chart.x_labels = [str(labels[i]) for i in order]
    for name, values in series.items():
        chart.add(str(name), [values[i] or None for i in order])
    return svg(chart)


def timeline(title: str, labels: Sequence[str], series: dict[str, Sequence[float]]
             ) -> Markup | None:
    """Counts over time, one line per series; None when there is nothing to draw."""
    if not labels or not has_data(series):
        return None
    chart = (pygal.Bar if len(labels) < 3 else pygal.Line)(
        **_options(title, 340), x_label_rotation=30 if len(labels) > 12 else 0,
        show_minor_x_labels=len(labels) <= 24, x_labels_major_every=max(len(labels) // 12, 1))
    chart.x_labels = [str(label) for label in labels]
    for name, values in series.items():
        chart.add(str(name), list(values))
    return svg(chart)
