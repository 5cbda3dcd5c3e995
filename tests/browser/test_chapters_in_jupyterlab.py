"""A reader opens each chapter in JupyterLab, runs it all, and moves every slider.

Each chapter must run with no error and nothing on stderr, and every enabled
slider must change the image of its figure (a disabled slider is a knob the
chosen optimizer does not use). After the moves, each figure is saved as a
screenshot, ``_build/screenshots/<chapter>-<k>.png``, showing the changed
figure beside its controls.
"""

from pathlib import Path

import pytest
from book_paths import CHAPTER_DIR, SCREENSHOTS

CHAPTERS = sorted(p.name for p in CHAPTER_DIR.glob("[0-9][0-9]_*.ipynb"))
IDLE = "text=/ipykernel\\) \\| Idle/"


@pytest.mark.parametrize("notebook", CHAPTERS)
def test_reader_runs_the_chapter_and_moves_every_slider(lab, page, notebook):
    page.goto(f"{lab}/lab/tree/{notebook}?reset")
    page.wait_for_selector(IDLE, timeout=60_000)  # Run All before the kernel is idle is dropped
    page.click("text=Run", timeout=10_000)
    page.click("li[data-command='runmenu:run-all']")
    page.wait_for_function(
        "() => { const p = [...document.querySelectorAll('.jp-InputPrompt')];"
        " return p.length > 0 && p.every(e => !e.textContent.includes('*'))"
        " && p.filter(e => /\\[\\d+\\]/.test(e.textContent)).length > 0; }",
        timeout=120_000,
    )
    page.wait_for_selector(IDLE, timeout=60_000)
    errors = [e.inner_text()[:500] for e in page.query_selector_all(".jp-OutputArea-output[data-mime-type="
                                                                     "'application/vnd.jupyter.stderr']")]
    assert errors == [], f"{notebook} wrote to stderr or raised:\n" + "\n".join(errors)

    sliders = page.query_selector_all(".widget-slider .noUi-target:not([disabled]) .noUi-handle")
    assert sliders, f"{notebook} shows no slider"
    for i, handle in enumerate(sliders):
        image = handle.evaluate_handle("h => h.closest('.widget-vbox').querySelector('.widget-image')").as_element()
        assert image is not None, f"{notebook}: slider {i} has no figure beside it"
        before = image.get_attribute("src")
        handle.scroll_into_view_if_needed()
        handle.focus()
        handle.press("ArrowRight")
        handle.press("ArrowRight")
        label = handle.evaluate("h => h.closest('.widget-slider').querySelector('.widget-label').textContent")
        try:
            page.wait_for_function("([img, old]) => img.getAttribute('src') !== old", arg=[image, before],
                                   timeout=10_000)
        except Exception as exc:
            raise AssertionError(f"{notebook}: moving slider {i} ({label!r}) did not change its figure") from exc

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    figures = page.query_selector_all(".widget-vbox:has(> .widget-hbox .widget-slider):has(> .widget-image)")
    assert figures, f"{notebook}: no figure with sliders to photograph"
    for k, figure in enumerate(figures, start=1):
        figure.scroll_into_view_if_needed()
        figure.screenshot(path=str(SCREENSHOTS / f"{Path(notebook).stem}-{k}.png"))
