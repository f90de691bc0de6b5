"""Links within the pages of docs/ lead to a heading of the page."""

import re

import pytest
from conftest import ROOT
from doc_pages import heading_anchors, prose

PAGES = sorted((ROOT / "docs").glob("*.md"))


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_anchor_links_lead_to_headings(page):
    text = page.read_text(encoding="utf-8")
    anchors = heading_anchors(text)
    for target in re.findall(r"\]\(#([^)]+)\)", prose(text)):
        assert target in anchors, f"{page.name} links to #{target}, which no heading has"
