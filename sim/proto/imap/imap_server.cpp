#include "proto/imap/imap_server.hpp"

#include <algorithm>

#include "util/text.hpp"

namespace ms {

namespace {

constexpr std::uint8_t bit(ImapServer::State s) { return 1u << static_cast<int>(s); }
constexpr std::uint8_t kAny = 0x0F;
constexpr std::uint8_t kAuth = bit(ImapServer::State::Authenticated) | bit(ImapServer::State::Selected);
constexpr std::uint8_t kSel = bit(ImapServer::State::Selected);
constexpr std::uint8_t kNotAuth = bit(ImapServer::State::NotAuthenticated);

// A small argument reader for RFC 3501 section 9 atoms, quoted strings, literals (already
// inlined by the framer as "{n}\r\n" + n octets) and parenthesised lists (returned raw).
struct Args {
  std::string_view s;
  std::size_t pos = 0;
  bool ok = true;
  bool at_end() {
    return pos >= s.size();
  }
  void skip_space() {
    if (pos < s.size() && s[pos] == ' ') ++pos;
  }
  std::string next() {
    skip_space();
    if (pos >= s.size()) {
      ok = false;
      return {};
    }
    char c = s[pos];
    if (c == '"') {
      std::string out;
      for (++pos; pos < s.size(); ++pos) {
        if (s[pos] == '\\' && pos + 1 < s.size()) out += s[++pos];
        else if (s[pos] == '"') {
          ++pos;
          return out;
        } else out += s[pos];
      }
      ok = false;
      return {};
    }
    if (c == '{') {
      std::size_t close = s.find('}', pos);
      if (close == std::string_view::npos) {
        ok = false;
        return {};
      }
      std::string_view num = s.substr(pos + 1, close - pos - 1);
      if (!num.empty() && num.back() == '+') num.remove_suffix(1);
      auto n = parse_number(num, 12);
      std::size_t start = close + 3;  // past "}\r\n"
      if (!n || start + *n > s.size()) {
        ok = false;
        return {};
      }
      pos = start + *n;
      return std::string(s.substr(start, *n));
    }
    if (c == '(') {
      int depth = 0;
      std::size_t start = pos;
      for (; pos < s.size(); ++pos) {
        if (s[pos] == '(') ++depth;
        else if (s[pos] == ')' && --depth == 0) {
          ++pos;
          return std::string(s.substr(start, pos - start));
        } else if (s[pos] == '"') {
          for (++pos; pos < s.size() && s[pos] != '"'; ++pos)
            if (s[pos] == '\\') ++pos;
        }
      }
      ok = false;
      return {};
    }
    std::size_t start = pos;
    int bracket = 0;
    while (pos < s.size() && (bracket > 0 || (s[pos] != ' ' && s[pos] != ')'))) {
      if (s[pos] == '[') ++bracket;
      if (s[pos] == ']') --bracket;
      ++pos;
    }
    // Nothing read (a second space, a stray ")"): an error, since callers loop until the end
    // and would otherwise collect empty items forever.
    if (pos == start) ok = false;
    return std::string(s.substr(start, pos - start));
  }
};

std::string quote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string mailbox_name(const std::string& s) { return iequals(s, "INBOX") ? "INBOX" : s; }

}  // namespace

const std::vector<ImapServer::Command>& ImapServer::commands() {
  static const std::vector<Command> table = {
      {"CAPABILITY", &ImapServer::cmd_capability, kAny, "RFC 3501 section 6.1.1"},
      {"NOOP", &ImapServer::cmd_noop, kAny, "RFC 3501 section 6.1.2"},
      {"LOGOUT", &ImapServer::cmd_logout, kAny, "RFC 3501 section 6.1.3"},
      {"LOGIN", &ImapServer::cmd_login, kNotAuth, "RFC 3501 section 6.2.3"},
      {"SELECT", &ImapServer::cmd_select, kAuth, "RFC 3501 section 6.3.1"},
      {"EXAMINE", &ImapServer::cmd_examine, kAuth, "RFC 3501 section 6.3.2"},
      {"LIST", &ImapServer::cmd_list, kAuth, "RFC 3501 section 6.3.8, RFC 6154"},
      {"APPEND", &ImapServer::cmd_append, kAuth, "RFC 3501 section 6.3.11, RFC 4315"},
      {"CLOSE", &ImapServer::cmd_close, kSel, "RFC 3501 section 6.4.2"},
      {"EXPUNGE", &ImapServer::cmd_expunge, kSel, "RFC 3501 section 6.4.3"},
      {"FETCH", &ImapServer::cmd_fetch, kSel, "RFC 3501 section 6.4.5"},
      {"STORE", &ImapServer::cmd_store, kSel, "RFC 3501 section 6.4.6"},
      {"MOVE", &ImapServer::cmd_move, kSel, "RFC 6851 section 3.1"},
  };
  return table;
}

std::string ImapServer::capabilities(bool authenticated) {
  std::string c = "IMAP4rev1 LITERAL+ SASL-IR ID ENABLE IDLE UIDPLUS MOVE SPECIAL-USE UNSELECT";
  if (!authenticated) c += " AUTH=PLAIN";
  return c;
}

ImapServer::ImapServer(MailServer& server) : server_(server) {
  send("* OK [CAPABILITY " + capabilities(false) + "] " + server_.settings.hostname +
       " Mailscope IMAP4rev1 ready\r\n");
}

ImapServer::~ImapServer() { watch(nullptr); }

std::string ImapServer::state_name() const {
  switch (state_) {
    case State::NotAuthenticated: return "NOT AUTHENTICATED";
    case State::Authenticated: return "AUTHENTICATED";
    case State::Selected: return "SELECTED";
    case State::Logout: return "LOGOUT";
  }
  return "";
}

void ImapServer::set_state(State s, const std::string& why) {
  if (s == state_) return;
  std::string from = state_name();
  state_ = s;
  note(EngineEvent::StateChanged, from + " -> " + state_name() + (why.empty() ? "" : ": " + why));
}

void ImapServer::watch(Account* a) {
  if (account_ && observer_) account_->store.unobserve(observer_);
  observer_ = 0;
  account_ = a;
  if (a) observer_ = a->store.observe([this](const StoreChange& c) { on_store_change(c); });
}

void ImapServer::on_store_change(const StoreChange& c) {
  if (state_ != State::Selected || c.folder != mailbox_) return;
  dirty_ = true;
}

void ImapServer::peer_closed() {
  watch(nullptr);
  set_state(State::Logout, "connection closed");
}

void ImapServer::flush() {
  if (!pending_.empty()) send(std::move(pending_));
  pending_.clear();
}

void ImapServer::tagged(const std::string& tag, const std::string& status,
                        const std::string& text) {
  out(tag + " " + status + " " + text + "\r\n");
  flush();
}

void ImapServer::receive(std::string_view bytes) {
  buf_.append(bytes);
  while (state_ != State::Logout) {
    if (literal_left_) {
      std::size_t take = std::min(literal_left_, buf_.size());
      assembling_.append(buf_, 0, take);
      buf_.erase(0, take);
      literal_left_ -= take;
      if (literal_left_) return;
    }
    std::size_t nl = buf_.find('\n');
    if (nl == std::string::npos) {
      if (buf_.size() + assembling_.size() > kMaxLine) {
        buf_.clear();
        assembling_.clear();
        send("* BAD line too long\r\n");
      }
      return;
    }
    std::string line = buf_.substr(0, nl);
    buf_.erase(0, nl + 1);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    // A line ending in {n} or {n+} announces a literal of n octets (RFC 3501 section 4.3,
    // RFC 7888): the synchronising form waits for our "+" continuation.
    if (!line.empty() && line.back() == '}') {
      std::size_t open = line.rfind('{');
      // No "{" at all: an empty view, so that no pointer is formed outside the line.
      std::string_view num = open == std::string::npos
                                 ? std::string_view()
                                 : std::string_view(line).substr(open + 1, line.size() - open - 2);
      bool nonsync = !num.empty() && num.back() == '+';
      if (nonsync) num.remove_suffix(1);
      auto n = open == std::string::npos ? std::nullopt : parse_number(num, 12);
      if (n) {
        if (*n > kMaxLiteral) {
          std::string tag = line.substr(0, line.find(' '));
          assembling_.clear();
          send(tag + " NO [TOOBIG] literal too large\r\n");
          if (nonsync) {
            // The client sends the octets anyway: they must be read and thrown away. A
            // connection that announces more than the limit is closed instead.
            send("* BYE literal too large\r\n");
            set_state(State::Logout, "oversized literal");
            close();
          }
          continue;
        }
        assembling_ += line + "\r\n";
        literal_left_ = static_cast<std::size_t>(*n);
        if (!nonsync) send("+ Ready for literal data\r\n");
        continue;
      }
    }
    std::string full = std::move(assembling_);
    assembling_.clear();
    full += line;
    command(std::move(full));
  }
}

void ImapServer::command(std::string line) {
  std::size_t sp = line.find(' ');
  if (line.empty() || sp == 0) {
    send("* BAD empty command line\r\n");
    return;
  }
  std::string tag = line.substr(0, sp);
  if (sp == std::string::npos) {
    send(tag + " BAD missing command\r\n");
    return;
  }
  std::string_view rest = std::string_view(line).substr(sp + 1);
  std::string_view name = rest.substr(0, rest.find(' '));
  bool uid = false;
  if (iequals(name, "UID")) {
    uid = true;
    rest = name.size() < rest.size() ? rest.substr(name.size() + 1) : std::string_view();
    name = rest.substr(0, rest.find(' '));
  }
  std::string_view args = name.size() < rest.size() ? rest.substr(name.size() + 1) : std::string_view();
  for (const auto& c : commands()) {
    if (!iequals(name, c.name)) continue;
    if (uid && !(iequals(name, "FETCH") || iequals(name, "STORE") || iequals(name, "MOVE") ||
                 iequals(name, "EXPUNGE"))) {
      tagged(tag, "BAD", "UID " + std::string(c.name) + " is not a UID command");
      return;
    }
    if (!(c.states & bit(state_))) {
      tagged(tag, "BAD", std::string(c.name) + " not allowed in the " + state_name() + " state");
      return;
    }
    (this->*c.handler)(tag, args, uid);
    return;
  }
  tagged(tag, "BAD", "unknown command");
}

const Folder* ImapServer::folder() const {
  return account_ ? account_->store.folder(mailbox_) : nullptr;
}

void ImapServer::report_changes(bool allow_expunge) {
  // Tell this client what other sessions changed (RFC 3501 section 7: EXPUNGE, EXISTS, FETCH).
  const Folder* f = folder();
  if (state_ != State::Selected || !f) return;
  if (allow_expunge) {
    for (std::size_t i = known_uids_.size(); i-- > 0;)
      if (!f->find_uid(known_uids_[i])) {
        out("* " + std::to_string(i + 1) + " EXPUNGE\r\n");
        known_uids_.erase(known_uids_.begin() + static_cast<long>(i));
        known_flags_.erase(known_flags_.begin() + static_cast<long>(i));
      }
  }
  for (std::size_t i = 0; i < known_uids_.size(); ++i)
    if (const Entry* e = f->find_uid(known_uids_[i]); e && !(e->flags == known_flags_[i])) {
      known_flags_[i] = e->flags;
      out("* " + std::to_string(i + 1) + " FETCH (UID " + std::to_string(e->uid) + " FLAGS (" +
          flags_to_imap(e->flags) + "))\r\n");
    }
  std::uint32_t last = known_uids_.empty() ? 0 : known_uids_.back();
  bool grew = false;
  for (const auto& e : f->entries)
    if (e.uid > last) {
      known_uids_.push_back(e.uid);
      known_flags_.push_back(e.flags);
      grew = true;
    }
  if (grew) out("* " + std::to_string(known_uids_.size()) + " EXISTS\r\n");
  dirty_ = false;
}

bool ImapServer::resolve(std::string_view set, bool uid, std::vector<std::size_t>& out) const {
  // RFC 3501 section 9, sequence-set. Indexes are into known_uids_ (what the client knows).
  std::uint32_t maxv = uid ? (known_uids_.empty() ? 0 : known_uids_.back())
                           : static_cast<std::uint32_t>(known_uids_.size());
  std::vector<bool> pick(known_uids_.size(), false);
  std::size_t pos = 0;
  while (pos <= set.size()) {
    std::size_t comma = set.find(',', pos);
    std::string_view part = set.substr(pos, comma == std::string_view::npos ? set.npos : comma - pos);
    std::size_t colon = part.find(':');
    auto num = [&](std::string_view v) -> std::optional<std::uint32_t> {
      if (v == "*") return maxv;
      auto n = parse_number(v, 10);
      if (!n || *n == 0 || *n > 0xFFFFFFFFull) return std::nullopt;
      return static_cast<std::uint32_t>(*n);
    };
    auto a = num(part.substr(0, colon));
    auto b = colon == std::string_view::npos ? a : num(part.substr(colon + 1));
    if (!a || !b) return false;
    std::uint32_t lo = std::min(*a, *b), hi = std::max(*a, *b);
    for (std::size_t i = 0; i < known_uids_.size(); ++i) {
      std::uint32_t key = uid ? known_uids_[i] : static_cast<std::uint32_t>(i + 1);
      if (key >= lo && key <= hi) pick[i] = true;
    }
    if (!uid && hi > maxv) return false;  // sequence numbers beyond EXISTS are an error
    if (comma == std::string_view::npos) break;
    pos = comma + 1;
  }
  for (std::size_t i = 0; i < pick.size(); ++i)
    if (pick[i]) out.push_back(i);
  return true;
}

void ImapServer::cmd_capability(const std::string& tag, std::string_view, bool) {
  out("* CAPABILITY " + capabilities(state_ != State::NotAuthenticated) + "\r\n");
  tagged(tag, "OK", "CAPABILITY completed");
}

void ImapServer::cmd_noop(const std::string& tag, std::string_view, bool) {
  report_changes(true);
  tagged(tag, "OK", "NOOP completed");
}

void ImapServer::cmd_logout(const std::string& tag, std::string_view, bool) {
  out("* BYE " + server_.settings.hostname + " IMAP4rev1 server logging out\r\n");
  tagged(tag, "OK", "LOGOUT completed");
  watch(nullptr);
  set_state(State::Logout, "");
  close();
}

void ImapServer::cmd_login(const std::string& tag, std::string_view args, bool) {
  Args a{args};
  std::string user = a.next(), pass = a.next();
  if (!a.ok || !a.at_end()) return tagged(tag, "BAD", "LOGIN needs a user name and a password");
  Account* acct = server_.find(user);
  if (!acct || acct->password.empty() || acct->password != pass) {
    note(EngineEvent::Note, "login failed for \"" + user + "\"");
    return tagged(tag, "NO", "[AUTHENTICATIONFAILED] Authentication failed.");
  }
  watch(acct);
  set_state(State::Authenticated, "logged in as " + user);
  tagged(tag, "OK", "[CAPABILITY " + capabilities(true) + "] Logged in");
}

void ImapServer::cmd_select(const std::string& tag, std::string_view args, bool) {
  Args a{args};
  std::string name = mailbox_name(a.next());
  if (!a.ok || !a.at_end()) return tagged(tag, "BAD", "SELECT needs one mailbox name");
  const Folder* f = account_->store.folder(name);
  read_only_ = examining_;
  if (state_ == State::Selected) {
    // RFC 3501 6.3.1: a SELECT while selected deselects first, even if it then fails.
    mailbox_.clear();
    set_state(State::Authenticated, "");
  }
  if (!f) return tagged(tag, "NO", "[NONEXISTENT] Mailbox doesn't exist: " + name);
  mailbox_ = name;
  known_uids_.clear();
  known_flags_.clear();
  std::size_t unseen = 0;
  for (const auto& e : f->entries) {
    known_uids_.push_back(e.uid);
    known_flags_.push_back(e.flags);
    if (!unseen && !e.flags.has(kSeen)) unseen = known_uids_.size();
  }
  out("* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Forwarded)\r\n");
  out("* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Forwarded \\*)] "
      "Flags permitted.\r\n");
  out("* " + std::to_string(f->entries.size()) + " EXISTS\r\n");
  out("* 0 RECENT\r\n");
  if (unseen) out("* OK [UNSEEN " + std::to_string(unseen) + "] First unseen.\r\n");
  out("* OK [UIDVALIDITY " + std::to_string(f->uidvalidity) + "] UIDs valid\r\n");
  out("* OK [UIDNEXT " + std::to_string(f->uidnext) + "] Predicted next UID\r\n");
  set_state(State::Selected, name + (read_only_ ? " examined" : " selected"));
  dirty_ = false;
  tagged(tag, "OK", read_only_ ? "[READ-ONLY] EXAMINE completed" : "[READ-WRITE] SELECT completed");
}

void ImapServer::cmd_examine(const std::string& tag, std::string_view args, bool uid) {
  examining_ = true;
  cmd_select(tag, args, uid);
  examining_ = false;
}

void ImapServer::cmd_list(const std::string& tag, std::string_view args, bool) {
  Args a{args};
  std::string ref = a.next(), pattern = a.next();
  if (!a.ok) return tagged(tag, "BAD", "LIST needs a reference and a mailbox pattern");
  if (pattern.empty()) {
    out("* LIST (\\Noselect) \"/\" \"\"\r\n");
    return tagged(tag, "OK", "LIST completed");
  }
  for (const auto& [name, f] : account_->store.folders()) {
    bool match = pattern == "*" || pattern == "%" || iequals(pattern, name);
    if (!match) continue;
    std::string attrs = f.role == Role::None ? "\\HasNoChildren"
                                             : std::string("\\HasNoChildren ") + role_attr(f.role);
    out("* LIST (" + attrs + ") \"/\" " + quote(name) + "\r\n");
  }
  tagged(tag, "OK", "LIST completed");
}

void ImapServer::cmd_fetch(const std::string& tag, std::string_view args, bool uid) {
  Args a{args};
  std::string set = a.next(), items = a.next();
  if (!a.ok) return tagged(tag, "BAD", "FETCH needs a sequence set and data items");
  report_changes(false);
  std::vector<std::size_t> idx;
  if (!resolve(set, uid, idx)) return tagged(tag, "BAD", "invalid sequence set");
  std::string list = items.front() == '(' ? items.substr(1, items.size() - 2) : items;
  std::vector<std::string> want;
  Args li{list};
  while (!li.at_end()) {
    std::string it = upper(li.next());
    if (!li.ok) break;
    want.push_back(it);
  }
  if (!li.ok || want.empty()) return tagged(tag, "BAD", "invalid FETCH data items");
  Folder* f = account_->store.folder(mailbox_);
  for (std::size_t i : idx) {
    Entry* e = f->find_uid(known_uids_[i]);
    if (!e) continue;
    std::string resp;
    bool flags_out = false, set_seen = false;
    std::vector<std::string> parts;
    if (uid) parts.push_back("UID " + std::to_string(e->uid));
    for (const auto& w : want) {
      if (w == "UID") {
        if (!uid) parts.push_back("UID " + std::to_string(e->uid));
      } else if (w == "FLAGS") {
        flags_out = true;
      } else if (w == "RFC822.SIZE") {
        parts.push_back("RFC822.SIZE " + std::to_string(e->size()));
      } else if (w == "BODY[]" || w == "BODY.PEEK[]" || w == "RFC822") {
        const std::string& raw = e->body->raw;
        parts.push_back((w == "RFC822" ? "RFC822" : "BODY[]") + std::string(" {") +
                        std::to_string(raw.size()) + "}\r\n" + raw);
        if (w != "BODY.PEEK[]") set_seen = !e->flags.has(kSeen);
      } else {
        return tagged(tag, "BAD", "unsupported FETCH data item " + w);
      }
    }
    if (set_seen && !read_only_) {
      // RFC 3501 6.4.5: BODY[] (not .PEEK) sets \Seen, and the new flags are reported.
      Flags nf = e->flags;
      nf.bits |= kSeen;
      account_->store.set_flags(mailbox_, e->uid, nf);
      e = f->find_uid(known_uids_[i]);
      flags_out = true;
    }
    if (flags_out) {
      known_flags_[i] = e->flags;
      parts.push_back("FLAGS (" + flags_to_imap(e->flags) + ")");
    }
    for (std::size_t k = 0; k < parts.size(); ++k) resp += (k ? " " : "") + parts[k];
    out("* " + std::to_string(i + 1) + " FETCH (" + resp + ")\r\n");
  }
  dirty_ = false;
  tagged(tag, "OK", std::string(uid ? "UID " : "") + "FETCH completed");
}

void ImapServer::cmd_store(const std::string& tag, std::string_view args, bool uid) {
  Args a{args};
  std::string set = a.next(), op = upper(a.next()), flags = a.next();
  if (!a.ok) return tagged(tag, "BAD", "STORE needs a sequence set, an item and flags");
  bool silent = op.size() > 7 && op.substr(op.size() - 7) == ".SILENT";
  if (silent) op.resize(op.size() - 7);
  int mode = op == "FLAGS" ? 0 : op == "+FLAGS" ? 1 : op == "-FLAGS" ? 2 : -1;
  if (mode < 0) return tagged(tag, "BAD", "STORE item must be FLAGS, +FLAGS or -FLAGS");
  report_changes(false);
  std::vector<std::size_t> idx;
  if (!resolve(set, uid, idx)) return tagged(tag, "BAD", "invalid sequence set");
  Flags given = flags_from_imap(flags);
  for (std::size_t i : idx) {
    Entry* e = account_->store.folder(mailbox_)->find_uid(known_uids_[i]);
    if (!e) continue;
    Flags nf = e->flags;
    if (mode == 0) nf = given;
    else if (mode == 1) {
      nf.bits |= given.bits;
      for (const auto& k : given.keywords)
        if (!std::count(nf.keywords.begin(), nf.keywords.end(), k)) nf.keywords.push_back(k);
      std::sort(nf.keywords.begin(), nf.keywords.end());
    } else {
      nf.bits &= ~given.bits;
      std::erase_if(nf.keywords, [&](const std::string& k) {
        return std::count(given.keywords.begin(), given.keywords.end(), k) > 0;
      });
    }
    account_->store.set_flags(mailbox_, e->uid, nf);
    known_flags_[i] = nf;
    if (!silent || uid)
      out("* " + std::to_string(i + 1) + " FETCH (" +
          (uid ? "UID " + std::to_string(e->uid) + " " : std::string()) + "FLAGS (" +
          flags_to_imap(nf) + "))\r\n");
  }
  report_changes(false);
  tagged(tag, "OK", std::string(uid ? "UID " : "") + "STORE completed");
}

void ImapServer::cmd_move(const std::string& tag, std::string_view args, bool uid) {
  Args a{args};
  std::string set = a.next(), dest = mailbox_name(a.next());
  if (!a.ok) return tagged(tag, "BAD", "MOVE needs a sequence set and a mailbox");
  Folder* to = account_->store.folder(dest);
  if (!to) return tagged(tag, "NO", "[TRYCREATE] Mailbox doesn't exist: " + dest);
  report_changes(false);
  std::vector<std::size_t> idx;
  if (!resolve(set, uid, idx)) return tagged(tag, "BAD", "invalid sequence set");
  std::vector<std::uint32_t> from_uids, to_uids;
  for (std::size_t i : idx) {
    Entry* e = account_->store.folder(mailbox_)->find_uid(known_uids_[i]);
    if (!e) continue;
    Entry copy = *e;
    std::uint32_t nu = account_->store.append(dest, copy.body, copy.flags, copy.internal_date);
    from_uids.push_back(copy.uid);
    to_uids.push_back(nu);
  }
  auto uidset = [](const std::vector<std::uint32_t>& v) {
    std::string s;
    for (auto u : v) s += (s.empty() ? "" : ",") + std::to_string(u);
    return s;
  };
  if (!from_uids.empty())
    out("* OK [COPYUID " + std::to_string(to->uidvalidity) + " " + uidset(from_uids) + " " +
        uidset(to_uids) + "] Moved UIDs.\r\n");
  for (auto u : from_uids) account_->store.remove(mailbox_, u);
  report_changes(true);
  tagged(tag, "OK", std::string(uid ? "UID " : "") + "MOVE completed");
}

void ImapServer::cmd_expunge(const std::string& tag, std::string_view args, bool uid) {
  std::vector<std::size_t> limit;
  if (uid && !resolve(args, true, limit)) return tagged(tag, "BAD", "invalid sequence set");
  Folder* f = account_->store.folder(mailbox_);
  std::vector<std::uint32_t> gone;
  for (std::size_t i = 0; i < known_uids_.size(); ++i) {
    Entry* e = f->find_uid(known_uids_[i]);
    if (!e || !e->flags.has(kDeleted)) continue;
    if (uid && std::find(limit.begin(), limit.end(), i) == limit.end()) continue;
    gone.push_back(e->uid);
  }
  for (auto u : gone) account_->store.remove(mailbox_, u);
  report_changes(true);
  tagged(tag, "OK", std::string(uid ? "UID " : "") + "EXPUNGE completed");
}

void ImapServer::cmd_close(const std::string& tag, std::string_view, bool) {
  // RFC 3501 6.4.2: silently expunge \Deleted messages, then return to AUTHENTICATED.
  Folder* f = account_->store.folder(mailbox_);
  std::vector<std::uint32_t> gone;
  if (f)
    for (const auto& e : f->entries)
      if (e.flags.has(kDeleted)) gone.push_back(e.uid);
  for (auto u : gone) account_->store.remove(mailbox_, u);
  mailbox_.clear();
  set_state(State::Authenticated, "mailbox closed");
  tagged(tag, "OK", "CLOSE completed");
}

void ImapServer::cmd_append(const std::string& tag, std::string_view args, bool) {
  Args a{args};
  std::string name = mailbox_name(a.next());
  Flags flags;
  std::string tok = a.next();
  if (!tok.empty() && tok.front() == '(') {
    flags = flags_from_imap(tok);
    tok = a.next();
  }
  std::size_t save = a.pos;
  // An optional date-time in quotes precedes the literal; the literal is the last argument.
  if (a.ok && a.pos < args.size()) {
    a.pos = save;
    tok = a.next();
  }
  if (!a.ok || !a.at_end()) return tagged(tag, "BAD", "APPEND needs a mailbox and a literal");
  Folder* f = account_->store.folder(name);
  if (!f) return tagged(tag, "NO", "[TRYCREATE] Mailbox doesn't exist: " + name);
  if (account_->over_quota(tok.size())) return tagged(tag, "NO", "[OVERQUOTA] Quota exceeded");
  flags.bits &= ~0u;
  std::uint32_t nu = account_->store.append(name, make_body(tok), flags, 0);
  report_changes(true);
  tagged(tag, "OK", "[APPENDUID " + std::to_string(f->uidvalidity) + " " + std::to_string(nu) +
                        "] APPEND completed");
}

}  // namespace ms
