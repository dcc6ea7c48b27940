// The MIME view of stored messages (sim/mime): ENVELOPE, BODY/BODYSTRUCTURE (RFC 3501 7.4.2)
// and BODY[section] (RFC 3501 6.4.5). Expected strings were worked out from the RFC 3501
// grammar by hand and cross-checked against Dovecot 2.3 run offline (differences noted).
#include <catch2/catch.hpp>

#include <cstdint>
#include <iterator>
#include <string>

#include "mime/mime.hpp"

using namespace ms;

namespace {

const std::string kPlain =
    "From: Alice <alice@example.com>\r\n"
    "To: Bob <bob@example.org>\r\n"
    "Subject: Hello\r\n"
    "Date: Mon, 3 Mar 2014 09:00:00 +0000\r\n"
    "Message-ID: <1@example.com>\r\n"
    "\r\n"
    "Hi Bob,\r\n"
    "see you.\r\n";

const std::string kAlternative =
    "From: Alice <alice@example.com>\r\n"
    "To: Bob <bob@example.org>\r\n"
    "Subject: Alt\r\n"
    "Date: Mon, 3 Mar 2014 09:00:00 +0000\r\n"
    "Message-ID: <alt@x>\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: multipart/alternative; boundary=\"=_alt\"\r\n"
    "\r\n"
    "--=_alt\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n"
    "\r\n"
    "Hi Bob\r\n"
    "\r\n"
    "--=_alt\r\n"
    "Content-Type: text/html; charset=utf-8\r\n"
    "Content-Transfer-Encoding: quoted-printable\r\n"
    "\r\n"
    "<p>Hi Bob</p>\r\n"
    "\r\n"
    "--=_alt--\r\n";

const std::string kMixed =
    "From: \"Carol Q. Public\" <carol@example.net>\r\n"
    "Sender: Secretary <sec@example.net>\r\n"
    "Reply-To: replies@example.net\r\n"
    "To: Bob <bob@example.org>, dave@example.org\r\n"
    "Cc: Team: erin@example.org;\r\n"
    "Subject: Report\r\n"
    "Date: Tue, 4 Mar 2014 10:30:00 +0100\r\n"
    "Message-ID: <3@example.net>\r\n"
    "In-Reply-To: <1@example.com>\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: multipart/mixed; boundary=\"XyZ\"\r\n"
    "\r\n"
    "This is a multi-part message in MIME format.\r\n"
    "--XyZ\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n"
    "Content-Transfer-Encoding: 7bit\r\n"
    "\r\n"
    "Report attached.\r\n"
    "\r\n"
    "--XyZ\r\n"
    "Content-Type: application/octet-stream; name=\"report.bin\"\r\n"
    "Content-Transfer-Encoding: base64\r\n"
    "Content-Disposition: attachment; filename=\"report.bin\"\r\n"
    "\r\n"
    "AAECAwQFBgcICQ==\r\n"
    "--XyZ--\r\n";

// kPlain forwarded as an attachment.
const std::string kForward =
    "From: Bob <bob@example.org>\r\n"
    "To: Carol <carol@example.net>\r\n"
    "Subject: Fwd: Hello\r\n"
    "Date: Mon, 3 Mar 2014 12:00:00 +0000\r\n"
    "Message-ID: <4@example.org>\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: multipart/mixed; boundary=\"fw\"\r\n"
    "\r\n"
    "--fw\r\n"
    "Content-Type: text/plain; charset=us-ascii\r\n"
    "\r\n"
    "See below.\r\n"
    "--fw\r\n"
    "Content-Type: message/rfc822\r\n"
    "Content-Disposition: inline\r\n"
    "\r\n" +
    kPlain +
    "\r\n"
    "--fw--\r\n";

const std::string kAliceEnvelope =
    "(\"Mon, 3 Mar 2014 09:00:00 +0000\" \"Hello\" "
    "((\"Alice\" NIL \"alice\" \"example.com\")) ((\"Alice\" NIL \"alice\" \"example.com\")) "
    "((\"Alice\" NIL \"alice\" \"example.com\")) ((\"Bob\" NIL \"bob\" \"example.org\")) "
    "NIL NIL NIL \"<1@example.com>\")";

}  // namespace

