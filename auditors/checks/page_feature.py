"""`page_feature`: technical features of the home page or of the site as a whole."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from auditors.checks import Outcome, cite
from auditors.instruments import instrument_of
from auditors.matching import find, url_parts
from auditors.ownership import OTHER_GOVERNMENT, PORTAL, names_a_subject
from auditors.recognizers import real_email, real_phone
from auditors.site import SECTION_TERMS, WHATSAPP_CHAT, Site, is_broken, is_contact_link, is_live, names, page_of
from models import Evidence, PageArtifact, ResourceArtifact, Rule, Status
from models.rule import PageFeatureCheck

DATA_EXTENSIONS = (".csv", ".xlsx", ".xls", ".json", ".ods", ".xml", ".zip")
CHANNELS = {
    "correo electrónico": lambda href: href.startswith("mailto:") and is_contact_link(href),
    "teléfono": lambda href: href.startswith("tel:") and is_contact_link(href),
    "WhatsApp": lambda href: bool(WHATSAPP_CHAT.match(href)),
    "Messenger/chat": lambda href: "m.me/" in href or "messenger.com" in href,
}


def fact(resource: ResourceArtifact, matched: str) -> Evidence:
    return cite(resource, "fact", matched=matched)


def _https(check: PageFeatureCheck, site: Site) -> Outcome:
    """Valid certificate + HTTP→HTTPS redirect: compliant; HTTPS with a bad certificate or no redirect: partial."""
    home = site.reached_home
    if urlsplit(home.final_url).scheme == "https":
        secure, evidence, redirects = home, [fact(home, home.final_url)], True
    else:
        probes = [p for p in site.probes if p.ok and urlsplit(p.final_url).scheme == "https"]
        if not probes:
            return Outcome(
                Status.NON_COMPLIANT, "La página de inicio se sirve sin cifrado (HTTP).", [fact(home, home.final_url)]
            )
        secure, redirects = probes[0], False
        evidence = [fact(home, home.final_url), fact(secure, secure.final_url)]
    tls = secure.tls
    if tls and tls.checked:
        evidence.append(fact(secure, _certificate(tls)))
    if tls and not tls.valid:
        return Outcome(
            Status.PARTIAL, f"Se sirve por HTTPS, pero {tls.error or 'el certificado no es válido'}.", evidence
        )
    if not redirects:
        return Outcome(Status.PARTIAL, "HTTPS disponible, pero HTTP no redirige a HTTPS.", evidence)
    via = " tras redirección desde HTTP" if home.redirect_urls else ""
    valid = " con certificado válido" if tls else ""
    return Outcome(Status.COMPLIANT, f"La página de inicio se sirve por HTTPS{valid}{via}.", evidence)


def _certificate(tls) -> str:
    expiry = f", vence {tls.not_after[:10]}" if tls.not_after else ""
    hsts = f"; HSTS: {tls.hsts}" if tls.hsts else "; sin HSTS"
    return f"certificado emitido por {tls.issuer or 'desconocido'}{expiry}{hsts}"


def _viewport(check: PageFeatureCheck, site: Site) -> Outcome:
    home = site.reached_home
    if home.page and home.page.has_viewport:
        return Outcome(
            Status.COMPLIANT, "Declara viewport para dispositivos móviles.", [fact(home, '<meta name="viewport">')]
        )
    return Outcome(
        Status.NON_COMPLIANT, "La página de inicio no declara viewport móvil.", [fact(home, "sin <meta name=viewport>")]
    )


def _lang(check: PageFeatureCheck, site: Site) -> Outcome:
    home = site.reached_home
    lang = (home.page.lang if home.page else None) or ""
    if lang.lower().startswith("es"):
        return Outcome(Status.COMPLIANT, f"Idioma declarado: {lang}.", [fact(home, f'<html lang="{lang}">')])
    if lang:
        return Outcome(
            Status.PARTIAL, f"Idioma declarado distinto del español: {lang}.", [fact(home, f'<html lang="{lang}">')]
        )
    return Outcome(
        Status.NON_COMPLIANT, "La página de inicio no declara su idioma (lang).", [fact(home, "<html> sin lang")]
    )


def transparency_section(site: Site) -> list[ResourceArtifact]:
    """Pages of the site's transparency section: a URL, title or heading naming it, or the target of a link
    that names it (the Art. 79 link). A reglamento's page («Reglamento Municipal de Transparencia») is not, nor a news
    item or a list of them («Servidores públicos participan en la Jornada de Transparencia»)."""
    targets = {href.split("#")[0] for text, href, _ in site.distinct_links if names(SECTION_TERMS, text)}
    return [
        page
        for page in site.pages
        if is_live(page)
        and not instrument_of(page)
        and not site.is_news(page)
        and (
            "transparencia" in page.final_url.lower()
            or page.final_url in targets
            or page.url in targets
            or find(SECTION_TERMS, page_of(page).title)
            or any(find(SECTION_TERMS, h) for h in page_of(page).headings[:3])
        )
    ]


def _site_search(check: PageFeatureCheck, site: Site) -> Outcome:
    """Art. 79: a search engine «en el sitio donde se encuentra la información pública», the transparency section. A
    form counts when sending it was seen to search, or cannot be sent (`_searches`)."""
    forms = [p for p in site.pages if page_of(p).has_search_form]
    to_itself = _self_submitting_searches(site)
    verdicts = {p.url: _searches(p, site, to_itself) for p in forms}
    working = [p for p in forms if verdicts[p.url]]
    section = [p for p in transparency_section(site) if p in working]
    if section:
        return Outcome(
            Status.COMPLIANT,
            "La sección de transparencia tiene buscador.",
            [fact(section[0], "formulario de búsqueda"), *_probe_evidence(section[0], site)],
        )
    if working:
        where = "la página de inicio" if working[0] is site.home else working[0].final_url
        return Outcome(
            Status.PARTIAL,
            f"Hay buscador en {where}, pero no en la sección de transparencia (art. 79).",
            [fact(working[0], "formulario de búsqueda"), *_probe_evidence(working[0], site)],
        )
    unanswered = [p for p in forms if verdicts[p.url] is None]
    if unanswered:
        url = page_of(unanswered[0]).search_url
        whose = "del municipio" if url and site.owners.is_municipal_domain(url) else "otro servicio (un buscador web)"
        return Outcome(
            Status.NOT_VERIFIABLE,
            f"El formulario de búsqueda envía a {url}, {whose}, que no respondió o no se consultó; revisar a mano.",
            [fact(unanswered[0], "formulario de búsqueda"), *_probe_evidence(unanswered[0], site)],
        )
    if forms:
        return Outcome(
            Status.NON_COMPLIANT,
            "El formulario de búsqueda del sitio no busca: al enviarlo, responde la misma página.",
            [fact(forms[0], "formulario de búsqueda"), *_probe_evidence(forms[0], site)],
        )
    return Outcome(
        Status.NON_COMPLIANT, "No se encontró buscador en el sitio.", [_absence("formulario de búsqueda", site)]
    )


def _searches(page: ResourceArtifact, site: Site, to_itself: bool | None) -> bool | None:
    """Whether the page's search form searches (`_answer`). A form sent to its own page that was not fetched (the
    probes per site are few) is judged like the site's others of that kind (`to_itself`). A form that cannot be sent
    (POST, a widget) is given the benefit. None: sent to an address with no answer to judge (the municipality's
    server, or another service such as a web search engine, which is not fetched)."""
    probe = _probe(page, site)
    if probe is not None:
        return _answer(probe, page, site)
    if _to_itself(page):
        return True if to_itself is None else to_itself
    return None if page_of(page).search_url else True


def _answer(probe: ResourceArtifact, page: ResourceArtifact, site: Site) -> bool | None:
    """True: the submission answered another page (results); False: the page the form is on, the home page (a
    WordPress-style «?s=» on a server that ignores it), or a 404; None: no answer."""
    if is_broken(probe):
        return False
    if not is_live(probe):
        return None
    if (probe.sha256 and probe.sha256 == page.sha256) or site.is_home(probe):
        return False
    answer = probe.page
    unchanged = [page_of(known) for known in (page, site.home) if known is not None]
    return answer is None or all((answer.title, answer.text) != (known.title, known.text) for known in unchanged)


def _self_submitting_searches(site: Site) -> bool | None:
    """How the site's forms sent to their own page answered, when all that were fetched agree."""
    verdicts = {
        _answer(probe, page, site)
        for page in site.pages
        if _to_itself(page) and (probe := _probe(page, site)) is not None
    } - {None}
    return verdicts.pop() if len(verdicts) == 1 else None


