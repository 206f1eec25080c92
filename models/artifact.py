"""What the crawler gathers: facts about one fetched resource, never judgements."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict


class Link(BaseModel):
    model_config = ConfigDict(frozen=True)

    href: str
    text: str = ""
    context: str = ""  # "nav", "footer", "body": where on the page the link sits


class PageArtifact(BaseModel):
    """Facts extracted from an HTML page."""

    title: str = ""
    lang: str | None = None
    headings: list[str] = []
    text: str = ""
    links: list[Link] = []
    has_viewport: bool = False
    has_search_form: bool = False
    has_form: bool = False
    soft_404: bool = False
    blocked: str | None = None  # "captcha", "waf" when the page is a wall
    dates: list[str] = []  # ISO dates found in the text
    phones: list[str] = []  # telephone numbers written in the text
    emails: list[str] = []  # e-mail addresses written in the text


class DocumentArtifact(BaseModel):
    """Facts extracted from a document (PDF, XLSX, DOCX…)."""

    kind: str | None = None  # "pdf", "xlsx", "docx", "odt", "ods", "doc", "xls", "txt", "csv"
    title: str = ""
    text: str = ""
    pages: int | None = None
    image_only: bool = False
    dates: list[str] = []
    error: str | None = None


class ResourceArtifact(BaseModel):
    """One stored resource as the auditors see it."""

    url: str
    final_url: str
    status: int | None
    content_type: str = ""
    size: int = 0
    sha256: str | None = None
    fetched_at: datetime
    depth: int = 0
    error: str | None = None
    is_home: bool = False
    probe: bool = False  # the home page requested on the other scheme
    redirect_urls: list[str] = []
    page: PageArtifact | None = None
    document: DocumentArtifact | None = None

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300 and self.error is None
