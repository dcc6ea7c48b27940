// SEARCH criteria (RFC 3501 section 6.4.4 and "search-key" in section 9; MODSEQ from RFC 7162
// section 3.1.5) parsed into a SearchKey tree. Evaluating it is the server engine's job.
#include "proto/imap/codec.hpp"
#include "proto/imap/detail.hpp"

namespace ms::imap {

using namespace detail;

namespace {

using K = SearchKey::Kind;

struct KeyName {
  const char* name;
  K kind;
  enum Arg : std::uint8_t { None, String, DateArg, Number, Keyword } arg;
};

constexpr KeyName kKeys[] = {
    {"ALL", K::All, KeyName::None},           {"ANSWERED", K::Answered, KeyName::None},
    {"BCC", K::Bcc, KeyName::String},         {"BEFORE", K::Before, KeyName::DateArg},
    {"BODY", K::Body, KeyName::String},       {"CC", K::Cc, KeyName::String},
    {"DELETED", K::Deleted, KeyName::None},   {"DRAFT", K::Draft, KeyName::None},
    {"FLAGGED", K::Flagged, KeyName::None},   {"FROM", K::From, KeyName::String},
    {"KEYWORD", K::Keyword, KeyName::Keyword}, {"LARGER", K::Larger, KeyName::Number},
    {"NEW", K::New, KeyName::None},           {"OLD", K::Old, KeyName::None},
    {"ON", K::On, KeyName::DateArg},          {"RECENT", K::Recent, KeyName::None},
    {"SEEN", K::Seen, KeyName::None},         {"SENTBEFORE", K::SentBefore, KeyName::DateArg},
    {"SENTON", K::SentOn, KeyName::DateArg},  {"SENTSINCE", K::SentSince, KeyName::DateArg},
    {"SINCE", K::Since, KeyName::DateArg},    {"SMALLER", K::Smaller, KeyName::Number},
    {"SUBJECT", K::Subject, KeyName::String}, {"TEXT", K::Text, KeyName::String},
    {"TO", K::To, KeyName::String},           {"UNANSWERED", K::Unanswered, KeyName::None},
    {"UNDELETED", K::Undeleted, KeyName::None}, {"UNDRAFT", K::Undraft, KeyName::None},
    {"UNFLAGGED", K::Unflagged, KeyName::None}, {"UNKEYWORD", K::Unkeyword, KeyName::Keyword},
    {"UNSEEN", K::Unseen, KeyName::None},
};

constexpr int kMaxDepth = 64;  // NOT NOT NOT ... cannot recurse without bound

class SearchParser {
 public:
  explicit SearchParser(std::span<const Token> t) : t_(t) {}

  // search-key *(SP search-key) up to the end of the span, as an implicit And.
  bool all(SearchKey& out, int depth) {
    out.kind = K::And;
    if (i_ >= t_.size()) return fail("missing search key");
    while (i_ < t_.size()) {
      SearchKey k;
      if (!key(k, depth)) return false;
      out.children.push_back(std::move(k));
    }
    return true;
  }
  const std::string& error() const { return err_; }

 private:
  bool fail(std::string why) {
    if (err_.empty()) err_ = std::move(why);
    return false;
  }