def _probe(page: ResourceArtifact, site: Site) -> ResourceArtifact | None:
    url = page_of(page).search_url
    return site.target(url) if url else None


def _to_itself(page: ResourceArtifact) -> bool:
    url = page_of(page).search_url
    return bool(url) and _without_query(str(url)) == _without_query(page.final_url)


def _without_query(url: str) -> str:
    return url.split("#", 1)[0].split("?", 1)[0]


ANSWERS = {
    True: "responde otra página (resultados)",
    False: "responde la misma página, la de inicio o «no encontrada»: no busca",
}


def _probe_evidence(page: ResourceArtifact, site: Site) -> list[Evidence]:
    probe = _probe(page, site)
    if probe is None:
        return []
    answer = _answer(probe, page, site)
    return [
        cite(probe, "fact", matched=f"búsqueda enviada: {probe.url}", note=None if answer is None else ANSWERS[answer])
    ]


ABOUT_TRANSPARENCY = ("transparencia", "incumplimiento", "obligaciones de transparencia")


def _transparency_legend(check: PageFeatureCheck, site: Site) -> Outcome:
    """Art. 107: a visible legend in the transparency section on how to file a denuncia. The same words
    elsewhere (a Contraloría complaint page) are another thing: partial only when they speak of transparency."""
    terms = tuple(check.terms)
    # the terms that say what the denuncia is about («denuncia por incumplimiento…»), wherever on the page
    specific = tuple(term for term in terms if find(ABOUT_TRANSPARENCY, term))
    section = transparency_section(site)
    for page in section:  # the page's own text: a footer's «Denuncia ciudadana 089» is the template's
        facts, shared = page_of(page), site.template_for(page).links
        # a link every page repeats (the footer's «Denuncia ciudadana», the Contraloría's) is not the section's
        # legend unless it says it is about transparency
        links = [link.text for link in facts.links if link.href not in shared or find(ABOUT_TRANSPARENCY, link.text)]
        texts = [facts.title, *facts.headings, site.own_text(page), *links]
        found = next((match for text in texts if (match := find(terms, text))), None)
        # a legend about transparency that every page of the section repeats is still shown on each of them
        found = found or find(specific, facts.text)
        if found:
            return Outcome(Status.COMPLIANT, f"Leyenda en la sección de transparencia: «{found}».", [fact(page, found)])
    for page in site.pages:
        facts = page_of(page)
        texts = [facts.title, *facts.headings, site.own_text(page), *(link.text for link in facts.links)]
        found = next((match for text in texts if (match := find(terms, text))), None)
        if found:
            news = site.is_news(page)  # a news item telling how to file one is not a legend
            about = not news and bool(find(ABOUT_TRANSPARENCY, found) or any(find(specific, t) for t in texts))
            status = Status.PARTIAL if about else Status.NON_COMPLIANT
            what = (
                ""
                if about
                else "; es una noticia, no una leyenda"
                if news
                else "; no habla de transparencia (p. ej. quejas ante la Contraloría, otra obligación)"
            )
            where = (
                "no se identificó la sección de transparencia"
                if not section
                else "fuera de la sección de transparencia"
            )
            return Outcome(status, f"«{found}» aparece en {page.final_url}, {where}{what}.", [fact(page, found)])
    return Outcome(Status.NON_COMPLIANT, "No se encontró la leyenda de denuncia.", [_absence(", ".join(terms), site)])


