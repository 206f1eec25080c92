"""Scrapy's conventions, kept: settings come from the catalogue and the command line, never from the environment
inside the crawler, and the municipal spider runs on its own with `scrapy crawl` (docs/rastreo.md)."""

from __future__ import annotations

import importlib
import json
from urllib.parse import urlsplit

import pytest
from scrapy.settings import Settings

import crawler.settings
from apertura.pipeline.jobs import CrawlOptions
from tests.conftest import scrapy_crawl


def test_the_environment_reaches_the_crawler_only_through_the_jobs(monkeypatch):
    monkeypatch.setenv("APERTURA_DOWNLOAD_TIMEOUT", "3")
    monkeypatch.setenv("APERTURA_PRIVATE_ADDRESSES_ALLOWED", "127.0.0.1,::1")
    monkeypatch.setenv("APERTURA_OFFSITE_MAPPED_ONLY", "1")
    catalogue = Settings()
    catalogue.setmodule(importlib.reload(crawler.settings))  # a module-level os.environ read would see them now
    assert catalogue.getfloat("DOWNLOAD_TIMEOUT") == 30
    assert catalogue.getlist("APERTURA_PRIVATE_ADDRESSES_ALLOWED") == []
    assert catalogue.getbool("APERTURA_OFFSITE_MAPPED_ONLY") is False

    settings = CrawlOptions().settings("sqlite://", {"15106": 1})
    assert settings.getfloat("DOWNLOAD_TIMEOUT") == 3
    assert settings.getlist("APERTURA_PRIVATE_ADDRESSES_ALLOWED") == ["127.0.0.1", "::1"]
    assert settings.getbool("APERTURA_OFFSITE_MAPPED_ONLY") is True
    assert settings.getdict("APERTURA_CRAWL_IDS") == {"15106": 1}


@pytest.mark.slow
def test_scrapy_crawl_runs_the_municipal_spider_on_one_site(sample_web, tmp_path):
    """The debugging command of docs/rastreo.md on the sample web: items in a feed, nothing stored."""
    home = "http://www.metepec.gob.mx.test:{port}/".format(port=sample_web["port"])
    feed = tmp_path / "recursos.jsonl"
    settings = {
        "APERTURA_HOSTS": json.dumps({urlsplit(home).hostname: "127.0.0.1"}),
        "APERTURA_ALLOW_PRIVATE_NETWORK": "True",
        "APERTURA_MAX_PAGES_PER_SITE": "5",
        "APERTURA_RENDER_ENABLED": "False",
        "APERTURA_OFFSITE_ENABLED": "False",
        "DOWNLOAD_DELAY": "0",
    }
    result = scrapy_crawl(home, feed, settings, "-a", "inegi_code=15054")
    assert result.returncode == 0, result.stderr[-3000:]

    items = [json.loads(line) for line in feed.read_text(encoding="utf-8").splitlines()]
    [start] = [item for item in items if item["facts"].get("is_home")]
    assert (start["url"], start["status"], start["inegi_code"]) == (home, 200, "15054")
    assert start["facts"]["page"]["title"] and start["body"].endswith(" bytes")  # named in the feed, not copied
    pages = [item for item in items if "page" in item["facts"] and not item["facts"].get("role")]
    assert 1 < len(pages) <= 5  # followed the site's links, within APERTURA_MAX_PAGES_PER_SITE
    assert "Traceback" not in result.stderr
