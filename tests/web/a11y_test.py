#!/usr/bin/python3
"""The browser build's text view (the accessible HTML twin of the canvas) in headless Chromium.

- axe-core finds no WCAG 2.1 A/AA violation on the start screen, a lesson, the quiz answered
  and the comparison table, with the text view hidden (its default) and shown;
- Chromium's accessibility tree (DevTools protocol Accessibility.getFullAXTree) holds the
  step's narrative, every check, every quiz choice (as radio buttons) and every table cell;
- by keyboard alone, on the text view only (F6 out of the canvas, Tab, Enter, Space), a
  learner advances a step and answers a quiz question, and the app's own state changes: the
  view's address (the app's step) and the app's quiz feedback.
F1 on the canvas shows the app's list of keys, Escape closes it.
Pictures of the text view and the key list at 1280x720 go to OUT_DIR (web-text-view.png,
web-key-map.png).

Usage: a11y_test.py SITE_DIR AXE_JS OUT_DIR
"""
import json
import os
import sys
import time

import site_browser
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

site, axe_js, out = sys.argv[1:4]
os.makedirs(out, exist_ok=True)
failures = []


def fail(what):
    print('FAIL: ' + what, flush=True)
    failures.append(what)


def ok(what):
    print('ok: ' + what, flush=True)


base = site_browser.serve(site) + 'index.html'

opts = site_browser.chrome_options()
driver = site_browser.chrome(opts)
driver.set_page_load_timeout(120)
driver.set_script_timeout(120)
axe_source = open(axe_js, encoding='utf-8').read()


def until(cond, what, timeout=60):
    end = time.time() + timeout
    while time.time() < end:
        try:
            v = driver.execute_script(cond)
            if v:
                return v
        except Exception:  # the page may be between documents
            pass
        time.sleep(0.1)
    fail('timed out waiting for ' + what)
    return None


def js(script, *args):
    return driver.execute_script(script, *args)


def open_page(query, lesson=None):
    driver.get(base + query)
    until("return window.Module && Module.calledRun && document.getElementById('twin').dataset.ready",
          'the text view of ' + (query or 'the start screen'), 120)
    if lesson:
        until("return document.getElementById('twin-title').textContent.length > 0 && "
              "!document.getElementById('twin-lesson').hidden", 'the lesson in the text view')


def view():
    return js("return Module.ccall('ms_web_view_query','string',[],[])")


def axe(what):
    """Runs axe-core on the page for WCAG 2.0/2.1 A and AA rules; every violation fails."""
    if not js("return !!window.axe"):
        js(axe_source)
    res = driver.execute_async_script("""
        const done = arguments[arguments.length - 1];
        axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})
           .then((r) => done(JSON.stringify({v: r.violations.map((x) => ({id: x.id, help: x.help,
                  nodes: x.nodes.map((n) => n.target.join(' ') + ': ' + n.failureSummary)})),
                  passes: r.passes.length})),
                 (e) => done(JSON.stringify({error: String(e)})));""")
    r = json.loads(res)
    if 'error' in r:
        fail('axe on %s: %s' % (what, r['error']))
        return
    for v in r['v']:
        fail('axe on %s: %s (%s): %s' % (what, v['id'], v['help'], '; '.join(v['nodes'][:3])))
    if not r['v']:
        ok('axe: no WCAG 2.1 A/AA violation on %s (%d rules passed)' % (what, r['passes']))


def ax_tree():
    """Every node of Chromium's accessibility tree as (role, name)."""
    nodes = driver.execute_cdp_cmd('Accessibility.getFullAXTree', {})['nodes']
    out = []
    for n in nodes:
        if n.get('ignored'):
            continue
        role = (n.get('role') or {}).get('value', '')
        name = (n.get('name') or {}).get('value', '')
        out.append((role, name))
    return out


def in_tree(tree, text, roles=None):
    return any(text in name and (roles is None or role in roles) for role, name in tree)