def _contact_channels(check: PageFeatureCheck, site: Site) -> Outcome:
    found: dict[str, Evidence] = {}
    for on in site.links:
        for channel, matches in CHANNELS.items():
            if channel not in found and matches(on.link.href):
                found[channel] = fact(on.page, on.link.href)
    for page in site.pages:
        phones = [number for number in page_of(page).phones if real_phone(number)]
        if phones and "teléfono" not in found:
            found["teléfono"] = fact(page, phones[0])
        emails = [address for address in page_of(page).emails if real_email(address)]
        if emails and "correo electrónico" not in found:
            found["correo electrónico"] = fact(page, emails[0])
    contact_terms = tuple(check.terms) or ("contacto", "atencion ciudadana", "quejas", "sugerencias")
    for page in site.pages:
        if page_of(page).has_form and not page_of(page).has_search_form and "formulario" not in found:
            if find(contact_terms, page_of(page).title) or any(find(contact_terms, h) for h in page_of(page).headings):
                found["formulario"] = fact(page, "formulario de contacto")
    names = ", ".join(found)
    if len(found) >= check.min_count:
        return Outcome(Status.COMPLIANT, f"Canales de contacto: {names}.", list(found.values()))
    if found:
        return Outcome(Status.PARTIAL, f"Solo {len(found)} canal(es) de contacto: {names}.", list(found.values()))
    return Outcome(
        Status.NON_COMPLIANT,
        "No se encontraron canales de contacto.",
        [_absence("correo, teléfono, WhatsApp, formulario", site)],
    )


