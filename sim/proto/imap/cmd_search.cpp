// RFC 3501 section 6.4.4 (SEARCH) and 6.4.8 (UID SEARCH): the codec's SearchKey tree is
// evaluated over the messages the client knows. Text keys match a case-insensitive substring
// of the raw bytes (header field values for FROM/TO/CC/BCC/SUBJECT/HEADER, the body after the
// header for BODY, the whole message for TEXT), which is what RFC 3501 requires for US-ASCII.
#include <string.h>  // memmem (a GNU and BSD extension, also in musl)

#include <algorithm>
#include <functional>

#include "mime/mime.hpp"
#include "proto/imap/imap_server.hpp"
#include "proto/imap/server_util.hpp"
#include "util/text.hpp"

namespace ms {

namespace {

using K = imap::SearchKey::Kind;

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  return out;
}

// memmem (the two-way algorithm in glibc and in musl, which Emscripten uses) stays linear in
// the message size, so a hostile search string cannot make a large message take quadratic
// time. std::boyer_moore_searcher would too, but libc++ 14 (the WebAssembly build) lacks it.
bool icontains(std::string_view hay, std::string_view needle) {
  if (needle.empty()) return true;
  const std::string h = lower(hay), n = lower(needle);
  return ::memmem(h.data(), h.size(), n.data(), n.size()) != nullptr;
}

// The values of every occurrence of a header field (unfolded lines joined), or nullopt when
// the message has no such field.
std::optional<std::string> field_values(const std::string& raw, const std::string& name) {
  auto sec = imap_body_section(raw, "HEADER.FIELDS (" + imap::write_astring(name) + ")");
  if (!sec) return std::nullopt;
  std::string values;
  bool any = false;
  std::size_t pos = 0;
  while (pos < sec->size()) {
    std::size_t eol = sec->find('\n', pos);
    if (eol == std::string::npos) eol = sec->size();
    std::string_view line(sec->data() + pos, eol - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!line.empty() && (line[0] == ' ' || line[0] == '\t')) {
      values.append(line);
    } else if (auto colon = line.find(':'); colon != std::string_view::npos) {
      any = true;
      values += ' ';
      values.append(line.substr(colon + 1));
    }
    pos = eol + 1;
  }
  if (!any) return std::nullopt;
  return values;
}

// The date of the Date: header ("Mon, 3 Mar 2014 09:00:00 +0000"), ignoring time and zone as
// RFC 3501 says SENT* keys do.
std::optional<imap::Date> sent_date(const std::string& raw) {
  std::string v = header_value(raw, "Date");
  if (auto comma = v.find(','); comma != std::string::npos) v.erase(0, comma + 1);
  std::vector<std::string_view> w;
  for (auto part : split_spaces(v))
    if (!part.empty()) w.push_back(part);
  if (w.size() < 3) return std::nullopt;
  auto d = imap::parse_date(std::string(w[0]) + "-" + std::string(w[1]) + "-" + std::string(w[2]));
  if (!d) return std::nullopt;
  return *d;
}

struct Ctx {
  const Entry& e;
  bool recent;             // this session holds the message's \Recent claim
  std::uint32_t seq;       // this message's sequence number
  std::uint32_t max_seq;   // for "*" in sequence sets
  std::uint32_t max_uid;
};

bool has_keyword(const Flags& f, const std::string& kw) {
  Flags k = imapsrv::to_flags({kw});
  if (k.bits) return (f.bits & k.bits) == k.bits;
  for (const auto& x : f.keywords)
    if (iequals(x, kw)) return true;
  return false;
}

bool eval(const imap::SearchKey& k, const Ctx& c) {
  const Entry& e = c.e;
  static const std::string kEmpty;
  const std::string& raw = e.body ? e.body->raw : kEmpty;
  auto field = [&](const std::string& name, const std::string& value) {
    auto v = field_values(raw, name);
    return v && (value.empty() || icontains(*v, value));
  };
  auto idate = [&] { return ImapServer::internal_date(e.internal_date).date; };
  switch (k.kind) {
    case K::And:
      for (const auto& ch : k.children)
        if (!eval(ch, c)) return false;
      return true;
    case K::Not: return k.children.empty() || !eval(k.children[0], c);
    case K::Or:
      return k.children.size() == 2 && (eval(k.children[0], c) || eval(k.children[1], c));
    case K::All: return true;
    case K::Answered: return e.flags.has(kAnswered);
    case K::Deleted: return e.flags.has(kDeleted);
    case K::Draft: return e.flags.has(kDraft);
    case K::Flagged: return e.flags.has(kFlagged);
    case K::Seen: return e.flags.has(kSeen);
    case K::Unanswered: return !e.flags.has(kAnswered);
    case K::Undeleted: return !e.flags.has(kDeleted);
    case K::Undraft: return !e.flags.has(kDraft);
    case K::Unflagged: return !e.flags.has(kFlagged);
    case K::Unseen: return !e.flags.has(kSeen);
    // RFC 3501 section 6.4.4: NEW is RECENT UNSEEN, OLD is NOT RECENT.
    case K::New: return c.recent && !e.flags.has(kSeen);
    case K::Recent: return c.recent;
    case K::Old: return !c.recent;
    case K::Keyword: return has_keyword(e.flags, k.text);
    case K::Unkeyword: return !has_keyword(e.flags, k.text);
    case K::Bcc: return field("Bcc", k.text);
    case K::Cc: return field("Cc", k.text);
    case K::From: return field("From", k.text);
    case K::To: return field("To", k.text);
    case K::Subject: return field("Subject", k.text);
    case K::Header: return field(k.text, k.value);
    case K::Body: return icontains(imap_body_section(raw, "TEXT").value_or(""), k.text);
    case K::Text: return icontains(raw, k.text);
    case K::Before: return idate() < k.date;
    case K::On: return idate() == k.date;
    case K::Since: return idate() >= k.date;
    case K::SentBefore: {
      auto d = sent_date(raw);
      return d && *d < k.date;
    }
    case K::SentOn: {
      auto d = sent_date(raw);
      return d && *d == k.date;
    }
    case K::SentSince: {
      auto d = sent_date(raw);
      return d && *d >= k.date;
    }
    case K::Larger: return e.size() > k.number;
    case K::Smaller: return e.size() < k.number;
    case K::Uid: return k.set.contains(e.uid, c.max_uid);
    case K::SequenceSet: return k.set.contains(c.seq, c.max_seq);
    case K::ModSeq: return e.modseq >= k.number;
  }
  return false;
}

}  // namespace

