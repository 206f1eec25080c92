"""A municipality's stored resources, indexed the way the checks look at them."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import TypeGuard, TypeVar
from urllib.parse import parse_qs, unquote, urldefrag, urlsplit

from w3lib.url import safe_url_string

from auditors.authorship import issued_elsewhere
from auditors.instruments import instrument_named
from auditors.matching import WordIndex, find, slug, url_parts
from auditors.ownership import (
    OTHER_GOVERNMENT,
    PORTAL,
    Owners,
    asks_to_sign_in,
    names_a_subject,
    on_document_service,
)
from auditors.recognizers import real_email, real_phone
from auditors.substance import (
    ACCESS_REQUEST,
    FRAMES,
    LOGIN_WALL_REASON,
    MIN_TEMPLATE_PAGES,
    TEMPLATE_SHARE,
    Substance,
    Template,
    judge_document,
    judge_page,
    maintenance_notice,
    own_body_links,
    stand_in_home,
)
from crawler.dates import find_dates
from models import DocumentArtifact, Link, PageArtifact, ResourceArtifact
from models.text import NEWS_SECTION, normalize

T = TypeVar("T")

NEWS = re.compile(
    r"/(noticias?|boletin(es)?|comunicados?|prensa|blog|notas?|sala-de-prensa|post)(/|$|[-_.])", re.IGNORECASE
)
# A dated address is a post's («/2026/10/slug/»); a document's is only where it was uploaded («/uploads/2026/10/»)
DATED = re.compile(r"/20\d\d/\d\d/")
# Pages of one kind (news items, the other pages) measure a template of their own when there are at least this many
MIN_KIND_PAGES = 10


def _news_address(resource: ResourceArtifact) -> bool:
    path = url_parts(resource.final_url).path
    return bool(NEWS.search(path) or (resource.page is not None and DATED.search(path)))


def page_of(resource: ResourceArtifact) -> PageArtifact:
    """The page facts of a resource the caller knows is a page (one of `Site.pages`, a probe checked for them)."""
    if resource.page is None:
        raise ValueError(f"{resource.final_url} is not a page")
    return resource.page


def document_of(resource: ResourceArtifact) -> DocumentArtifact:
    """The document facts of one of `Site.documents`."""
    if resource.document is None:
        raise ValueError(f"{resource.final_url} is not a document")
    return resource.document


@dataclass(frozen=True)
class Availability:
    status: str  # ok | unreachable | blocked | no_site
    reason: str | None = None


@dataclass(frozen=True)
class LinkOn:
    """A link and the page it was found on."""

    link: Link
    page: ResourceArtifact


# When the page was visited or printed, as it prints it (folded text): the visitor's clock, not the content's date
VISIT_TIME = re.compile(
    r"\b(?:fecha (?:y hora )?de (?:consulta|impresion)|(?:consultad|impres)[oa] el|hoy es|fecha actual|ultima visita)"
    r"\b[^\n]{0,40}?(?:19|20)\d\d\b"
)
# A WhatsApp link that opens a chat with a number (wa.me/5217221234567, api.whatsapp.com/send?phone=…); one that only
# shares a page (wa.me/?text=…, send?text=…) is no channel
WHATSAPP_CHAT = re.compile(
    r"^https?://(?:wa\.me/\+?\d{8,}|(?:api|web)\.whatsapp\.com/send/?\?(?:[^#]*&)?phone=\+?\d{8,})"
)


class Site:
    def __init__(self, resources: list[ResourceArtifact], website: str | None = None, municipality: str | None = None):
        # In the order the responses arrived, not the order extraction (parallel) let the crawl store them. The
        # arrival time is the WARC-Date, to the second: within one second the storage order still decides.
        self.resources = _mark_like_not_found(sorted(resources, key=lambda resource: resource.fetched_at))
        self.website = website
        self.municipality = municipality  # its name: a document another municipality issued is not its publication

    @cached_property
    def home(self) -> ResourceArtifact | None:
        """The home page; its Chromium-rendered version when that one loaded."""
        homes = [r for r in self.resources if r.is_home]
        return next((r for r in homes if r.rendered and r.ok), homes[0] if homes else None)

    def is_home(self, resource: ResourceArtifact) -> bool:
        """The home page, or the same page at another address ("/index.html" for "/")."""
        return resource.is_home or (resource.sha256 is not None and resource.sha256 in self._home_bodies)

    @cached_property
    def _home_bodies(self) -> set[str]:
        return {r.sha256 for r in self.resources if r.is_home and r.sha256}

    @property
    def reached_home(self) -> ResourceArtifact:
        """The home page of a site whose availability is "ok" (the only sites the checks run on)."""
        if self.home is None:
            raise ValueError("the home page was not fetched")
        return self.home

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
        if home.unrendered_shell:
            return Availability(
                "unreachable", "la página de inicio es una aplicación de JavaScript que no se pudo mostrar"
            )
        if self.website and Owners([self.website]).of(home.final_url) == OTHER_GOVERNMENT:
            host = urlsplit(home.final_url).hostname
            return Availability(
                "unreachable", f"la dirección del padrón lleva al sitio de otro gobierno u organismo ({host})"
            )
        if home.page and (notice := maintenance_notice(home.page)):
            return Availability("unreachable", f"la página de inicio es un aviso de mantenimiento («{notice}»)")
        if home.page and (stand_in := stand_in_home(home.page)):
            return Availability(
                "unreachable",
                f"la dirección no muestra un sitio sino «{stand_in}» (dominio en venta, "
                "cuenta suspendida o página por omisión del servidor)",
            )
        return Availability("ok")

    @cached_property
    def pages(self) -> list[ResourceArtifact]:
        """The site's HTML pages that really exist: 2xx, not a soft 404, not a CAPTCHA/WAF wall."""
        return [r for r in self._own if is_live(r) and r.page]

    @cached_property
    def documents(self) -> list[ResourceArtifact]:
        return [r for r in self._own if is_live(r) and r.document]

    @cached_property
    def _own(self) -> list[ResourceArtifact]:
        """Content fetched from the site itself: not probes, auxiliary files or one-hop off-site targets."""
        return [r for r in self.resources if not r.probe and not r.role and not r.offsite]

    @cached_property
    def template(self) -> Template:
        """The runs the site repeats, measured on all its pages and again on its news items and on its other pages
        apart: news items often outnumber the other pages and have a layout of their own, so a footer that only the
        other pages carry would be below the share of the whole site that makes a run template."""
        pages = _distinct(self.pages)
        template = Template([page_of(p) for p in pages])
        news = [self.is_news(p) for p in pages]
        for wanted in (True, False):
            kind = [page_of(p) for p, is_news in zip(pages, news, strict=True) if is_news == wanted]
            if MIN_KIND_PAGES <= len(kind) < len(pages):
                template = template.joined(Template(kind))
        return template

    def forms(self, page: ResourceArtifact, service: str) -> int:
        """A page's forms to fill in for a service: for one done «online» (a payment, a trámite), not those that only
        send a message or subscribe an address; for a «contact» channel, those too."""
        facts = page_of(page)
        return facts.service_forms - (facts.message_forms if service == "online" else 0)

    def template_forms(self, service: str) -> int:
        """The forms the site repeats on its pages (a newsletter's, a contact form in the footer): the most that at
        least TEMPLATE_SHARE of its pages have. A page's own form is one beyond them."""
        return self._template_forms[service]

    @cached_property
    def _template_forms(self) -> dict[str, int]:
        template = {}
        for service in ("online", "contact"):
            counts = sorted((self.forms(p, service) for p in _distinct(self.pages)), reverse=True)
            enough = len(counts) >= MIN_TEMPLATE_PAGES
            template[service] = counts[max(0, math.ceil(TEMPLATE_SHARE * len(counts)) - 1)] if enough else 0
        return template

    @cached_property
    def _rendered_template(self) -> Template:
        """What Chromium adds to every rendered page (a menu or pop-ups a script writes), measured across them: the
        plain pages never show it, so the site's template alone would take it for each page's own content."""
        rendered = Template([page_of(p) for p in _distinct([p for p in self.pages if p.rendered])])
        return rendered.joined(self.template) if rendered.measured else self.template

    def template_for(self, resource: ResourceArtifact) -> Template:
        return self._rendered_template if resource.rendered else self.template

    def substance(self, resource: ResourceArtifact) -> Substance:
        """Whether a live page or document holds content of its own (see auditors/substance.py); judged once."""
        return self.once(_substance, resource)

    def once(self, question: Callable[[ResourceArtifact, Site], T], resource: ResourceArtifact) -> T:
        """`question(resource, self)`, answered once per resource: every rule asks it of the same pages."""
        key = (question, id(resource))
        held = self._answers.get(key)
        if held is None or held[0] is not resource:
            held = self._answers[key] = (resource, question(resource, self))
        return held[1]  # type: ignore[return-value]  # stored under its question, whose answer is a T

    @cached_property
    def _answers(self) -> dict[tuple[Callable, int], tuple[ResourceArtifact, object]]:
        return {}

    def own_text(self, page: ResourceArtifact) -> str:
        """A page's text without the site's template (auditors/substance.py); computed once."""
        return self.once(_own_text, page)

    def own_contact(self, page: ResourceArtifact) -> str | None:
        """An e-mail address or phone number the page gives in its own text (not the footer's), or a mailto:, tel: or
        WhatsApp link of its own content."""
        facts, own = page_of(page), self.own_text(page)
        own_digits = re.sub(r"\D", "", own)
        if email := next((e for e in facts.emails if e.lower() in own and real_email(e)), None):
            return email
        if phone := next((p for p in facts.phones if re.sub(r"\D", "", p) in own_digits and real_phone(p)), None):
            return phone
        links = own_body_links(facts, self.template_for(page))
        return next((link.href for link in links if is_contact_link(link.href)), None)

    def own_dates(self, page: ResourceArtifact) -> list[str]:
        """A page's dates but those only in the site's template (a header's «hoy es 5 de diciembre de 2026», a
        sidebar's recent posts): a date every page repeats dates none of them; nor does the time of the visit a page
        prints («Fecha de consulta: …», «Impreso el …»). Dates from markup (<time>, meta) are the page's own."""
        return self.once(_own_dates, page)

    @cached_property
    def owners(self) -> Owners:
        return Owners([self.website, self.home.final_url if self.home else None])

    @cached_property
    def links(self) -> list[LinkOn]:
        return [LinkOn(link, page) for page in self.pages for link in page_of(page).links]

    @cached_property
    def links_to_portal(self) -> list[LinkOn]:
        """The links to the state transparency portal (IPOMEX), in page order."""
        return [on for on in self.links if "ipomex" in on.link.href.lower()]

    @cached_property
    def distinct_links(self) -> list[tuple[str, str, list[int]]]:
        """(text, href, positions in `links`): menus and footers repeat the same links on every page,
        so a rule tests each distinct link once."""
        positions: dict[tuple[str, str], list[int]] = {}
        for index, on in enumerate(self.links):
            positions.setdefault((on.link.text, on.link.href), []).append(index)
        return [(text, href, indexes) for (text, href), indexes in positions.items()]

    # Word indexes, by position in the lists above, of the texts the `publication` check searches.
    @cached_property
    def link_words(self) -> WordIndex:
        return WordIndex((text,) for text, _, _ in self.distinct_links)

    @cached_property
    def link_url_words(self) -> WordIndex:
        return WordIndex((slug(href),) for _, href, _ in self.distinct_links)

    @cached_property
    def page_words(self) -> WordIndex:
        facts = map(page_of, self.pages)
        return WordIndex((f.title, *f.headings, f.text) for f in facts)

    @cached_property
    def document_words(self) -> WordIndex:
        # The first 400 characters on their own: the cut may leave the start of a word as a word.
        facts = map(document_of, self.documents)
        return WordIndex((f.title, f.text[:400], f.text) for f in facts)

    @cached_property
    def _news_menu_items(self) -> frozenset[str]:
        """The menu item ids (Joomla's «Itemid») of links naming the news section: an article shown under one is a
        news item, whatever its address says."""
        return frozenset(
            item
            for on in self.links
            if on.link.context == "nav" and NEWS_MENU.search(normalize(on.link.text))
            for item in parse_qs(urlsplit(on.link.href).query).get("Itemid", [])
        )

    def under_news_menu(self, url: str) -> bool:
        items = self._news_menu_items
        return bool(items) and any(item in items for item in parse_qs(urlsplit(url).query).get("Itemid", []))

    def is_news(self, resource: ResourceArtifact) -> bool:
        """A news item or post, or a page listing them: by its address, by what its markup says
        (crawler/extract_html.py), or shown under the menu's news item."""
        return self.once(_is_news, resource)

    @cached_property
    def own_section(self) -> ResourceArtifact | None:
        """The site's own transparency section: a link naming it, on the municipality's domain, to a live page
        with content of its own (not the state portal or a platform, where the section may be all there is)."""
        for on in self.links:
            if _names_section(on.link) and self.owners.is_municipal_domain(on.link.href):
                target = self.target(on.link.href)
                if is_live(target) and target.page and self.owners.of(target.final_url) != PORTAL:
                    if self.substance(target).ok:
                        return target
        return None

    @cached_property
    def unreached_section(self) -> list[Link]:
        """Home-page links to the site's own transparency section (on the municipality's domain or one named
        after it) whose target could not be consulted (not fetched, timed out, 5xx, a wall): what the section
        publishes is unknown. A 404 is a broken section; the transparency portal is judged by the portal crawl; a
        national or state platform is another government's, not the municipality's section — except the
        platform's records of the municipality itself (ownership.names_a_subject), which are never read here.
        A section page that answers but shows its content in frames of the municipality's own domain, on itself or
        on the pages it links to, is unreached when those frames could not be consulted, and so is one whose scripts
        could not load their data from the municipality's servers."""
        home_links = self.home.page.links if self.home and self.home.page else []
        links = [link for link in home_links if _names_section(link) and self.owners.is_municipal_domain(link.href)]
        unreached = [link for link in home_links if _names_section(link) and names_a_subject(link.href)]
        for link in links:
            target = self.target(link.href)
            if self.owners.of(link.href) == PORTAL or (target and self.owners.of(target.final_url) == PORTAL):
                continue
            if not is_live(target) and not is_broken(target):
                unreached.append(link)
            elif is_live(target) and target.page:
                unreached += self._unreached_content(target, link.text)
        return unreached

    def _unreached_content(self, section: ResourceArtifact, name: str) -> list[Link]:
        pages = [section] + [t for link in page_of(section).links if (t := self.target(link.href)) and t.page]
        live = [page for page in pages if is_live(page)]
        frames = {
            frame.href: Link(href=frame.href, text=name, context="body", via=frame.via)
            for page in live
            for frame in page_of(page).links
            if frame.via in FRAMES and self.owners.is_municipal_domain(frame.href)
        }
        unloaded = {
            url: Link(href=url, text=name, context="body", via="script") for page in live for url in self.unloaded(page)
        }
        return [
            frame
            for href, frame in frames.items()
            if not is_live(target := self.target(href)) and not is_broken(target)
        ] + list(unloaded.values())

    def unloaded(self, page: ResourceArtifact) -> list[str]:
        """The data a rendered page's scripts asked the municipality's own servers for and never got: what the page
        shows a visitor is not what Chromium showed here."""
        return [url for url in page.script_failures if self.owners.is_municipal_domain(url)]

    @cached_property
    def _by_url(self) -> dict[str, ResourceArtifact]:
        index: dict[str, ResourceArtifact] = {}
        for resource in self.resources:
            for url in (resource.url, resource.final_url, *resource.redirect_urls):
                held = index.setdefault(_key(url), resource)
                if resource.rendered and resource.ok and not held.rendered:
                    index[_key(url)] = resource
        return index

    def entries_sharing(self, led_to: str | ResourceArtifact) -> int:
        """The most entries of one page's content, each with a label of its own, that lead to `led_to` (a link's
        address or a fetched resource)."""
        key = self._target_key(led_to) if isinstance(led_to, str) else led_to.sha256 or _key(led_to.final_url)
        return max((len(labels) for labels in self._body_links_to.get(key, {}).values()), default=0)

    def linking_pages(self, resource: ResourceArtifact) -> list[ResourceArtifact]:
        """The pages whose own content (not a menu or footer) links to `resource`."""
        return [self.pages[i] for i in self._body_links_to.get(resource.sha256 or _key(resource.final_url), {})]

    @cached_property
    def _body_links_to(self) -> dict[str, dict[int, set[str]]]:
        """Per target (`_target_key`), the pages whose content links to it (by position in `pages`) and the labels of
        those links."""
        found: dict[str, dict[int, set[str]]] = {}
        for index, page in enumerate(self.pages):
            for link in page_of(page).links:
                if link.context == "body":
                    labels = found.setdefault(self._target_key(link.href), {}).setdefault(index, set())
                    if label := normalize(link.text):
                        labels.add(label)
        return found

    def _target_key(self, href: str) -> str:
        """What a link leads to: the content it was answered with (one file behind two addresses), or its address."""
        found = self.target(href)
        return found.sha256 if found is not None and found.sha256 else _key(href)

    def target(self, href: str) -> ResourceArtifact | None:
        """The stored resource a link points to, if it was fetched ("1° INFORME.pdf" as written in the page is
        the "1%C2%B0%20INFORME.pdf" that was requested): the page as Chromium showed it, when it was rendered (at the
        address a redirect led to: "/sevac" → "/sevac/")."""
        found = self._by_url.get(_key(href))
        if found is not None and not found.rendered:
            return self._by_url.get(_key(found.final_url), found)
        return found


