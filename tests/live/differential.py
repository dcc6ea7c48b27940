"""Differential test: the same scripted IMAP and POP3 sessions against Mailscope's server
(`mailscope-cli serve`) and a throwaway Dovecot, both on 127.0.0.1. Responses are normalised
(see normalise_imap / normalise_pop3: tags are the same on both sides by construction;
UIDVALIDITY values, mod-sequences, dates, UIDL strings, server names, capability and flag
order, list order and the human-readable text after OK/NO/BAD/BYE are made comparable) and
compared step by step. Every remaining difference must be listed in differences.md (see the
format there); a difference that is not listed fails, and so does a listed one that is gone.

usage: differential.py MAILSCOPE_CLI [--keep DIR] [--show]
  --show   print both normalised transcripts of every differing step
  --raw    with them, the bytes each server sent
"""
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, "corpus")
DIFFERENCES = os.path.join(HERE, "differences.md")
TIMEOUT = 10.0  # seconds any one answer may take


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def wait_accepting(port):
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return True
        except OSError:
            time.sleep(0.05)
    return False


# ---- the two servers ----------------------------------------------------------------------

def terminate(proc):
    """SIGTERM, then SIGKILL if the server has not exited within 5 seconds."""
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(5)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


class Mailscope:
    name = "mailscope"

    def __init__(self, cli):
        self.proc = subprocess.Popen(
            [cli, "serve", "--imap-port", "0", "--pop3-port", "0", "--smtp-port", "0"],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.ports = {}
        for _ in range(3):
            words = self.proc.stdout.readline().decode().split()
            if len(words) == 3 and words[0] == "listening":
                self.ports[words[1]] = int(words[2].rsplit(":", 1)[1])
        if "imap" not in self.ports or "pop3" not in self.ports:
            raise RuntimeError("mailscope-cli serve did not say where it listens")

    def stop(self):
        terminate(self.proc)


class Dovecot:
    """dovecot_up.sh's configuration, with the mailboxes Mailscope's accounts start with
    (INBOX, Drafts, Sent, Junk, Trash, all subscribed), "/" as the hierarchy delimiter
    and an empty INBOX."""
    name = "dovecot"

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="ms-differential-")
        os.chmod(self.dir, 0o755)
        self.ports = {"imap": free_port(), "pop3": free_port()}
        subprocess.run([os.path.join(HERE, "dovecot_up.sh"), self.dir, str(self.ports["imap"]),
                        str(self.ports["pop3"])], check=True)
        new = os.path.join(self.dir, "alice", "Maildir", "new")
        for f in os.listdir(new):
            os.remove(os.path.join(new, f))
        conf = os.path.join(self.dir, "dovecot.conf")
        text = open(conf).read()
        extra = "".join("  mailbox %s {\n    special_use = \\%s\n    auto = subscribe\n  }\n"
                        % (m, m) for m in ("Drafts", "Junk"))
        extra += "  mailbox INBOX {\n    auto = subscribe\n  }\n"
        # Mailscope's hierarchy delimiter is "/" (Dovecot's Maild++ default is ".").
        text = text.replace("namespace inbox {\n  inbox = yes\n",
                            "namespace inbox {\n  inbox = yes\n  separator = /\n" + extra)
        # IDLE hears of other sessions' changes within a second, not at the 30 s default.
        text += "mailbox_idle_check_interval = 1 secs\n"
        open(conf, "w").write(text)
        self.proc = subprocess.Popen(["dovecot", "-F", "-c", conf], stdin=subprocess.DEVNULL,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if not (wait_accepting(self.ports["imap"]) and wait_accepting(self.ports["pop3"])):
            raise RuntimeError("dovecot did not start: see " + self.dir + "/dovecot.log")

    def stop(self):
        terminate(self.proc)
        shutil.rmtree(self.dir, ignore_errors=True)


# ---- the corpus ---------------------------------------------------------------------------

class Step:
    def __init__(self, key, session, line, lineno, proto):
        self.key, self.session, self.line, self.lineno = key, session, line, lineno
        self.proto = proto


def load_corpus(path):
    """Returns (messages, steps). Format (see corpus/README):
         @msg NAME ... @end       a message, its lines joined with CRLF
         @imap S / @pop3 S        open session S (its greeting is step S0)
         @close S                 drop session S's connection
         S LINE                   send LINE to session S
         S ?                      collect what S is sent unasked within a second (IDLE)
       In LINE, {{NAME}} is NAME's message as a synchronising literal (the continuation is
       awaited), {{+NAME}} as a LITERAL+ one; {{=TEXT}} the same with TEXT itself."""
    messages, steps, counts, protos = {}, [], {}, {}
    lines = open(path, encoding="utf-8").read().split("\n")
    base = os.path.splitext(os.path.basename(path))[0]
    i = 0
    while i < len(lines):
        raw = lines[i]
        i += 1
        if not raw.strip() or raw.startswith("#"):
            continue
        if raw.startswith("@msg "):
            name, body = raw.split()[1], []
            while lines[i] != "@end":
                body.append(lines[i])
                i += 1
            i += 1
            messages[name] = ("\r\n".join(body) + "\r\n").encode()
            continue
        session, _, line = raw.partition(" ")
        if session in ("@imap", "@pop3", "@close"):
            if session != "@close":
                protos[line] = session[1:]
            steps.append(Step(base + "/" + line + ("0" if session != "@close" else "x"), line,
                              raw, i, protos[line]))
            continue
        counts[session] = counts.get(session, 0) + 1
        tag = line.split(" ", 1)[0]
        # IMAP steps are named by their tag (unique in a file), the others by their number.
        key = base + "/" + (tag if re.match(r"^[a-z]+\d+$", tag) else
                            session + str(counts[session]))
        steps.append(Step(key, session, line, i, protos[session]))
    return messages, steps


# ---- talking ------------------------------------------------------------------------------

class Conn:
    def __init__(self, port, proto):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT)
        self.buf = b""
        self.proto = proto
        self.pending_tag = None  # an IMAP command waiting on a continuation

    def fill(self, timeout=TIMEOUT):
        self.sock.settimeout(timeout)
        data = self.sock.recv(65536)
        if not data:
            raise EOFError
        self.buf += data

    def line(self, timeout=TIMEOUT):
        while b"\r\n" not in self.buf:
            self.fill(timeout)
        line, _, self.buf = self.buf.partition(b"\r\n")
        return line + b"\r\n"

    def unit(self, timeout=TIMEOUT):
        """One IMAP response: a line and the literals it announces."""
        out = self.line(timeout)
        while True:
            m = re.search(rb"\{(\d+)\}\r\n$", out)
            if not m:
                return out
            n = int(m.group(1))
            while len(self.buf) < n:
                self.fill()
            out += self.buf[:n]
            self.buf = self.buf[n:]
            out += self.line()

    def send(self, data):
        self.sock.sendall(data)