OPEN_DATA_TERMS = ("datos abiertos", "open data", "conjuntos de datos", "catalogo de datos")
LICENCE_TERMS = (
    "licencia",
    "terminos de uso",
    "terminos de libre uso",
    "condiciones de uso",
    "creative commons",
    "cc by",
    "cc-by",
    "libre uso",
    "dominio publico",
)


def _open_data(check: PageFeatureCheck, site: Site) -> Outcome:
    """Open data as datasets published as such: a catalogue or section, files in open formats, terms of use and
    dates. Spreadsheets scattered among transparency documents are data files, not an open-data publication."""
    terms = tuple(check.terms) or OPEN_DATA_TERMS
    is_data = {href: url_parts(href).path.lower().endswith(DATA_EXTENSIONS) for _, href, _ in site.distinct_links}
    sections = [
        p
        for p in site.pages
        if is_live(p)
        and (
            find(terms, page_of(p).title)
            or any(find(terms, h) for h in page_of(p).headings)
            or find(("datos abiertos", "open data", "datos-abiertos"), p.final_url.replace("-", " "))
        )
    ]
    unjudged: list[tuple[ResourceArtifact, str]] = []  # files a section links that were never fetched or answered
    for page in sections:
        targets = {link.href: site.target(link.href) for link in page_of(page).links if is_data.get(link.href)}
        # a file counts once fetched and judged: there, with content (not only its headers, not a placeholder)
        files = [href for href, target in targets.items() if is_live(target) and site.substance(target).ok]
        unjudged += [(page, href) for href, target in targets.items() if not is_live(target) and not is_broken(target)]
        if not files:
            continue
        licence = find(LICENCE_TERMS, page_of(page).text) or next(
            (m for link in page_of(page).links if (m := find(LICENCE_TERMS, link.text))), None
        )
        dated = bool(page_of(page).dates)
        evidence = [
            fact(page, f"sección «{page_of(page).title or page.final_url}»: {len(files)} archivo(s) en formato abierto")
        ]
        missing = [what for what, ok in (("licencia o términos de uso", licence), ("fechas", dated)) if not ok]
        if not missing:
            return Outcome(
                Status.COMPLIANT,
                f"Sección de datos abiertos con {len(files)} conjunto(s) en formato abierto, {licence} y fechas.",
                evidence,
            )
        return Outcome(
            Status.PARTIAL,
            f"Sección de datos abiertos con {len(files)} archivo(s), pero sin {' ni '.join(missing)}.",
            evidence,
        )
    if unjudged:
        page, href = unjudged[0]
        return Outcome(
            Status.NOT_VERIFIABLE,
            f"La sección de datos abiertos enlaza {len(unjudged)} archivo(s) que no se pudieron descargar; revisar a mano.",
            [fact(page, href)],
        )
    loose = [on for on in site.links if is_data[on.link.href]]
    if sections or loose:
        where = sections[0] if sections else loose[0].page
        found = (
            "una sección de datos abiertos sin archivos en formato abierto"
            if sections
            else f"{len({on.link.href for on in loose})} archivo(s) en formato abierto fuera de una sección o catálogo de datos abiertos"
        )
        # Loose spreadsheets or an empty section are no publication of open data: 0, citing what was found.
        return Outcome(
            Status.NON_COMPLIANT,
            f"Hay {found}; no es una publicación de datos abiertos (catálogo, licencia, fechas).",
            [fact(where, loose[0].link.href if not sections and loose else "datos abiertos")],
        )
    return Outcome(
        Status.NON_COMPLIANT,
        "No se encontraron datos abiertos.",
        [_absence("sección de datos abiertos; CSV, XLSX, JSON", site)],
    )


