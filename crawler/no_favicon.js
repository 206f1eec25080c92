// Rendered pages keep a blank data: icon as their only one, so Chromium never fetches an icon by itself
// (favicon requests escape Playwright's interception: the SSRF guard and the per-domain lease). See crawler/render.py.
(() => {
  const blank = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=";
  const keepBlank = () => {
    for (const link of document.querySelectorAll('link[rel~="icon" i]')) {
      if (link.getAttribute("href") !== blank) link.remove();
    }
    if (document.head && !document.head.querySelector('link[rel~="icon" i]')) {
      const link = document.createElement("link");
      link.rel = "icon";
      link.href = blank;
      document.head.prepend(link);
    }
  };
  new MutationObserver(keepBlank).observe(document, { childList: true, subtree: true });
})();
