"""smtplib submits a message; imaplib then sees it in INBOX (login, select, fetch, logout).

usage: imap_after_smtp.py IMAP_PORT SMTP_PORT
"""
import imaplib
import smtplib
import sys

imap_port, smtp_port = int(sys.argv[1]), int(sys.argv[2])
with smtplib.SMTP("127.0.0.1", smtp_port, timeout=10) as s:
    s.login("alice", "secret")
    s.sendmail("bob@example.org", ["alice@mail.example.com"],
               "From: bob@example.org\r\nTo: alice@mail.example.com\r\n"
               "Subject: via smtp\r\nMessage-ID: <via-smtp@example.org>\r\n\r\nhello imap\r\n")
m = imaplib.IMAP4("127.0.0.1", imap_port, timeout=10)
typ, _ = m.login("alice", "secret")
assert typ == "OK"
typ, data = m.select("INBOX")
assert typ == "OK" and data == [b"1"], (typ, data)
typ, data = m.fetch("1", "(RFC822)")
assert typ == "OK" and b"Subject: via smtp" in data[0][1] and b"hello imap" in data[0][1], data
typ, _ = m.logout()
assert typ == "BYE"
print("ok")
