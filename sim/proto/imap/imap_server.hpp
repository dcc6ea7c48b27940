#pragma once
// IMAP server engine, sans-I/O. Framing and argument syntax come from the codec
// (proto/imap/codec.hpp); this engine holds the session state and the mailbox semantics. Each
// command's handler lives in a cmd_*.cpp file next to the RFC section it implements, and all
// are registered in one table (commands()) with the states they are valid in.
//   RFC 3501  IMAP4rev1: states (section 3), literals 4.3, any state 6.1, not authenticated
//             6.2, authenticated 6.3, selected 6.4, untagged updates 7.3/7.4
//   RFC 2177  IDLE               RFC 2971  ID             RFC 4315  UIDPLUS
//   RFC 4959  SASL-IR            RFC 5161  ENABLE         RFC 3691  UNSELECT
//   RFC 2342  NAMESPACE          RFC 6851  MOVE           RFC 6154  SPECIAL-USE
//   RFC 7888  LITERAL+           RFC 4616  SASL PLAIN     RFC 3348  CHILDREN
//   RFC 7162  CONDSTORE (section 3.1) and QRESYNC (section 3.2)
// Several sessions share one account: a change made through one session reaches the others
// as untagged EXISTS / EXPUNGE / FETCH responses at the moments RFC 3501 section 7 allows
// (after a command completes; never during a FETCH/STORE/SEARCH for EXPUNGE, 7.4.1; at once
// while IDLE, RFC 2177).
#include <string>
#include <vector>

#include "model/account.hpp"
#include "proto/engine.hpp"
#include "proto/imap/codec.hpp"

namespace ms {

class ImapServer : public Engine {
 public:
  enum class State : std::uint8_t { NotAuthenticated, Authenticated, Selected, Logout };
  explicit ImapServer(MailServer& server, ServerTls tls = {});
  ~ImapServer() override;
  void receive(std::string_view bytes) override;
  void peer_closed() override;
  std::string state_name() const override;
  const std::string& selected() const { return mailbox_; }

  using Handler = void (ImapServer::*)(const imap::Command& c);
  struct CommandSpec {
    const char* name;     // as parsed by the codec: "FETCH", "UID FETCH"
    Handler handler;
    std::uint8_t states;  // bit per State in which the command is valid
    const char* rfc;
  };
  static const std::vector<CommandSpec>& commands();
  static std::string capabilities(bool authenticated);
  // This session's capabilities: capabilities() with STARTTLS before TLS when offered, and
  // LOGINDISABLED instead of AUTH=PLAIN while a password would cross in clear (RFC 3501
  // sections 6.2.1 and 11.1).
  std::string session_capabilities() const;
  void tls_started() override;

  // The simulation's epoch (2014-03-03 09:00 UTC) in Unix seconds: entries' internal_date
  // Ticks count microseconds from it.
  static constexpr std::int64_t kEpochUnix = 1393837200;
  static imap::DateTime internal_date(Tick t);
  // Longest mailbox name or LIST pattern accepted: keeps pattern matching cheap.
  static constexpr std::size_t kMaxMailboxName = 1024;

 private:
  enum class Mode : std::uint8_t { Command, AuthPlain, Idle };

