#!/usr/bin/env bash
# Regenerates the libFuzzer seed corpora in tests/fuzz/corpus/<target>/ from the lessons: runs
# `mailscope-cli run LESSON --json` for every lesson and cuts each recorded connection into the
# bytes one side sent (client->server for the server targets, server->client for the client
# targets), plus the lesson files themselves and the messages sent over SMTP (for mime).
# Each corpus is kept small (at most 50 files, 100 KB): it is committed, the campaigns grow
# their own copies elsewhere.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh test
cmake -S . -B build -DMAILSCOPE_GUI=OFF >/dev/null
cmake --build build -j"$(nproc)" --target mailscope-cli
tmp=$(mktemp -d -t mailscope-seeds.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
for f in lessons/*.json; do
  ./build/sim/mailscope-cli run "$f" --json >"$tmp/$(basename "$f" .json).jsonl" || true
done
python3 - "$tmp" tests/fuzz/corpus lessons <<'PY'
import hashlib, json, os, shutil, sys

traces, out, lessons = sys.argv[1:4]
MAX_FILES, MAX_TOTAL, MAX_FILE = 50, 100 * 1024, 16 * 1024
seeds = {}  # target -> {digest: bytes}

def add(target, data):
    data = data[:MAX_FILE]
    seeds.setdefault(target, {})[hashlib.sha1(data).hexdigest()] = data

# The first bytes of every target's input are mode bytes (see tests/fuzz/*.cpp): 0 means
# "all in one receive() call" and the default policy.
PREFIX = {
    "imap-command": b"\0", "imap-response": b"\0", "pop3-server": b"\0",
    "pop3-client": b"\0\0", "smtp-server": b"\0\0", "smtp-client": b"\1\0",
}
SERVER_ACTORS = {"server"}

def unstuff(data):
    lines = data.split(b"\r\n")
    if lines and lines[-1] == b"":
        lines.pop()
    if lines and lines[-1] == b".":
        lines.pop()
    return b"".join((l[1:] if l.startswith(b".") else l) + b"\r\n" for l in lines)

for name in sorted(os.listdir(traces)):
    world = 0
    conns = {}  # (world, proto, conn, direction) -> [bytes]
    for line in open(os.path.join(traces, name), encoding="utf-8"):
        rec = json.loads(line)
        if "world" in rec:
            world += 1
            continue
        if rec.get("kind") != "wire":
            continue
        to_server = rec["to"] in SERVER_ACTORS
        key = (world, rec["proto"], rec["conn"], to_server)
        conns.setdefault(key, []).append(rec["bytes"].encode("utf-8"))
    for (w, proto, conn, to_server), units in conns.items():
        side = "server" if to_server else "client"
        target = {"IMAP": {"server": "imap-command", "client": "imap-response"},
                  "POP3": {"server": "pop3-server", "client": "pop3-client"},
                  "SMTP": {"server": "smtp-server", "client": "smtp-client"}}[proto][side]
        add(target, PREFIX[target] + b"".join(units))
        if proto == "SMTP" and to_server:
            for prev, unit in zip(units, units[1:]):
                if prev.upper() == b"DATA\r\n":
                    msg = unstuff(unit)
                    add("mime", b"\0" + msg)
                    add("mime", b"\x06HEADER" + msg)
                    add("roundtrip", b"\xff" + msg)

for f in sorted(os.listdir(lessons)):
    if f.endswith(".json"):
        add("lesson", open(os.path.join(lessons, f), "rb").read())

# A few hand-made messages the lessons do not contain: MIME structure for the mime target.
multipart = (b"From: a@example.com\r\nSubject: parts\r\nMIME-Version: 1.0\r\n"
             b"Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\npreamble\r\n--b1\r\n"
             b"Content-Type: text/plain; charset=utf-8\r\n\r\nhello\r\n--b1\r\n"
             b"Content-Type: message/rfc822\r\n\r\nSubject: inner\r\nContent-Type: multipart/"
             b"alternative; boundary=b2\r\n\r\n--b2\r\nContent-Type: text/html\r\n\r\n<p>x</p>\r\n"
             b"--b2--\r\n--b1\r\nContent-Type: image/png; name=\"a.png\"\r\n"
             b"Content-Disposition: attachment; filename=a.png\r\n"
             b"Content-Transfer-Encoding: base64\r\n\r\niVBORw0KGgo=\r\n--b1--\r\nepilogue\r\n")
add("mime", b"\0" + multipart)
add("mime", b"\x0b2.1.HEADER" + multipart)
add("mime", b"\x1cHEADER.FIELDS (SUBJECT FROM)" + multipart)
add("roundtrip", b"|hello|\\Seen $Label|a.b\r\n..\r\n.\r\nend|caf\xc3\xa9 &-|\0\r\x7f")

for target, files in sorted(seeds.items()):
    d = os.path.join(out, target)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    # Smallest first: they are the cheapest to mutate, and many small ones beat a few big ones.
    total = 0
    for n, (digest, data) in enumerate(sorted(files.items(), key=lambda kv: (len(kv[1]), kv[0]))):
        if n >= MAX_FILES or total + len(data) > MAX_TOTAL:
            break
        open(os.path.join(d, digest[:16]), "wb").write(data)
        total += len(data)
    print(f"{target}: {min(len(files), n + 1)} of {len(files)} seeds, {total} bytes")
PY