SCENARIO("a plain text message has an envelope with sender and reply-to taken from From",
         "[mime]") {
  CHECK(imap_envelope(kPlain) == kAliceEnvelope);
}

SCENARIO("a plain text message is one text/plain body with its octets and lines", "[mime]") {
  // "Hi Bob,\r\nsee you.\r\n" is 19 octets in 2 lines; without Content-Type the RFC 2045
  // default text/plain; charset=us-ascii, 7bit applies.
  CHECK(imap_bodystructure(kPlain, true) ==
        "(\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 19 2 NIL NIL NIL NIL)");
  CHECK(imap_bodystructure(kPlain, false) ==
        "(\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 19 2)");
}

SCENARIO("a multipart/alternative lists its text and html parts back to back", "[mime]") {
  // The CRLF before each boundary belongs to the boundary (RFC 2046 5.1.1): the plain part is
  // "Hi Bob\r\n" (8 octets, 1 line), the html part "<p>Hi Bob</p>\r\n" (15, 1).
  CHECK(imap_bodystructure(kAlternative, true) ==
        "((\"text\" \"plain\" (\"charset\" \"utf-8\") NIL NIL \"7bit\" 8 1 NIL NIL NIL NIL)"
        "(\"text\" \"html\" (\"charset\" \"utf-8\") NIL NIL \"quoted-printable\" 15 1 NIL NIL "
        "NIL NIL) \"alternative\" (\"boundary\" \"=_alt\") NIL NIL NIL)");
  CHECK(imap_bodystructure(kAlternative, false) ==
        "((\"text\" \"plain\" (\"charset\" \"utf-8\") NIL NIL \"7bit\" 8 1)"
        "(\"text\" \"html\" (\"charset\" \"utf-8\") NIL NIL \"quoted-printable\" 15 1) "
        "\"alternative\")");
  CHECK(imap_envelope(kAlternative) ==
        "(\"Mon, 3 Mar 2014 09:00:00 +0000\" \"Alt\" "
        "((\"Alice\" NIL \"alice\" \"example.com\")) ((\"Alice\" NIL \"alice\" \"example.com\")) "
        "((\"Alice\" NIL \"alice\" \"example.com\")) ((\"Bob\" NIL \"bob\" \"example.org\")) "
        "NIL NIL NIL \"<alt@x>\")");
}

SCENARIO("a multipart/mixed with a base64 attachment shows its disposition and filename",
         "[mime]") {
  // A non-text leaf has no line count; its extension data is md5, disposition, language,
  // location.
  CHECK(imap_bodystructure(kMixed, true) ==
        "((\"text\" \"plain\" (\"charset\" \"utf-8\") NIL NIL \"7bit\" 18 1 NIL NIL NIL NIL)"
        "(\"application\" \"octet-stream\" (\"name\" \"report.bin\") NIL NIL \"base64\" 16 NIL "
        "(\"attachment\" (\"filename\" \"report.bin\")) NIL NIL) \"mixed\" "
        "(\"boundary\" \"XyZ\") NIL NIL NIL)");
  CHECK(imap_bodystructure(kMixed, false) ==
        "((\"text\" \"plain\" (\"charset\" \"utf-8\") NIL NIL \"7bit\" 18 1)"
        "(\"application\" \"octet-stream\" (\"name\" \"report.bin\") NIL NIL \"base64\" 16) "
        "\"mixed\")");
}

SCENARIO("an envelope keeps Sender, Reply-To, several To addresses, a Cc group and In-Reply-To",
         "[mime]") {
  // A group is (NIL NIL "name" NIL) ... (NIL NIL NIL NIL) (RFC 3501 7.4.2).
  CHECK(imap_envelope(kMixed) ==
        "(\"Tue, 4 Mar 2014 10:30:00 +0100\" \"Report\" "
        "((\"Carol Q. Public\" NIL \"carol\" \"example.net\")) "
        "((\"Secretary\" NIL \"sec\" \"example.net\")) "
        "((NIL NIL \"replies\" \"example.net\")) "
        "((\"Bob\" NIL \"bob\" \"example.org\")(NIL NIL \"dave\" \"example.org\")) "
        "((NIL NIL \"Team\" NIL)(NIL NIL \"erin\" \"example.org\")(NIL NIL NIL NIL)) "
        "NIL \"<1@example.com>\" \"<3@example.net>\")");
}