  bool key(SearchKey& k, int depth) {
    if (depth > kMaxDepth) return fail("search keys nested too deeply");
    if (i_ >= t_.size()) return fail("missing search key");
    const Token& t = t_[i_++];
    if (t.is_list()) {
      SearchParser inner(t.items);
      if (!inner.all(k, depth + 1)) return fail(inner.error());
      return true;
    }
    if (!t.is_atom()) return fail("search key expected");
    for (const KeyName& kn : kKeys) {
      if (!iequals(t.text, kn.name)) continue;
      k.kind = kn.kind;
      switch (kn.arg) {
        case KeyName::None:
          return true;
        case KeyName::String:
          return astring(k.text);
        case KeyName::Keyword: {
          // flag-keyword is an atom, NIL included (RFC 3501 section 9).
          if (i_ >= t_.size() || !(t_[i_].is_atom() || t_[i_].kind == Token::Kind::Nil) ||
              t_[i_].text[0] == '\\')
            return fail("keyword expected");
          k.text = t_[i_++].text;
          return true;
        }
        case KeyName::Number: {
          auto n = i_ < t_.size() ? t_[i_].number() : std::nullopt;
          if (!n) return fail("number expected");
          ++i_;
          k.number = *n;
          return true;
        }
        case KeyName::DateArg: {
          if (i_ >= t_.size() || !(t_[i_].is_atom() || t_[i_].kind == Token::Kind::Quoted))
            return fail("date expected");
          auto d = parse_date(t_[i_++].text);
          if (!d) return fail(d.error);
          k.date = *d;
          return true;
        }
      }
    }
    if (t.is_atom("HEADER")) {
      k.kind = K::Header;
      return astring(k.text) && astring(k.value);
    }
    if (t.is_atom("NOT")) {
      k.kind = K::Not;
      k.children.emplace_back();
      return key(k.children.back(), depth + 1);
    }
    if (t.is_atom("OR")) {
      k.kind = K::Or;
      k.children.resize(2);
      return key(k.children[0], depth + 1) && key(k.children[1], depth + 1);
    }
    if (t.is_atom("UID")) {
      k.kind = K::Uid;
      if (i_ >= t_.size() || !t_[i_].is_atom()) return fail("sequence set expected");
      auto set = parse_sequence_set(t_[i_++].text);
      if (!set) return fail(set.error);
      k.set = std::move(*set);
      return true;
    }
    if (t.is_atom("MODSEQ")) {
      // MODSEQ [entry-name entry-type-req] mod-sequence-valzer (RFC 7162 section 3.1.5)
      k.kind = K::ModSeq;
      if (i_ < t_.size() && t_[i_].kind == Token::Kind::Quoted) {
        k.text = t_[i_++].text;
        if (i_ >= t_.size() || !(t_[i_].is_atom("PRIV") || t_[i_].is_atom("SHARED") ||
                                 t_[i_].is_atom("ALL")))
          return fail("MODSEQ entry type expected");
        k.value = to_upper(t_[i_++].text);
        for (char& c : k.value) c = static_cast<char>(c - 'A' + 'a');
      }
      auto n = i_ < t_.size() ? t_[i_].number64() : std::nullopt;
      if (!n) return fail("mod-sequence expected");
      ++i_;
      k.number = *n;
      return true;
    }
    if (!t.text.empty() && (t.text[0] == '*' || (t.text[0] >= '1' && t.text[0] <= '9') ||
                            t.text[0] == '0')) {
      auto set = parse_sequence_set(t.text);
      if (!set) return fail(set.error);
      k.kind = K::SequenceSet;
      k.set = std::move(*set);
      return true;
    }
    return fail("unknown search key " + t.text);
  }

  bool astring(std::string& out) {
    if (i_ >= t_.size()) return fail("string expected");
    auto s = t_[i_++].astring();
    if (!s) return fail("string expected");
    out = std::move(*s);
    return true;
  }

  std::span<const Token> t_;
  std::size_t i_ = 0;
  std::string err_;
};

}  // namespace

Parsed<SearchKey> parse_search_keys(std::span<const Token> keys) {
  SearchParser p(keys);
  SearchKey root;
  if (!p.all(root, 0)) return Parsed<SearchKey>::fail(p.error());
  return Parsed<SearchKey>::ok(std::move(root));
}

Parsed<SearchRequest> parse_search(const Command& c) {
  using R = Parsed<SearchRequest>;
  SearchRequest req;
  std::span<const Token> keys(c.args);
  if (!keys.empty() && keys[0].is_atom("CHARSET")) {
    auto cs = keys.size() > 1 ? keys[1].astring() : std::nullopt;
    if (!cs || cs->empty()) return R::fail("charset expected");
    req.charset = to_upper(*cs);
    keys = keys.subspan(2);
  }
  auto root = parse_search_keys(keys);
  if (!root) return R::fail(root.error);
  req.root = std::move(*root);
  return R::ok(std::move(req));
}

}  // namespace ms::imap