def _home_link(check: PageFeatureCheck, site: Site) -> Outcome:
    terms, home = tuple(check.terms), site.reached_home
    named = [link for link in (home.page.links if home.page else []) if names(terms, link.text)]
    # a national platform's own page («Plataforma de Transparencia» → its open data) is not the municipality's section
    foreign = [
        link for link in named if site.owners.of(link.href) == OTHER_GOVERNMENT and not names_a_subject(link.href)
    ]
    home_links = [link for link in named if link not in foreign]
    answered = [(link, site.target(link.href)) for link in home_links]
    # a section page that holds nothing of its own (a placeholder, headings over empty selectors) is not the section
    empty = [(link, t) for link, t in answered if is_live(t) and t.page and not site.substance(t).ok]
    # the state portal is judged by its own crawl, a platform's records of the municipality by their address
    elsewhere_judged = [
        link for link, _ in answered if site.owners.of(link.href) == PORTAL or names_a_subject(link.href)
    ]
    working = [link for link, t in answered if link in elsewhere_judged or (is_live(t) and (link, t) not in empty)]
    # not followed, or no answer: what it leads to is unknown (a 404 is a broken link)
    unjudged = [link for link, t in answered if link not in working and not is_live(t) and not is_broken(t)]
    prominent = [link for link in working if link.context != "footer"]
    if prominent:
        link = prominent[0]
        return Outcome(
            Status.COMPLIANT,
            f"Enlace directo desde el inicio: «{link.text}».",
            [fact(home, f"«{link.text}» → {link.href}")],
        )
    if working:
        link = working[0]
        return Outcome(
            Status.PARTIAL,
            f"El enlace «{link.text}» solo aparece en el pie de la página de inicio.",
            [fact(home, f"«{link.text}» → {link.href} (pie de página)")],
        )
    if unjudged:
        link = unjudged[0]
        return Outcome(
            Status.NOT_VERIFIABLE,
            f"El enlace «{link.text}» del inicio no se pudo seguir o su destino no respondió; revisar a mano.",
            [fact(home, f"«{link.text}» → {link.href}")],
        )
    if empty:
        link, target = empty[0]
        return Outcome(
            Status.PARTIAL,
            f"El enlace «{link.text}» del inicio lleva a una página sin contenido propio: {site.substance(target).reason}.",
            [
                fact(home, f"«{link.text}» → {link.href}"),
                cite(target, "page", matched=f"página: «{page_of(target).title}»"),
            ],
        )
    if home_links:
        link = home_links[0]
        return Outcome(
            Status.PARTIAL,
            f"El enlace «{link.text}» del inicio no lleva a una página válida.",
            [fact(home, f"«{link.text}» → {link.href}")],
        )
    if foreign:
        link = foreign[0]
        return Outcome(
            Status.PARTIAL,
            f"El enlace «{link.text}» del inicio lleva a una página de otro gobierno u organismo, no a la sección de "
            "transparencia del municipio.",
            [fact(home, f"«{link.text}» → {link.href}")],
        )
    elsewhere = [on for on in site.links if names(terms, on.link.text)]
    if elsewhere:
        on = elsewhere[0]
        return Outcome(
            Status.PARTIAL,
            "El enlace existe, pero no en la página de inicio.",
            [fact(on.page, f"«{on.link.text}» → {on.link.href}")],
        )
    return Outcome(Status.NON_COMPLIANT, "No hay enlace desde la página de inicio.", [_absence(", ".join(terms), site)])