SCENARIO("a forwarded message/rfc822 part carries the envelope, body and lines of the original",
         "[mime]") {
  // The encapsulated message is kPlain: 145 header octets + 19 body octets = 164, in 8 lines.
  const std::string inner_body =
      "(\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 19 2 NIL NIL NIL NIL)";
  CHECK(imap_bodystructure(kForward, true) ==
        "((\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 10 0 NIL NIL NIL NIL)"
        "(\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 164 " +
            kAliceEnvelope + " " + inner_body +
            " 8 NIL (\"inline\" NIL) NIL NIL) \"mixed\" (\"boundary\" \"fw\") NIL NIL NIL)");
  CHECK(imap_bodystructure(kForward, false) ==
        "((\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 10 0)"
        "(\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 164 " +
            kAliceEnvelope +
            " (\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 19 2) 8) "
            "\"mixed\")");
}

SCENARIO("odd messages still give well-formed envelopes and body structures", "[mime]") {
  GIVEN("a header without a blank line and without a body") {
    const std::string raw = "Subject: nobody";
    CHECK(imap_envelope(raw) == "(NIL \"nobody\" NIL NIL NIL NIL NIL NIL NIL NIL)");
    CHECK(imap_bodystructure(raw, true) ==
          "(\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 0 0 NIL NIL NIL NIL)");
  }
  GIVEN("garbage bytes") {
    const std::string raw("garbage\x01\xff\r\nmore\0x", 17);
    CHECK(imap_envelope(raw) == "(NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL)");
    CHECK(imap_bodystructure(raw, false) ==
          "(\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 0 0)");
  }
  GIVEN("a subject with quotes and backslashes") {
    const std::string raw =
        "From: Alice <alice@example.com>\r\nSubject: He said \"hi\" \\o/\r\n\r\n";
    // quoted = DQUOTE *QUOTED-CHAR DQUOTE, with " and \ as "\" quoted-specials.
    CHECK(imap_envelope(raw) ==
          "(NIL \"He said \\\"hi\\\" \\\\o/\" ((\"Alice\" NIL \"alice\" \"example.com\")) "
          "((\"Alice\" NIL \"alice\" \"example.com\")) "
          "((\"Alice\" NIL \"alice\" \"example.com\")) NIL NIL NIL NIL NIL)");
  }
  GIVEN("a raw 8-bit subject") {
    const std::string raw = "Subject: Gr\xc3\xbc\xc3\x9f" "e\r\n\r\nx\r\n";
    // 8-bit text cannot be quoted: it goes as a 7-octet literal.
    CHECK(imap_envelope(raw) ==
          "(NIL {7}\r\nGr\xc3\xbc\xc3\x9f" "e NIL NIL NIL NIL NIL NIL NIL NIL)");
  }
  GIVEN("an encoded-word subject and display name") {
    const std::string raw =
        "From: =?utf-8?q?J=C3=B6rg?= <j@x.de>\r\nSubject: =?utf-8?q?Gr=C3=BC=C3=9Fe?=\r\n\r\n";
    // RFC 3501 wants the raw header text: the client decodes RFC 2047 itself.
    CHECK(imap_envelope(raw) ==
          "(NIL \"=?utf-8?q?Gr=C3=BC=C3=9Fe?=\" ((\"=?utf-8?q?J=C3=B6rg?=\" NIL \"j\" \"x.de\")) "
          "((\"=?utf-8?q?J=C3=B6rg?=\" NIL \"j\" \"x.de\")) "
          "((\"=?utf-8?q?J=C3=B6rg?=\" NIL \"j\" \"x.de\")) NIL NIL NIL NIL NIL)");
  }
  GIVEN("folded headers, routes, comments, domain literals and an address without a domain") {
    const std::string raw =
        "Date:  Mon, 3 Mar 2014\r\n 09:00:00 +0000\r\n"
        "From: Dan  Q <@r1,@r2:dan@z.org>, carol@y.org (Carol C)\r\n"
        "Sender: nodomain\r\n"
        "Reply-To:\r\n"
        "To: undisclosed-recipients:;\r\n"
        "Bcc: x@[192.0.2.1]\r\n\r\n";
    CHECK(imap_envelope(raw) ==
          "(\"Mon, 3 Mar 2014 09:00:00 +0000\" NIL "
          "((\"Dan Q\" \"@r1,@r2\" \"dan\" \"z.org\")(\"Carol C\" NIL \"carol\" \"y.org\")) "
          "((NIL NIL \"nodomain\" \"MISSING_DOMAIN\")) "
          "((\"Dan Q\" \"@r1,@r2\" \"dan\" \"z.org\")(\"Carol C\" NIL \"carol\" \"y.org\")) "
          "((NIL NIL \"undisclosed-recipients\" NIL)(NIL NIL NIL NIL)) NIL "
          "((NIL NIL \"x\" \"[192.0.2.1]\")) NIL NIL)");
  }
  GIVEN("a multipart whose boundary never appears") {
    const std::string raw = "Content-Type: multipart/mixed; boundary=b\r\n\r\nno parts\r\n";
    // body-type-mpart needs one body at least: an empty text/plain stands in.
    CHECK(imap_bodystructure(raw, true) ==
          "((\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 0 0 NIL NIL NIL NIL) "
          "\"mixed\" (\"boundary\" \"b\") NIL NIL NIL)");
  }
  GIVEN("an unterminated multipart") {
    const std::string raw =
        "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\r\nfirst\r\n--b\r\n\r\nlast";
    CHECK(imap_bodystructure(raw, false) ==
          "((\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 5 0)"
          "(\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 4 0) \"mixed\")");
    CHECK(imap_body_section(raw, "2") == "last");
  }
  GIVEN("Content-Type parameters, id, description, md5, language and location") {
    const std::string raw =
        "Content-Type: TEXT/Plain; CharSet=\"UTF-8\"; format=flowed\r\n"
        "Content-Transfer-Encoding: 8Bit\r\n"
        "Content-ID: <cid@x>\r\n"
        "Content-Description: desc\r\n"
        "Content-MD5: abc\r\n"
        "Content-Disposition: inline\r\n"
        "Content-Language: en, de\r\n"
        "Content-Location: http://x/\r\n"
        "\r\n"
        "body\r\n";
    // Case as in the message (as Dovecot shows it); strings compare case-insensitively.
    CHECK(imap_bodystructure(raw, true) ==
          "(\"TEXT\" \"Plain\" (\"CharSet\" \"UTF-8\" \"format\" \"flowed\") \"<cid@x>\" \"desc\" "
          "\"8Bit\" 6 1 \"abc\" (\"inline\" NIL) (\"en\" \"de\") \"http://x/\")");
  }
  GIVEN("a syntactically invalid Content-Type") {
    // RFC 2045 5.2 recommends the text/plain default (Dovecot shows "garbage" "" instead).
    CHECK(imap_bodystructure("Content-Type: garbage\r\n\r\nx\r\n", false) ==
          "(\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 3 1)");
  }
}

