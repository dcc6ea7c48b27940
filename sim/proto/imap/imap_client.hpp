#pragma once
// IMAP client engine, sans-I/O (RFC 3501; RFC 2177 IDLE; RFC 6851 MOVE; RFC 4315 UIDPLUS).
// A session is a series of synchronisation passes. Each pass runs from a plan that the
// device's mail app computes: APPENDs first, then for each mailbox the queued local actions
// (flag changes, moves, expunges) followed by the mailbox's UIDs and flags and the bodies of
// messages the device does not have. After a pass the engine either logs out or, when the
// plan asks for push and the server offers IDLE, idles on INBOX until the server reports a
// change or the app has new work (wake()), then runs another pass.
// It reports what it learnt as events; deciding what to keep is the app's job.
//
// Resynchronisation (RFC 4549 section 4.3, RFC 7162): when the server offers QRESYNC (and the
// plan allows it), the client ENABLEs it and SELECTs with what it last saw (UIDVALIDITY,
// HIGHESTMODSEQ, its UIDs); the server answers with only what changed (VANISHED (EARLIER) and
// FETCH). With CONDSTORE only, it asks for the flags changed since its HIGHESTMODSEQ and for
// the list of UIDs still there (expunges). Without either, it lists every UID and its flags.
// Queued flag changes then carry UNCHANGEDSINCE (RFC 7162 section 3.1.3): a change made by
// another device meanwhile shows up as [MODIFIED], and the client re-fetches the flags and
// re-applies its own change on top (RFC 4549 sections 4.2 and 6.1). Queued actions on messages that
// are gone from the server are dropped, and the trace says why.
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "proto/engine.hpp"
#include "proto/imap/codec.hpp"

namespace ms {

struct ImapOp {
  enum Kind : std::uint8_t { Store, Move, Append, Expunge, Fetch } kind = Store;
  std::uint32_t uid = 0;
  std::string folder;   // Store/Move/Expunge: the mailbox the uid is in; Append: destination
  std::string item;     // Store: "+FLAGS.SILENT", "-FLAGS.SILENT"; Move: destination mailbox
  std::string flags;    // Store/Append: "\\Seen"
  std::string data;     // Append: the message
  // Append: the message's internal date as a quoted date-time (RFC 3501 section 6.3.11), so
  // that uploaded old mail keeps the date it arrived; empty: the server sets it.
  std::string date;
};

struct ImapMailboxPlan {
  std::string name = "INBOX";
  std::uint32_t uidvalidity = 0;          // what the device last saw (0: never synced)
  std::map<std::uint32_t, Flags> known;   // the device's copy of the mailbox: UID -> flags
  std::vector<ImapOp> ops;                // replayed in order once the mailbox is selected
  bool headers_only = false;              // new messages: BODY.PEEK[HEADER]; bodies on demand
  // The server's HIGHESTMODSEQ the device's copy matches (RFC 7162; 0: none known). The app
  // stores it from the MailboxSynced event at the end of each mailbox's synchronisation.
  std::uint64_t highestmodseq = 0;
};

struct ImapPlan {
  std::string user, pass;
  std::vector<ImapMailboxPlan> mailboxes;  // synchronised in this order
  std::vector<ImapOp> appends;             // APPENDs, sent before the first SELECT
  bool idle = false;                       // stay connected and IDLE on INBOX after the pass
  bool use_condstore = true;               // use CONDSTORE/QRESYNC when the server offers them
  // Connection security "STARTTLS" (RFC 3501 section 6.2.1): upgrade before logging in, and
  // give up rather than log in without it when the server does not offer it.
  bool starttls = false;
  // False: "STARTTLS when offered": without the capability the client logs in in clear, which
  // is what a network that strips STARTTLS from the capabilities exploits (RFC 3207 section 6).
  bool starttls_required = true;
};

class ImapClient : public Engine {
 public:
  // `replan` gives the plan of every pass after the first (the app's state then).
  explicit ImapClient(ImapPlan plan, std::function<ImapPlan()> replan = {});
  void receive(std::string_view bytes) override;
  void peer_closed() override;
  std::string state_name() const override { return state_; }

  // The app has new work (or wants a poll): leave IDLE and run another pass, or run one more
  // pass after the current one.
  void wake();
  // End the session after the current command (leaving IDLE first).
  void logout();
  bool idling() const { return step_ == Step::Idle; }
  void tls_started() override;

 private:
  enum class Step : std::uint8_t {
    Greeting, StartTls, TlsHandshake, Capability, Login, Enable, Append, Select, Op, Refetch, Flags, Check, Bodies, IdleSelect, Idle,
    Done, Logout, Closed
  };
  // How this mailbox is being resynchronised (see the top of this file).
  enum class Sync : std::uint8_t { Full, CondStore, QResync };
  void command(const std::string& text, Step step);
  void response(const imap::Response& r);
  void tagged(bool ok, const imap::Response& r);
  void fetched(const imap::FetchData& f);
  void start_pass();
  void login();
  void next_append();
  void next_mailbox();
  void next_op();
  void end_pass();
  void compare();
  void mailbox_done();
  bool has_cap(const char* name) const;
  // A queued action that cannot be replayed: noted with the reason, never sent.
  void drop_op(const ImapOp& op, const std::string& why);
  std::string store_command(const ImapOp& op, std::uint64_t unchanged_since) const;
  void leave_idle();
  ImapMailboxPlan& mb() { return plan_.mailboxes[mb_pos_ - 1]; }

  ImapPlan plan_;
  std::function<ImapPlan()> replan_;
  imap::ResponseReader reader_;
  Step step_ = Step::Greeting;
  std::string tag_;
  int tag_no_ = 0;
  std::size_t op_pos_ = 0, append_pos_ = 0, mb_pos_ = 0;
  std::map<std::uint32_t, Flags> listed_;  // UID FETCH 1:* (FLAGS) results of this mailbox
  // Resynchronisation of the current mailbox (RFC 7162).
  Sync sync_ = Sync::Full;
  bool qresync_on_ = false;                 // ENABLE QRESYNC succeeded in this session
  std::uint64_t select_modseq_ = 0;         // HIGHESTMODSEQ the SELECT reported (0: NOMODSEQ)
  imap::SequenceSet vanished_;              // UIDs the server reported as expunged (merged)
  std::vector<std::uint32_t> present_;      // CondStore: UID SEARCH result (UIDs still there)
  std::map<std::uint32_t, std::uint64_t> modseqs_;  // MODSEQ of a UID, as last reported
  bool sent_ops_ = false;                   // a queued action was replayed in this mailbox
  bool moved_ = false;  // the current MOVE moved something (COPYUID, EXPUNGE or VANISHED seen)
  // The Store op being retried after [MODIFIED], and the MODSEQ its re-fetch found.
  const ImapOp* retry_ = nullptr;
  int retries_ = 0;
  std::uint64_t retry_modseq_ = 0;
  std::string literal_out_;                // APPEND data waiting for the server's "+"
  std::vector<std::string> caps_;
  bool wake_pending_ = false, logout_pending_ = false, idle_refused_ = false;
  std::string state_ = "NOT AUTHENTICATED";
};

}  // namespace ms
