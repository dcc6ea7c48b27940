// The page around the wasm app: URL parameters become the app's command-line options, the
// loading bar follows the download, settings persist in IndexedDB, files the app writes become
// downloads, and the browser's copy and shortcut keys serve the app's "Copy link to this view".
'use strict';

(function () {
  const $ = (id) => document.getElementById(id);
  const canvas = $('canvas');

  function showMessage(html) {
    $('loading').hidden = true;
    const m = $('message');
    m.innerHTML = html;
    m.hidden = false;
  }
  const escape = (s) => s.replace(/[&<>"]/g, (c) => ({'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;'}[c]));

  // ?lesson=deleted-mail&step=3&presenter=1&select=2 -> --lesson deleted-mail --step 3 ...
  // (profile=thunderbird: the lesson with a mail app's defaults, as the desktop's --profile)
  // The app checks the values as it checks its command line, and says what is wrong.
  function argumentsFromUrl() {
    const p = new URLSearchParams(location.search);
    const args = [];
    const valued = ['lesson', 'profile', 'step', 'time', 'select', 'bottom', 'seed', 'sandbox-menu'];
    const flags = {presenter: '--presenter', 'high-contrast': '--high-contrast',
                   'colour-blind-safe': '--colour-blind-safe', settings: '--settings'};
    for (const [k, v] of p) {
      if (valued.includes(k)) args.push('--' + k, v);
      else if (k === 'intent') args.push('--intent', v);
      else if (k in flags) { if (v !== '0' && v !== 'false') args.push(flags[k]); }
      else console.warn('Mailscope: URL parameter "' + k + '" is not one the app knows; ignored');
    }
    return args;
  }

  function hasWebGL2() {
    try { return !!document.createElement('canvas').getContext('webgl2'); } catch (e) { return false; }
  }

  const stderr = [];
  function couldNotStart(fallback) {
    console.log('MAILSCOPE-COULD-NOT-START ' + (stderr.join(' ') || fallback));
    showMessage('<h1>Mailscope could not start</h1><p>' + escape(stderr.join('\n') || fallback) +
      '</p><p><a href="?">Open the default lesson</a></p>');
  }
  const t0 = performance.now();
  const Module = {
    canvas: canvas,
    arguments: argumentsFromUrl(),
    print: (text) => console.log(text),
    // The app's error messages; shown on the page when it cannot start.
    printErr: (text) => { stderr.push(text); console.warn(text); },
    setStatus: (text) => {
      const m = /\((\d+(?:\.\d+)?)\/(\d+)\)/.exec(text);
      if (m) $('loading-bar').style.width = (100 * Number(m[1]) / Number(m[2])).toFixed(1) + '%';
      if (text) $('loading-text').textContent = text.replace(/\s*\(.*\)$/, '') || 'Loading…';
    },
    preRun: [function () {
      // Settings, imgui.ini and course progress: $HOME/.config/mailscope, kept in IndexedDB.
      const FS = Module.FS;
      const dir = '/home/web_user/.config';
      FS.mkdirTree(dir);
      FS.mount(FS.filesystems.IDBFS, {}, dir);
      Module.addRunDependency('persist');
      FS.syncfs(true, (err) => {
        if (err) console.warn('Mailscope: saved settings could not be read (' + err + ')');
        Module.removeRunDependency('persist');
      });
    }],
    onExit: (code) => { if (code !== 0) couldNotStart('exit code ' + code); },
    // main returns without starting the frame loop when a parameter is wrong (?lesson=nope);
    // the runtime stays alive, so onExit is not called: the page would say "Running…" forever.
    postRun: [function () { if (!Module.mailscopeStarted) couldNotStart('the app stopped'); }],
    onAbort: (what) => {
      console.error('Mailscope stopped: ' + what);
      showMessage('<h1>Mailscope stopped</h1><p>' + escape(String(what)) +
        '</p><p>Reload the page to start again.</p>');
    },
    mailscopeFirstFrame: () => {
      const ms = performance.now() - t0;
      performance.mark('mailscope-first-frame');
      console.log('MAILSCOPE-FIRST-FRAME ' + Math.round(ms));
      $('loading').hidden = true;
      canvas.focus();
    },
    mailscopeDownload: (name, bytes) => {
      const type = name.endsWith('.png') ? 'image/png' : name.endsWith('.svg') ? 'image/svg+xml'
        : name.endsWith('.html') ? 'text/html' : name.endsWith('.pcap') ? 'application/vnd.tcpdump.pcap'
        : 'application/octet-stream';
      const url = URL.createObjectURL(new Blob([bytes], {type: type}));
      const a = document.createElement('a');
      a.href = url;
      a.download = name;
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60000);
      console.log('MAILSCOPE-DOWNLOAD ' + name + ' ' + bytes.length);
    },
    mailscopePersist: () => {
      Module.FS.syncfs(false, (err) => {
        if (err) console.warn('Mailscope: settings could not be saved (' + err + ')');
      });
    },
    mailscopeStopped: () => showMessage('<h1>Mailscope has quit</h1><p>Reload the page to start again.</p>'),
  };
  window.Module = Module;

  // The app's Ctrl shortcuts (Ctrl+L copy link, Ctrl+S screenshot, Ctrl+O lessons) are the
  // app's while it has the keyboard, not the browser's address bar, save and open dialogs.
  window.addEventListener('keydown', (e) => {
    if ((e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey && ['l', 's', 'o'].includes(e.key.toLowerCase())
        && Module.calledRun && $('message').hidden) e.preventDefault();
  });

  // The app draws everything on the canvas, so the browser finds no text to copy: while the
  // app shows a link to copy by hand (the clipboard was refused), copying copies that.
  document.addEventListener('copy', (e) => {
    if (!Module.mailscopeCopyText) return;
    e.clipboardData.setData('text/plain', Module.mailscopeCopyText);
    e.preventDefault();
    console.log('MAILSCOPE-LINK-COPIED-BY-HAND');
  });

  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden' && Module.calledRun) Module.ccall('ms_web_save', null, [], []);
  });

  window.addEventListener('DOMContentLoaded', () => {
    if (!hasWebGL2()) {
      showMessage('<h1>This browser cannot show Mailscope</h1><p>Mailscope draws with WebGL2, ' +
        'which this browser has turned off or does not have. Current Chrome, Edge, Firefox and ' +
        'Safari have it; check that hardware acceleration is on (or update the browser), ' +
        'then reload.</p>');
      console.log('MAILSCOPE-NO-WEBGL2');
      return;
    }
    // The app's script sits in a <template> so that it only starts here.
    const tpl = $('app-script').content.querySelector('script');
    const s = document.createElement('script');
    if (tpl.src) s.src = tpl.getAttribute('src');
    else s.textContent = tpl.textContent;
    document.body.appendChild(s);
  });
})();