SCENARIO("multipart/digest parts default to message/rfc822", "[mime]") {
  const std::string raw =
      "Content-Type: multipart/digest; boundary=d\r\n\r\n"
      "--d\r\n\r\nSubject: d1\r\n\r\nx\r\n"
      "--d\r\nContent-Type: text/plain\r\n\r\ny\r\n--d--\r\n";
  CHECK(imap_bodystructure(raw, false) ==
        "((\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 16 "
        "(NIL \"d1\" NIL NIL NIL NIL NIL NIL NIL NIL) "
        "(\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 1 0) 2)"
        "(\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 1 0) \"digest\")");
}

SCENARIO("body sections of a whole message: all, HEADER, TEXT and header field subsets",
         "[mime]") {
  const std::string header = kPlain.substr(0, kPlain.find("\r\n\r\n") + 4);
  CHECK(imap_body_section(kPlain, "") == kPlain);
  CHECK(imap_body_section(kPlain, "HEADER") == header);
  CHECK(imap_body_section(kPlain, "header") == header);
  CHECK(imap_body_section(kPlain, "TEXT") == "Hi Bob,\r\nsee you.\r\n");
  // Fields in message order, not list order; the blank line is included.
  CHECK(imap_body_section(kPlain, "HEADER.FIELDS (SUBJECT from)") ==
        "From: Alice <alice@example.com>\r\nSubject: Hello\r\n\r\n");
  CHECK(imap_body_section(kPlain, "HEADER.FIELDS (X-None)") == "\r\n");
  CHECK(imap_body_section(kPlain, "HEADER.FIELDS.NOT (From To Date Message-ID)") ==
        "Subject: Hello\r\n\r\n");
  // A non-multipart message has only a part 1, its body; its MIME header is the header.
  CHECK(imap_body_section(kPlain, "1") == "Hi Bob,\r\nsee you.\r\n");
  CHECK(imap_body_section(kPlain, "1.MIME") == header);
  CHECK_FALSE(imap_body_section(kPlain, "2"));
  CHECK_FALSE(imap_body_section(kPlain, "1.HEADER"));
}