void ImapServer::cmd_search(const imap::Command& c) {
  const bool uid = c.name == "UID SEARCH";
  auto req = imap::parse_search(c);
  if (!req) return tagged(c.tag, "BAD", req.error);
  if (!req->charset.empty() && req->charset != "US-ASCII" && req->charset != "UTF-8")
    return tagged(c.tag, "NO", "[BADCHARSET (US-ASCII UTF-8)] Unsupported charset");
  // RFC 7162 section 3.1.5: a search with MODSEQ enables CONDSTORE and answers with the
  // highest mod-sequence of the messages found.
  std::function<bool(const imap::SearchKey&)> uses_modseq = [&](const imap::SearchKey& k) {
    if (k.kind == K::ModSeq) return true;
    for (const auto& ch : k.children)
      if (uses_modseq(ch)) return true;
    return false;
  };
  const bool modseq = uses_modseq(req->root);
  if (modseq) enable_condstore();
  report_changes(uid_expunge_ok(uid));
  const Folder* f = folder();
  std::string result;
  std::uint64_t highest = 0;
  const auto max_seq = static_cast<std::uint32_t>(known_uids_.size());
  const std::uint32_t max_uid = known_uids_.empty() ? 0u : known_uids_.back();
  for (std::size_t i = 0; f && i < known_uids_.size(); ++i) {
    const Entry* e = f->find_uid(known_uids_[i]);
    if (!e) continue;
    Ctx ctx{*e, is_recent(e->uid), static_cast<std::uint32_t>(i + 1), max_seq, max_uid};
    if (eval(req->root, ctx)) {
      result += " " + std::to_string(uid ? e->uid : static_cast<std::uint32_t>(i + 1));
      highest = std::max(highest, e->modseq);
    }
  }
  if (modseq && highest) result += " (MODSEQ " + std::to_string(highest) + ")";
  out("* SEARCH" + result + "\r\n");
  tagged(c.tag, "OK", std::string(uid ? "UID " : "") + "SEARCH completed");
}

}  // namespace ms