def imap_exchange(conn, line, messages):
    """Sends one corpus line, returns the units received until its tagged answer."""
    units = []
    if line == "?":
        try:
            while True:
                units.append(conn.unit(timeout=1.5))
        except (socket.timeout, TimeoutError):
            return units
    tag = line.split(" ", 1)[0]
    untagged = not re.match(r"^[A-Za-z0-9.]+$", tag) or line in ("DONE", "*") or \
        re.match(r"^[A-Za-z0-9+/=]+$", line) and " " not in line
    parts = re.split(r"\{\{(\+?)(=?)(.*?)\}\}", line)
    data = parts[0].encode()
    for k in range(1, len(parts), 4):
        plus, inline, name, rest = parts[k], parts[k + 1], parts[k + 2], parts[k + 3]
        body = name.encode() if inline else messages[name]
        if plus:
            data += b"{%d+}\r\n" % len(body) + body
        else:
            conn.send(data + b"{%d}\r\n" % len(body))
            data = b""
            u = conn.unit()
            units.append(u)
            if not u.startswith(b"+"):
                return units  # refused: the literal is not sent
            data = body
        data += rest.encode()
    conn.send(data + b"\r\n")
    want = conn.pending_tag if untagged and conn.pending_tag else tag
    while True:
        u = conn.unit()
        units.append(u)
        if u.startswith(want.encode() + b" "):
            conn.pending_tag = None
            return units
        if u.startswith(b"+") and not untagged:
            conn.pending_tag = tag  # AUTHENTICATE, IDLE: the client speaks next
            return units


MULTILINE_POP3 = ("CAPA", "RETR", "TOP")