def _distinct(pages: list[ResourceArtifact]) -> list[ResourceArtifact]:
    """One page per body: "/" and "/index.html" are one page, and counting it twice would make its headings the
    site's template on a site of five pages. In the order of their paths, not the crawl's, which changes from one
    night to the next: the template is measured on a sample of them, and the same site must give the same one."""
    seen: set[str] = set()
    distinct = []
    for page in sorted(pages, key=_path):
        if page.sha256 is None or page.sha256 not in seen:
            distinct.append(page)
            if page.sha256:
                seen.add(page.sha256)
    return distinct


def _mark_like_not_found(resources: list[ResourceArtifact]) -> list[ResourceArtifact]:
    """Pages identical to the site's answer for a path that cannot exist are soft 404s too: plain pages are compared
    with the plain answer, rendered ones with the rendered answer. An empty shell for scripts (a single-page app
    answers every path with it) is judged by its rendered version, never by its shell."""
    probes: dict[bool, tuple[ResourceArtifact, tuple[str, str]]] = {}
    for r in resources:
        if r.role == "not_found_probe" and r.ok and r.page and r.rendered not in probes:
            token = url_parts(r.final_url).path.strip("/")
            probes[r.rendered] = (r, (r.page.title, r.page.text.replace(token, "")))

    def like_not_found(resource: ResourceArtifact) -> bool:
        if resource.rendered not in probes or resource.is_home or resource.unrendered_shell:
            return False
        probe, signature = probes[resource.rendered]
        page = resource.page
        if resource is probe or page is None or page.soft_404:
            return False
        if resource.sha256 == probe.sha256:
            return True
        path = url_parts(resource.final_url).path.strip("/")
        return (page.title, page.text.replace(path, "") if path else page.text) == signature

    return [
        r.model_copy(update={"page": page_of(r).model_copy(update={"soft_404": True})}) if like_not_found(r) else r
        for r in resources
    ]


