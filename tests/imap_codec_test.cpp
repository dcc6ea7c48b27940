// IMAP wire codec: every reader test runs the input whole and one byte at a time and demands
// the same events (see read_commands / read_responses).
#include <catch2/catch.hpp>

#include "proto/imap/codec.hpp"

using namespace ms::imap;
using namespace std::string_literals;

namespace {

std::string show(const Token& t) {
  switch (t.kind) {
    case Token::Kind::Atom: return t.text;
    case Token::Kind::Quoted: return "q\"" + t.text + "\"";
    case Token::Kind::Literal: return std::string(t.non_sync ? "lit+<" : "lit<") + t.text + ">";
    case Token::Kind::Nil: return "NIL";
    case Token::Kind::List: {
      std::string s = "(";
      for (std::size_t i = 0; i < t.items.size(); ++i) s += (i ? " " : "") + show(t.items[i]);
      return s + ")";
    }
  }
  return "?";
}

std::string show_args(const std::vector<Token>& args) {
  std::string s;
  for (const Token& t : args) s += " " + show(t);
  return s;
}

// One line per event, so that whole and byte-wise runs compare exactly.
std::string show(const CommandReader::Event& e) {
  using K = CommandReader::Event::Kind;
  switch (e.kind) {
    case K::NeedMore: return "more";
    case K::Continuation: return "+";
    case K::RawLine: return "raw " + e.raw;
    case K::Error: return "error tag=" + e.tag + " code=" + e.code + " " + e.text;
    case K::Command:
      if (!e.parsed.command) return "bad tag=" + e.parsed.tag + " " + e.parsed.error;
      return "cmd " + e.parsed.command->tag + " " + e.parsed.command->name +
             show_args(e.parsed.command->args);
  }
  return "?";
}

std::vector<std::string> drain(CommandReader& r) {
  std::vector<std::string> out;
  for (int guard = 0; guard < 100000; ++guard) {
    auto e = r.next();
    if (e.kind == CommandReader::Event::Kind::NeedMore) break;
    out.push_back(show(e));
  }
  return out;
}

// Feeds `input` whole and one byte at a time; both must give the same events.
std::vector<std::string> read_commands(std::string_view input, ReaderLimits limits = {},
                                       bool raw_first = false) {
  CommandReader whole(limits);
  if (raw_first) whole.expect_raw_line();
  whole.feed(input);
  auto a = drain(whole);
  CommandReader bytes(limits);
  if (raw_first) bytes.expect_raw_line();
  std::vector<std::string> b;
  for (char c : input) {
    bytes.feed(std::string_view(&c, 1));
    auto ev = drain(bytes);
    b.insert(b.end(), ev.begin(), ev.end());
  }
  CHECK(a == b);
  return a;
}

// The single command in `line`, parsed through the reader (whole and byte-wise).
Command command(std::string_view line) {
  CommandReader r;
  r.feed(line);
  CommandReader::Event e = r.next();
  while (e.kind == CommandReader::Event::Kind::Continuation) e = r.next();
  read_commands(line);  // checks byte-wise equivalence
  REQUIRE(e.kind == CommandReader::Event::Kind::Command);
  INFO(e.parsed.error);
  REQUIRE(e.parsed.command);
  return *e.parsed.command;
}

std::vector<Response> read_responses(std::string_view input, std::vector<std::string>* errors =
                                                                 nullptr) {
  auto run = [](ResponseReader& r, std::vector<std::string>& log, std::vector<Response>& out) {
    for (;;) {
      auto e = r.next();
      if (e.kind == ResponseReader::Event::Kind::NeedMore) return;
      if (e.kind == ResponseReader::Event::Kind::Error) {
        log.push_back("error " + e.text);
      } else {
        log.push_back("resp " + e.response.raw + "|" + e.response.name + show_args(e.response.args));
        out.push_back(std::move(e.response));
      }
    }
  };
  ResponseReader whole;
  std::vector<std::string> la, lb;
  std::vector<Response> out, ignored;
  whole.feed(input);
  run(whole, la, out);
  ResponseReader bytes;
  for (char c : input) {
    bytes.feed(std::string_view(&c, 1));
    run(bytes, lb, ignored);
  }
  CHECK(la == lb);
  if (errors) {
    for (const auto& l : la)
      if (l.rfind("error", 0) == 0) errors->push_back(l);
  }
  return out;
}

Response response(std::string_view line) {
  std::vector<std::string> errors;
  auto rs = read_responses(line, &errors);
  INFO((errors.empty() ? "" : errors[0]));
  REQUIRE(rs.size() == 1);
  return rs[0];
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Command reader and command lines
// ---------------------------------------------------------------------------------------------

TEST_CASE("a simple command is read with an upper-cased name and its arguments", "[imap]") {
  CHECK(read_commands("a1 login alice \"se\\\"cret\"\r\n") ==
        std::vector<std::string>{"cmd a1 LOGIN alice q\"se\"cret\""});
  CHECK(read_commands("a2 NOOP\r\n") == std::vector<std::string>{"cmd a2 NOOP"});
}

TEST_CASE("pipelined commands split anywhere come out one by one", "[imap]") {
  CHECK(read_commands("1 NOOP\r\n2 CAPABILITY\r\n3 LOGOUT\r\n") ==
        std::vector<std::string>{"cmd 1 NOOP", "cmd 2 CAPABILITY", "cmd 3 LOGOUT"});
}

TEST_CASE("UID commands are named with both words", "[imap]") {
  Command c = command("u1 uid fetch 1:* (FLAGS)\r\n");
  CHECK(c.name == "UID FETCH");
  CHECK(show_args(c.args) == " 1:* (FLAGS)");
}

TEST_CASE("a synchronising literal asks for a continuation once, then reads its octets",
          "[imap]") {
  auto ev = read_commands("a LOGIN {5}\r\nalice {6}\r\nse\r\nt!\r\n");
  CHECK(ev == std::vector<std::string>{"+", "+", "cmd a LOGIN lit<alice> lit<se\r\nt!>"});
}

TEST_CASE("a non-synchronising literal needs no continuation and may hold any octet", "[imap]") {
  auto ev = read_commands("a APPEND INBOX (\\Seen) {3+}\r\nx\0y\r\nb NOOP\r\n"s);
  CHECK(ev == std::vector<std::string>{"cmd a APPEND INBOX (\\Seen) lit+<x\0y>"s, "cmd b NOOP"});
}

TEST_CASE("an empty literal still asks for its continuation", "[imap]") {
  CHECK(read_commands("a LOGIN {0}\r\n \"\"\r\n") ==
        std::vector<std::string>{"+", "cmd a LOGIN lit<> q\"\""});
}

TEST_CASE("a literal over the limit is refused without reading it, naming the tag", "[imap]") {
  ReaderLimits lim;
  lim.max_literal = 10;
  SECTION("synchronising: the client sends nothing more, the next line is a new command") {
    CHECK(read_commands("a7 APPEND INBOX {11}\r\nb NOOP\r\n", lim) ==
          std::vector<std::string>{"error tag=a7 code=TOOBIG literal too big", "cmd b NOOP"});
  }
  SECTION("non-synchronising: its octets and the rest of its line are dropped by count") {
    CHECK(read_commands("a7 APPEND INBOX {11+}\r\nhello\r\nworl FOO\r\nb NOOP\r\n", lim) ==
          std::vector<std::string>{"error tag=a7 code=TOOBIG literal too big", "cmd b NOOP"});
  }
  SECTION("a count too large for any integer is over the limit too") {
    CHECK(read_commands("a8 APPEND INBOX {99999999999999999999999}\r\nc NOOP\r\n", lim) ==
          std::vector<std::string>{"error tag=a8 code=TOOBIG literal too big", "cmd c NOOP"});
  }
}

TEST_CASE("an overlong line is rejected and reading resumes after its CRLF", "[imap]") {
  ReaderLimits lim;
  lim.max_line = 20;
  std::string exact = "t NOOP " + std::string(13, 'x');  // 20 octets: accepted
  CHECK(read_commands(exact + "\r\n", lim) ==
        std::vector<std::string>{"cmd t NOOP " + std::string(13, 'x')});
  std::string input = "t1 LOGIN " + std::string(100, 'x') + "\r\nt2 NOOP\r\n";
  CHECK(read_commands(input, lim) ==
        std::vector<std::string>{"error tag=t1 code=TOOBIG line too long", "cmd t2 NOOP"});
}

TEST_CASE("a line read in raw mode is delivered verbatim (AUTHENTICATE, IDLE DONE)", "[imap]") {
  CHECK(read_commands("dGVzdA==\r\na NOOP\r\n", {}, true) ==
        std::vector<std::string>{"raw dGVzdA==", "cmd a NOOP"});
}

TEST_CASE("malformed command lines give BAD with the tag when there is one", "[imap]") {
  auto one = [](std::string_view in) {
    auto ev = read_commands(in);
    REQUIRE(ev.size() == 1);
    return ev[0];
  };
  CHECK(one("a LOGIN \"alice secret\r\n") == "bad tag=a unterminated quoted string");
  CHECK(one("a LOGIN {abc}\r\n") == "bad tag=a bad literal count");
  CHECK(one("\r\n") == "bad tag= empty command line");
  CHECK(one(" NOOP\r\n") == "bad tag= missing or invalid tag");
  CHECK(one("* NOOP\r\n") == "bad tag= missing or invalid tag");
  CHECK(one("a1\r\n") == "bad tag=a1 missing command name");
  CHECK(one("a NO\0OP\r\n"s) == "bad tag=a invalid command name");
  CHECK(one("a LOGIN al\0ce x\r\n"s) == "bad tag=a NUL octet in command");
  CHECK(one("a LOGIN \"al\0ce\" x\r\n"s) == "bad tag=a invalid character in quoted string");
  CHECK(one("a LOGIN  alice\r\n") == "bad tag=a unexpected space");
  CHECK(one("a NOOP \r\n") == "bad tag=a unexpected space");
  CHECK(one("a FETCH 1 (FLAGS\r\n") == "bad tag=a missing ')'");
  CHECK(one("a FETCH 1 FLAGS)\r\n") == "bad tag=a unexpected ')'");
  CHECK(one("a LOGIN \"a\\x\" b\r\n") == "bad tag=a bad escape in quoted string");
}

TEST_CASE("fetch section tokens are kept whole, spaces and parentheses included", "[imap]") {
  Command c = command("f FETCH 1 (UID BODY.PEEK[HEADER.FIELDS (FROM \"To\")]<0.100> BODY[])\r\n");
  REQUIRE(c.args.size() == 2);
  REQUIRE(c.args[1].items.size() == 3);
  CHECK(c.args[1].items[1].text == "BODY.PEEK[HEADER.FIELDS (FROM \"To\")]<0.100>");
  CHECK(c.args[1].items[2].text == "BODY[]");
}

TEST_CASE("outside a fetch section [ and ] are atom characters (RFC 3501 section 9)",
          "[imap][atoms]") {
  Command c = command("l LIST \"\" a[b}%* [x]y (a[ NIL) BODY[1] body.peek[2 3]\r\n");
  REQUIRE(c.args.size() == 6);
  CHECK(c.args[1] == Token::atom("a[b}%*"));
  CHECK(c.args[2] == Token::atom("[x]y"));
  CHECK(c.args[3] == Token::list({Token::atom("a["), Token::nil()}));
  CHECK(c.args[4] == Token::atom("BODY[1]"));
  CHECK(c.args[5] == Token::atom("body.peek[2 3]"));
  CHECK(*c.args[1].list_mailbox() == "a[b}%*");
  CHECK(*c.args[2].astring() == "[x]y");
  // NIL is an atom where a flag is expected: the keyword NIL.
  CHECK(*parse_flag_list(c.args[3]) == std::vector<std::string>{"a[", "NIL"});
}

// ---------------------------------------------------------------------------------------------
// Sequence sets
// ---------------------------------------------------------------------------------------------

TEST_CASE("sequence sets parse, resolve * against the maximum, and print back", "[imap]") {
  auto s = parse_sequence_set("2,4:7,9,12:*");
  REQUIRE(s);
  CHECK(s->to_string() == "2,4:7,9,12:*");
  CHECK(s->resolve(15) == std::vector<SeqRange>{{2, 2}, {4, 7}, {9, 9}, {12, 15}});
  CHECK(s->contains(5, 15));
  CHECK_FALSE(s->contains(8, 15));
  auto star = parse_sequence_set("*");
  REQUIRE(star);
  CHECK(star->resolve(3) == std::vector<SeqRange>{{3, 3}});
  CHECK(star->resolve(0).empty());
  auto rev = parse_sequence_set("7:3,4");
  REQUIRE(rev);
  CHECK(rev->resolve(10) == std::vector<SeqRange>{{3, 7}});
  // "UID 5:*" when the largest UID is 3 still names 3 (RFC 3501 6.4.8).
  CHECK(parse_sequence_set("5:*")->resolve(3) == std::vector<SeqRange>{{3, 5}});
}

TEST_CASE("invalid sequence sets are rejected", "[imap]") {
  for (const char* bad : {"0", "1:0", "a", "", ",", "1,", "1::2", "01", "1:2:3", "4294967296"})
    CHECK_FALSE(parse_sequence_set(bad));
  CHECK(parse_sequence_set("4294967295"));
}

TEST_CASE("a list of UIDs is compressed into the shortest sequence set", "[imap]") {
  CHECK(write_sequence_set({1, 2, 3, 5}) == "1:3,5");
  CHECK(write_sequence_set({9, 1, 3, 2, 2, 10, 7}) == "1:3,7,9:10");
  CHECK(write_sequence_set({}) == "");
  CHECK(write_sequence_set({4294967295u, 4294967294u}) == "4294967294:4294967295");
}

// ---------------------------------------------------------------------------------------------
// FETCH
// ---------------------------------------------------------------------------------------------

TEST_CASE("FETCH macros expand to their attributes", "[imap]") {
  auto f = parse_fetch(command("a FETCH 1:* FULL\r\n"));
  REQUIRE(f);
  std::string names;
  for (const auto& a : f->atts) names += a.response_name() + " ";
  CHECK(names == "FLAGS INTERNALDATE RFC822.SIZE ENVELOPE BODY ");
  CHECK(f->set.to_string() == "1:*");
  auto fast = parse_fetch(command("a FETCH 2 fast\r\n"));
  REQUIRE(fast);
  CHECK(fast->atts.size() == 3);
  CHECK(parse_fetch(command("a FETCH 2 ALL\r\n"))->atts.size() == 4);
  CHECK_FALSE(parse_fetch(command("a FETCH 2 (ALL)\r\n")));
}

TEST_CASE("FETCH attributes and body sections parse into structures", "[imap]") {
  auto f = parse_fetch(command(
      "a UID FETCH 1:3 (UID FLAGS INTERNALDATE RFC822.SIZE RFC822.HEADER ENVELOPE BODYSTRUCTURE "
      "MODSEQ BODY[] BODY.PEEK[1.2.HEADER.FIELDS.NOT (Received x-spam)]<10.200> BODY[2.MIME] "
      "BODY[TEXT] body[3]) (CHANGEDSINCE 12345 VANISHED)\r\n"));
  REQUIRE(f);
  REQUIRE(f->atts.size() == 13);
  CHECK(f->changed_since == 12345u);
  CHECK(f->vanished);
  const FetchAtt& peek = f->atts[9];
  CHECK(peek.kind == FetchAtt::Kind::BodySection);
  CHECK(peek.peek);
  CHECK(peek.section.part == std::vector<std::uint32_t>{1, 2});
  CHECK(peek.section.text == Section::Text::HeaderFieldsNot);
  CHECK(peek.section.fields == std::vector<std::string>{"RECEIVED", "X-SPAM"});
  CHECK(peek.partial == Partial{10, 200});
  CHECK(peek.response_name() == "BODY[1.2.HEADER.FIELDS.NOT (RECEIVED X-SPAM)]<10>");
  CHECK(f->atts[8].response_name() == "BODY[]");
  CHECK(f->atts[10].section.text == Section::Text::Mime);
  CHECK(f->atts[11].response_name() == "BODY[TEXT]");
  CHECK(f->atts[12].response_name() == "BODY[3]");
  CHECK(f->atts[0].kind == FetchAtt::Kind::Uid);
  CHECK(f->atts[7].kind == FetchAtt::Kind::ModSeq);
}

TEST_CASE("malformed FETCH requests are rejected", "[imap]") {
  CHECK_FALSE(parse_fetch(command("a FETCH 0 FLAGS\r\n")));
  CHECK_FALSE(parse_fetch(command("a FETCH 1 (FLAGS BOGUS)\r\n")));
  CHECK_FALSE(parse_fetch(command("a FETCH 1 ()\r\n")));
  CHECK_FALSE(parse_fetch(command("a FETCH 1 BODY[MIME]\r\n")));
  CHECK_FALSE(parse_fetch(command("a FETCH 1 BODY[HEADER.FIELDS ()]\r\n")));
  CHECK_FALSE(parse_fetch(command("a FETCH 1 BODY[0]\r\n")));
  CHECK_FALSE(parse_fetch(command("a FETCH 1 BODY[]<1.0>\r\n")));
  CHECK_FALSE(parse_fetch(command("a FETCH 1 BODY[]<x>\r\n")));
  CHECK_FALSE(parse_fetch(command("a FETCH 1 FLAGS (CHANGEDSINCE 5 VANISHED)\r\n")));
  CHECK_FALSE(parse_fetch(command("a UID FETCH 1 FLAGS (VANISHED)\r\n")));
  CHECK_FALSE(parse_fetch(command("a FETCH 1 FLAGS (CHANGEDSINCE x)\r\n")));
  CHECK_FALSE(parse_fetch(command("a FETCH 1\r\n")));
}

// ---------------------------------------------------------------------------------------------
// STORE
// ---------------------------------------------------------------------------------------------

TEST_CASE("STORE forms parse into mode, silence, flags and UNCHANGEDSINCE", "[imap]") {
  auto s = parse_store(command("a STORE 2:4 +FLAGS (\\deleted \\Seen $Label)\r\n"));
  REQUIRE(s);
  CHECK(s->mode == StoreRequest::Mode::Add);
  CHECK_FALSE(s->silent);
  CHECK(s->flags == std::vector<std::string>{"\\Deleted", "\\Seen", "$Label"});
  auto r = parse_store(command("a UID STORE 7 (UNCHANGEDSINCE 320162338) -FLAGS.SILENT \\Seen\r\n"));
  REQUIRE(r);
  CHECK(r->mode == StoreRequest::Mode::Remove);
  CHECK(r->silent);
  CHECK(r->unchanged_since == 320162338u);
  CHECK(r->flags == std::vector<std::string>{"\\Seen"});
  auto p = parse_store(command("a STORE 1 flags ()\r\n"));
  REQUIRE(p);
  CHECK(p->mode == StoreRequest::Mode::Replace);
  CHECK(p->flags.empty());
  CHECK_FALSE(parse_store(command("a STORE 1 +LABELS (x)\r\n")));
  CHECK_FALSE(parse_store(command("a STORE 1 +FLAGS (\"x\")\r\n")));
  CHECK_FALSE(parse_store(command("a STORE 1 +FLAGS (\\*)\r\n")));
  CHECK_FALSE(parse_store(command("a STORE 1 (UNCHANGEDSINCE) FLAGS (x)\r\n")));
}

// ---------------------------------------------------------------------------------------------
// SEARCH
// ---------------------------------------------------------------------------------------------

namespace {
std::string show(const SearchKey& k) {
  using K = SearchKey::Kind;
  static const char* names[] = {
      "AND", "ALL", "ANSWERED", "BCC", "BEFORE", "BODY", "CC", "DELETED", "DRAFT", "FLAGGED",
      "FROM", "HEADER", "KEYWORD", "LARGER", "NEW", "NOT", "OLD", "ON", "OR", "RECENT", "SEEN",
      "SENTBEFORE", "SENTON", "SENTSINCE", "SINCE", "SMALLER", "SUBJECT", "TEXT", "TO", "UID",
      "UNANSWERED", "UNDELETED", "UNDRAFT", "UNFLAGGED", "UNKEYWORD", "UNSEEN", "SET", "MODSEQ"};
  std::string s = names[static_cast<int>(k.kind)];
  switch (k.kind) {
    case K::Bcc: case K::Body: case K::Cc: case K::From: case K::Subject: case K::Text:
    case K::To: case K::Keyword: case K::Unkeyword:
      return s + "<" + k.text + ">";
    case K::Header: return s + "<" + k.text + "," + k.value + ">";
    case K::Before: case K::On: case K::Since: case K::SentBefore: case K::SentOn:
    case K::SentSince:
      return s + "<" + write_date(k.date) + ">";
    case K::Larger: case K::Smaller: return s + "<" + std::to_string(k.number) + ">";
    case K::ModSeq: return s + "<" + k.text + "," + k.value + "," + std::to_string(k.number) + ">";
    case K::Uid: case K::SequenceSet: return s + "<" + k.set.to_string() + ">";
    case K::And: case K::Not: case K::Or: {
      s += "(";
      for (std::size_t i = 0; i < k.children.size(); ++i) s += (i ? " " : "") + show(k.children[i]);
      return s + ")";
    }
    default: return s;
  }
}
}  // namespace

TEST_CASE("every RFC 3501 search key parses into the tree", "[imap]") {
  auto s = parse_search(command(
      "s SEARCH ALL ANSWERED BCC b BEFORE 1-Feb-1994 BODY \"x y\" CC c DELETED DRAFT FLAGGED "
      "FROM f HEADER X-Spam yes KEYWORD $Junk LARGER 100 NEW NOT SEEN OLD ON 02-feb-1994 "
      "OR RECENT (SMALLER 5 TO t) SENTBEFORE 3-Mar-2000 SENTON \"4-Apr-2000\" SENTSINCE "
      "5-May-2000 SINCE 6-Jun-2000 SUBJECT {2}\r\nhi TEXT t UID 1:* UNANSWERED UNDELETED "
      "UNDRAFT UNFLAGGED UNKEYWORD $x UNSEEN 2,4:*\r\n"));
  REQUIRE(s);
  CHECK(s->charset.empty());
  CHECK(show(s->root) ==
        "AND(ALL ANSWERED BCC<b> BEFORE<1-Feb-1994> BODY<x y> CC<c> DELETED DRAFT FLAGGED "
        "FROM<f> HEADER<X-Spam,yes> KEYWORD<$Junk> LARGER<100> NEW NOT(SEEN) OLD "
        "ON<2-Feb-1994> OR(RECENT AND(SMALLER<5> TO<t>)) SENTBEFORE<3-Mar-2000> "
        "SENTON<4-Apr-2000> SENTSINCE<5-May-2000> SINCE<6-Jun-2000> SUBJECT<hi> TEXT<t> "
        "UID<1:*> UNANSWERED UNDELETED UNDRAFT UNFLAGGED UNKEYWORD<$x> UNSEEN SET<2,4:*>)");
}

TEST_CASE("SEARCH takes a CHARSET and the RFC 7162 MODSEQ key", "[imap]") {
  auto s = parse_search(command("s UID SEARCH CHARSET utf-8 MODSEQ \"/flags/\\\\draft\" all "
                                "620162338 OR MODSEQ 5 NOT FROM x\r\n"));
  REQUIRE(s);
  CHECK(s->charset == "UTF-8");
  CHECK(show(s->root) == "AND(MODSEQ</flags/\\draft,all,620162338> OR(MODSEQ<,,5> NOT(FROM<x>)))");
}

TEST_CASE("bad SEARCH criteria are rejected with a reason", "[imap]") {
  auto err = [](std::string_view line) {
    auto s = parse_search(command(line));
    CHECK_FALSE(s);
    return s.error;
  };
  CHECK(err("s SEARCH FOO\r\n") == "unknown search key FOO");
  CHECK(err("s SEARCH\r\n") == "missing search key");
  CHECK(err("s SEARCH OR SEEN\r\n") == "missing search key");
  CHECK(err("s SEARCH SINCE 30-Feb-2001\r\n") == "invalid date");
  CHECK(err("s SEARCH LARGER x\r\n") == "number expected");
  CHECK(err("s SEARCH 0\r\n") == "invalid sequence set");
  CHECK(err("s SEARCH ()\r\n") == "missing search key");
  CHECK(err("s SEARCH KEYWORD \\Seen\r\n") == "keyword expected");
  CHECK(err("s SEARCH CHARSET\r\n") == "charset expected");
  std::string deep = "s SEARCH";
  for (int i = 0; i < 200; ++i) deep += " NOT";
  CHECK(err(deep + " SEEN\r\n") == "search keys nested too deeply");
}

// ---------------------------------------------------------------------------------------------
// Dates, mailboxes, flags
// ---------------------------------------------------------------------------------------------

TEST_CASE("dates and date-times parse, validate, and convert to Unix time", "[imap]") {
  CHECK(*parse_date("1-Feb-1994") == Date{1994, 2, 1});
  CHECK(*parse_date("29-feb-2000") == Date{2000, 2, 29});
  CHECK_FALSE(parse_date("29-Feb-1900"));
  CHECK_FALSE(parse_date("1-Foo-1994"));
  CHECK_FALSE(parse_date("001-Feb-1994"));
  CHECK_FALSE(parse_date("1-Feb-94"));
  auto dt = parse_date_time("17-Jul-1996 02:44:25 -0700");
  REQUIRE(dt);
  CHECK(dt->zone_minutes == -420);
  CHECK(dt->to_unix() == 837596665);
  CHECK(parse_date_time(" 7-Jul-1996 02:44:25 +0000"));
  CHECK_FALSE(parse_date_time("17-Jul-1996 24:00:00 +0000"));
  CHECK_FALSE(parse_date_time("17-Jul-1996 02:44:25 0700"));
  CHECK_FALSE(parse_date_time("17-Jul-1996 02:44 +0000"));
  CHECK(write_date_time(DateTime::from_unix(837596665, -420)) == "\"17-Jul-1996 02:44:25 -0700\"");
  CHECK(write_date_time(DateTime::from_unix(0)) == "\"01-Jan-1970 00:00:00 +0000\"");
  CHECK(write_date_time(DateTime::from_unix(-1, 90)) == "\"01-Jan-1970 01:29:59 +0130\"");
}

TEST_CASE("APPEND arguments: mailbox, flags, date-time and literal", "[imap]") {
  auto ev = read_commands(
      "a APPEND inbox (\\Seen) \"05-Mar-2014 10:00:00 +0100\" {7}\r\nHi\r\nyo!\r\n");
  REQUIRE(ev.size() == 2);
  Command c = command("a APPEND inbox (\\Seen) \"05-Mar-2014 10:00:00 +0100\" {7+}\r\nHi\r\nyo!\r\n");
  REQUIRE(c.args.size() == 4);
  CHECK(*parse_mailbox(c.args[0]) == "INBOX");
  CHECK(*parse_flag_list(c.args[1]) == std::vector<std::string>{"\\Seen"});
  CHECK(parse_date_time(c.args[2].text)->date == Date{2014, 3, 5});
  CHECK(c.args[3].text == "Hi\r\nyo!");
}

TEST_CASE("mailbox names: INBOX in any case, modified UTF-7 decoded", "[imap]") {
  CHECK(*parse_mailbox(Token::atom("iNbOx")) == "INBOX");
  CHECK(*parse_mailbox(Token::quoted("INBOX/Sub")) == "INBOX/Sub");
  CHECK(*parse_mailbox(Token::atom("Entw&APw-rfe")) == "Entw\xc3\xbc" "rfe");
  CHECK_FALSE(parse_mailbox(Token::atom("Bad&Name")));
  CHECK_FALSE(parse_mailbox(Token::list({})));
  CHECK_FALSE(parse_mailbox(Token::quoted("")));
}

TEST_CASE("modified UTF-7 encodes and decodes the RFC 3501 examples", "[imap]") {
  // RFC 3501 5.1.3: "~peter/mail/台北/日本語"
  std::string utf8 = "~peter/mail/\xe5\x8f\xb0\xe5\x8c\x97/\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e";
  CHECK(*mutf7_encode(utf8) == "~peter/mail/&U,BTFw-/&ZeVnLIqe-");
  CHECK(*mutf7_decode("~peter/mail/&U,BTFw-/&ZeVnLIqe-") == utf8);
  CHECK(*mutf7_encode("A&B") == "A&-B");
  CHECK(*mutf7_decode("A&-B") == "A&B");
  // A character outside the BMP goes through a surrogate pair (U+1F600).
  CHECK(*mutf7_encode("\xf0\x9f\x98\x80") == "&2D3eAA-");
  CHECK(*mutf7_decode("&2D3eAA-") == "\xf0\x9f\x98\x80");
}

TEST_CASE("invalid modified UTF-7 and invalid UTF-8 are rejected", "[imap]") {
  for (const char* bad : {"&", "&U,BTFw", "&AGE-", "&U,BTFw-&ZeVnLIqe-", "&2D0-", "&3gA-",
                          "a\xc3\xa9", "&U,BTF-", "&*-", "tab\there", "&U,BTFx-"})
    CHECK_FALSE(mutf7_decode(bad));
  CHECK_FALSE(mutf7_encode("\xc3"));
  CHECK_FALSE(mutf7_encode("\xc0\x80"));
  CHECK_FALSE(mutf7_encode("\xed\xa0\x80"));
}

TEST_CASE("flag lists keep keywords, normalise system flags, allow \\* only when asked",
          "[imap]") {
  auto t = tokenize("(\\SEEN \\answered $Forwarded \\Custom \\*)");
  REQUIRE(t);
  CHECK_FALSE(parse_flag_list((*t)[0]));
  CHECK(*parse_flag_list((*t)[0], true) ==
        std::vector<std::string>{"\\Seen", "\\Answered", "$Forwarded", "\\Custom", "\\*"});
  CHECK_FALSE(parse_flag_list(Token::atom("\\Seen")));
  CHECK_FALSE(parse_flag_list(Token::list({Token::atom("\\")})));
}

// ---------------------------------------------------------------------------------------------
// Writers and round trips
// ---------------------------------------------------------------------------------------------

TEST_CASE("writers choose atom, quoted string or literal by content", "[imap]") {
  CHECK(write_astring("INBOX") == "INBOX");
  CHECK(write_astring("nil") == "\"nil\"");
  CHECK(write_astring("") == "\"\"");
  CHECK(write_astring("two words") == "\"two words\"");
  CHECK(write_astring("a\"b\\c") == "\"a\\\"b\\\\c\"");
  CHECK(write_astring("line\r\nbreak") == "{11}\r\nline\r\nbreak");
  CHECK(write_astring("caf\xc3\xa9") == "{5}\r\ncaf\xc3\xa9");
  CHECK(write_string("x") == "\"x\"");
  CHECK(write_nstring(std::nullopt) == "NIL");
  CHECK(write_literal("ab", true) == "{2+}\r\nab");
  CHECK(write_mailbox("inbox") == "INBOX");
  CHECK(write_mailbox("Entw\xc3\xbcrfe") == "Entw&APw-rfe");
  CHECK(write_mailbox("My Stuff") == "\"My Stuff\"");
  CHECK(write_flag_list({"\\Seen", "$Label"}) == "(\\Seen $Label)");
  CHECK(write_flag_list({}) == "()");
  CHECK(write_date({1994, 2, 1}) == "1-Feb-1994");
}

TEST_CASE("status responses are written exactly", "[imap]") {
  CHECK(tagged("a1", "OK", "READ-WRITE", "SELECT completed") ==
        "a1 OK [READ-WRITE] SELECT completed\r\n");
  CHECK(tagged("a2", "NO", "", "no such mailbox") == "a2 NO no such mailbox\r\n");
  CHECK(untagged_status("OK", "UIDVALIDITY 3", "UIDs valid") ==
        "* OK [UIDVALIDITY 3] UIDs valid\r\n");
  CHECK(untagged("3 EXISTS") == "* 3 EXISTS\r\n");
  CHECK(continuation("Ready for literal data") == "+ Ready for literal data\r\n");
}

TEST_CASE("what the writers produce, the parsers read back to the same value", "[imap]") {
  std::vector<std::string> strings = {
      "", "plain", "NIL", "with space", "quote\"in", "back\\slash", "crlf\r\nin", "nul\0in"s,
      "8bit caf\xc3\xa9", "[Gmail]/Sent", "]bracket", "{5}", "%*", std::string(2000, 'z'),
      "\\Seen", "(paren)"};
  for (const auto& s : strings) {
    INFO(s);
    for (const std::string& w : {write_astring(s), write_string(s)}) {
      Command c = command("t LOGIN " + w + " x\r\n");
      REQUIRE(c.args.size() == 2);
      CHECK(c.args[0].astring() == s);
    }
    // The same value inside a response (nstring in a FETCH item).
    Response r = response("* 1 FETCH (BODY[] " + write_string(s) + ")\r\n");
    REQUIRE(r.fetch);
    REQUIRE(r.fetch->body(""));
    CHECK(*r.fetch->body("") == s);
  }
  for (const auto& name : {"INBOX", "Entw\xc3\xbcrfe", "A&B", "Sent Items", "\xe6\x97\xa5/x&y",
                           "\xf0\x9f\x98\x80 emoji", "[Gmail]/All Mail"}) {
    INFO(name);
    Command c = command(std::string("t SELECT ") + write_mailbox(name) + "\r\n");
    REQUIRE(c.args.size() == 1);
    CHECK(*parse_mailbox(c.args[0]) == name);
  }
  std::vector<std::vector<std::string>> flag_lists = {
      {}, {"\\Seen"}, {"\\Answered", "\\Flagged", "\\Deleted", "\\Seen", "\\Draft", "$Label1"}};
  for (const auto& fl : flag_lists) {
    Command c = command("t STORE 1 FLAGS " + write_flag_list(fl) + "\r\n");
    CHECK(parse_store(c)->flags == fl);
  }
  std::vector<std::vector<std::uint32_t>> sets = {
      {1}, {1, 2, 3, 5}, {2, 4, 5, 6, 7, 9}, {7, 8, 100, 101, 4000000000u}};
  for (const auto& set : sets) {
    auto p = parse_sequence_set(write_sequence_set(set));
    REQUIRE(p);
    std::vector<std::uint32_t> back;
    for (const auto& r : p->resolve(4294967295u))
      for (std::uint64_t n = r.first; n <= r.last; ++n) back.push_back(static_cast<std::uint32_t>(n));
    CHECK(back == set);
  }
  for (std::int64_t t : {0LL, 837596665LL, 1393837200LL, 4102444799LL}) {
    for (int zone : {0, -420, 330, 840}) {
      DateTime dt = DateTime::from_unix(t, zone);
      std::string w = write_date_time(dt);
      auto back = parse_date_time(w.substr(1, w.size() - 2));
      REQUIRE(back);
      CHECK(*back == dt);
      CHECK(back->to_unix() == t);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Client side: responses
// ---------------------------------------------------------------------------------------------

TEST_CASE("tagged responses carry their status, code and text", "[imap]") {
  Response r = response("a1 OK [READ-WRITE] SELECT completed\r\n");
  CHECK(r.kind == Response::Kind::Tagged);
  CHECK(r.tag == "a1");
  CHECK(r.name == "OK");
  REQUIRE(r.code);
  CHECK(r.code->name == "READ-WRITE");
  CHECK(r.text == "SELECT completed");
  Response ap = response("a2 OK [APPENDUID 38505 3955] APPEND completed\r\n");
  CHECK(ap.code->name == "APPENDUID");
  CHECK(ap.code->number(0) == 38505u);
  CHECK(ap.code->number(1) == 3955u);
  Response cp = response("a3 OK [COPYUID 38505 304,319:320 3956:3958] Done\r\n");
  CHECK(cp.code->args.size() == 3);
  CHECK(parse_sequence_set(cp.code->args[1].text)->to_string() == "304,319:320");
  Response no = response("a4 NO [TRYCREATE] No such mailbox\r\n");
  CHECK(no.name == "NO");
  CHECK(no.code->name == "TRYCREATE");
  CHECK(no.code->args.empty());
  Response bare = response("a5 OK\r\n");
  CHECK(bare.text.empty());
}

TEST_CASE("untagged status responses and their codes", "[imap]") {
  Response g = response("* OK [CAPABILITY IMAP4rev1 LITERAL+ IDLE] Mailscope ready\r\n");
  CHECK(g.kind == Response::Kind::Untagged);
  CHECK(g.capabilities == std::vector<std::string>{"IMAP4rev1", "LITERAL+", "IDLE"});
  Response v = response("* OK [UIDVALIDITY 3] UIDs valid\r\n");
  CHECK(v.code->number(0) == 3u);
  Response n = response("* OK [UIDNEXT 5] Predicted next UID\r\n");
  CHECK(n.code->name == "UIDNEXT");
  Response h = response("* OK [HIGHESTMODSEQ 715194045007] Highest\r\n");
  CHECK(h.code->number64(0) == 715194045007u);
  Response p = response("* OK [PERMANENTFLAGS (\\Deleted \\Seen \\*)] Limited\r\n");
  REQUIRE(p.code->args.size() == 1);
  CHECK(*parse_flag_list(p.code->args[0], true) ==
        std::vector<std::string>{"\\Deleted", "\\Seen", "\\*"});
  CHECK(response("* BYE Logging out\r\n").name == "BYE");
  CHECK(response("* PREAUTH IMAP4rev1 ready\r\n").name == "PREAUTH");
  CHECK(response("* BAD [PARSE] oops\r\n").code->name == "PARSE");
  CHECK(response("* NO [ALERT] disk full\r\n").code->name == "ALERT");
}

TEST_CASE("untagged data responses are parsed into typed views", "[imap]") {
  CHECK(response("* CAPABILITY IMAP4rev1 UIDPLUS\r\n").capabilities ==
        std::vector<std::string>{"IMAP4rev1", "UIDPLUS"});
  Response ex = response("* 23 EXISTS\r\n");
  CHECK(ex.name == "EXISTS");
  CHECK(ex.number == 23u);
  CHECK(response("* 1 RECENT\r\n").number == 1u);
  CHECK(response("* 4 EXPUNGE\r\n").name == "EXPUNGE");
  CHECK(response("* FLAGS (\\Answered \\Seen $Junk)\r\n").flags ==
        std::vector<std::string>{"\\Answered", "\\Seen", "$Junk"});
  Response l = response("* LIST (\\HasNoChildren \\Sent) \"/\" \"Sent &AOQ-\"\r\n");
  REQUIRE(l.list);
  CHECK(l.list->attributes == std::vector<std::string>{"\\HasNoChildren", "\\Sent"});
  CHECK(l.list->delimiter == '/');
  CHECK(l.list->name == "Sent \xc3\xa4");
  CHECK(l.list->wire_name == "Sent &AOQ-");
  Response ln = response("* LSUB () NIL inbox\r\n");
  CHECK_FALSE(ln.list->delimiter);
  CHECK(ln.list->name == "INBOX");
  Response st = response("* STATUS blurdybloop (MESSAGES 231 UIDNEXT 44292)\r\n");
  CHECK(st.status_mailbox == "blurdybloop");
  CHECK(st.status_items == std::map<std::string, std::uint64_t>{{"MESSAGES", 231},
                                                               {"UIDNEXT", 44292}});
  Response se = response("* SEARCH 2 84 882\r\n");
  CHECK(se.search == std::vector<std::uint32_t>{2, 84, 882});
  CHECK(response("* SEARCH\r\n").search.empty());
  Response sm = response("* SEARCH 2 5 (MODSEQ 917162500)\r\n");
  CHECK(sm.search == std::vector<std::uint32_t>{2, 5});
  CHECK(sm.search_modseq == 917162500u);
  Response va = response("* VANISHED (EARLIER) 300:310,405,411\r\n");
  CHECK(va.earlier);
  CHECK(va.vanished.to_string() == "300:310,405,411");
  CHECK_FALSE(response("* VANISHED 5\r\n").earlier);
  CHECK(response("* ENABLED CONDSTORE QRESYNC\r\n").capabilities ==
        std::vector<std::string>{"CONDSTORE", "QRESYNC"});
  Response id = response("* ID (\"name\" \"Dovecot\")\r\n");
  CHECK(show_args(id.args) == " (q\"name\" q\"Dovecot\")");
  Response ns = response("* NAMESPACE ((\"\" \"/\")) NIL NIL\r\n");
  CHECK(show_args(ns.args) == " ((q\"\" q\"/\")) NIL NIL");
  Response es = response("* ESEARCH (TAG \"a\") UID MIN 2 ALL 2:5\r\n");
  CHECK(es.name == "ESEARCH");
  CHECK(es.args.size() == 6);
}

TEST_CASE("FETCH responses give items by name, literal bodies as exact bytes", "[imap]") {
  std::string body = "Subject: hi\r\n\r\n)}{3}\r\n\0end"s;
  std::string wire = "* 12 FETCH (UID 7 FLAGS (\\Seen) RFC822.SIZE 44 INTERNALDATE "
                     "\"17-Jul-1996 02:44:25 -0700\" MODSEQ (12121231000) ENVELOPE (\"date\" "
                     "{2}\r\nhi NIL NIL NIL NIL NIL NIL NIL \"<id@x>\") BODY[]<0> {" +
                     std::to_string(body.size()) + "}\r\n" + body + " BODY[HEADER] NIL)\r\n";
  Response r = response(wire);
  CHECK(r.name == "FETCH");
  CHECK(r.number == 12u);
  REQUIRE(r.fetch);
  CHECK(r.fetch->uid == 7u);
  CHECK(r.fetch->flags == std::vector<std::string>{"\\Seen"});
  CHECK(r.fetch->size == 44u);
  CHECK(r.fetch->internal_date->to_unix() == 837596665);
  CHECK(r.fetch->modseq == 12121231000u);
  REQUIRE(r.fetch->body(""));
  CHECK(*r.fetch->body("") == body);
  CHECK(r.fetch->body("HEADER") == nullptr);
  CHECK(r.fetch->items.count("BODY[HEADER]") == 1);
  CHECK(show(r.fetch->items.at("ENVELOPE")) ==
        "(q\"date\" lit<hi> NIL NIL NIL NIL NIL NIL NIL q\"<id@x>\")");
  CHECK(r.raw == wire);
}

TEST_CASE("a large literal in a response is read by count in any fragmentation", "[imap]") {
  std::string big(300000, 'a');
  for (std::size_t i = 0; i < big.size(); i += 77) big[i] = '\n';
  std::string wire = "* 1 FETCH (BODY[] {300000}\r\n" + big + ")\r\na OK done\r\n";
  ResponseReader r;
  std::vector<Response> got;
  for (std::size_t i = 0; i < wire.size(); i += 1000) {
    r.feed(std::string_view(wire).substr(i, 1000));
    for (auto e = r.next(); e.kind != ResponseReader::Event::Kind::NeedMore; e = r.next()) {
      REQUIRE(e.kind == ResponseReader::Event::Kind::Response);
      got.push_back(std::move(e.response));
    }
  }
  REQUIRE(got.size() == 2);
  CHECK(*got[0].fetch->body("") == big);
  CHECK(got[1].tag == "a");
}

TEST_CASE("continuation requests are recognised, with or without text", "[imap]") {
  Response c = response("+ Ready for literal data\r\n");
  CHECK(c.kind == Response::Kind::Continuation);
  CHECK(c.text == "Ready for literal data");
  CHECK(response("+\r\n").text.empty());
  CHECK(response("+ {5}\r\n").text == "{5}");  // never a literal after "+"
}

TEST_CASE("malformed server input gives errors and reading goes on", "[imap]") {
  std::vector<std::string> errors;
  auto rs = read_responses(
      "garbage\r\n* 3 FOO\r\n* 1 FETCH (UID)\r\na1 MAYBE x\r\n* OK [UNTERMINATED\r\n"
      "* x\0y\r\n* FETCH {abc}\r\n\r\n* 1 FETCH (UID x)\r\n* LIST (\\X) \"//\" a\r\n"
      "* SEARCH 0\r\n* 2 EXISTS\r\n"s,
      &errors);
  CHECK(errors.size() == 11);
  REQUIRE(rs.size() == 1);
  CHECK(rs[0].number == 2u);
}

TEST_CASE("pipelined responses split anywhere come out in order", "[imap]") {
  auto rs = read_responses("* 2 EXISTS\r\n* 0 RECENT\r\n+ go\r\na OK [UIDNEXT 9] ok\r\n");
  REQUIRE(rs.size() == 4);
  CHECK(rs[0].name == "EXISTS");
  CHECK(rs[1].name == "RECENT");
  CHECK(rs[2].kind == Response::Kind::Continuation);
  CHECK(rs[3].code->number(0) == 9u);
}

TEST_CASE("a command whose literals together pass the size limit is refused", "[imap]") {
  ReaderLimits lim;
  lim.max_literal = 10;
  lim.max_unit = 30;
  CHECK(read_commands("a X {10+}\r\n0123456789 {10+}\r\n0123456789 {10+}\r\n0123456789\r\n"
                      "b NOOP\r\n",
                      lim) ==
        std::vector<std::string>{"error tag=a code=TOOBIG command too big", "cmd b NOOP"});
  lim.max_unit = 1000;
  lim.max_literals = 2;
  CHECK(read_commands("a X {1}\r\n1 {1}\r\n2 {1}\r\nb NOOP\r\n", lim) ==
        std::vector<std::string>{"+", "+", "error tag=a code=TOOBIG too many literals",
                                 "cmd b NOOP"});
}

TEST_CASE("deeply nested parentheses are refused instead of recursed", "[imap]") {
  std::string deep = "a FETCH 1 " + std::string(5000, '(') + std::string(5000, ')') + "\r\n";
  CHECK(read_commands(deep) ==
        std::vector<std::string>{"bad tag=a parentheses nested too deeply"});
  std::vector<std::string> errors;
  read_responses("* 1 FETCH " + std::string(5000, '(') + "\r\n", &errors);
  CHECK(errors == std::vector<std::string>{"error parentheses nested too deeply"});
}

TEST_CASE("random bytes never crash either reader and split the same way", "[imap]") {
  // A fixed seed: the test is deterministic. The alphabet favours IMAP syntax characters.
  const std::string alphabet = "a1 *+(){}[]<>\"\\\r\n\r\n0123456789:,.%NIL\0\xff"s;
  std::uint32_t state = 12345;
  auto rnd = [&] {
    state = state * 1103515245u + 12345u;
    return (state >> 16) & 0x7fff;
  };
  ReaderLimits lim;
  lim.max_line = 200;
  lim.max_literal = 50;
  for (int round = 0; round < 300; ++round) {
    std::string input;
    std::size_t len = rnd() % 300;
    for (std::size_t i = 0; i < len; ++i) input += alphabet[rnd() % alphabet.size()];
    read_commands(input, lim);
    read_responses(input);
  }
}

TEST_CASE("LIST patterns may hold wildcards where plain astrings may not", "[imap]") {
  Command c = command("l LIST \"\" INBOX/%*\r\n");
  REQUIRE(c.args.size() == 2);
  CHECK(c.args[0].list_mailbox() == "");
  CHECK(c.args[1].list_mailbox() == "INBOX/%*");
  CHECK_FALSE(c.args[1].astring());
}