def pop3_exchange(conn, line):
    conn.send(line.encode() + b"\r\n")
    first = conn.line()
    words = line.upper().split()
    multi = words and (words[0] in MULTILINE_POP3 or (words[0] in ("LIST", "UIDL")
                                                      and len(words) == 1))
    out = [first]
    if multi and first.startswith(b"+OK"):
        while True:
            l = conn.line()
            out.append(l)
            if l == b".\r\n":
                break
    return out


def run_session_file(server, messages, steps):
    """Returns {step key: [received units]} for one corpus file against one server."""
    conns, result = {}, {}
    for st in steps:
        try:
            if st.line.startswith("@imap") or st.line.startswith("@pop3"):
                proto = st.line[1:5]
                c = Conn(server.ports[proto], proto)
                conns[st.session] = c
                result[st.key] = [c.line()]
                continue
            if st.line.startswith("@close"):
                conns.pop(st.session).sock.close()
                continue
            c = conns[st.session]
            if c.proto == "imap":
                result[st.key] = imap_exchange(c, st.line, messages)
            else:
                result[st.key] = pop3_exchange(c, st.line)
        except (EOFError, socket.timeout, TimeoutError, ConnectionError) as e:
            result[st.key] = [("<%s>" % type(e).__name__).encode()]
    for c in conns.values():
        c.sock.close()
    return result


# ---- normalising --------------------------------------------------------------------------

class Names:
    """Server-specific values (UIDVALIDITY, UIDL strings) -> V1, V2... in order of appearance:
    equal values stay equal and distinct ones distinct."""

    def __init__(self, prefix):
        self.prefix, self.map = prefix, {}

    def __call__(self, value):
        if value not in self.map:
            self.map[value] = "%s%d" % (self.prefix, len(self.map) + 1)
        return self.map[value]


def tokenize(s, i=0, depth=0):
    """IMAP response data -> nested lists of ('a', atom) / ('s', string) tokens."""
    out = []
    while i < len(s):
        c = s[i]
        if c == " ":
            i += 1
        elif c == ")":
            return out, i + 1
        elif c == "(":
            items, i = tokenize(s, i + 1, depth + 1)
            out.append(items)
        elif c == '"':
            j, text = i + 1, ""
            while j < len(s) and s[j] != '"':
                if s[j] == "\\":
                    j += 1
                text += s[j]
                j += 1
            out.append(("s", text))
            i = j + 1
        elif c == "{":
            m = re.match(r"\{(\d+)\+?\}\r\n", s[i:])
            n = int(m.group(1))
            start = i + m.end()
            out.append(("s", s[start:start + n]))
            i = start + n
        else:
            j = i
            while j < len(s) and s[j] not in " ()":
                if s[j] == "[" and re.match(r"(?i)^(BODY|BODY\.PEEK|BINARY)$", s[i:j]):
                    j = s.index("]", j)
                j += 1
            out.append(("a", s[i:j]))
            i = j
    return out, i


def show(tok):
    if isinstance(tok, list):
        return "(" + " ".join(show(t) for t in tok) + ")"
    kind, text = tok
    if kind == "s":
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\r\n", "\\r\\n") + '"'
    return text


def astring(tok):
    """An astring as a string token: a mailbox written as an atom equals the quoted form."""
    return ("s", tok[1]) if isinstance(tok, tuple) else tok


def sorted_flags(tok):
    return sorted(tok, key=lambda t: show(t).upper()) if isinstance(tok, list) else tok


