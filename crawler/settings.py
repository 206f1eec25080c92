"""Scrapy settings for Apertura. Every APERTURA_* setting is documented here and in docs/configuracion.md."""

from apertura import CONTACT, PROJECT_URL, __version__

BOT_NAME = "apertura"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

# Politeness: identify ourselves, obey robots.txt, few requests per domain.
USER_AGENT = f"Apertura/{__version__} (+{PROJECT_URL}; {CONTACT})"
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 32
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 0.5
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 0.5
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DEFAULT_REQUEST_HEADERS = {
    "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "Accept-Language": "es-MX,es;q=0.9",
}

# Robustness.
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 25 * 1024 * 1024
DOWNLOAD_WARNSIZE = 10 * 1024 * 1024
RETRY_TIMES = 2
REDIRECT_MAX_TIMES = 10
DEPTH_LIMIT = 4
DNS_TIMEOUT = 15
HTTPERROR_ALLOW_ALL = True  # 4xx/5xx are facts to store, not errors to drop

# Safety: the remote-control server added in Scrapy 2.19 executes code; we never want it.
REMOTE_CONTROL_ENABLED = False
TELNETCONSOLE_ENABLED = False
TWISTED_DNS_RESOLVER = "crawler.netguard.GuardedResolver"
DOWNLOADER_MIDDLEWARES = {"crawler.netguard.NetworkGuardMiddleware": 50}
ITEM_PIPELINES = {"crawler.pipelines.StorePipeline": 300}
LOG_LEVEL = "WARNING"

# Apertura settings.
APERTURA_DB_URL = None  # SQLAlchemy URL of the store (set by the CLI)
APERTURA_ALLOW_PRIVATE_NETWORK = False  # refuse private/loopback/link-local addresses unless True
APERTURA_HOSTS = {}  # host name -> address overrides (from --hosts FILE, /etc/hosts format)
APERTURA_MAX_PAGES_PER_SITE = 300  # resources fetched per municipality, documents included
APERTURA_DOCUMENT_EXTENSIONS = ["pdf", "xls", "xlsx", "doc", "docx", "odt", "ods", "csv"]
APERTURA_DOCUMENT_TIMEOUT = 20.0  # seconds to extract text from one document
APERTURA_STORE_BATCH = 50  # resources written per database transaction