  void dispatch(const imap::Command& c);
  void set_state(State s, const std::string& why);
  void tagged(const std::string& tag, const std::string& status, const std::string& text);
  void out(const std::string& s) { pending_ += s; }
  void flush();
  void watch(Account* a);
  void on_store_change(const StoreChange& c);
  void report_changes(bool allow_expunge);
  // RFC 3501 section 7.4.1 forbids EXPUNGE during FETCH, STORE and SEARCH but not during their
  // UID forms. This server reports expunges then only as VANISHED (QRESYNC enabled): a
  // QRESYNC client must not see a MODSEQ newer than an expunge it has not been told of
  // (RFC 7162 section 3.2.10, and the RFC 5162 erratum on delayed expunges).
  bool uid_expunge_ok(bool uid_command) const { return uid_command && qresync_; }
  Folder* folder() const;
  // The mailbox argument at index i (modified UTF-7 decoded, INBOX normalised), or how to
  // refuse it: BAD when it is no astring (RFC 3501 section 9), NO when it is one but not valid
  // modified UTF-7 (section 5.1.3): the command is well-formed, the name just names nothing
  // this server can hold (as Dovecot answers).
  struct MailboxArg {
    std::optional<std::string> name;
    const char* status = "BAD";
    std::string error;
    explicit operator bool() const { return name.has_value(); }
    const std::string& operator*() const { return *name; }
    const std::string* operator->() const { return &*name; }
    bool bad() const { return std::string_view(status) == "BAD"; }
  };
  MailboxArg mailbox_arg(const imap::Command& c, std::size_t i) const;
  // Sequence set -> indexes into known_uids_ (by sequence number or by UID). A sequence number
  // beyond what the client knows is an error (RFC 3501 section 9, seq-number).
  bool resolve(const imap::SequenceSet& set, bool uid, std::vector<std::size_t>& out) const;
  void deselect(const std::string& why);
  void drop_gone_mailbox();
  // RFC 7162 section 3.1: the first CONDSTORE-enabling command of the session turns on MODSEQ
  // in FETCH responses; in the selected state the client is told the HIGHESTMODSEQ at once.
  void enable_condstore();
  // "FLAGS (...)" as this session shows them: with \Recent when it holds the message's
  // recent claim (RFC 3501 section 2.3.2).
  std::string flags_item(std::uint32_t uid, const Flags& f) const;
  // " MODSEQ (n)" once CONDSTORE is enabled, else "".
  std::string modseq_item(const Entry& e) const;
  // "MODSEQ (n)"; notes the highest mod-sequence this command told the client of.
  std::string modseq_value(const Entry& e) const;
  // Before a tagged reply: if this command sent MODSEQs while expunges were still held back
  // (FETCH, STORE and SEARCH may not report them), "* OK [HIGHESTMODSEQ n]" with n below the
  // oldest held-back expunge, so that a client that reconnects from the highest MODSEQ it saw
  // still learns of it (RFC 5162 erratum 1810, taken into RFC 7162).
  void clamp_highestmodseq();
  mutable std::uint64_t modseq_sent_ = 0;
  // RFC 3501 sections 7.2.6 and 7.1 (PERMANENTFLAGS): the untagged FLAGS and PERMANENTFLAGS
  // of the selected mailbox, with every keyword announced to this session so far.
  std::string flags_responses() const;
  // Before a response that shows `f`: when it holds a keyword this session has not been told
  // of, the mailbox's FLAGS list grew, and the client hears the new list first.
  void announce_keywords(const Flags& f);
  std::vector<std::string> keywords_;  // announced to this session, in order of announcement
  bool is_recent(std::uint32_t uid) const;
  // Takes the \Recent claim on the known UIDs at index `from` onwards (RFC 3501 2.3.2): a
  // SELECT session claims them for good, an EXAMINE session only shows them as recent.
  void claim_recent(Folder& f, std::size_t from);
  // Expunged UIDs to report: "* VANISHED uids" once QRESYNC is enabled (RFC 7162 3.2.10),
  // else "* n EXPUNGE" lines, highest first. `gone` holds indexes into known_uids_.
  void report_expunged(const std::vector<std::size_t>& gone);
  // SELECT/EXAMINE (QRESYNC (...)) after the usual answers: RFC 7162 section 3.2.5.
  void qresync_select(const Folder& f, const imap::Token& params);
  void login_as(Account* a, const std::string& tag, const std::string& user);
  void finish_auth_plain(const std::string& tag, std::string_view b64, bool initial = false);
  std::uint32_t new_uidvalidity() const;

