#!/bin/sh
# Prepares a throwaway Dovecot on loopback for the connect-out tests: DIR/dovecot.conf, user
# alice/secret and two messages in her INBOX. The test then runs `dovecot -F -c
# DIR/dovecot.conf` itself (as root) so that it can stop and reap it.
# usage: dovecot_up.sh DIR IMAP_PORT POP3_PORT
set -eu
D=$1; IMAP=$2; POP3=$3
mkdir -p "$D/alice/Maildir/new" "$D/alice/Maildir/cur" "$D/alice/Maildir/tmp"
chmod 755 "$D"
cat > "$D/dovecot.conf" <<EOF
base_dir = $D/run
state_dir = $D/state
log_path = $D/dovecot.log
protocols = imap pop3
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
first_valid_uid = 1
default_internal_user = dovecot
default_login_user = dovenull
mail_location = maildir:$D/%u/Maildir
pop3_uidl_format = %08Xu%08Xv
passdb {
  driver = passwd-file
  args = scheme=PLAIN $D/passwd
}
userdb {
  driver = static
  args = uid=nobody gid=nogroup home=$D/%u
}
service imap-login {
  inet_listener imap {
    port = $IMAP
  }
  inet_listener imaps {
    port = 0
  }
}
service pop3-login {
  inet_listener pop3 {
    port = $POP3
  }
  inet_listener pop3s {
    port = 0
  }
}
namespace inbox {
  inbox = yes
  mailbox Sent {
    special_use = \\Sent
    auto = subscribe
  }
  mailbox Trash {
    special_use = \\Trash
    auto = subscribe
  }
}
EOF
echo 'alice:{PLAIN}secret' > "$D/passwd"
for n in 1 2; do
  printf 'From: bob@example.org\r\nTo: alice@example.org\r\nSubject: dovecot %s\r\nMessage-ID: <d%s@example.org>\r\n\r\nbody %s\r\n' \
    $n $n $n > "$D/alice/Maildir/new/$n.msg"
done
chown -R nobody:nogroup "$D/alice"
