#pragma once
// IMAP4rev1 wire codec: bytes <-> values, with no mailbox semantics. The server engine feeds
// client bytes to a CommandReader and parses arguments with the parse_* helpers; the client
// engine feeds server bytes to a ResponseReader; both write with the write_* helpers.
//
// Implements the syntax of:
//   RFC 3501 section 9 (formal syntax), 4.3 (strings and literals), 5.1.3 (modified UTF-7),
//            6.4.4 (SEARCH keys), 6.4.5 (FETCH attributes), 6.4.6 (STORE), 7 (responses)
//   RFC 7888 (LITERAL+ / LITERAL-: non-synchronising literals "{n+}")
//   RFC 7162 (CONDSTORE/QRESYNC: MODSEQ search key, CHANGEDSINCE/VANISHED fetch modifiers,
//            UNCHANGEDSINCE store modifier, "* VANISHED" responses)
//   RFC 4315 (UIDPLUS response codes, parsed generically)
//
// Layers, after imap-codec: a *fragmentizer* (the readers) splits the stream into complete
// commands/responses, counting literal octets instead of scanning them; a *tokenizer* turns one
// complete unit into a Token tree; typed helpers interpret tokens for the commands that need
// more than atoms and strings. Nothing here throws on bad wire input: every parser returns a
// Parsed<T> carrying either the value or the reason (suitable for a BAD response text).
//
// [SECTION] Results and tokens
// [SECTION] Server side: CommandReader, Command
// [SECTION] Argument helpers: sequence sets, dates, mailboxes, flags
// [SECTION] FETCH, STORE, SEARCH
// [SECTION] Modified UTF-7
// [SECTION] Writers
// [SECTION] Client side: ResponseReader, Response
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ms::imap {

// ---------------------------------------------------------------------------------------------
// [SECTION] Results and tokens
// ---------------------------------------------------------------------------------------------

// Either a value or the reason it could not be parsed.
template <typename T>
struct Parsed {
  std::optional<T> value;
  std::string error;

  static Parsed ok(T v) { return Parsed{std::move(v), {}}; }
  static Parsed fail(std::string why) { return Parsed{std::nullopt, std::move(why)}; }
  explicit operator bool() const { return value.has_value(); }
  const T& operator*() const { return *value; }
  T& operator*() { return *value; }
  const T* operator->() const { return &*value; }
};

// One syntactic element of a command or response (RFC 3501 section 4). Literals keep their
// octets verbatim (any bytes, including NUL and CRLF). A fetch attribute's section ("BODY[",
// "BODY.PEEK[", "BINARY[") is kept whole, spaces and parentheses included, with whatever follows
// the "]" up to the next separator: "BODY.PEEK[HEADER.FIELDS (FROM TO)]<0.100>" is ONE atom
// token. Elsewhere "[" and "]" are ordinary atom characters (RFC 3501 section 9: ATOM-CHAR and
// ASTRING-CHAR), so "[Gmail]/Sent" and "a[b}" are plain atoms.
struct Token {
  enum class Kind : std::uint8_t {
    Atom,     // text as written (case preserved); includes numbers, flags "\Seen", "1:*"
    Quoted,   // text is the unescaped value
    Literal,  // text is the literal's octets; non_sync tells "{n+}" from "{n}"
    Nil,      // the atom NIL (any case); text keeps the spelling
    List,     // "(...)": items
  };
  Kind kind = Kind::Atom;
  std::string text;
  std::vector<Token> items;
  bool non_sync = false;

  bool is_atom() const { return kind == Kind::Atom; }
  bool is_string() const { return kind == Kind::Quoted || kind == Kind::Literal; }
  bool is_list() const { return kind == Kind::List; }
  // Case-insensitive comparison of an atom with an upper-case keyword.
  bool is_atom(std::string_view upper_keyword) const;
  // astring = atom / string (RFC 3501 section 9). NIL counts as the atom "NIL" here.
  std::optional<std::string> astring() const;
  // list-mailbox (LIST/LSUB patterns): an astring that may also hold the wildcards % and *.
  std::optional<std::string> list_mailbox() const;
  // A number (RFC 3501 "number", 32 bits) / "mod-sequence-value" (RFC 7162, 63 bits).
  std::optional<std::uint32_t> number() const;
  std::optional<std::uint64_t> number64() const;
  // The atom text upper-cased (empty for non-atoms).
  std::string upper() const;

  static Token atom(std::string s) { return Token{Kind::Atom, std::move(s), {}, false}; }
  static Token quoted(std::string s) { return Token{Kind::Quoted, std::move(s), {}, false}; }
  static Token literal(std::string s, bool plus = false) {
    return Token{Kind::Literal, std::move(s), {}, plus};
  }
  static Token nil() { return Token{Kind::Nil, "NIL", {}, false}; }
  static Token list(std::vector<Token> items) {
    return Token{Kind::List, {}, std::move(items), false};
  }
  bool operator==(const Token&) const = default;
};

// Tokenizes a run of space-separated elements (no line terminator at the end; literal headers
// inside must be followed by their CRLF and octets). Used by both parsers and by tests.
Parsed<std::vector<Token>> tokenize(std::string_view text);

// Upper-cases ASCII letters only.
std::string to_upper(std::string_view s);

// ---------------------------------------------------------------------------------------------
// [SECTION] Server side: CommandReader, Command
// ---------------------------------------------------------------------------------------------

struct ReaderLimits {
  // Longest line between literals (RFC 7162 section 4 recommends accepting at least 8192).
  std::size_t max_line = 64 * 1024;
  // Largest literal accepted; a bigger announcement is rejected without buffering its octets.
  std::uint64_t max_literal = 50ull * 1024 * 1024;
  // Most literals in one command, so that "{0}" repeated cannot grow a command forever.
  std::size_t max_literals = 1000;
  // Most octets in one whole command or response, literals included (MULTIAPPEND, big FETCH).
  std::uint64_t max_unit = 64ull * 1024 * 1024;
};

// A parsed command line: `tag SP name [SP args] CRLF` (RFC 3501 section 9 "command").
struct Command {
  std::string tag;
  std::string name;          // upper-cased; "UID FETCH", "UID STORE", ... for UID commands
  std::vector<Token> args;   // everything after the name, generically tokenized
};

// Parses one complete command (as assembled by CommandReader, final CRLF optional). On failure
// `tag` is filled when it could be read, so the server can answer "tag BAD ..." (else "* BAD").
struct CommandParse {
  std::optional<Command> command;
  std::string tag;
  std::string error;
};
CommandParse parse_command(std::string_view raw);

// The fragmentizer both readers share: splits a byte stream into complete units (one command or
// one response: a line, plus for each literal announced at its end the literal's octets and the
// line that follows). Literal octets are counted, never scanned, so they may hold anything.
class Fragmentizer {
 public:
  enum class Side : std::uint8_t {
    Server,  // reading commands: "{n}" waits for our "+" (Continuation); oversized "{n}" is
             // refused without reading, since the client will not send it
    Client,  // reading responses: every literal follows at once
  };
  struct Unit {
    enum class Kind : std::uint8_t { NeedMore, Continuation, Complete, RawLine, Error };
    Kind kind = Kind::NeedMore;
    std::string raw;   // Complete: the unit's exact bytes; RawLine: the line without CRLF
    std::string tag;   // Error: leading tag of the rejected unit when it had one
    std::string code;  // Error: "TOOBIG" for an oversized line or literal
    std::string text;  // Error: human-readable reason
  };
  Fragmentizer(Side side, ReaderLimits limits) : side_(side), limits_(limits) {}
  void feed(std::string_view bytes) { buf_.append(bytes); }
  Unit next();
  void expect_raw_line() { raw_line_ = true; }
  std::size_t buffered() const { return buf_.size() - pos_ + unit_.size(); }

 private:
  Unit reject(std::string code, std::string text);
  void compact();

  Side side_;
  ReaderLimits limits_;
  std::string buf_;             // input not yet consumed starts at pos_
  std::size_t pos_ = 0;
  std::size_t scanned_ = 0;     // bytes after pos_ already searched for LF
  std::string unit_;            // the unit assembled so far (lines + literal octets)
  std::uint64_t literal_left_ = 0;  // octets of the current literal still to copy
  std::size_t literals_ = 0;    // literals in the current unit
  std::uint64_t skip_ = 0;      // octets of a rejected literal still to drop
  bool skip_line_ = false;      // drop input up to and including the next LF
  bool discard_ = false;        // reading (and dropping) the rest of a rejected unit
  bool raw_line_ = false;
};

// Incremental reader for client->server bytes (RFC 3501 sections 4.3 and 7.5, RFC 7888).
// Feed bytes in any fragmentation, then call next() until it returns NeedMore. The sequence of
// events depends only on the bytes, never on how they were split.
class CommandReader {
 public:
  struct Event {
    enum class Kind : std::uint8_t {
      NeedMore,      // nothing more until more bytes are fed
      Continuation,  // a synchronising literal "{n}" was announced: send "+ ..." now (once)
      Command,       // a complete command: raw holds its bytes; parsed holds the parse result
      RawLine,       // a line read in raw mode (see expect_raw_line), without its CRLF
      Error,         // input rejected (oversized line/literal): answer "tag BAD"/"* BAD" or
                     // "tag NO [TOOBIG]"; the reader has already resynchronised
    } kind = Kind::NeedMore;
    std::string raw;
    CommandParse parsed;   // Command only (check parsed.command / parsed.error)
    std::string tag;       // Error: the tag when it could be read, else empty
    std::string code;      // Error: "TOOBIG" when a size limit was hit
    std::string text;      // Error: human-readable reason
  };

  explicit CommandReader(ReaderLimits limits = {})
      : frag_(Fragmentizer::Side::Server, limits) {}
  void feed(std::string_view bytes) { frag_.feed(bytes); }
  Event next();
  // The next line is not a command (AUTHENTICATE client response, IDLE's "DONE"): deliver it
  // as one RawLine event. Applies to the next complete line only.
  void expect_raw_line() { frag_.expect_raw_line(); }
  std::size_t buffered() const { return frag_.buffered(); }

 private:
  Fragmentizer frag_;
};

// ---------------------------------------------------------------------------------------------
// [SECTION] Argument helpers: sequence sets, dates, mailboxes, flags
// ---------------------------------------------------------------------------------------------

// sequence-set (RFC 3501 section 9): "2,4:7,9", "1:*", "*". A bound of kStar stands for "*",
// the largest number in use, which only the engine knows: resolve() substitutes it.
struct SeqRange {
  std::uint32_t first = 0;
  std::uint32_t last = 0;
  bool operator==(const SeqRange&) const = default;
};
struct SequenceSet {
  static constexpr std::uint32_t kStar = 0;  // 0 is never a valid number, so it can mean "*"
  std::vector<SeqRange> ranges;               // as written (order and overlap kept)

  // Ranges with "*" replaced by `max`, each ordered low..high, sorted and merged. RFC 3501:
  // "4:2" is 2..4, and "*" in an empty mailbox (max 0) gives an empty set.
  std::vector<SeqRange> resolve(std::uint32_t max) const;
  bool contains(std::uint32_t n, std::uint32_t max) const;
  // Written back in the same form ("2,4:7,9", "1:*").
  std::string to_string() const;
  bool operator==(const SequenceSet&) const = default;
};
Parsed<SequenceSet> parse_sequence_set(std::string_view text);

// date (RFC 3501 "date-text"): d-MMM-yyyy, for SEARCH BEFORE/ON/SINCE...
struct Date {
  int year = 0, month = 0, day = 0;  // month 1..12
  bool operator==(const Date&) const = default;
  auto operator<=>(const Date&) const = default;
};
// date-time (RFC 3501 "date-time"): "dd-MMM-yyyy hh:mm:ss +zzzz", INTERNALDATE and APPEND.
struct DateTime {
  Date date;
  int hour = 0, minute = 0, second = 0;
  int zone_minutes = 0;  // east of UTC: "+0100" is 60, "-0700" is -420
  bool operator==(const DateTime&) const = default;
  // Seconds since 1970-01-01 00:00 UTC.
  std::int64_t to_unix() const;
  static DateTime from_unix(std::int64_t seconds, int zone_minutes = 0);
};
// Accepts "1-Feb-1994" and "01-Feb-1994" (month names case-insensitive), validates the day.
Parsed<Date> parse_date(std::string_view text);
// The unquoted content of a date-time ("17-Jul-1996 02:44:25 -0700"; day " 7" or "07").
Parsed<DateTime> parse_date_time(std::string_view text);

// A mailbox argument (astring): decodes modified UTF-7 into UTF-8 and normalises any case of
// "INBOX" to "INBOX" (RFC 3501 section 5.1). Invalid modified UTF-7 is an error.
Parsed<std::string> parse_mailbox(const Token& t);
// "inbox" -> "INBOX"; any other name unchanged.
std::string normalize_mailbox(std::string_view utf8_name);

// flag-list (RFC 3501 section 9): "(\Seen $Label)" -> {"\Seen", "$Label"}. System flags are
// returned with RFC capitalisation ("\seen" -> "\Seen"); keywords as written. "\*" is allowed
// only when allow_star (PERMANENTFLAGS). Keywords must be atoms; "\ext" flag-extensions pass.
Parsed<std::vector<std::string>> parse_flag_list(const Token& t, bool allow_star = false);

// ---------------------------------------------------------------------------------------------
// [SECTION] FETCH, STORE, SEARCH
// ---------------------------------------------------------------------------------------------

// section-spec (RFC 3501 section 6.4.5): "1.2.HEADER.FIELDS (FROM TO)".
struct Section {
  enum class Text : std::uint8_t { None, Header, HeaderFields, HeaderFieldsNot, Text, Mime };
  std::vector<std::uint32_t> part;   // "1.2" -> {1, 2}; empty for the whole message
  Text text = Text::None;
  std::vector<std::string> fields;   // HEADER.FIELDS(.NOT) names, upper-cased
  std::string to_string() const;     // canonical spelling, e.g. "1.HEADER.FIELDS (FROM TO)"
  bool operator==(const Section&) const = default;
};
Parsed<Section> parse_section(std::string_view spec);  // the text between "[" and "]"

struct Partial {
  std::uint32_t start = 0;
  std::uint32_t length = 0;  // nz-number
  bool operator==(const Partial&) const = default;
};

struct FetchAtt {
  enum class Kind : std::uint8_t {
    Envelope, Flags, InternalDate, Rfc822, Rfc822Header, Rfc822Size, Rfc822Text,
    Body,           // BODY without a section: the non-extensible BODYSTRUCTURE
    BodyStructure, Uid, ModSeq,
    BodySection,    // BODY[section]<partial> and BODY.PEEK[...]
  };
  Kind kind = Kind::Flags;
  bool peek = false;                 // BODY.PEEK: do not set \Seen
  Section section;
  std::optional<Partial> partial;
  // The item name in the FETCH response: "RFC822.SIZE", "BODY[HEADER]", "BODY[]<0>" (RFC 3501
  // 7.4.2: the origin octet only, and BODY.PEEK answers as BODY).
  std::string response_name() const;
  bool operator==(const FetchAtt&) const = default;
};

// FETCH sequence-set (atts) [(modifiers)] and UID FETCH (RFC 3501 6.4.5, RFC 7162 3.1.4/3.2.6).
// Macros ALL/FAST/FULL are expanded.
struct FetchRequest {
  SequenceSet set;
  std::vector<FetchAtt> atts;
  std::optional<std::uint64_t> changed_since;  // (CHANGEDSINCE n)
  bool vanished = false;                        // (... VANISHED), UID FETCH only
  bool operator==(const FetchRequest&) const = default;
};
Parsed<FetchRequest> parse_fetch(const Command& c);   // c.name is FETCH or UID FETCH
Parsed<FetchAtt> parse_fetch_att(std::string_view atom);

// STORE sequence-set [(UNCHANGEDSINCE n)] (+|-)FLAGS[.SILENT] flags (RFC 3501 6.4.6, 7162 3.1.3).
struct StoreRequest {
  enum class Mode : std::uint8_t { Replace, Add, Remove };
  SequenceSet set;
  Mode mode = Mode::Replace;
  bool silent = false;
  std::vector<std::string> flags;
  std::optional<std::uint64_t> unchanged_since;
  bool operator==(const StoreRequest&) const = default;
};
Parsed<StoreRequest> parse_store(const Command& c);   // STORE or UID STORE

// SEARCH keys (RFC 3501 6.4.4, RFC 7162 3.1.5) as a tree. Evaluation belongs to the engine.
struct SearchKey {
  enum class Kind : std::uint8_t {
    And,  // implicit conjunction: the top level and parenthesised groups; children
    All, Answered, Bcc, Before, Body, Cc, Deleted, Draft, Flagged, From, Header, Keyword,
    Larger, New, Not, Old, On, Or, Recent, Seen, SentBefore, SentOn, SentSince, Since, Smaller,
    Subject, Text, To, Uid, Unanswered, Undeleted, Undraft, Unflagged, Unkeyword, Unseen,
    SequenceSet,  // a bare sequence set: message sequence numbers
    ModSeq,       // MODSEQ [entry-name entry-type] n
  };
  Kind kind = Kind::All;
  std::string text;        // string argument; HEADER field name; KEYWORD flag; MODSEQ entry
  std::string value;       // HEADER value; MODSEQ entry type ("priv"/"shared"/"all")
  Date date;               // BEFORE ON SINCE SENT*
  std::uint64_t number = 0;  // LARGER SMALLER MODSEQ
  SequenceSet set;         // UID and SequenceSet
  std::vector<SearchKey> children;  // And: all; Not: one; Or: two
  bool operator==(const SearchKey&) const = default;
};
struct SearchRequest {
  std::string charset;   // upper-cased; empty when no CHARSET was given
  SearchKey root;        // Kind::And
  bool operator==(const SearchRequest&) const = default;
};
Parsed<SearchRequest> parse_search(const Command& c);  // SEARCH or UID SEARCH
Parsed<SearchKey> parse_search_keys(std::span<const Token> keys);  // an implicit And

// ---------------------------------------------------------------------------------------------
// [SECTION] Modified UTF-7 (RFC 3501 section 5.1.3)
// ---------------------------------------------------------------------------------------------

// UTF-8 -> modified UTF-7; invalid UTF-8 is an error.
Parsed<std::string> mutf7_encode(std::string_view utf8);
// Modified UTF-7 -> UTF-8. Rejects what RFC 3501 forbids: 8-bit or control octets, an
// unterminated "&", base64 with bad padding bits, printable ASCII encoded in base64, two
// adjacent encoded runs, and unpaired UTF-16 surrogates.
Parsed<std::string> mutf7_decode(std::string_view mutf7);

// ---------------------------------------------------------------------------------------------
// [SECTION] Writers (everything returned is exact wire text)
// ---------------------------------------------------------------------------------------------

// A string: quoted when every octet is 7-bit TEXT-CHAR, else a literal "{n}\r\n" + octets.
// Server responses use this (their literals never wait for a continuation).
std::string write_string(std::string_view s);
// An astring: a bare atom when possible (not "NIL"), otherwise as write_string.
std::string write_astring(std::string_view s);
// nstring: NIL when absent.
std::string write_nstring(const std::optional<std::string>& s);
std::string write_quoted(std::string_view s);          // caller guarantees TEXT-CHARs only
std::string write_literal(std::string_view s, bool non_sync = false);
// A mailbox name given in UTF-8: modified UTF-7, then as an astring.
std::string write_mailbox(std::string_view utf8_name);
// "(\Seen $Label)"
std::string write_flag_list(const std::vector<std::string>& flags);
// Sorted, de-duplicated numbers -> "1:3,5" (input order does not matter; empty -> "").
std::string write_sequence_set(std::vector<std::uint32_t> numbers);
// "\"17-Jul-1996 02:44:25 -0700\"" with the quotes (INTERNALDATE / APPEND date-time).
std::string write_date_time(const DateTime& dt);
std::string write_date(const Date& d);  // "1-Feb-1994"
// "a1 OK [READ-WRITE] SELECT completed\r\n". status: OK/NO/BAD; code without brackets, may be
// empty; text must not be empty (RFC 3501 resp-text requires it).
std::string tagged(std::string_view tag, std::string_view status, std::string_view code,
                   std::string_view text);
// "* OK [UIDVALIDITY 3] UIDs valid\r\n"
std::string untagged_status(std::string_view status, std::string_view code,
                            std::string_view text);
// "* " + data + "\r\n", e.g. untagged("3 EXISTS").
std::string untagged(std::string_view data);
// "+ Ready for literal data\r\n"
std::string continuation(std::string_view text);

// ---------------------------------------------------------------------------------------------
// [SECTION] Client side: ResponseReader, Response
// ---------------------------------------------------------------------------------------------

// resp-text-code (RFC 3501 section 7.1): "[APPENDUID 3 7]" -> name "APPENDUID", args {3, 7}.
struct ResponseCode {
  std::string name;         // upper-cased
  std::vector<Token> args;  // tokenized when possible (CAPABILITY, PERMANENTFLAGS (...), ...)
  std::string raw;          // the text after the name, verbatim
  std::optional<std::uint32_t> number(std::size_t i) const;
  std::optional<std::uint64_t> number64(std::size_t i) const;
};

struct ListData {            // * LIST / * LSUB
  std::vector<std::string> attributes;   // "\HasNoChildren", as written
  std::optional<char> delimiter;         // NIL -> none
  std::string name;                      // UTF-8 (decoded from modified UTF-7, INBOX normalised)
  std::string wire_name;                 // as sent
};

struct FetchData {           // * n FETCH (...)
  // Every item by its upper-cased name, e.g. "UID", "ENVELOPE", "BODY[HEADER]", "BODY[]<0>".
  // Literal content is the exact octets.
  std::map<std::string, Token> items;
  std::optional<std::uint32_t> uid;
  std::optional<std::vector<std::string>> flags;
  std::optional<std::uint32_t> size;              // RFC822.SIZE
  std::optional<DateTime> internal_date;
  std::optional<std::uint64_t> modseq;            // MODSEQ (n)
  // The content of BODY[spec] (any origin), RFC822, RFC822.HEADER or RFC822.TEXT; nullptr when
  // absent or NIL. spec is the section text ("", "HEADER", "1.TEXT"), case-insensitive.
  const std::string* body(std::string_view spec) const;
  const std::string* item_string(std::string_view name) const;
};

struct Response {
  enum class Kind : std::uint8_t { Tagged, Untagged, Continuation };
  Kind kind = Kind::Untagged;
  std::string tag;            // Tagged
  // Tagged: OK/NO/BAD. Untagged: OK NO BAD BYE PREAUTH CAPABILITY FLAGS LIST LSUB STATUS SEARCH
  // ESEARCH VANISHED ENABLED ID NAMESPACE EXISTS RECENT EXPUNGE FETCH or any other atom.
  std::string name;
  std::uint32_t number = 0;   // * n EXISTS / RECENT / EXPUNGE / FETCH
  std::optional<ResponseCode> code;  // status responses
  std::string text;           // status text; Continuation: the text after "+ " (may be base64)
  std::vector<Token> args;    // data after the name (or number and name), tokenized

  // Typed views, filled for their response names:
  std::vector<std::string> capabilities;  // CAPABILITY, ENABLED, or a [CAPABILITY ...] code
  std::vector<std::string> flags;         // FLAGS
  std::optional<ListData> list;           // LIST, LSUB
  std::string status_mailbox;             // STATUS (UTF-8)
  std::map<std::string, std::uint64_t> status_items;  // STATUS: "MESSAGES" -> 3
  std::vector<std::uint32_t> search;      // SEARCH numbers
  std::optional<std::uint64_t> search_modseq;  // SEARCH ... (MODSEQ n)
  bool earlier = false;                   // VANISHED (EARLIER)
  SequenceSet vanished;                   // VANISHED uids
  std::optional<FetchData> fetch;         // FETCH

  std::string raw;            // the exact bytes of this response, CRLF included
};

// Parses one complete response as assembled by ResponseReader.
Parsed<Response> parse_response(std::string_view raw);

// Incremental fragmentizer + parser for server->client bytes. Literals are read by count, so
// their octets may contain anything. A malformed response yields an Error event (with the raw
// bytes) and reading resumes at the next line; nothing here throws.
class ResponseReader {
 public:
  struct Event {
    enum class Kind : std::uint8_t { NeedMore, Response, Error } kind = Kind::NeedMore;
    Response response;   // Response
    std::string raw;     // Response and Error
    std::string text;    // Error: why
  };
  // Defaults sized for a client: long lines (big FETCH/SEARCH results) and large messages.
  explicit ResponseReader(ReaderLimits limits = {1024 * 1024, 1ull << 30, 100000, 2ull << 30})
      : frag_(Fragmentizer::Side::Client, limits) {}
  void feed(std::string_view bytes) { frag_.feed(bytes); }
  Event next();

 private:
  Fragmentizer frag_;
};

}  // namespace ms::imap