SCENARIO("HEADER.FIELDS returns folded fields whole", "[mime]") {
  const std::string raw =
      "Subject: a long\r\n  folded subject\r\nX-A: 1\r\nsubject: second\r\n\r\nbody";
  CHECK(imap_body_section(raw, "HEADER.FIELDS (Subject)") ==
        "Subject: a long\r\n  folded subject\r\nsubject: second\r\n\r\n");
  CHECK(imap_body_section(raw, "HEADER.FIELDS.NOT (Subject)") == "X-A: 1\r\n\r\n");
  CHECK(imap_body_section(raw, "HEADER.FIELDS (\"X-A\")") == "X-A: 1\r\n\r\n");
}

SCENARIO("a message without a blank line has no blank line in its header sections", "[mime]") {
  // RFC 3501 6.4.5: "except in the case of a message which has no body and no blank line".
  CHECK(imap_body_section("Subject: x\r\n", "HEADER") == "Subject: x\r\n");
  CHECK(imap_body_section("Subject: x\r\n", "HEADER.FIELDS (Subject)") == "Subject: x\r\n");
  CHECK(imap_body_section("Subject: x\r\n", "TEXT") == "");
}

SCENARIO("body sections address the parts of a multipart by number", "[mime]") {
  CHECK(imap_body_section(kMixed, "1") == "Report attached.\r\n");
  CHECK(imap_body_section(kMixed, "1.MIME") ==
        "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 7bit\r\n\r\n");
  CHECK(imap_body_section(kMixed, "2") == "AAECAwQFBgcICQ==");
  CHECK(imap_body_section(kMixed, "TEXT") ==
        kMixed.substr(kMixed.find("This is a multi-part")));
  CHECK_FALSE(imap_body_section(kMixed, "3"));
  CHECK_FALSE(imap_body_section(kMixed, "2.HEADER"));  // not a message/rfc822 part
  CHECK_FALSE(imap_body_section(kMixed, "2.1"));
}

SCENARIO("body sections reach into a nested message/rfc822", "[mime]") {
  const std::string plain_header = kPlain.substr(0, kPlain.find("\r\n\r\n") + 4);
  CHECK(imap_body_section(kForward, "1") == "See below.");
  CHECK(imap_body_section(kForward, "2") == kPlain);
  CHECK(imap_body_section(kForward, "2.MIME") ==
        "Content-Type: message/rfc822\r\nContent-Disposition: inline\r\n\r\n");
  CHECK(imap_body_section(kForward, "2.HEADER") == plain_header);
  CHECK(imap_body_section(kForward, "2.TEXT") == "Hi Bob,\r\nsee you.\r\n");
  CHECK(imap_body_section(kForward, "2.HEADER.FIELDS (Subject)") == "Subject: Hello\r\n\r\n");
  CHECK(imap_body_section(kForward, "2.HEADER.FIELDS.NOT (From To Date Message-ID)") ==
        "Subject: Hello\r\n\r\n");
  // The forwarded message is not a multipart: its part 1 is its body.
  CHECK(imap_body_section(kForward, "2.1") == "Hi Bob,\r\nsee you.\r\n");
  CHECK(imap_body_section(kForward, "2.1.MIME") == plain_header);
  CHECK_FALSE(imap_body_section(kForward, "2.2"));
}

