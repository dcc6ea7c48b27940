#pragma once
// IMAP client engine, sans-I/O (RFC 3501; RFC 6851 MOVE; RFC 4315 UIDPLUS). It runs one
// synchronisation session from a plan the device's mail app computes: queued local actions
// first (flag changes, moves, appends), then the mailbox's UIDs and flags, then the bodies of
// messages the device does not have. It reports what the server said as events; deciding what
// to keep is the app's job.
#include <deque>
#include <map>
#include <string>
#include <vector>

#include "proto/engine.hpp"

namespace ms {

struct ImapOp {
  enum Kind : std::uint8_t { Store, Move, Append, Expunge } kind = Store;
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
};

struct ImapPlan {
  std::string user, pass;
  std::vector<ImapMailboxPlan> mailboxes;  // synchronised in this order
  std::vector<ImapOp> appends;             // APPENDs, sent before the first SELECT
};

class ImapClient : public Engine {
 public:
  explicit ImapClient(ImapPlan plan);
  void receive(std::string_view bytes) override;
  void peer_closed() override;
  std::string state_name() const override { return state_; }

 private:
  enum class Step : std::uint8_t { Greeting, Login, Append, Select, Op, Flags, Bodies, Logout };
  void command(const std::string& text, Step step);
  void response(const std::string& r);
  void tagged(bool ok, const std::string& text);
  void untagged_fetch(std::uint32_t seq, const std::string& items);
  void next_op();
  void next_mailbox();
  void next_append();
  ImapMailboxPlan& mb() { return plan_.mailboxes[mb_pos_ - 1]; }
  std::string next_tag();

  ImapPlan plan_;
  std::string buf_, resp_;
  std::size_t pos_ = 0;
  std::string literal_out_;  // APPEND data waiting for the server's "+"
  std::size_t literal_left_ = 0;
  Step step_ = Step::Greeting;
  std::string tag_;
  int tag_no_ = 0;
  std::size_t op_pos_ = 0, append_pos_ = 0, mb_pos_ = 0;
  std::map<std::uint32_t, Flags> listed_;  // UID FETCH 1:* (FLAGS) results
  bool done_ = false;
  std::string state_ = "NOT AUTHENTICATED";
};

}  // namespace ms
