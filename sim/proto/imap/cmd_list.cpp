// Listing mailboxes: RFC 3501 sections 6.3.8 (LIST) and 6.3.9 (LSUB) with the wildcards "*"
// and "%", RFC 6154 (SPECIAL-USE attributes in LIST), RFC 2342 (NAMESPACE).
#include <map>

#include "proto/imap/imap_server.hpp"
#include "proto/imap/server_util.hpp"

namespace ms {

namespace {

// RFC 3501 6.3.8: "*" matches anything, "%" anything but the delimiter "/". Dynamic
// programming over (pattern, name) keeps hostile patterns such as "*%*%*%" linear-ish.
bool list_match(std::string_view pat, std::string_view name) {
  const std::size_t n = name.size();
  std::vector<char> cur(n + 1, 0), nxt(n + 1, 0);
  cur[0] = 1;
  for (char p : pat) {
    std::fill(nxt.begin(), nxt.end(), 0);
    if (p == '*' || p == '%') {
      char reach = 0;
      for (std::size_t j = 0; j <= n; ++j) {
        if (p == '%' && j > 0 && name[j - 1] == '/') reach = 0;
        reach |= cur[j];
        nxt[j] = reach;
      }
    } else {
      for (std::size_t j = 0; j < n; ++j)
        if (cur[j] && name[j] == p) nxt[j + 1] = 1;
    }
    std::swap(cur, nxt);
  }
  return cur[n];
}

bool has_children(const Store& st, const std::string& name) {
  for (const auto& [n, f] : st.folders())
    if (n.size() > name.size() + 1 && n.compare(0, name.size(), name) == 0 &&
        n[name.size()] == '/')
      return true;
  return false;
}

}  // namespace

// RFC 3501 sections 6.3.8 and 6.3.9. LIST carries \HasChildren / \HasNoChildren (RFC 3348
// CHILDREN, advertised) and the SPECIAL-USE attributes (RFC 6154); LSUB only the latter, and
// \Noselect for the parent that a "%" stopped at (6.3.9).
void ImapServer::cmd_list(const imap::Command& c) {
  const bool lsub = c.name == "LSUB";
  std::optional<std::string> ref, pat;
  if (c.args.size() == 2) {
    ref = c.args[0].astring();
    pat = c.args[1].list_mailbox();
  }
  if (!ref || !pat)
    return tagged(c.tag, "BAD", c.name + " needs a reference and a mailbox pattern");
  if (ref->size() + pat->size() > kMaxMailboxName)
    return tagged(c.tag, "BAD", "mailbox pattern too long");
  if (pat->empty()) {
    // RFC 3501 6.3.8: an empty pattern asks for the delimiter and the root.
    if (!lsub) out("* LIST (\\Noselect) \"/\" \"\"\r\n");
    return tagged(c.tag, "OK", c.name + " completed");
  }
  std::string full = *ref + *pat;
  if (auto dec = imap::mutf7_decode(full)) full = *dec;
  auto matches = [&](const std::string& name) {
    return list_match(full, name) || (name == "INBOX" && list_match(imap::to_upper(full), name));
  };
  const Store& st = account_->store;
  std::map<std::string, std::string> lines;  // name -> attributes, in name order
  if (lsub) {
    // The subscribed names: those of subscribed folders and those whose folder is gone.
    std::map<std::string, std::string> subscribed;
    for (const auto& [name, f] : st.folders())
      if (f.subscribed)  // SPECIAL-USE attributes stay (RFC 6154 section 2, as in Dovecot)
        subscribed[name] = f.role != Role::None ? role_attr(f.role) : "";
    for (const auto& name : st.orphan_subscriptions) subscribed[name];
    for (const auto& [name, attrs] : subscribed) {
      if (matches(name)) {
        lines[name] = attrs;
        continue;
      }
      // RFC 3501 6.3.9: when "%" stops short of a subscribed name, the parent it matched is
      // returned with \Noselect (unless it is itself subscribed, and so listed as such).
      for (std::size_t slash = name.find('/'); slash != std::string::npos;
           slash = name.find('/', slash + 1)) {
        std::string parent = name.substr(0, slash);
        if (matches(parent) && !subscribed.count(parent)) lines[parent] = "\\Noselect";
      }
    }
  }
  for (const auto& [name, f] : st.folders()) {
    if (lsub || !matches(name)) continue;
    std::string attrs = has_children(st, name) ? "\\HasChildren" : "\\HasNoChildren";
    if (f.role != Role::None) attrs += std::string(" ") + role_attr(f.role);
    lines[name] = attrs;
  }
  for (const auto& [name, attrs] : lines)
    out("* " + c.name + " (" + attrs + ") \"/\" " + imapsrv::wire_mailbox(name) + "\r\n");
  tagged(c.tag, "OK", c.name + " completed");
}

void ImapServer::cmd_lsub(const imap::Command& c) { cmd_list(c); }

// RFC 2342 section 5: one personal namespace, no others.
void ImapServer::cmd_namespace(const imap::Command& c) {
  if (!c.args.empty()) return tagged(c.tag, "BAD", "NAMESPACE takes no arguments");
  out("* NAMESPACE ((\"\" \"/\")) NIL NIL\r\n");
  tagged(c.tag, "OK", "NAMESPACE completed");
}

}  // namespace ms