NEWS_MENU = re.compile(rf"^\W*(?:{NEWS_SECTION})\W*$")  # a menu item that is the news section
SECTION_TERMS = ("transparencia", "obligaciones de transparencia", "informacion publica de oficio", "ipomex")


def names(terms: tuple[str, ...], text: str) -> bool:
    """A link text naming a section or service: «Reglamento de Transparencia» names a regulation, not the section."""
    return bool(find(terms, text)) and not instrument_named(text)


def _names_section(link: Link) -> bool:
    return link.href.startswith(("http://", "https://")) and names(SECTION_TERMS, link.text)


def _path(page: ResourceArtifact) -> tuple[str, str]:
    address = url_parts(page.final_url)
    return address.path, address.query


@lru_cache(maxsize=16384)  # a site's links are looked up by every rule
def _key(url: str) -> str:
    return safe_url_string(urldefrag(url)[0])


def asks_for_access(resource: ResourceArtifact) -> bool:
    """A file service's page asking for access to the file (its title or first heading): the file is not public."""
    page = resource.page
    if page is None or not on_document_service(resource.final_url):
        return False
    return any(ACCESS_REQUEST.search(normalize(head)) for head in (page.title, *page.headings[:1]))


def is_broken(resource: ResourceArtifact | None) -> bool:
    """Definitely not there: 404 or 410, or a page that says so with HTTP 200 (soft 404). A timeout, a 5xx or a
    wall is not broken: it could not be judged."""
    if resource is None:
        return False
    return resource.status in (404, 410) or bool(resource.page and resource.page.soft_404)


