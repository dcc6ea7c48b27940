"""A full poplib session against the live server (expects the messages 'first' and 'second').

usage: pop3_session.py POP3_PORT
"""
import poplib
import sys

port = int(sys.argv[1])
p = poplib.POP3("127.0.0.1", port, timeout=10)
assert p.getwelcome().startswith(b"+OK"), p.getwelcome()
caps = p.capa()
assert "UIDL" in caps and "TOP" in caps and "USER" in caps, caps
assert p.user("alice").startswith(b"+OK")
assert p.pass_("secret").startswith(b"+OK")
count, size = p.stat()
assert count == 2, (count, size)
resp, listing, _ = p.list()
assert len(listing) == 2 and sum(int(l.split()[1]) for l in listing) == size, listing
resp, uidl, _ = p.uidl()
uids = [l.split()[1] for l in uidl]
assert len(uids) == 2 and uids[0] != uids[1], uidl
resp, lines, octets = p.retr(1)
assert b"Subject: first" in lines and b"body of first" in lines, lines
# poplib undoes the byte-stuffing: the line that began with a dot comes back as sent.
assert b".starts with a dot" in lines, lines
resp, lines, _ = p.top(2, 0)
assert b"Subject: second" in lines and b"body of second" not in lines, lines
assert p.noop().startswith(b"+OK")
assert p.dele(1).startswith(b"+OK")
assert p.stat()[0] == 1
assert p.quit().startswith(b"+OK")

# The deletion took effect at QUIT (RFC 1939 section 6): one message left, same unique-id.
p = poplib.POP3("127.0.0.1", port, timeout=10)
p.user("alice")
p.pass_("secret")
assert p.stat()[0] == 1
assert p.uidl()[1][0].split()[1] == uids[1]
p.quit()
print("ok")