SCENARIO("nested multiparts inside a message/rfc822 are numbered from it", "[mime]") {
  const std::string raw =
      "Content-Type: multipart/mixed; boundary=o\r\n\r\n"
      "--o\r\nContent-Type: multipart/alternative; boundary=o2\r\n\r\n"
      "--o2\r\n\r\nplain\r\n--o2\r\nContent-Type: text/html\r\n\r\n<b>x</b>\r\n"
      "--o\r\nContent-Type: message/rfc822\r\n\r\n"
      "Subject: inner\r\nContent-Type: multipart/mixed; boundary=i\r\n\r\n"
      "--i\r\n\r\na\r\n--i\r\nX: y\r\n\r\nb\r\n--i--\r\n--o--\r\n";
  CHECK(imap_body_section(raw, "1.1") == "plain");
  CHECK(imap_body_section(raw, "1.2") == "<b>x</b>");
  CHECK(imap_body_section(raw, "1.2.MIME") == "Content-Type: text/html\r\n\r\n");
  CHECK(imap_body_section(raw, "2.1") == "a");
  CHECK(imap_body_section(raw, "2.2") == "b");
  CHECK(imap_body_section(raw, "2.2.MIME") == "X: y\r\n\r\n");
  CHECK(imap_body_section(raw, "2.HEADER.FIELDS (subject)") == "Subject: inner\r\n\r\n");
  // RFC 2046 5.1.1: the CRLF before "--o--" belongs to the outer delimiter (Dovecot keeps it in
  // the part).
  CHECK(imap_body_section(raw, "2.TEXT") == "--i\r\n\r\na\r\n--i\r\nX: y\r\n\r\nb\r\n--i--");
  CHECK_FALSE(imap_body_section(raw, "1.1.1"));
  CHECK_FALSE(imap_body_section(raw, "2.3"));
}

SCENARIO("malformed section specifications are rejected", "[mime]") {
  for (const char* s : {"0", "1.", ".1", "1..2", "HEADERS", "MIME", "1.FOO", "HEADER.FIELDS",
                        "HEADER.FIELDS ()", "HEADER.FIELDS (A", "HEADER.FIELDS (A) x", "1 ",
                        "99999999999999999999", "-1"}) {
    INFO(s);
    CHECK_FALSE(imap_body_section(kMixed, s));
  }
}

SCENARIO("IMAP strings are quoted when possible and literals otherwise", "[mime]") {
  CHECK(imap_quote("") == "\"\"");
  CHECK(imap_quote("a \"b\" \\c") == "\"a \\\"b\\\" \\\\c\"");
  CHECK(imap_quote("two\r\nlines") == "{10}\r\ntwo\r\nlines");
  CHECK(imap_quote(std::string("nul\0", 4)) == std::string("{4}\r\nnul\0", 9));
  CHECK(imap_nstring(std::nullopt) == "NIL");
}

namespace {

// Every byte string must give an answer, quickly, whose parentheses balance outside strings
// and literals (a cheap check that the IMAP syntax stays well-formed).
bool balanced(const std::string& s) {
  int depth = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '"') {
      for (++i; i < s.size() && s[i] != '"'; ++i)
        if (s[i] == '\\') ++i;
    } else if (c == '{') {
      std::size_t close = s.find('}', i);
      if (close == std::string::npos) return false;
      std::size_t n = std::stoul(s.substr(i + 1, close - i - 1));
      if (close + 3 + n > s.size()) return false;
      i = close + 2 + n;  // "}\r\n" then n octets: stop on the last one
    } else if (c == '(') {
      ++depth;
    } else if (c == ')') {
      if (--depth < 0) return false;
    }
  }
  return depth == 0;
}