def is_live(resource: ResourceArtifact | None) -> TypeGuard[ResourceArtifact]:
    """Reachable and real content: not an error, not a soft 404, not a wall, not the empty shell of a page whose
    scripts were not run, not a body read as neither a page nor a document (an archive, a feed)."""
    if resource is None or not resource.ok:
        return False
    if resource.page:
        return not resource.page.soft_404 and not resource.page.blocked and not resource.unrendered_shell
    return resource.document is not None and not resource.document.error


def is_contact_link(href: str) -> bool:
    """A mailto: or tel: link to an address or number a citizen can use (not a template's stand-in), or a WhatsApp chat
    with a number."""
    if href.startswith("mailto:"):
        return real_email(unquote(href[7:].split("?")[0]))
    if href.startswith("tel:"):
        return real_phone(unquote(href[4:]))
    return bool(WHATSAPP_CHAT.match(href))


def _substance(resource: ResourceArtifact, site: Site) -> Substance:
    if resource.page and (asks_to_sign_in(resource.final_url) or asks_for_access(resource)):
        return Substance(False, LOGIN_WALL_REASON)
    if resource.page is None:
        return judge_document(document_of(resource), site.municipality)
    judged = judge_page(resource.page, site.template_for(resource))
    # the page's own text, not its title or template, which carry the site's name on every page
    if judged.ok and site.municipality and (other := issued_elsewhere("", site.own_text(resource), site.municipality)):
        return Substance(False, f"la página es de otro municipio: la emite «{other}» y no nombra a {site.municipality}")
    return judged


