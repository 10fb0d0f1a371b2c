"""Bar charts as inline SVG, drawn on the server: no chart script, no inline style (only
SVG presentation attributes and the admin stylesheet's classes), so the admin's CSP needs
nothing new. Each bar carries a <title> with the day and the exact value."""

from collections.abc import Callable
from datetime import date

from django.utils.html import format_html, format_html_join

WIDTH, HEIGHT = 560, 140
TOP, BOTTOM, LEFT = 10, 20, 4


def bar_chart(*, label: str, days: list[date], values: dict[date, int], show: Callable[[int], str]):
    """One bar per day (zero days included, so gaps read as gaps); bars scale to the
    period's largest value. ``show`` formats a value exactly (money in minor units)."""
    peak = max((values.get(day, 0) for day in days), default=0) or 1
    slot = (WIDTH - LEFT) / max(len(days), 1)
    plot = HEIGHT - TOP - BOTTOM
    bars = []
    for index, day in enumerate(days):
        value = values.get(day, 0)
        height = round(plot * value / peak, 2)
        bars.append(
            (
                round(LEFT + index * slot + slot * 0.1, 2),
                round(TOP + plot - height, 2),
                round(slot * 0.8, 2),
                height,
                day.isoformat(),
                show(value),
            )
        )
    rects = format_html_join(
        "",
        '<rect class="bar" x="{}" y="{}" width="{}" height="{}"><title>{}: {}</title></rect>',
        bars,
    )
    first, last = (days[0].isoformat(), days[-1].isoformat()) if days else ("", "")
    return format_html(
        '<svg role="img" aria-label="{}" width="{}" height="{}" viewBox="0 0 {} {}">'
        '<line class="axis" x1="0" y1="{}" x2="{}" y2="{}"></line>{}'
        '<text x="{}" y="{}">{}</text><text x="{}" y="{}" text-anchor="end">{}</text></svg>',
        label,
        WIDTH,
        HEIGHT,
        WIDTH,
        HEIGHT,
        HEIGHT - BOTTOM,
        WIDTH,
        HEIGHT - BOTTOM,
        rects,
        LEFT,
        HEIGHT - 5,
        first,
        WIDTH,
        HEIGHT - 5,
        last,
    )
