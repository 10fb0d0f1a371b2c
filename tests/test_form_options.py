"""The checkout form's option lists, built once per process (issue 18), are the HTML the
template's loop rendered: same options, same order, the buyer's choice marked."""

import pytest
from django.template import engines

from checkout.web import choices

LOOP = engines["django"].from_string(
    '{% for code, name in items %}<option value="{{ code }}"{% if code == selected %}'
    " selected{% endif %}>{{ name }}</option>\n            {% endfor %}"
)


@pytest.mark.parametrize(
    ("name", "items", "selected"),
    [
        ("country", choices.country_choices(), "DE"),
        ("country", choices.country_choices(), ""),
        ("US", choices.region_choices()["US"], "OR"),
        ("CA", choices.region_choices()["CA"], "QC"),
    ],
)
def test_option_lists_match_the_template_loop(name, items, selected):
    expected = LOOP.render({"items": items, "selected": selected})

    assert choices.options_html(name, selected=selected) == expected


def test_an_unknown_choice_marks_nothing():
    html = choices.options_html("country", selected='"><script>')

    assert " selected" not in html
    assert "<script>" not in html


def test_only_the_chosen_option_is_marked():
    html = choices.options_html("country", selected="FR")

    assert html.count(" selected") == 1
    assert '<option value="FR" selected>' in html


def test_region_choices_are_a_new_dict_each_time():
    choices.region_choices()["AU"] = []

    assert "AU" not in choices.region_choices()
