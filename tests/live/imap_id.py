"""An imaplib session that names itself with IMAP ID (RFC 2971) before logging in, then
selects, fetches, stores and logs out. Expects at least one message in INBOX.

usage: imap_id.py IMAP_PORT [CLIENT_NAME]
"""
import imaplib
import sys

port = int(sys.argv[1])
name = sys.argv[2] if len(sys.argv) > 2 else "pytest"
imaplib.Commands["ID"] = ("NONAUTH", "AUTH", "SELECTED")
m = imaplib.IMAP4("127.0.0.1", port, timeout=10)
typ, data = m.xatom("ID", '("name" "%s")' % name)
assert typ == "OK", (typ, data)
assert m.login("alice", "secret")[0] == "OK"
typ, data = m.select("INBOX")
assert typ == "OK", (typ, data)
typ, data = m.fetch("1", "(FLAGS BODY.PEEK[HEADER.FIELDS (SUBJECT)])")
assert typ == "OK" and b"Subject:" in data[0][1], data
typ, data = m.store("1", "+FLAGS", "(\\Seen \\Flagged)")
assert typ == "OK" and b"\\Flagged" in data[0], data
assert m.logout()[0] == "BYE"
print("ok")
