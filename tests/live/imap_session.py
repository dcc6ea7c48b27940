"""A full imaplib session: login, select, search, fetch, store, expunge, append, logout.
Expects the messages 'first' and 'second' in INBOX.

usage: imap_session.py IMAP_PORT
"""
import imaplib
import sys

port = int(sys.argv[1])
m = imaplib.IMAP4("127.0.0.1", port, timeout=10)
assert m.login("alice", "secret")[0] == "OK"
typ, data = m.select("INBOX")
assert typ == "OK" and data == [b"2"], (typ, data)
typ, data = m.search(None, "ALL")
assert typ == "OK" and data[0].split() == [b"1", b"2"], data
typ, data = m.search(None, "SUBJECT", "second")
assert typ == "OK" and data[0].split() == [b"2"], data
typ, data = m.fetch("1", "(FLAGS RFC822)")
assert typ == "OK" and b"Subject: first" in data[0][1], data
typ, data = m.store("1", "+FLAGS", "(\\Deleted)")
assert typ == "OK" and b"\\Deleted" in data[0], data
typ, data = m.expunge()
assert typ == "OK" and data == [b"1"], data
typ, data = m.append("INBOX", "(\\Seen)", None,
                     b"From: alice@mail.example.com\r\nSubject: appended\r\n\r\nfrom imaplib\r\n")
assert typ == "OK", (typ, data)
typ, data = m.select("INBOX")
assert typ == "OK" and data == [b"2"], (typ, data)
typ, data = m.search(None, "SEEN")
assert typ == "OK" and data[0].split() == [b"2"], data
assert m.logout()[0] == "BYE"
print("ok")