def _is_news(resource: ResourceArtifact, site: Site) -> bool:
    page = resource.page
    return (
        (_news_address(resource) and not _filed_under_section(resource, site))
        or bool(page and (page.is_post or page.lists_posts))
        or site.under_news_menu(resource.final_url)
    )


def _filed_under_section(resource: ResourceArtifact, site: Site) -> bool:
    """A dated entry («/posts/2026/10/directorio-3t-2026/») that the site's transparency section lists («/categories/
    transparencia/») and no news listing does: a blog-shaped site's publications are such entries."""
    listing = [_path(page)[0].lower() for page in site.linking_pages(resource)]
    return any("transparencia" in path for path in listing) and not any(NEWS.search(path) for path in listing)


def _own_text(page: ResourceArtifact, site: Site) -> str:
    return site.template_for(page).own_text(page_of(page).text)


def _own_dates(page: ResourceArtifact, site: Site) -> list[str]:
    facts = page_of(page)
    heads = " \n ".join([facts.title, *facts.headings])
    in_text = {d.isoformat() for d in find_dates(f"{heads} \n {facts.text}")}
    own_text = VISIT_TIME.sub(" ", site.own_text(page))
    own = {d.isoformat() for d in find_dates(f"{heads} \n {own_text}")}
    return [d for d in facts.dates if d in own or d not in in_text]
