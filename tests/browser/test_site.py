"""A reader opens every page of the built site, served over HTTP on 127.0.0.1 and as ``file://``.

The site must be built first (README: "The book as a web site"). On every
page: no console error, every image loaded, the math rendered by MathJax (no
TeX left in the text), nothing requested from another host, and every
precomputed control of an interactive figure changes its image. The sizes:
at most 5 MB of frames per page and 60 MB for the whole site.
"""

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from book_paths import BUILD, CHAPTER_DIR, SITE

PAGES = sorted(str(p.relative_to(SITE)) for p in SITE.rglob("*.html") if not p.relative_to(SITE).parts[0].startswith("_"))
CHAPTERS = [p for p in PAGES if re.match(r"chapters/\d\d_", p)]
FRAME = re.compile(r"data:image/png;base64,[A-Za-z0-9+/=]+")
MB = 1_000_000

# Text outside code, before and after MathJax: TeX delimiters left in it are math that did not render.
VISIBLE_TEXT = """() => {
  const body = document.body.cloneNode(true);
  body.querySelectorAll("pre, code, script, style, mjx-container, .highlight").forEach(e => e.remove());
  return body.textContent;
}"""

TYPESET = """async () => {
  if (!window.MathJax || !MathJax.startup) { return "no MathJax"; }
  await MathJax.startup.promise;
  return "done";
}"""

IMAGES = """async () => Promise.all([...document.images].map(async img => {
  img.loading = "eager";
  try { await img.decode(); } catch (e) {}
  return {src: img.src.slice(0, 80), complete: img.complete, width: img.naturalWidth};
}))"""


def test_the_site_has_every_chapter_and_its_pages():
    assert (SITE / "index.html").is_file(), f"no built site in {SITE}: build it first with `{BUILD}`"
    chapters = sorted(p.stem for p in CHAPTER_DIR.glob("[0-9][0-9]_*.ipynb"))
    assert [Path(p).stem for p in CHAPTERS] == chapters
    assert {"index.html", "api.html", "chapters/notation.html"} <= set(PAGES)


def test_the_chapters_have_previous_and_next_links_in_order():
    order = ["index.html", *CHAPTERS, "chapters/notation.html"]
    for previous, page, following in zip(order, order[1:], order[2:] + ["api.html"]):
        html = (SITE / page).read_text(encoding="utf-8")
        links = {rel: (SITE / page).parent.joinpath(href).resolve()
                 for rel, href in re.findall(r'<link rel="(prev|next)"[^>]*href="([^"#]+)"', html)}
        assert links == {"prev": (SITE / previous).resolve(), "next": (SITE / following).resolve()}, page
        assert html.count('class="relations"') == 1, f"{page}: no previous/next in the sidebar"


def test_frames_take_at_most_5_mb_per_page_and_the_site_60_mb():
    sizes = {page: sum(map(len, FRAME.findall(block)))
             for page in PAGES
             for block in [" ".join(re.findall(r'<div class="dlnotes-frames".*?</script></div>',
                                               (SITE / page).read_text(encoding="utf-8"), re.S))]}
    assert all(sizes[page] > 0 for page in CHAPTERS), sizes
    assert max(sizes.values()) <= 5 * MB, sizes
    total = sum(f.stat().st_size for f in SITE.rglob("*") if f.is_file())
    assert total <= 60 * MB, f"the site takes {total / MB:.1f} MB"


