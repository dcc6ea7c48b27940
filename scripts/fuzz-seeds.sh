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
# Reuse an existing build (with or without the GUI); the CLI is all this needs.
. scripts/ccache.sh
[ -f build/CMakeCache.txt ] || cmake -S . -B build -DMAILSCOPE_GUI=OFF "${ccache_args[@]}" >/dev/null
cmake --build build -j"$(nproc)" --target mailscope-cli 2>&1 | tail -1
tmp=$(mktemp -d -t mailscope-seeds.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
for f in lessons/*.json; do
  [ "$(basename "$f")" = course.json ] && continue  # the course order, not a lesson
  ./build/cli/mailscope-cli run "$f" --json >"$tmp/$(basename "$f" .json).jsonl" || true
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
# Commands the lessons' clients never send, so that the server targets start from them too.
add("pop3-server", b"\0CAPA\r\nUSER alice\r\nPASS secret\r\nSTAT\r\nLIST\r\nLIST 2\r\n"
    b"UIDL 1\r\nTOP 2 1\r\nRETR 1\r\nDELE 1\r\nRETR 1\r\nRSET\r\nNOOP\r\nQUIT\r\n")
add("pop3-server", b"\0AUTH PLAIN\r\nAGFsaWNlAHNlY3JldA==\r\nLIST\r\nQUIT\r\n")
add("pop3-server", b"\0APOP alice 0123456789abcdef0123456789abcdef\r\nUSER bob\r\nPASS x\r\n")
add("imap-command", b"\0a CAPABILITY\r\nb LOGIN alice {6}\r\nsecret\r\nc LIST \"\" *\r\n"
    b"d EXAMINE Sent\r\ne SELECT inbox\r\nf FETCH 1:* (FLAGS UID RFC822.SIZE ENVELOPE "
    b"BODYSTRUCTURE BODY.PEEK[HEADER.FIELDS (SUBJECT)] BODY[2.1]<0.10>)\r\n"
    b"g UID STORE 1:2 +FLAGS (\\Deleted $X)\r\nh UID MOVE 2 Trash\r\ni EXPUNGE\r\n"
    b"j APPEND Drafts (\\Draft) \"03-Mar-2014 09:00:00 +0000\" {14+}\r\nSubject: x\r\n\r\n\r\n"
    b"k NOOP\r\nl CLOSE\r\nm LOGOUT\r\n")
# CONDSTORE/QRESYNC forms (RFC 7162) the lessons' client does not use.
add("imap-command", b"\0a LOGIN alice secret\r\nb STATUS INBOX (HIGHESTMODSEQ RECENT UIDNEXT)\r\n"
    b"c SELECT INBOX (CONDSTORE)\r\nd STORE 1 (UNCHANGEDSINCE 1) +FLAGS (\\Seen)\r\n"
    b"e UID FETCH 1:* (FLAGS) (CHANGEDSINCE 1)\r\nf SEARCH MODSEQ 2\r\ng ENABLE QRESYNC\r\n"
    b"h UID FETCH 1:* (FLAGS) (CHANGEDSINCE 1 VANISHED)\r\ni EXPUNGE\r\n"
    b"j SELECT Sent (QRESYNC (1001 1 1:5 (1:3 1:3)))\r\nk SEARCH RECENT NEW\r\nl LOGOUT\r\n")
add("smtp-server", b"\0\0EHLO c\r\nAUTH LOGIN\r\nYWxpY2U=\r\nc2VjcmV0\r\nVRFY bob\r\n"
    b"HELP\r\nMAIL FROM:<alice@example.com> SIZE=20 BODY=8BITMIME\r\nRCPT TO:<bob@example.com>\r\n"
    b"RCPT TO:<x@elsewhere.org>\r\nDATA\r\nSubject: a\r\n\r\n..x\r\n.\r\nRSET\r\nQUIT\r\n")
add("smtp-server", b"\0\0HELO c\r\nAUTH PLAIN AGFsaWNlAHNlY3JldA==\r\nMAIL FROM:<>\r\n"
    b"RCPT TO:<nobody@example.com>\r\nDATA\r\nQUIT\r\n")
add("smtp-client", b"\1\0220 x ESMTP\r\n250-x\r\n250-SIZE 100\r\n250 AUTH LOGIN\r\n"
    b"334 VXNlcm5hbWU6\r\n334 UGFzc3dvcmQ6\r\n235 2.7.0 ok\r\n552 too big\r\n250 ok\r\n"
    b"250 ok\r\n550 no\r\n354 go\r\n250 queued\r\n221 bye\r\n")
add("pop3-client", b"\3\0+OK ready\r\n+OK\r\nUIDL\r\nTOP\r\n.\r\n+OK\r\n+OK\r\n+OK 2 20\r\n"
    b"+OK\r\n1 a1\r\n2 a3\r\n.\r\n+OK\r\nSubject: x\r\n\r\n.\r\n+OK\r\nS: y\r\n.\r\n"
    b"+OK\r\n-ERR\r\n+OK bye\r\n")
add("roundtrip", b"|hello|\\Seen $Label|a.b\r\n..\r\n.\r\nend|caf\xc3\xa9 &-|\0\r\x7f")

# split: the first byte picks the engine (see fuzz_split.cpp), the second the fragmentation.
for target, sel, modes in [("imap-command", 0, 0), ("pop3-server", 1, 0), ("smtp-server", 2, 1),
                           ("imap-response", 3, 0), ("pop3-client", 4, 1), ("smtp-client", 5, 1)]:
    for data in sorted(seeds.get(target, {}).values(), key=len)[:8]:
        add("split", bytes([sel, 3]) + data[modes + 1:])

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
