"""Submits messages to alice over SMTP with Python's smtplib (EHLO, AUTH, MAIL/RCPT/DATA).

usage: smtp_send.py SMTP_PORT SUBJECT [SUBJECT...]   -- one message per subject
"""
import smtplib
import sys

port = int(sys.argv[1])
with smtplib.SMTP("127.0.0.1", port, timeout=10) as s:
    s.ehlo("client.example")
    s.login("alice", "secret")
    for n, subject in enumerate(sys.argv[2:], 1):
        msg = ("From: Bob <bob@example.org>\r\nTo: alice@mail.example.com\r\n"
               f"Subject: {subject}\r\nMessage-ID: <live{n}.{subject.replace(' ', '-')}@example.org>\r\n"
               f"\r\nbody of {subject}\r\n.starts with a dot\r\n")
        refused = s.sendmail("bob@example.org", ["alice@mail.example.com"], msg)
        assert not refused, refused
print("sent", len(sys.argv) - 2)