void exercise(const std::string& raw) {
  const std::string env = imap_envelope(raw);
  const std::string bs = imap_bodystructure(raw, true);
  const std::string b = imap_bodystructure(raw, false);
  CHECK(balanced(env));
  CHECK(balanced(bs));
  CHECK(balanced(b));
  for (const char* s : {"", "HEADER", "TEXT", "1", "1.MIME", "2", "2.HEADER", "2.TEXT",
                        "1.1", "2.1.MIME", "HEADER.FIELDS (Subject)"}) {
    auto part = imap_body_section(raw, s);
    if (part) CHECK(part->size() <= raw.size() + 2);
  }
}

}  // namespace

SCENARIO("every prefix of the sample messages parses without trouble", "[mime]") {
  // Messages cut anywhere (in a header, a boundary line, a nested message) stay well-formed.
  for (const std::string* m : {&kPlain, &kAlternative, &kMixed, &kForward})
    for (std::size_t n = 0; n <= m->size(); ++n) exercise(m->substr(0, n));
}

SCENARIO("pseudo-random bytes never break the MIME layer", "[mime]") {
  std::uint32_t state = 12345;  // fixed seed: the test is reproducible
  auto next = [&] {
    state = state * 1664525u + 1013904223u;
    return state >> 24;
  };
  const std::string alphabet[] = {"\r\n", "--b", ":", "Content-Type: multipart/mixed; boundary=b",
                                  "Content-Type: message/rfc822", " ", "\"", "(", "<", "@", ";",
                                  ",", "\xff", "From", "\r\n\r\n"};
  for (int round = 0; round < 300; ++round) {
    std::string raw;
    const int len = int(next() % 60);
    for (int i = 0; i < len; ++i) {
      if (next() % 3 == 0)
        raw += char(next());
      else
        raw += alphabet[next() % std::size(alphabet)];
    }
    exercise(raw);
  }
}

SCENARIO("deeply nested parts are cut off at the depth limit", "[mime]") {
  GIVEN("a thousand multiparts inside each other") {
    std::string raw;
    for (int i = 0; i < 1000; ++i)
      raw += "Content-Type: multipart/mixed; boundary=b" + std::to_string(i) + "\r\n\r\n--b" +
             std::to_string(i) + "\r\n";
    const std::string bs = imap_bodystructure(raw, true);
    CHECK(balanced(bs));
    // kMaxMimeDepth multiparts, then one opaque leaf.
    CHECK(bs.substr(0, kMaxMimeDepth + 14) ==
          std::string(kMaxMimeDepth + 1, '(') + "\"application\"");
    exercise(raw);
  }
  GIVEN("a thousand message/rfc822 parts inside each other") {
    std::string raw;
    for (int i = 0; i < 1000; ++i) raw += "Content-Type: message/rfc822\r\n\r\n";
    CHECK(balanced(imap_bodystructure(raw, true)));
    std::string deep = "1";
    for (int i = 0; i < 40; ++i) deep += ".1";
    CHECK_FALSE(imap_body_section(raw, deep));
    exercise(raw);
  }
}

SCENARIO("a multipart with too many parts shows the rest in its last part", "[mime]") {
  std::string raw = "Content-Type: multipart/mixed; boundary=b\r\n\r\n";
  for (std::size_t i = 0; i < kMaxMimeParts + 5; ++i) raw += "--b\r\n\r\nx\r\n";
  CHECK(imap_body_section(raw, std::to_string(kMaxMimeParts - 1)) == "x");
  CHECK(imap_body_section(raw, std::to_string(kMaxMimeParts)) ==
        "x\r\n--b\r\n\r\nx\r\n--b\r\n\r\nx\r\n--b\r\n\r\nx\r\n--b\r\n\r\nx\r\n--b\r\n\r\nx\r\n");
  CHECK_FALSE(imap_body_section(raw, std::to_string(kMaxMimeParts + 1)));
}
