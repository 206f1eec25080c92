"""A municipality's stored resources, indexed the way the checks look at them."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from urllib.parse import urldefrag

from models import Link, ResourceArtifact


@dataclass(frozen=True)
class Availability:
    status: str  # ok | unreachable | blocked | no_site
    reason: str | None = None


@dataclass(frozen=True)
class LinkOn:
    """A link and the page it was found on."""

    link: Link
    page: ResourceArtifact


class Site:
    def __init__(self, resources: list[ResourceArtifact], website: str | None = None):
        self.resources = resources
        self.website = website

    @cached_property
    def home(self) -> ResourceArtifact | None:
        return next((r for r in self.resources if r.is_home), None)

    @cached_property
    def probes(self) -> list[ResourceArtifact]:
        """Requests of the home page on the other scheme (is HTTPS available?)."""
        return [r for r in self.resources if r.probe]

    @cached_property
    def availability(self) -> Availability:
        if not self.website and self.home is None:
            return Availability("no_site", "el padrón no registra sitio web")
        home = self.home
        if home is None:
            return Availability("unreachable", "la página de inicio no se descargó")
        if home.error:
            return Availability("unreachable", home.error)
        if home.page and home.page.blocked:
            return Availability("blocked", f"la página de inicio es un muro ({home.page.blocked})")
        if not home.ok:
            return Availability("unreachable", f"la página de inicio respondió HTTP {home.status}")
        return Availability("ok")

    @cached_property
    def pages(self) -> list[ResourceArtifact]:
        """HTML pages that really exist: 2xx, not a soft 404, not a CAPTCHA/WAF wall."""
        return [r for r in self.resources if not r.probe and is_live(r) and r.page]

    @cached_property
    def documents(self) -> list[ResourceArtifact]:
        return [r for r in self.resources if not r.probe and is_live(r) and r.document]

    @cached_property
    def links(self) -> list[LinkOn]:
        return [LinkOn(link, page) for page in self.pages for link in page.page.links]

    @cached_property
    def _by_url(self) -> dict[str, ResourceArtifact]:
        index: dict[str, ResourceArtifact] = {}
        for resource in self.resources:
            for url in (resource.url, resource.final_url, *resource.redirect_urls):
                index.setdefault(urldefrag(url)[0], resource)
        return index

    def target(self, href: str) -> ResourceArtifact | None:
        """The stored resource a link points to, if it was fetched."""
        return self._by_url.get(urldefrag(href)[0])


def is_live(resource: ResourceArtifact | None) -> bool:
    """Reachable and real content: not an error, not a soft 404, not a wall."""
    if resource is None or not resource.ok:
        return False
    if resource.page:
        return not resource.page.soft_404 and not resource.page.blocked
    return not (resource.document and resource.document.error)