def _accessibility(check: PageFeatureCheck, site: Site) -> Outcome:
    """Basic signals on the home page; not a WCAG 2.1 A/AA audit (no axe-core run)."""
    home = site.reached_home
    facts = home.page or PageArtifact()
    barriers = []
    if not (facts.lang or "").lower().startswith("es"):
        barriers.append("sin idioma español declarado (lang)")
    if not facts.title:
        barriers.append("sin <title>")
    if facts.images and facts.images_without_alt / facts.images > 0.1:
        barriers.append(f"{facts.images_without_alt} de {facts.images} imágenes sin texto alternativo (alt)")
    if facts.inputs_without_label:
        barriers.append(f"{facts.inputs_without_label} campo(s) de formulario sin etiqueta")
    levels = facts.heading_levels
    if levels and (1 not in levels or any(b - a > 1 for a, b in zip(levels, levels[1:], strict=False))):
        barriers.append("encabezados sin h1 o con saltos de nivel")
    words = " ".join([facts.text, *(link.text for link in facts.links)])
    tools = [term for term in check.terms if find((term,), words)]
    evidence = [
        fact(home, f"herramientas: {', '.join(tools) or 'ninguna'}; barreras: {'; '.join(barriers) or 'ninguna'}")
    ]
    summary = f"Herramientas de accesibilidad: {', '.join(tools) or 'ninguna'}. Barreras básicas: {'; '.join(barriers) or 'ninguna'}."
    if not barriers and len(tools) >= check.min_count:
        return Outcome(Status.COMPLIANT, summary, evidence)
    if len(barriers) >= 2 and not tools:
        return Outcome(Status.NON_COMPLIANT, summary, evidence)
    return Outcome(Status.PARTIAL, summary, evidence)


SEVERE = ("serious", "critical")


def _wcag(check: PageFeatureCheck, site: Site) -> Outcome:
    """axe-core's WCAG 2.1 A/AA violations on the home page: none, only minor/moderate, or severe."""
    home = site.reached_home
    result = home.page.axe if home.page else None
    if result is None or result.error:
        reason = result.error if result else "no se ejecutó axe-core sobre la página de inicio"
        return Outcome(Status.NOT_VERIFIABLE, f"Sin evaluación WCAG automática: {reason}.")
    listed = "; ".join(f"{v.id} ({v.impact or 's/d'}): {v.nodes} elemento(s)" for v in result.violations)
    evidence = [fact(home, f"axe-core {result.version}, WCAG 2.1 A/AA: {listed or 'sin incumplimientos'}")]
    severe = [v for v in result.violations if v.impact in SEVERE]
    if severe:
        return Outcome(
            Status.NON_COMPLIANT, f"{len(severe)} criterio(s) WCAG con incumplimientos graves: {listed}.", evidence
        )
    if result.violations:
        return Outcome(Status.PARTIAL, f"Incumplimientos WCAG menores o moderados: {listed}.", evidence)
    return Outcome(
        Status.COMPLIANT, "axe-core no encontró incumplimientos WCAG 2.1 A/AA en la página de inicio.", evidence
    )


