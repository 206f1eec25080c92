"""Scrapy settings for Apertura. Every APERTURA_* setting is declared and documented here, and listed in
docs/configuracion.md (tests/test_docs.py checks both). Nothing here reads the environment: the CLI and the jobs
pass what they configure as settings (apertura/pipeline/jobs.py, `CrawlOptions.settings`)."""

from apertura import CONTACT, PROJECT_URL, __version__

BOT_NAME = "apertura"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

# Politeness: identify ourselves, obey robots.txt, few requests per domain.
USER_AGENT = f"Apertura/{__version__} (+{PROJECT_URL}; {CONTACT})"
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 32
CONCURRENT_REQUESTS_PER_DOMAIN = 2
# Outputs of one response handled at once; the store pipeline is synchronous, and Scrapy starts this
# many tasks per response (100 by default, a tenth of the crawl's CPU).
CONCURRENT_ITEMS = 4
DOWNLOAD_DELAY = 0.5
# The delay exactly, not Scrapy's ±50 %: Scrapy draws the jittered delay again each time it wakes a domain's queue, so
# intervals ran from 0.5 × the delay (less than asked) to 1.5 ×, 1.22 × on average (docs/benchmarks-cortesia.md).
DOWNLOAD_DELAY_JITTER = 0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 0.5
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DEFAULT_REQUEST_HEADERS = {
    "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "Accept-Language": "es-MX,es;q=0.9",
}

# Robustness.
DOWNLOAD_TIMEOUT = 30.0  # seconds; the CLI takes APERTURA_DOWNLOAD_TIMEOUT from the environment (tests)
DOWNLOAD_MAXSIZE = 25 * 1024 * 1024
DOWNLOAD_WARNSIZE = 10 * 1024 * 1024
RETRY_TIMES = 2
REDIRECT_MAX_TIMES = 10
DEPTH_LIMIT = 4
DNS_TIMEOUT = 15
HTTPERROR_ALLOW_ALL = True  # 4xx/5xx are facts to store, not errors to drop
# Requests leave the scheduler by priority (crawler/budget.py ranks a site's links), per domain: one site's many
# high-priority requests never hold back another site's, nor the off-site targets.
SCHEDULER_PRIORITY_QUEUE = "scrapy.pqueues.DownloaderAwarePriorityQueue"

# Safety: the remote-control server added in Scrapy 2.19 executes code; we never want it.
REMOTE_CONTROL_ENABLED = False
TELNETCONSOLE_ENABLED = False
TWISTED_DNS_RESOLVER = "crawler.netguard.GuardedResolver"
DOWNLOADER_MIDDLEWARES = {
    "crawler.budget.PageBudgetMiddleware": 40,  # the page budget, spent in priority order as requests leave the queue
    "crawler.netguard.NetworkGuardMiddleware": 50,
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "crawler.middlewares.RobotsTxtMiddleware": 100,  # Scrapy's, fixed for requests that wait for robots.txt
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawler.middlewares.RetryAfterMiddleware": 550,
    "crawler.incremental.ConditionalRequestMiddleware": 560,  # the previous crawl's validators (database reads)
    "crawler.middlewares.RedirectLoopMiddleware": 610,  # sees a redirect's response before RedirectMiddleware (600)
    "crawler.archive.WarcArchiveMiddleware": 950,  # next to the downloader: every hop, as received
}
ADDONS = {
    "crawler.render.RenderAddon": 0,  # scrapy-playwright, only when APERTURA_RENDER_ENABLED
    "crawler.ratelimit.GlobalRateLimitAddon": 0,  # per-domain rate across workers, only with APERTURA_REDIS_URL
}
ITEM_PIPELINES = {"crawler.pipelines.StorePipeline": 300}
LOG_LEVEL = "WARNING"