class Normaliser:
    def __init__(self):
        self.uidvalidity = Names("V")
        self.uidl = Names("U")

    def code(self, code):
        """A response code's text, without brackets."""
        words = code.split(" ", 1)
        name = words[0].upper()
        arg = words[1] if len(words) > 1 else ""
        if name == "CAPABILITY":
            return "CAPABILITY " + " ".join(sorted(arg.upper().split()))
        if name == "PERMANENTFLAGS":
            toks, _ = tokenize(arg)
            return "PERMANENTFLAGS " + show(sorted_flags(toks[0]))
        if name == "UIDVALIDITY":
            return "UIDVALIDITY " + self.uidvalidity(arg)
        if name in ("APPENDUID", "COPYUID"):
            # uid-sets written either way ("1,2" or "1:2") mean the same (RFC 4315 section 4).
            v, _, rest = arg.partition(" ")
            return " ".join([name, self.uidvalidity(v)] + [expand_set(x) for x in rest.split()])
        if name in ("HIGHESTMODSEQ",):
            return name + " <modseq>"
        return name + (" " + arg if arg else "")

    def status_line(self, prefix, status, rest):
        m = re.match(r"^\[([^\]]*)\]", rest)
        return prefix + status + (" [" + self.code(m.group(1)) + "]" if m else "")

    def fetch_items(self, items):
        pairs = []
        for k in range(0, len(items) - 1, 2):
            name, value = items[k][1].upper(), items[k + 1]
            if name == "INTERNALDATE":
                value = ("a", "<date>")
            elif name == "MODSEQ":
                value = [("a", "<modseq>")]
            elif name == "FLAGS":
                value = sorted_flags(value)
            pairs.append(name + " " + show(value))
        return "(" + " ".join(sorted(pairs)) + ")"

    def imap_unit(self, u):
        s = u.decode("utf-8", "replace")
        body = s[:-2] if s.endswith("\r\n") else s
        if body.startswith("+"):
            return "+"
        tag, _, rest = body.partition(" ")
        word, _, rest2 = rest.partition(" ")
        up = word.upper()
        if up in ("OK", "NO", "BAD", "BYE", "PREAUTH"):
            return self.status_line(tag + " ", up, rest2)
        if tag != "*":
            return body
        if up == "CAPABILITY":
            return "* CAPABILITY " + " ".join(sorted(rest2.upper().split()))
        if up == "FLAGS":
            toks, _ = tokenize(rest2)
            return "* FLAGS " + show(sorted_flags(toks[0]))
        if up == "ID":
            return "* ID <server>"
        if up in ("LIST", "LSUB"):
            toks, _ = tokenize(rest2)
            attrs = sorted(show(t).upper() for t in toks[0])
            return "* %s (%s) %s %s" % (up, " ".join(attrs), show(toks[1]),
                                        show(astring(toks[2])))
        if up == "STATUS":
            toks, _ = tokenize(rest2)
            items = toks[1]
            pairs = []
            for k in range(0, len(items) - 1, 2):
                n, v = items[k][1].upper(), items[k + 1][1]
                if n == "UIDVALIDITY":
                    v = self.uidvalidity(v)
                elif n == "HIGHESTMODSEQ":
                    v = "<modseq>"
                pairs.append(n + " " + v)
            return "* STATUS %s (%s)" % (show(astring(toks[0])), " ".join(sorted(pairs)))
        if up == "SEARCH":
            return re.sub(r"\(MODSEQ \d+\)", "(MODSEQ <modseq>)", body)
        rest_word, _, rest3 = rest2.partition(" ")
        if rest_word.upper() == "FETCH":
            toks, _ = tokenize(rest3)
            return "* %s FETCH %s" % (word, self.fetch_items(toks[0]))
        return body

    def imap(self, units):
        lines = [self.imap_unit(u) for u in units]
        return sort_runs(lines, ("* LIST ", "* LSUB "))

    def pop3(self, lines, command):
        out = []
        words = command.upper().split()
        verb = words[0] if words else ""
        for k, l in enumerate(lines):
            s = l.decode("utf-8", "replace")[:-2]
            if k == 0:
                status, _, text = s.partition(" ")
                # The text after +OK is data for STAT, LIST n and UIDL n (RFC 1939 sections
                # 5 and 7), free text otherwise.
                if status == "+OK" and verb == "UIDL" and len(words) == 2:
                    n, _, uid = text.partition(" ")
                    s = "+OK %s %s" % (n, self.uidl(uid))
                elif not (status == "+OK" and (verb == "STAT" or
                                               (verb == "LIST" and len(words) == 2))):
                    s = status
            elif verb == "UIDL" and len(words) == 1 and s != ".":
                n, _, uid = s.partition(" ")
                s = "%s %s" % (n, self.uidl(uid))
            elif verb == "CAPA" and s != ".":
                s = s.upper()
            out.append(s)
        if verb == "CAPA":
            out = [out[0]] + sorted(out[1:-1]) + out[-1:]
        return out


