"""Untranslated lines of a plain-text message (an email's subject or text body): the same
check as tests/test_i18n_pages.py makes of a page's texts, line by line."""

import re

from tests.test_i18n_pages import _is_data, same_in_catalog


def left_in_lines(english: str, other: str, language: str) -> set[str]:
    same = same_in_catalog(language)
    lines = {" ".join(line.split()) for line in other.splitlines()}
    return {
        line
        for line in (" ".join(raw.split()) for raw in english.splitlines())
        if line in lines
        and re.search(r"[A-Za-z]{3}", line)
        and "://" not in line
        and "@" not in line
        and line not in same
        and not _is_data(line, same)
    }