# Apertura settings.
APERTURA_DB_URL = None  # SQLAlchemy URL of the store (set by the CLI)
APERTURA_CRAWL_IDS: dict[
    str, int
] = {}  # inegi_code -> id of the `crawls` row each stored resource belongs to (set by the jobs)
# Where stored bodies go is the store's own setting, from the environment (storage/bodies.py):
# APERTURA_BODY_DISK_THRESHOLD (bytes, 65536) and APERTURA_BODIES (directory of the larger ones).
APERTURA_ALLOW_PRIVATE_NETWORK = False  # refuse private/loopback/link-local addresses unless True
# Private addresses allowed even without APERTURA_ALLOW_PRIVATE_NETWORK: a local replica served on 127.0.0.1 while
# every other private address stays refused. The CLI takes it from the environment (comma-separated; tests).
APERTURA_PRIVATE_ADDRESSES_ALLOWED: list[str] = []
APERTURA_HOSTS: dict[str, str] = {}  # host name -> address overrides (from --hosts FILE, /etc/hosts format)
APERTURA_MAX_PAGES_PER_SITE = 300  # resources fetched per municipality, documents included, best-ranked first
APERTURA_DOCUMENT_EXTENSIONS = [
    "pdf",
    "xls",
    "xlsx",
    "doc",
    "docx",
    "odt",
    "ods",
    "csv",
]  # fetched and read as documents
APERTURA_DOCUMENT_TIMEOUT = 20.0  # seconds to extract text from one document
APERTURA_PAGE_WORKERS = 0  # processes parsing HTML pages beside the crawl; 0 = one per CPU core
APERTURA_STORE_BATCH = 50  # resources written per database transaction
APERTURA_ARCHIVE_DIR = (
    None  # WARC directory of the run (set by the CLI: <data dir>/archivo/run-<id>); None = no archive
)
APERTURA_ARCHIVE_MAX_SIZE = 1024**3  # bytes per WARC file before starting the next one
APERTURA_PREVIOUS_CRAWLS: dict[str, int] = {}  # inegi_code -> id of the previous finished crawl (conditional requests)
APERTURA_RETRY_AFTER_MAX = 30.0  # longest Retry-After (seconds) honoured before retrying a 429/503
APERTURA_TLS_TIMEOUT = 10.0  # seconds for the explicit certificate check of each site
APERTURA_RENDER_ENABLED = True  # re-fetch in Chromium the pages whose plain HTML needs JavaScript
APERTURA_RENDER_TIMEOUT = 20.0  # seconds for Chromium to load one page
APERTURA_RENDER_MAX_PAGES = 4  # Chromium pages open at once (each closed after its response)
APERTURA_RENDER_MAX_PER_SITE = 10  # pages rendered per municipality
# and empty shells (a single-page app answers every page with one): nothing of them is known unrendered
APERTURA_RENDER_MAX_SHELLS_PER_SITE = 60
APERTURA_REDIS_URL = None  # Redis shared by the workers of a distributed night: enables crawler/ratelimit.py
APERTURA_GLOBAL_DELAY = (
    None  # seconds from a response to the next request to its domain, all workers; None = DOWNLOAD_DELAY
)

# Off-site targets (crawler/offsite.py): the targets of links from the site's pages to other hosts are fetched one hop
# (same politeness, robots.txt, SSRF guard, size limits and WARC as any request) and never followed further.
APERTURA_OFFSITE_ENABLED = True
# Only hosts named in APERTURA_HOSTS (--hosts): a replica served on loopback (the sample web, the evaluation set,
# tests) links to real domains that must stay untouched. The CLI turns it on when the environment says "1".
APERTURA_OFFSITE_MAPPED_ONLY = False
APERTURA_OFFSITE_MAX_PER_SITE = 150  # off-site targets fetched per municipality (they do not use --max-pages)
# Hosts whose pages say nothing a fetch could check (social networks, maps, video, messaging): never requested.
# An entry is a domain (its subdomains included) or a domain plus a path prefix ("google.com/maps").
APERTURA_OFFSITE_SKIP_DOMAINS = [
    "facebook.com", "fb.com", "fb.me", "instagram.com", "x.com", "twitter.com", "t.co", "threads.net",
    "tiktok.com", "linkedin.com", "pinterest.com", "youtube.com", "youtu.be", "vimeo.com", "flickr.com",
    "spotify.com", "soundcloud.com", "wa.me", "whatsapp.com", "t.me", "telegram.me", "telegram.org",
    "maps.google.com", "google.com/maps", "www.google.com/maps", "maps.app.goo.gl", "goo.gl/maps",
    "waze.com", "openstreetmap.org", "bing.com/maps", "maps.apple.com",
    "addthis.com", "sharethis.com", "linktr.ee",
]  # fmt: skip
# Transparency-portal domains the IPOMEX spider crawls (crawler/spiders/ipomex.py): links to them are never fetched
# by the site spider (the auditor joins them with the portal's findings). The domain of each municipality's
# registry `ipomex_url`, and of any IPOMEX index or 4.0 app URL linked from the site, are added per site.
APERTURA_PORTAL_DOMAINS = ["ipomex.org.mx"]

# OCR of scanned PDFs (document.image_only): Debian's tesseract with its Spanish data (scripts/system-deps.sh).
APERTURA_OCR_MAX_PAGES = 10  # pages OCRed per document; 0 turns OCR off
APERTURA_OCR_TIMEOUT = 60.0  # seconds of OCR per document, on top of APERTURA_DOCUMENT_TIMEOUT
