// Server responses as a client reads them (RFC 3501 section 7 and "response" in section 9;
// RFC 7162 section 3.2.10 VANISHED and 3.1.5 SEARCH MODSEQ; RFC 5161 ENABLED; RFC 2971 ID;
// RFC 2342 NAMESPACE; RFC 4315 response codes). Unknown responses are kept as tokens.
#include "proto/imap/codec.hpp"
#include "proto/imap/detail.hpp"

namespace ms::imap {

using namespace detail;

std::optional<std::uint32_t> ResponseCode::number(std::size_t i) const {
  return i < args.size() ? args[i].number() : std::nullopt;
}

std::optional<std::uint64_t> ResponseCode::number64(std::size_t i) const {
  return i < args.size() ? args[i].number64() : std::nullopt;
}

const std::string* FetchData::item_string(std::string_view name) const {
  auto it = items.find(to_upper(name));
  if (it == items.end() || !it->second.is_string()) return nullptr;
  return &it->second.text;
}

const std::string* FetchData::body(std::string_view spec) const {
  std::string key = "BODY[" + to_upper(spec) + "]";
  // Exact key first, then the same section with an origin ("BODY[]<0>").
  for (auto it = items.lower_bound(key); it != items.end(); ++it) {
    if (it->first.compare(0, key.size(), key) != 0) break;
    if (it->first.size() == key.size() || it->first[key.size()] == '<')
      return it->second.is_string() ? &it->second.text : nullptr;
  }
  return nullptr;
}

namespace {

using R = Parsed<Response>;

std::string_view strip_eol(std::string_view raw) {
  if (!raw.empty() && raw.back() == '\n') raw.remove_suffix(1);
  if (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
  return raw;
}

bool is_status(std::string_view name) {
  return name == "OK" || name == "NO" || name == "BAD" || name == "BYE" || name == "PREAUTH";
}

std::vector<std::string> atoms(const std::vector<Token>& toks) {
  std::vector<std::string> out;
  for (const Token& t : toks)
    if (t.is_atom()) out.push_back(t.text);
  return out;
}

// resp-text = ["[" resp-text-code "]" SP] text. Servers are lax here: text may be missing.
bool parse_resp_text(std::string_view s, Response& r, std::string& err) {
  if (!s.empty() && s[0] == '[') {
    bool in_quote = false;
    std::size_t close = std::string_view::npos;
    for (std::size_t i = 1; i < s.size(); ++i) {
      if (in_quote && s[i] == '\\') {
        ++i;
      } else if (s[i] == '"') {
        in_quote = !in_quote;
      } else if (s[i] == ']' && !in_quote) {
        close = i;
        break;
      }
    }
    if (close == std::string_view::npos) {
      err = "missing ']' in response code";
      return false;
    }
    std::string_view inner = s.substr(1, close - 1);
    std::size_t sp = inner.find(' ');
    ResponseCode code;
    code.name = to_upper(inner.substr(0, sp));
    if (code.name.empty()) {
      err = "empty response code";
      return false;
    }
    if (sp != std::string_view::npos) {
      code.raw.assign(inner.substr(sp + 1));
      if (auto toks = tokenize(code.raw)) code.args = std::move(*toks);
    }
    if (code.name == "CAPABILITY") r.capabilities = atoms(code.args);
    r.code = std::move(code);
    s.remove_prefix(close + 1);
    if (!s.empty() && s[0] == ' ') s.remove_prefix(1);
  }
  for (char c : s)
    if (c == '\0' || c == '\r' || c == '\n') {
      err = "invalid character in response text";
      return false;
    }
  r.text.assign(s);
  return true;
}

bool fail(std::string& err, std::string why) {
  err = std::move(why);
  return false;
}

bool parse_fetch_items(Response& r, std::string& err) {
  if (r.args.size() != 1 || !r.args[0].is_list() || r.args[0].items.size() % 2 != 0)
    return fail(err, "malformed FETCH response");
  FetchData f;
  const auto& it = r.args[0].items;
  for (std::size_t i = 0; i < it.size(); i += 2) {
    if (!it[i].is_atom()) return fail(err, "malformed FETCH item name");
    std::string name = to_upper(it[i].text);
    const Token& v = it[i + 1];
    if (name == "UID") {
      if (!(f.uid = v.number())) return fail(err, "malformed UID");
    } else if (name == "RFC822.SIZE") {
      if (!(f.size = v.number())) return fail(err, "malformed RFC822.SIZE");
    } else if (name == "FLAGS") {
      if (!v.is_list()) return fail(err, "malformed FLAGS");
      f.flags = atoms(v.items);
    } else if (name == "INTERNALDATE") {
      auto dt = v.is_string() ? parse_date_time(v.text) : Parsed<DateTime>::fail("");
      if (!dt) return fail(err, "malformed INTERNALDATE");
      f.internal_date = *dt;
    } else if (name == "MODSEQ") {
      if (!v.is_list() || v.items.size() != 1 || !v.items[0].number64())
        return fail(err, "malformed MODSEQ");
      f.modseq = v.items[0].number64();
    }
    f.items[name] = v;
  }
  r.fetch = std::move(f);
  return true;
}

// Typed views of untagged data responses; unknown names keep only their tokens.
bool parse_data(Response& r, std::string& err) {
  const auto& a = r.args;
  const std::string& n = r.name;
  if (n == "FETCH") return parse_fetch_items(r, err);
  if (n == "EXISTS" || n == "RECENT" || n == "EXPUNGE") {
    return a.empty() ? true : fail(err, "unexpected data after " + n);
  }
  if (n == "CAPABILITY" || n == "ENABLED") {
    for (const Token& t : a)
      if (!t.is_atom()) return fail(err, "malformed " + n);
    r.capabilities = atoms(a);
    return true;
  }
  if (n == "FLAGS") {
    if (a.size() != 1 || !a[0].is_list()) return fail(err, "malformed FLAGS");
    r.flags = atoms(a[0].items);
    return true;
  }
  if (n == "LIST" || n == "LSUB") {
    if (a.size() < 3 || !a[0].is_list()) return fail(err, "malformed " + n);
    ListData l;
    l.attributes = atoms(a[0].items);
    if (a[1].kind == Token::Kind::Quoted && a[1].text.size() == 1) {
      l.delimiter = a[1].text[0];
    } else if (a[1].kind != Token::Kind::Nil) {
      return fail(err, "malformed hierarchy delimiter");
    }
    auto wire = a[2].astring();
    if (!wire) return fail(err, "malformed mailbox name");
    l.wire_name = *wire;
    auto decoded = mutf7_decode(l.wire_name);
    // A name that is not valid modified UTF-7 is still a name the server uses: keep it.
    l.name = normalize_mailbox(decoded ? *decoded : l.wire_name);
    r.list = std::move(l);
    return true;
  }
  if (n == "STATUS") {
    if (a.size() != 2 || !a[1].is_list() || a[1].items.size() % 2 != 0)
      return fail(err, "malformed STATUS");
    auto mb = parse_mailbox(a[0]);
    r.status_mailbox = mb ? *mb : a[0].text;
    for (std::size_t i = 0; i < a[1].items.size(); i += 2) {
      auto v = a[1].items[i + 1].number64();
      if (!a[1].items[i].is_atom() || !v) return fail(err, "malformed STATUS item");
      r.status_items[to_upper(a[1].items[i].text)] = *v;
    }
    return true;
  }
  if (n == "SEARCH") {
    for (std::size_t i = 0; i < a.size(); ++i) {
      if (a[i].is_list() && i + 1 == a.size() && a[i].items.size() == 2 &&
          a[i].items[0].is_atom("MODSEQ") && a[i].items[1].number64()) {
        r.search_modseq = a[i].items[1].number64();
        continue;
      }
      auto v = a[i].number();
      if (!v || *v == 0) return fail(err, "malformed SEARCH");
      r.search.push_back(*v);
    }
    return true;
  }
  if (n == "VANISHED") {
    std::size_t i = 0;
    if (!a.empty() && a[0].is_list()) {
      if (a[0].items.size() != 1 || !a[0].items[0].is_atom("EARLIER"))
        return fail(err, "malformed VANISHED");
      r.earlier = true;
      i = 1;
    }
    if (a.size() != i + 1 || !a[i].is_atom()) return fail(err, "malformed VANISHED");
    auto set = parse_sequence_set(a[i].text);
    if (!set) return fail(err, "malformed VANISHED: " + set.error);
    r.vanished = std::move(*set);
    return true;
  }
  return true;  // ESEARCH, ID, NAMESPACE and anything else: tokens only
}

}  // namespace

Parsed<Response> parse_response(std::string_view raw) {
  Response r;
  r.raw.assign(raw);
  std::string_view s = strip_eol(raw);
  std::string err;
  if (s.empty()) return R::fail("empty response line");
  if (s[0] == '+') {
    // continue-req = "+" SP (resp-text / base64); a bare "+" is common and tolerated.
    r.kind = Response::Kind::Continuation;
    if (s.size() > 1 && s[1] != ' ') return R::fail("malformed continuation request");
    r.text.assign(s.size() > 2 ? s.substr(2) : std::string_view());
    return R::ok(std::move(r));
  }
  std::size_t sp = s.find(' ');
  if (sp == std::string_view::npos || sp == 0) return R::fail("malformed response");
  std::string_view first = s.substr(0, sp);
  std::string_view rest = s.substr(sp + 1);
  auto word = [](std::string_view& in) {
    std::size_t e = in.find(' ');
    std::string w = to_upper(in.substr(0, e));
    in = e == std::string_view::npos ? std::string_view() : in.substr(e + 1);
    return w;
  };
  if (first == "*") {
    r.kind = Response::Kind::Untagged;
    std::string w = word(rest);
    if (!w.empty() && w[0] >= '0' && w[0] <= '9') {
      Token num = Token::atom(w);
      if (!num.number()) return R::fail("malformed message number");
      r.number = *num.number();
      w = word(rest);
      if (w != "EXISTS" && w != "RECENT" && w != "EXPUNGE" && w != "FETCH")
        return R::fail("unknown numbered response " + w);
    }
    for (char c : w)
      if (!is_atom_char(static_cast<unsigned char>(c)))
        return R::fail("malformed response name");
    if (w.empty()) return R::fail("missing response name");
    r.name = std::move(w);
    if (is_status(r.name)) {
      if (!parse_resp_text(rest, r, err)) return R::fail(err);
      return R::ok(std::move(r));
    }
  } else {
    r.kind = Response::Kind::Tagged;
    for (char c : first)
      if (!is_tag_char(static_cast<unsigned char>(c))) return R::fail("malformed tag");
    r.tag.assign(first);
    r.name = word(rest);
    if (r.name != "OK" && r.name != "NO" && r.name != "BAD")
      return R::fail("tagged response must be OK, NO or BAD");
    if (!parse_resp_text(rest, r, err)) return R::fail(err);
    return R::ok(std::move(r));
  }
  if (!rest.empty()) {
    auto toks = tokenize(rest);
    if (!toks) return R::fail(toks.error);
    r.args = std::move(*toks);
  }
  if (!parse_data(r, err)) return R::fail(err);
  return R::ok(std::move(r));
}

ResponseReader::Event ResponseReader::next() {
  for (;;) {
    Fragmentizer::Unit u = frag_.next();
    Event e;
    switch (u.kind) {
      case Fragmentizer::Unit::Kind::NeedMore:
        return e;
      case Fragmentizer::Unit::Kind::Continuation:
      case Fragmentizer::Unit::Kind::RawLine:
        continue;  // the client side never asks for either
      case Fragmentizer::Unit::Kind::Error:
        e.kind = Event::Kind::Error;
        e.text = std::move(u.text);
        return e;
      case Fragmentizer::Unit::Kind::Complete: {
        auto p = parse_response(u.raw);
        if (p) {
          e.kind = Event::Kind::Response;
          e.response = std::move(*p);
        } else {
          e.kind = Event::Kind::Error;
          e.text = std::move(p.error);
        }
        e.raw = std::move(u.raw);
        return e;
      }
    }
  }
}

}  // namespace ms::imap
