#!/usr/bin/env bash
# Exports every lesson's capture (both worlds in one file) and has tshark dissect it as
# Wireshark would: no packet may be malformed or carry an expert error (a POP3 RETR or TOP
# reply without its octet count was one), and the IMF dissector must find the messages that
# POP3 and SMTP carried. Usage: scripts/check_pcaps.sh MAILSCOPE-CLI LESSONS-DIR OUT-DIR
set -euo pipefail
cli=$1 lessons=$2 out=$3
mkdir -p "$out"
fail=0
# The lesson ids as the CLI lists them (lessons/course.json is the course order, no lesson).
for id in $("$cli" --lessons-dir "$lessons" lessons --ids); do
  lesson="$lessons/$id.json"
  pcap="$out/$id.pcap"
  "$cli" export "$lesson" --pcap "$pcap" >/dev/null
  bad=$(tshark -n -r "$pcap" -Y "_ws.malformed || _ws.expert.severity >= error" 2>/dev/null)
  if [ -n "$bad" ]; then
    echo "$id: tshark finds malformed or erroneous packets:"
    echo "$bad" | head -5
    fail=1
  fi
  # The messages POP3 RETR/TOP replies and SMTP DATA carried, dissected as mail.
  imf=$(tshark -n -r "$pcap" -Y imf 2>/dev/null | wc -l)
  if [ "$imf" -eq 0 ]; then
    echo "$id: tshark finds no IMF message in the capture"
    fail=1
  elif [ -z "$bad" ]; then
    echo "$id: $(tshark -n -r "$pcap" 2>/dev/null | wc -l) packets, $imf with IMF, none malformed"
  fi
done
exit $fail
