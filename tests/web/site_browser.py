"""What the browser tests share: the built site served on a free loopback port, and Debian's
headless Chromium (SwiftShader WebGL2) driven through chromium-driver at 1280x720."""
import functools
import http.server
import threading

from selenium import webdriver
from selenium.webdriver.chrome.service import Service


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      '.wasm': 'application/wasm', '.js': 'text/javascript'}

    def log_message(self, *args):
        pass


def serve(site):
    """Serves SITE on 127.0.0.1 from a daemon thread; returns the base address ending in /."""
    server = http.server.ThreadingHTTPServer(('127.0.0.1', 0),
                                             functools.partial(QuietHandler, directory=site))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return 'http://127.0.0.1:%d/' % server.server_address[1]


def chrome_options():
    """Headless Chromium at 1280x720 and scale 1, WebGL2 through SwiftShader."""
    opts = webdriver.ChromeOptions()
    opts.binary_location = '/usr/bin/chromium'
    for a in ('--headless=new', '--use-angle=swiftshader', '--enable-unsafe-swiftshader',
              '--no-sandbox', '--disable-dev-shm-usage', '--window-size=1280,720',
              '--force-device-scale-factor=1'):
        opts.add_argument(a)
    return opts


def chrome(opts):
    return webdriver.Chrome(service=Service('/usr/bin/chromedriver'), options=opts)