def expand_set(text):
    """A sequence set without "*" as the plain list of its numbers, "1,2,3"."""
    out = []
    for part in text.split(","):
        lo, _, hi = part.partition(":")
        if not (lo.isdigit() and (not hi or hi.isdigit())):
            return text
        lo, hi = int(lo), int(hi or lo)
        out += [str(n) for n in range(min(lo, hi), max(lo, hi) + 1)]
    return ",".join(out)


def sort_runs(lines, prefixes):
    """Runs of consecutive lines starting with one of `prefixes`, sorted (RFC 3501 sets no
    order on LIST and LSUB replies)."""
    out, run = [], []
    for l in lines + [None]:
        if l is not None and l.startswith(prefixes):
            run.append(l)
            continue
        out += sorted(run)
        run = []
        if l is not None:
            out.append(l)
    return out


# ---- known differences --------------------------------------------------------------------

def load_differences():
    """differences.md: '## Dn: title' sections with 'Steps: key, key' and/or
    'Rule: SIDE /regex/replacement/' lines (SIDE mailscope or dovecot: applied to that side's
    normalised lines before comparing). Returns [(id, steps, rules)]."""
    entries = []
    for block in re.split(r"(?m)^## ", open(DIFFERENCES, encoding="utf-8").read())[1:]:
        ident = block.split(":", 1)[0].strip()
        steps, rules = set(), []
        for line in block.split("\n"):
            if line.startswith("Steps:"):
                steps |= {k.strip().strip("`") for k in line[6:].split(",") if k.strip()}
            m = re.match(r"^Rule: (mailscope|dovecot) `/(.*)/(.*)/`\s*$", line)
            if m:
                rules.append((m.group(1), re.compile(m.group(2)), m.group(3)))
        entries.append((ident, steps, rules))
    return entries


def main():
    cli = sys.argv[1]
    show_all = "--show" in sys.argv
    servers = [Mailscope(cli)]
    try:
        servers.append(Dovecot())
        corpus = sorted(f for f in os.listdir(CORPUS) if f.endswith(".script"))
        transcripts = {s.name: {} for s in servers}
        commands, order = {}, []
        for f in corpus:
            messages, steps = load_corpus(os.path.join(CORPUS, f))
            for st in steps:
                commands[st.key] = st
                order.append(st.key)
            for s in servers:
                transcripts[s.name].update(run_session_file(s, messages, steps))
    finally:
        for s in servers:
            s.stop()

    entries = load_differences()
    normalised = {}
    for name in ("mailscope", "dovecot"):
        n = Normaliser()
        rules = [(rx, rep) for _, _, rs in entries for side, rx, rep in rs if side == name]
        out = {}
        for key in order:
            st = commands[key]
            units = transcripts[name].get(key, [])
            lines = n.pop3(units, st.line) if st.proto == "pop3" else n.imap(units)
            for rx, rep in rules:
                # A rule that leaves a line empty removes it.
                lines = [l2 for l, l2 in ((l, rx.sub(rep, l)) for l in lines) if l2 or not l]
            out[key] = lines
        normalised[name] = out

    listed = {k: ident for ident, steps, _ in entries for k in steps}
    differing = [k for k in order
                 if normalised["mailscope"][k] != normalised["dovecot"][k]]
    commands_sent = sum(1 for k in order if not commands[k].line.startswith("@"))
    failures = 0
    for k in differing:
        known = k in listed
        if not known or show_all:
            st = commands[k]
            print("%s %s (line %d): %s" % ("known" if known else "NEW DIFFERENCE", k, st.lineno,
                                           st.line))
            print("  mailscope: " + "\n             ".join(normalised["mailscope"][k]))
            print("  dovecot:   " + "\n             ".join(normalised["dovecot"][k]))
            if "--raw" in sys.argv:
                for name in ("mailscope", "dovecot"):
                    print("  raw %s: %r" % (name, b"".join(transcripts[name].get(k, []))))
        failures += not known
    for k, ident in sorted(listed.items()):
        if k not in commands:
            print("differences.md %s lists %s, which the corpus does not have" % (ident, k))
            failures += 1
        elif k not in differing:
            print("differences.md %s lists %s, which no longer differs: remove it" % (ident, k))
            failures += 1
    print("%d corpus files, %d commands, %d steps differ (%d listed in differences.md), "
          "%d failure(s)" % (len(corpus), commands_sent, len(differing),
                             len([k for k in differing if k in listed]), failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
