"""Rows instead of JSON: a form field edited as a table (one row per price, per image, per
metadata key), collected into the plain value the services take.

A field says how its value becomes rows (``to_rows``) and rows become the value
(``from_rows``); the service that receives the value is still the one that validates it, so
the admin and the API answer a bad value with the same message. Blank rows are ignored, and
a few are always offered so a merchant can add entries without JavaScript.
"""

from dataclasses import dataclass, field

from django import forms
from django.template.loader import render_to_string


@dataclass(frozen=True)
class Column:
    name: str
    label: str
    kind: str = "text"  # text, select, checkbox or preview (an image of the row's URL)
    choices: tuple = ()
    size: int = 20
    help: str = ""
    attrs: dict = field(default_factory=dict)


class Rows(list):
    """Rows as posted (a list of dicts of text), told apart from a field's plain value."""


def _cell_value(column: Column, row: dict):
    if column.kind == "preview":
        # What the row shows: its thumbnail, else the image itself; https only.
        src = row.get("thumbnail") or (row.get("url") if row.get("type") == "image" else "")
        return src if isinstance(src, str) and src.startswith("https://") else ""
    return row.get(column.name, False if column.kind == "checkbox" else "")


class RowsWidget(forms.Widget):
    template_name = "admin/widgets/rows.html"

    class Media:
        css = {"all": ["admin_extra/admin.css"]}
        js = ["admin_extra/rows.js"]

    def __init__(self, columns: tuple[Column, ...], *, extra: int = 2, minimum: int = 3):
        super().__init__()
        self.columns, self.extra, self.minimum = columns, extra, minimum

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        rows = list(value or [])
        blank = max(self.extra, self.minimum - len(rows))
        rows += [{}] * blank
        context["widget"]["columns"] = self.columns
        context["widget"]["rows"] = [
            {
                "index": index,
                "cells": [
                    {
                        "column": column,
                        "name": f"{name}-{index}-{column.name}",
                        "value": _cell_value(column, row),
                        "alt": row.get("alt") or "Preview",
                    }
                    for column in self.columns
                ],
            }
            for index, row in enumerate(rows)
        ]
        context["widget"]["count"] = len(rows)
        return context

    def _render(self, template_name, context, renderer=None):
        # The project's templates (not only the form renderer's built-in ones); a rendered
        # template is already safe text with every value escaped.
        return render_to_string(template_name, context)

    def value_from_datadict(self, data, files, name):
        try:
            count = min(int(data.get(f"{name}-rows", 0)), 200)
        except ValueError:
            count = 0
        rows = Rows()
        for index in range(count):
            row = {}
            for column in self.columns:
                key = f"{name}-{index}-{column.name}"
                if column.kind == "checkbox":
                    row[column.name] = key in data
                elif column.kind != "preview":
                    row[column.name] = (data.get(key) or "").strip()
            rows.append(row)
        return rows

    def value_omitted_from_data(self, data, files, name):
        return f"{name}-rows" not in data


class RowsField(forms.Field):
    """A value edited as rows; subclasses convert between the two."""

    columns: tuple[Column, ...] = ()

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", RowsWidget(self.columns))
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_rows(self, value) -> list[dict]:
        raise NotImplementedError

    def from_rows(self, rows: list[dict]):
        raise NotImplementedError

    def is_blank(self, row: dict) -> bool:
        return not any(value for key, value in row.items() if not isinstance(value, bool))

    def prepare_value(self, value):
        if isinstance(value, Rows):
            return value
        return self.to_rows(value)

    def to_python(self, value):
        if not isinstance(value, Rows):
            value = Rows(self.to_rows(value))
        return self.from_rows([row for row in value if not self.is_blank(row)])

    def has_changed(self, initial, data):
        try:
            return self.to_python(data) != self.to_python(initial)
        except forms.ValidationError:
            return True