def show_text_view(on):
    expanded = js("return document.getElementById('twin-toggle').getAttribute('aria-expanded')") == 'true'
    if expanded != on:
        js("document.getElementById('twin-toggle').click()")


try:
    # ---- the start screen ------------------------------------------------------------------------
    open_page('')
    if js("return document.getElementById('twin-start').hidden"):
        fail('the start screen: the text view does not show the course')
    n = js("return document.querySelectorAll('#twin-course button').length")
    if not n:
        fail('the start screen: no lesson buttons in the text view')
    axe('the start screen (text view hidden)')
    show_text_view(True)
    axe('the start screen (text view shown)')
    tree = ax_tree()
    for q in js("return [...document.querySelectorAll('#twin-chooser legend')].map(e => e.textContent)"):
        if not in_tree(tree, q):
            fail('the accessibility tree lacks the chooser question "%s"' % q)
    # The chooser as a form: answering a question there is answering it in the app.
    js("document.querySelector('label[for=twin-ch-connection2]').click()")
    if until("return document.getElementById('twin-recommendation').textContent.includes('Recommendation')",
             'the recommendation after a chooser answer in the text view'):
        ok('the chooser in the text view answers in the app: ' +
           js("return document.querySelector('#twin-recommendation strong').textContent"))

    # ---- a lesson: the narrative, the checks, the canvas's description --------------------------
    open_page('?lesson=mail-storage&step=3', lesson=True)
    show_text_view(False)
    axe('a lesson at step 3 (text view hidden)')
    show_text_view(True)
    axe('a lesson at step 3 (text view shown)')
    tree = ax_tree()
    narrative = js("return document.querySelector('#twin-step p:last-child').textContent")
    stepno = js("return document.querySelector('#twin-step .twin-stepno').textContent")
    if not stepno.startswith('Step 3 of 3'):
        fail('the text view says "%s" at step 3' % stepno)
    if not narrative or not in_tree(tree, narrative[:80]):
        fail('the accessibility tree lacks the step narrative "%s"' % narrative[:80])
    else:
        ok('the accessibility tree holds the narrative of step 3')
    checks = js("return [...document.querySelectorAll('#twin-checks li')].map(e => e.textContent)")
    if not checks:
        fail('no checks in the text view at step 3')
    for c in checks:
        if not in_tree(tree, c[5:60]):
            fail('the accessibility tree lacks the check "%s"' % c)
    ok('the accessibility tree holds the %d checks decided by step 3' % len(checks))
    if js("return document.getElementById('twin-step').getAttribute('aria-live')") != 'polite':
        fail('the step is not in a polite live region')
    if not js("return document.getElementById('twin-log-box').getAttribute('role') === 'log' && "
              "document.querySelectorAll('#twin-log li').length > 0"):
        fail('the transcript is not a role=log with lines')
    desc = js("return document.getElementById('canvas-desc').textContent")
    if desc != ('POP3 world: the server holds 0 messages; the phone holds 3 messages. '
                'IMAP world: the server holds 3 messages; the phone holds 3 messages.'):
        fail('the canvas is described as "%s" at step 3' % desc)
    canvas = [n for n in tree if n[0] == 'image' and n[1].startswith('Mailscope')]
    if not canvas:
        fail('the canvas has no accessible name in the accessibility tree')
    ok('the canvas is named and described: ' + desc)
    driver.save_screenshot(os.path.join(out, 'web-text-view.png'))

    # ---- the quiz ------------------------------------------------------------------------------
    tree = ax_tree()
    choices = js("return [...document.querySelectorAll('#twin-quiz label')].map(e => e.textContent)")
    if len(choices) != 9:
        fail('the quiz has %d choices in the text view, not 9' % len(choices))
    for c in choices:
        if not in_tree(tree, c, ('radio',)):
            fail('the accessibility tree has no radio button "%s"' % c)
    ok('the accessibility tree holds every quiz choice as a radio button (%d)' % len(choices))
    js("document.querySelector('label[for=twin-q0c1]').click()")
    until("return document.getElementById('twin-q0fb').textContent.startsWith('Right')",
          'the feedback of a right answer clicked in the text view')
    axe('the quiz answered (text view shown)')

    # ---- the comparison table ------------------------------------------------------------------
    open_page('?lesson=mail-storage&time=1000', lesson=True)
    show_text_view(True)
    until("return document.querySelectorAll('#twin-table td').length > 0 && "
          "![...document.querySelectorAll('#twin-table td')].some(td => td.textContent === 'not shown yet')",
          'the comparison table filled in the text view')
    axe('the comparison table (text view shown)')
    tree = ax_tree()
    cells = js("return [...document.querySelectorAll('#twin-table th, #twin-table td')].map(e => e.textContent)")
    for c in cells:
        if not in_tree(tree, c, ('cell', 'gridcell', 'columnheader', 'rowheader')):
            fail('the accessibility tree has no table cell "%s"' % c)
    ok('the accessibility tree holds every cell of the table (%d)' % len(cells))

    # ---- by keyboard, on the text view alone -----------------------------------------------------
    open_page('?lesson=mail-storage', lesson=True)
    before = view()
    # The app has the keyboard (the canvas is focused at the first frame); F6 leaves it.
    ActionChains(driver).send_keys(Keys.F6).perform()
    if js("return document.activeElement.id") != 'twin-toggle':
        fail('F6 on the canvas does not move focus to the text view button')
    ActionChains(driver).send_keys(Keys.ENTER).perform()

    def tab_to(elem_id, limit=80):
        for _ in range(limit):
            if js("return document.activeElement && document.activeElement.id") == elem_id:
                return True
            ActionChains(driver).send_keys(Keys.TAB).perform()
        fail('Tab never reached #' + elem_id)
        return False

    first = js("return document.querySelector('#twin-step .twin-stepno').textContent")
    if not first.startswith('Step 1 of 3'):
        fail('the lesson opens at "%s", not step 1' % first)
    if tab_to('twin-next'):
        ActionChains(driver).send_keys(Keys.ENTER).perform()
        # The app plays the step to its end; its step number is the app's, sent to the page.
        if until("return document.querySelector('#twin-step .twin-stepno').textContent.startsWith('Step 2 of 3')",
                 'step 2 after Next step pressed with the keyboard'):
            ok('Enter on "Next step" in the text view moved the app to step 2 (%s -> %s)' % (before, view()))
        if view() == before:
            fail('the app\'s view did not change after Next step in the text view: ' + view())
    if tab_to('twin-q1c0'):
        # Arrow keys move within a radio group and choose: the second choice of question 2.
        ActionChains(driver).send_keys(Keys.ARROW_DOWN).perform()
        if until("return document.getElementById('twin-q1fb').textContent.startsWith('Right')",
                 'the app\'s feedback after answering question 2 with the keyboard'):
            ok('answered question 2 with the arrow keys; the app says: ' +
               js("return document.getElementById('twin-q1fb').textContent")[:80])
    if js("return getComputedStyle(document.activeElement).outlineStyle") in ('none', ''):
        fail('the focused radio button shows no focus outline')

    # ---- F1: the app's list of keys ------------------------------------------------------------
    js("document.getElementById('canvas').focus()")
    ActionChains(driver).send_keys(Keys.F1).perform()
    rect = until("return Module.ccall('ms_web_widget_rect','string',['string'],['keymap'])",
                 'the key list after F1 on the canvas', 20)
    if rect:
        ok('F1 on the canvas shows the list of keys at ' + rect)
        driver.save_screenshot(os.path.join(out, 'web-key-map.png'))
        ActionChains(driver).send_keys(Keys.ESCAPE).perform()
        until("return Module.ccall('ms_web_widget_rect','string',['string'],['keymap']) === ''",
              'the key list to close on Escape', 20)
finally:
    driver.quit()

if failures:
    print('%d failure(s)' % len(failures))
    sys.exit(1)
print('all text view checks passed')