def _trackers(check: PageFeatureCheck, site: Site) -> Outcome:
    found: dict[str, Evidence] = {}
    for page in site.pages:
        for host in page_of(page).script_hosts:
            name = tracker_name(host)
            if name and name not in found:
                found[name] = fact(page, f"{name}: {host}")
    if not found:
        return Outcome(
            Status.COMPLIANT, "No se detectaron rastreadores de terceros.", [_absence("rastreadores de terceros", site)]
        )
    names = ", ".join(found)
    terms = tuple(check.terms)
    notices = [
        p for p in site.pages if find(terms, page_of(p).title) or any(find(terms, h) for h in page_of(p).headings)
    ]
    linked = [on for on in site.links if find(terms, on.link.text)]
    mentions = [p for p in notices if find(("cookies", *found), page_of(p).text)]
    if mentions:
        return Outcome(
            Status.COMPLIANT,
            f"Rastreadores ({names}) declarados en el aviso de privacidad.",
            [*found.values(), fact(mentions[0], "aviso de privacidad")],
        )
    if notices or linked:
        where = (
            fact(notices[0], "aviso de privacidad")
            if notices
            else fact(linked[0].page, f"«{linked[0].link.text}» → {linked[0].link.href}")
        )
        return Outcome(
            Status.PARTIAL,
            f"Rastreadores ({names}); hay aviso de privacidad, pero no menciona cookies ni estos servicios.",
            [*found.values(), where],
        )
    return Outcome(
        Status.NON_COMPLIANT, f"Rastreadores de terceros sin aviso de privacidad: {names}.", list(found.values())
    )


def _integrity(check: PageFeatureCheck, site: Site) -> Outcome:
    terms = tuple(check.terms)
    named: dict[tuple[str, str], str | None] = {}  # menus and footers repeat the same links on every page
    for page in site.pages:
        facts = page_of(page)
        for link in [*facts.hidden_links, *facts.links]:
            key = (link.text, link.href)
            if key not in named:
                named[key] = find(terms, link.text) or find(terms, link.href.replace("-", " "))
            if matched := named[key]:
                hidden = " (oculto)" if link in facts.hidden_links else ""
                return Outcome(
                    Status.NON_COMPLIANT,
                    f"Enlace ajeno al ayuntamiento{hidden}: «{matched}».",
                    [fact(page, f"«{link.text}» → {link.href}{hidden}")],
                )
        matched = find(terms, facts.title) or find(terms, facts.text)
        if matched:
            return Outcome(Status.NON_COMPLIANT, f"Texto ajeno al ayuntamiento: «{matched}».", [fact(page, matched)])
    host = {href: url_parts(href).hostname for _, href, _ in site.distinct_links}
    visible = {host[on.link.href] for on in site.links if on.link not in page_of(on.page).hidden_links}
    own = urlsplit(site.reached_home.final_url).hostname
    suspicious = [
        (page, link)
        for page in site.pages
        for link in page_of(page).hidden_links
        if url_parts(link.href).hostname not in visible | {own, None}
    ]
    if suspicious:
        page, link = suspicious[0]
        return Outcome(
            Status.PARTIAL,
            f"{len(suspicious)} enlace(s) oculto(s) a sitios externos que no se enlazan a la vista; revisar.",
            [fact(page, f"«{link.text}» → {link.href} (oculto)")],
        )
    return Outcome(Status.COMPLIANT, "No se detectó contenido inyectado.", [_absence(", ".join(terms), site)])


@cache
def _tracker_hosts() -> dict[str, str]:
    return yaml.safe_load((Path(__file__).parent.parent / "trackers.yaml").read_text(encoding="utf-8"))["trackers"]


def tracker_name(host: str) -> str | None:
    host = host.lower()
    return next((name for known, name in _tracker_hosts().items() if host == known or host.endswith("." + known)), None)


def _absence(searched: str, site: Site) -> Evidence:
    return Evidence(kind="absence", searched=[searched], resources_examined=len(site.pages))


FEATURES: dict[str, Callable[[PageFeatureCheck, Site], Outcome]] = {
    "https": _https,
    "viewport": _viewport,
    "lang": _lang,
    "site_search": _site_search,
    "contact_channels": _contact_channels,
    "open_data": _open_data,
    "home_link": _home_link,
    "transparency_legend": _transparency_legend,
    "accessibility": _accessibility,
    "wcag": _wcag,
    "trackers": _trackers,
    "integrity": _integrity,
}


def check_page_feature(rule: Rule, site: Site, fecha_corte: date) -> Outcome:
    check = rule.check
    assert isinstance(check, PageFeatureCheck)
    feature = FEATURES.get(check.feature)
    if feature is None:
        return Outcome(
            Status.NOT_VERIFIABLE, f"La verificación '{check.feature}' aún no está implementada; revisar a mano."
        )
    return feature(check, site)