def _open(browser, url: str, allowed):
    """Open ``url`` in a fresh context, recording console errors and every request; returns (page, errors, requests)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors, requests = [], []
    page.on("console", lambda m: errors.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(f"page error: {e}"))
    page.on("requestfailed", lambda r: errors.append(f"failed: {r.url[:120]} ({r.failure})"))
    page.on("request", lambda r: requests.append(r.url))
    page.route(lambda u: not allowed(u), lambda route: route.abort())  # never reach another host
    page.goto(url, wait_until="load")
    return context, page, errors, requests


def _local_http(base):
    host = urlsplit(base).netloc

    def allowed(url):
        parts = urlsplit(url)
        return parts.scheme in ("data", "blob", "about") or (parts.scheme == "http" and parts.netloc == host)

    return allowed


def _local_file(url):
    return urlsplit(url).scheme in ("file", "data", "blob", "about")


@pytest.fixture(params=["http", "file"])
def opened(request, browser, site):
    """A function that opens one page of the site, over HTTP or from the files; closes what it opened."""
    contexts = []

    def open_page(path):
        if request.param == "http":
            base = request.getfixturevalue("site_server")
            url, allowed = f"{base}/{path}", _local_http(base)
        else:
            url, allowed = (site / path).as_uri(), _local_file
        context, page, errors, requests = _open(browser, url, allowed)
        contexts.append(context)
        return page, errors, requests, allowed

    yield open_page
    for context in contexts:
        context.close()


@pytest.mark.parametrize("path", PAGES)
def test_every_page_loads_offline_with_its_images_and_math(opened, path):
    page, errors, requests, allowed = opened(path)
    raw_math = page.locator(".math").count()
    typeset = page.evaluate(TYPESET)
    assert typeset == "done" or (typeset == "no MathJax" and raw_math == 0), f"{path}: MathJax {typeset}"
    images = page.evaluate(IMAGES)
    broken = [i for i in images if not (i["complete"] and i["width"] > 0)]
    assert not broken, f"{path}: images that did not load: {broken}"
    if raw_math:
        assert page.locator(".math mjx-container").count() == page.locator(".math").count() == raw_math, \
            f"{path}: not every formula was typeset"
        assert page.locator("mjx-merror").count() == 0, f"{path}: MathJax could not read a formula"
    text = page.evaluate(VISIBLE_TEXT)
    for tex in ("$$", "\\(", "\\)", "\\[", "\\]", "\\begin{"):
        assert tex not in text, f"{path}: raw TeX {tex!r} left in the text: ...{text[text.find(tex) - 60:][:140]}..."
    inline_dollars = re.findall(r"\$[^$\s][^$]*\$", text)
    assert not inline_dollars, f"{path}: unrendered $...$ math: {inline_dollars[:3]}"
    if path in CHAPTERS:
        nameless = page.evaluate("() => [...document.querySelectorAll('.cell_output img')]"
                                 ".filter(i => !i.alt.trim()).map(i => i.src.slice(0, 60))")
        assert not nameless, f"{path}: figures without alt text (a *Figure:* caption after each): {nameless}"
    foreign = [u for u in requests if not allowed(u)]
    assert not foreign, f"{path}: requests to another host: {foreign}"
    assert not errors, f"{path}: " + "\n".join(errors)


@pytest.mark.parametrize("path", CHAPTERS)
def test_every_precomputed_control_changes_its_figure(opened, path):
    page, errors, _, _ = opened(path)
    figures = page.locator("div.dlnotes-frames")
    assert figures.count() > 0, f"{path} shows no precomputed figure"
    for k in range(figures.count()):
        figure = figures.nth(k)
        image = figure.locator("img.dlnotes-frame")
        controls = figure.locator("[data-axis]")
        assert controls.count() > 0, f"{path}: figure {k + 1} has no control"
        for c in range(controls.count()):
            control = controls.nth(c)
            name = control.get_attribute("data-axis")
            before = image.get_attribute("src")
            control.scroll_into_view_if_needed()
            if control.evaluate("e => e.tagName") == "SELECT":
                count = control.locator("option").count()
                at = int(control.input_value())
                control.select_option(str((at + 1) % count))
            else:
                at, top = int(control.input_value()), int(control.get_attribute("max"))
                label = control.locator("xpath=following-sibling::output")
                shown = label.text_content()
                control.focus()
                control.press("ArrowLeft" if at == top else "ArrowRight")
                assert label.text_content() != shown, f"{path}: figure {k + 1}, {name!r}: its value label did not change"
            after = image.get_attribute("src")
            assert after and after != before, f"{path}: figure {k + 1}: moving {name!r} did not change the image"
            assert image.evaluate("img => img.decode().then(() => img.naturalWidth)") > 0
    assert not errors, f"{path}: " + "\n".join(errors)
