// The text view: an accessible HTML twin of what the canvas draws, for screen readers,
// keyboards and small screens. The app publishes a JSON snapshot whenever it changes
// (gui/a11y_twin.hpp, gui/platform/web/a11y_twin_web.cpp); this script turns it into real
// HTML (headings, a live region per step, radio groups, a table, buttons), and sends what the
// learner does in it back to the app (ms_a11y_action), which does it as a click in the canvas
// would. Hidden visually (not from assistive technology) until the "Text view" button shows
// it; keyboard focus entering it shows it too.
'use strict';

(function () {
  const $ = (id) => document.getElementById(id);
  const twin = $('twin');
  const toggle = $('twin-toggle');
  const canvas = $('canvas');
  let last = {};       // the snapshot's parts as last rendered (JSON text), to touch only changes
  let quizKey = '';    // the quiz's questions as rendered: answers update in place
  let chooserKey = '';

  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === false || v === null || v === undefined) continue;
      if (k === 'text') e.textContent = v;
      else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v === true ? '' : v);
    }
    for (const c of children) if (c !== null && c !== undefined) e.append(c);
    return e;
  }

  function act(action) {
    if (!window.Module || !Module.calledRun) return;
    const rc = Module.ccall('ms_a11y_action', 'number', ['string'], [JSON.stringify(action)]);
    if (rc !== 0) console.warn('Mailscope: the text view asked for an action the app refused');
  }

  function changed(name, value) {
    const s = JSON.stringify(value === undefined ? null : value);
    if (last[name] === s) return false;
    last[name] = s;
    return true;
  }

  // Replaces a container's children, keeping keyboard focus on the element with the same id.
  function replace(container, ...children) {
    const focused = container.contains(document.activeElement) ? document.activeElement.id : '';
    container.replaceChildren(...children);
    if (focused && $(focused)) $(focused).focus();
  }

  function renderStep(s) {
    const step = s.step || {number: 0, count: 0, title: '', text: ''};
    $('twin-title').textContent = s.lesson ? s.lesson.title : 'Mailscope';
    // The live region holds the step alone, so a screen reader announces each new step once.
    if (changed('step', [s.lesson && s.lesson.id, step])) {
      const live = $('twin-step');
      if (step.number > 0) {
        replace(live, el('p', {class: 'twin-stepno', text: 'Step ' + step.number + ' of ' + step.count +
                               (step.time ? ' (' + step.time + ')' : '')}),
                el('h3', {text: step.title}), el('p', {text: step.text}));
      } else {
        replace(live, el('p', {text: step.count > 0 ? 'Before the first step. ' + (step.text || '') +
                               ' Press Play or Next step to start.' : (step.text || '')}));
      }
    }
  }

  function renderTimeline(s) {
    const t = s.timeline;
    if (!changed('timeline', [t, s.screen])) return;
    const prev = $('twin-prev'), play = $('twin-play'), next = $('twin-next');
    prev.disabled = !t || !t.can_prev;
    play.textContent = t && t.playing ? 'Pause' : 'Play';
    play.disabled = !t;
    if (t && t.next_lesson) {
      next.textContent = 'Next lesson';
      next.disabled = false;
      next.dataset.lesson = t.next_lesson;
    } else {
      next.textContent = 'Next step';
      next.disabled = !t || !t.can_next;
      delete next.dataset.lesson;
    }
    $('twin-time').textContent = t && t.time ? 'Time ' + t.time + ' of ' + t.end : (t && t.playing ? 'Playing' : '');
  }

  function renderChecks(s) {
    if (!changed('checks', [s.checks, s.checks_pending])) return;
    const items = (s.checks || []).map((c) => el('li', {},
      el('strong', {text: c.pass ? 'PASS' : 'FAIL'}), ' ' + c.world + ': ' + c.description +
      (c.observed ? ' (observed: ' + c.observed + ')' : '')));
    const list = items.length ? el('ul', {}, ...items) : el('p', {text: 'No check decided yet.'});
    const more = s.checks_pending > 0 ? el('p', {text: s.checks_pending +
      ' more at later steps (each turns PASS or FAIL at its step).'}) : null;
    replace($('twin-checks'), list, more);
  }

  function renderQuiz(s) {
    const quiz = s.quiz || [];
    const box = $('twin-quiz');
    $('twin-quiz-section').hidden = quiz.length === 0;
    const key = JSON.stringify([s.lesson && s.lesson.id, quiz.map((q) => [q.question, q.choices])]);
    if (key !== quizKey) {
      quizKey = key;
      const sets = quiz.map((q, qi) => el('fieldset', {},
        el('legend', {text: (qi + 1) + '. ' + q.question}),
        ...q.choices.map((c, ci) => el('div', {class: 'twin-choice'},
          el('input', {type: 'radio', name: 'twin-q' + qi, id: 'twin-q' + qi + 'c' + ci, value: String(ci),
                       onchange: () => act({do: 'quiz', q: qi, c: ci})}),
          el('label', {for: 'twin-q' + qi + 'c' + ci, text: c}))),
        el('p', {id: 'twin-q' + qi + 'fb', class: 'twin-feedback', 'aria-live': 'polite'})));
      replace(box, ...sets);
    }
    quiz.forEach((q, qi) => {
      q.choices.forEach((c, ci) => {
        const r = $('twin-q' + qi + 'c' + ci);
        if (r) r.checked = q.chosen === ci;
      });
      const fb = $('twin-q' + qi + 'fb');
      // The app's feedback starts with its verdict ("Right: ...", "Not quite: ...").
      const text = q.chosen >= 0 ? q.feedback + (q.retry ? ' ' + q.retry : '') : '';
      if (fb && fb.textContent !== text) fb.textContent = text;
    });
  }

  function renderTranscript(s) {
    if (!changed('transcript', s.transcript)) return;
    const lines = (s.transcript || []).map((l) => el('li', {},
      l.time + ' ' + l.world + ', ' + (l.from === 'server' ? 'server to ' : '') + l.device +
      (l.from === 'server' ? '' : ' to server') + ': ', el('code', {text: l.text})));
    replace($('twin-log'), ...(lines.length ? lines : [el('li', {text: 'Nothing sent yet.'})]));
  }

  function renderTable(s) {
    const t = s.table || {rows: []};
    $('twin-table-section').hidden = t.rows.length === 0;
    if (!changed('table', t)) return;
    const head = el('thead', {}, el('tr', {}, el('th', {scope: 'col', text: 'Row'}),
      el('th', {scope: 'col', text: 'POP3'}), el('th', {scope: 'col', text: 'IMAP'})));
    const body = el('tbody', {}, ...t.rows.map((r) => el('tr', {},
      el('th', {scope: 'row', text: r.row}),
      el('td', {text: r.pop3 || 'not shown yet'}), el('td', {text: r.imap || 'not shown yet'}))));
    replace($('twin-table'), el('table', {},
      el('caption', {text: t.complete ? 'This lesson\u2019s rows of the comparison table'
        : 'This lesson\u2019s rows of the comparison table (the cells fill in as the run shows them)'}),
      head, body));
  }

  function renderCourse(s) {
    if (!changed('course', s.course)) return;
    const groups = (s.course || []).map((g, gi) => el('section', {'aria-labelledby': 'twin-g' + gi},
      el('h3', {id: 'twin-g' + gi, text: g.row}),
      el('ul', {}, ...g.lessons.map((l) => el('li', {},
        el('button', {type: 'button', id: 'twin-open-' + l.id, 'aria-describedby': 'twin-tk-' + l.id,
                      onclick: () => act({do: 'open', lesson: l.id}),
                      text: 'Open ' + l.title + (l.seen ? ' (seen)' : '')}),
        el('span', {id: 'twin-tk-' + l.id, class: 'twin-takeaway', text: ' ' + l.takeaway}))))));
    replace($('twin-course'), ...groups);
  }

  function chooserAction(form) {
    const v = (k) => Number((form.querySelector('input[name="twin-ch-' + k + '"]:checked') || {value: 0}).value);
    return {do: 'chooser', devices: v('devices') + 1, connection: v('connection'),
            offline: v('offline') === 1, storage: v('storage') === 1, provider: v('provider')};
  }

  function renderChooser(s) {
    const c = s.chooser;
    if (!c) return;
    const form = $('twin-chooser');
    const key = JSON.stringify(c.questions.map((q) => [q.question, q.answers]));
    if (key !== chooserKey) {
      chooserKey = key;
      const sets = c.questions.map((q) => el('fieldset', {},
        el('legend', {text: q.question}),
        ...q.answers.map((a, ai) => el('div', {class: 'twin-choice'},
          el('input', {type: 'radio', name: 'twin-ch-' + q.key, id: 'twin-ch-' + q.key + ai,
                       value: String(ai), onchange: () => act(chooserAction(form))}),
          el('label', {for: 'twin-ch-' + q.key + ai, text: a})))));
      replace(form, ...sets);
    }
    for (const q of c.questions)
      q.answers.forEach((a, ai) => { $('twin-ch-' + q.key + ai).checked = q.value === ai; });
    if (!changed('recommendation', [c.answered, c.recommendation, c.why, c.notes, c.settings])) return;
    const out = $('twin-recommendation');
    if (!c.answered) {
      replace(out, el('p', {text: 'The recommendation appears once you answer a question.'}));
      return;
    }
    replace(out, el('p', {}, el('strong', {text: 'Recommendation: ' + c.recommendation})),
      ...(c.notes || []).map((n) => el('p', {text: n})),
      el('ul', {}, ...(c.why || []).map((w) => el('li', {text: w.row + ': ' + w.text}))),
      (c.settings || []).length ? el('p', {text: 'Settings: ' + c.settings.join('; ')}) : null);
  }

  function render(json) {
    let s;
    try { s = JSON.parse(json); } catch (e) { console.warn('Mailscope: bad text view snapshot'); return; }
    const start = s.screen === 'start';
    $('twin-start').hidden = !start;
    $('twin-lesson').hidden = start;
    renderCourse(s);
    renderChooser(s);
    if (!start) {
      renderStep(s);
      renderTimeline(s);
      renderChecks(s);
      renderQuiz(s);
      renderTranscript(s);
      renderTable(s);
    } else {
      $('twin-title').textContent = 'Mailscope: choose a lesson';
    }
    // What the worlds view draws at the cursor: the canvas's description.
    if (changed('canvas', s.canvas)) $('canvas-desc').textContent = s.canvas || '';
    twin.dataset.ready = '1';
  }

  Module.mailscopeTwin = render;

  $('twin-prev').addEventListener('click', () => act({do: 'step', dir: -1}));
  $('twin-next').addEventListener('click', (e) => {
    const l = e.currentTarget.dataset.lesson;
    act(l ? {do: 'open', lesson: l} : {do: 'step', dir: 1});
  });
  $('twin-play').addEventListener('click', (e) =>
    act({do: e.currentTarget.textContent === 'Pause' ? 'pause' : 'play'}));
  $('twin-lessons').addEventListener('click', () => act({do: 'start'}));
  $('twin-chooser').addEventListener('submit', (e) => e.preventDefault());

  function show(on) {
    twin.classList.toggle('visually-hidden', !on);
    twin.classList.toggle('twin-shown', on);
    toggle.setAttribute('aria-expanded', on ? 'true' : 'false');
    toggle.textContent = on ? 'Hide text view' : 'Text view';
  }
  toggle.addEventListener('click', () => {
    const on = toggle.getAttribute('aria-expanded') !== 'true';
    show(on);
    if (on) $('twin-title').focus();
  });
  if (new URLSearchParams(location.search).get('text') === '1') show(true);

  // Emscripten's GLFW listens to every key on the window (and keeps Tab for itself): keys
  // typed in the page's own controls are theirs, not the app's. Registered before GLFW's
  // listeners, so this runs first.
  const own = (e) => e.target !== canvas && e.target !== document.body && e.target !== document.documentElement;
  for (const type of ['keydown', 'keypress', 'keyup'])
    window.addEventListener(type, (e) => { if (own(e)) e.stopImmediatePropagation(); }, true);
  // The canvas keeps Tab for the app's own keyboard navigation: F6 leaves it for the text view.
  window.addEventListener('keydown', (e) => {
    // F1 is the app's list of keys, not the browser's help page.
    if (e.key === 'F1' && !own(e)) e.preventDefault();
    if (e.key === 'F6' && !own(e)) {
      e.preventDefault();
      e.stopImmediatePropagation();
      toggle.focus();
    }
  }, true);
})();
