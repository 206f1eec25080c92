// Installed on a rendered home page by render.explore_menus, which hovers each submenu title with the mouse, waits
// until `window.__aperturaMenus.ready()` and calls `clickVisible()`: every visible menu item that has no address in the
// markup is clicked, and where it leads (history.pushState, window.open) is noted instead of followed; the caller
// reloads the page afterwards. `found` holds [item text, absolute URL] pairs; an item that a submenu showed is named
// with its submenus' titles (aria-controls, or the submenu's <li>): «TRANSPARENCIA › Información pública».
() => {
  const found = [];
  const seen = new Set();
  let label = "";
  const note = (url) => {
    if (!url) return;
    const href = new URL(String(url), location.href).href;
    if (!seen.has(href)) {
      seen.add(href);
      found.push([label, href]);
    }
  };
  history.pushState = (state, title, url) => note(url);
  history.replaceState = (state, title, url) => note(url);
  window.open = (url) => {
    note(url);
    return null;
  };
  const text = (el) => (el.innerText || "").trim().split("\n")[0].slice(0, 120);
  const ITEMS = '[role="menuitem"], [role="tab"], nav li, header li, [class*="menu"] li';
  const TITLES = '[aria-haspopup="true"], [aria-haspopup="menu"], [aria-expanded="false"]';
  const visible = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden";
  const titleOf = (el) => {
    for (let node = el.parentElement; node; node = node.parentElement) {
      const byId = node.id && document.querySelector(`[aria-controls="${CSS.escape(node.id)}"]`);
      if (byId) return byId;
      const own = node.matches("li") && node.querySelector(":scope > [aria-haspopup], :scope > [aria-expanded]");
      if (own && !own.contains(el)) return own;
    }
    return null;
  };
  const name = (el) => {
    const parts = [text(el)];
    for (let title = titleOf(el), depth = 0; title && depth < 5; title = titleOf(title), depth++) {
      parts.unshift(text(title));
    }
    return parts.filter(Boolean).join(" › ");
  };
  const done = new Set();
  const MAX_CLICKS = 200;
  const waiting = () =>
    [...document.querySelectorAll(ITEMS)].filter(
      (el) => !done.has(el) && visible(el) && !el.closest("a[href]") && !el.querySelector("a[href], li") &&
        !el.matches(TITLES) && text(el),
    );
  const clickVisible = () => {
    const items = waiting();
    for (const el of items.slice(0, MAX_CLICKS - done.size)) {
      done.add(el);
      label = name(el);
      el.click();
    }
    return items.length;
  };
  // A submenu is ready when it shows new items, their number has held for STILL_MS and none of them is still moving:
  // some menus ignore a click while their opening animation runs.
  let count = -1;
  let since = 0;
  const STILL_MS = 150;
  const ready = () => {
    const items = done.size < MAX_CLICKS ? waiting() : [];
    const now = performance.now();
    if (items.length !== count) [count, since] = [items.length, now];
    const moving = document.getAnimations().some(
      (a) => a.playState === "running" && a.effect?.target && items.some((el) => a.effect.target.contains(el)),
    );
    return items.length > 0 && !moving && now - since >= STILL_MS;
  };
  // Two frames more: the frame that ends an animation runs its `finished` and `transitionend` handlers, which is when a
  // menu starts taking clicks; `getAnimations()` may already call it finished before that frame (a busy machine).
  const frames = () =>
    new Promise((resolve) => {
      requestAnimationFrame(() => requestAnimationFrame(() => resolve(true)));
      setTimeout(() => resolve(false), 500);
    });
  window.__aperturaMenus = { found, clickVisible, TITLES, ready, frames };
}