  // RFC 3501 6.1 (any state), RFC 2971 ID, RFC 5161 ENABLE: cmd_any.cpp
  void cmd_capability(const imap::Command&);
  void cmd_noop(const imap::Command&);
  void cmd_logout(const imap::Command&);
  void cmd_id(const imap::Command&);
  void cmd_enable(const imap::Command&);
  // RFC 3501 6.2 (not authenticated), RFC 4959 / RFC 4616: cmd_auth.cpp
  void cmd_starttls(const imap::Command&);
  bool plaintext_refused(const std::string& tag);
  void cmd_login(const imap::Command&);
  void cmd_authenticate(const imap::Command&);
  // RFC 3501 6.3.1-6.3.2: cmd_select.cpp
  void cmd_select(const imap::Command&);
  void cmd_examine(const imap::Command&);
  // RFC 3501 6.3.3-6.3.7: cmd_mailbox.cpp
  void cmd_create(const imap::Command&);
  void cmd_delete(const imap::Command&);
  void cmd_rename(const imap::Command&);
  void cmd_subscribe(const imap::Command&);
  void cmd_unsubscribe(const imap::Command&);
  // RFC 3501 6.3.8-6.3.9, RFC 6154, RFC 2342: cmd_list.cpp
  void cmd_list(const imap::Command&);
  void cmd_lsub(const imap::Command&);
  void cmd_namespace(const imap::Command&);
  // RFC 3501 6.3.10: cmd_status.cpp
  void cmd_status(const imap::Command&);
  // RFC 3501 6.3.11, RFC 4315: cmd_append.cpp
  void cmd_append(const imap::Command&);
  // RFC 3501 6.4.1-6.4.3, RFC 3691, RFC 4315 UID EXPUNGE: cmd_expunge.cpp
  void cmd_check(const imap::Command&);
  void cmd_close(const imap::Command&);
  void cmd_unselect(const imap::Command&);
  void cmd_expunge(const imap::Command&);
  // RFC 3501 6.4.4: cmd_search.cpp
  void cmd_search(const imap::Command&);
  // RFC 3501 6.4.5: cmd_fetch.cpp
  void cmd_fetch(const imap::Command&);
  // RFC 3501 6.4.6: cmd_store.cpp
  void cmd_store(const imap::Command&);
  // RFC 3501 6.4.7, RFC 6851, RFC 4315 COPYUID: cmd_copy.cpp
  void cmd_copy(const imap::Command&);
  void cmd_move(const imap::Command&);
  // RFC 2177: cmd_idle.cpp
  void cmd_idle(const imap::Command&);
  void idle_done(std::string_view line);

  MailServer& server_;
  ServerTls tls_;
  bool tls_begun_ = false;  // STARTTLS answered: input until the handshake is discarded
  Account* account_ = nullptr;
  int observer_ = 0;
  State state_ = State::NotAuthenticated;
  Mode mode_ = Mode::Command;
  std::string mode_tag_;      // the tag of the AUTHENTICATE or IDLE in progress
  std::string mailbox_;
  bool read_only_ = false;
  imap::CommandReader reader_;
  std::string pending_;       // response being built for the current command
  // What this session has told its client: the UIDs in the mailbox, in sequence order, and
  // their flags, so that other sessions' changes are reported as differences.
  std::vector<std::uint32_t> known_uids_;
  // Changes to the selected mailbox since the last report (see on_store_change).
  std::vector<std::uint32_t> changed_uids_;
  bool expunged_any_ = false, added_any_ = false, changed_all_ = false;
  void forget_changes();
  std::vector<Flags> known_flags_;
  std::vector<std::uint32_t> recent_;  // ascending: this session's \Recent messages
  bool condstore_ = false, qresync_ = false;  // RFC 7162 / RFC 5161: enabled for the session
  bool mailbox_gone_ = false;  // the selected mailbox was deleted by another session
};

}  // namespace ms
