"""Read-only values shown as a merchant reads them rather than as stored JSON: metadata as
key/value rows, media as a list with previews. Every value is escaped."""

import json

from django.utils.html import format_html, format_html_join


def _text(value) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def key_values_html(mapping: dict | None):
    if not mapping:
        return "—"
    rows = format_html_join(
        "",
        '<tr><th scope="row">{}</th><td>{}</td></tr>',
        ((k, _text(v)) for k, v in mapping.items()),
    )
    return format_html('<table class="key-values"><tbody>{}</tbody></table>', rows)


def media_html(media: list | None):
    items = [item for item in media or [] if isinstance(item, dict)]
    if not items:
        return "—"
    rows = []
    for item in items:
        src = item.get("thumbnail") or (item.get("url") if item.get("type") == "image" else "")
        rows.append(
            format_html(
                '<li>{}: <a href="{}" rel="noopener noreferrer">{}</a>{}</li>',
                item.get("type", ""),
                item.get("url", ""),
                item.get("alt") or item.get("url", ""),
                format_html(' <img class="row-editor-preview" src="{}" alt="">', src)
                if str(src).startswith("https://")
                else "",
            )
        )
    return format_html("<ul>{}</ul>", format_html_join("", "{}", ((row,) for row in rows)))
