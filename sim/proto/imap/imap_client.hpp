#pragma once
// IMAP client engine, sans-I/O (RFC 3501; RFC 2177 IDLE; RFC 6851 MOVE; RFC 4315 UIDPLUS).
// A session is a series of synchronisation passes. Each pass runs from a plan that the
// device's mail app computes: APPENDs first, then for each mailbox the queued local actions
// (flag changes, moves, expunges) followed by the mailbox's UIDs and flags and the bodies of
// messages the device does not have. After a pass the engine either logs out or, when the
// plan asks for push and the server offers IDLE, idles on INBOX until the server reports a
// change or the app has new work (wake()), then runs another pass.
// It reports what it learnt as events; deciding what to keep is the app's job.
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
};

struct ImapMailboxPlan {
  std::string name = "INBOX";
  std::uint32_t uidvalidity = 0;          // what the device last saw (0: never synced)
  std::map<std::uint32_t, Flags> known;   // the device's copy of the mailbox: UID -> flags
  std::vector<ImapOp> ops;                // replayed in order once the mailbox is selected
  bool headers_only = false;              // new messages: BODY.PEEK[HEADER]; bodies on demand
};

struct ImapPlan {
  std::string user, pass;
  std::vector<ImapMailboxPlan> mailboxes;  // synchronised in this order
  std::vector<ImapOp> appends;             // APPENDs, sent before the first SELECT
  bool idle = false;                       // stay connected and IDLE on INBOX after the pass
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

 private:
  enum class Step : std::uint8_t {
    Greeting, Login, Append, Select, Op, Flags, Bodies, IdleSelect, Idle, Done, Logout, Closed
  };
  void command(const std::string& text, Step step);
  void response(const imap::Response& r);
  void tagged(bool ok, const imap::Response& r);
  void fetched(const imap::FetchData& f);
  void start_pass();
  void next_append();
  void next_mailbox();
  void next_op();
  void end_pass();
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
  std::string literal_out_;                // APPEND data waiting for the server's "+"
  std::vector<std::string> caps_;
  bool wake_pending_ = false, logout_pending_ = false, idle_refused_ = false;
  std::string state_ = "NOT AUTHENTICATED";
};

}  // namespace ms
