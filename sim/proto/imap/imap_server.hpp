#pragma once
// IMAP server engine, sans-I/O.
//   RFC 3501  IMAP4rev1: states (section 3), LOGIN 6.2.3, SELECT 6.3.1, FETCH 6.4.5,
//             STORE 6.4.6, EXPUNGE 6.4.3, APPEND 6.3.11, UID 6.4.8, LOGOUT 6.1.3,
//             CAPABILITY 6.1.1, NOOP 6.1.2; literals 4.3; untagged updates 7.3/7.4
//   RFC 6851  MOVE (UID MOVE)
//   RFC 4315  UIDPLUS (APPENDUID / COPYUID response codes)
//   RFC 6154  SPECIAL-USE (LIST attributes)
// Several sessions share one account: a change made through one session reaches the others
// as untagged EXISTS / EXPUNGE / FETCH responses at the moments RFC 3501 section 7 allows
// (after a command completes; never during a FETCH/STORE/SEARCH for EXPUNGE, 7.4.1).
#include <string>
#include <vector>

#include "model/account.hpp"
#include "proto/engine.hpp"

namespace ms {

class ImapServer : public Engine {
 public:
  enum class State : std::uint8_t { NotAuthenticated, Authenticated, Selected, Logout };
  explicit ImapServer(MailServer& server);
  ~ImapServer() override;
  void receive(std::string_view bytes) override;
  void peer_closed() override;
  std::string state_name() const override;
  const std::string& selected() const { return mailbox_; }

  struct Command {
    const char* name;
    void (ImapServer::*handler)(const std::string& tag, std::string_view args, bool uid);
    std::uint8_t states;  // bit per State in which the command is valid
    const char* rfc;
  };
  static const std::vector<Command>& commands();
  static std::string capabilities(bool authenticated);

  static constexpr std::size_t kMaxLine = 65536;
  static constexpr std::size_t kMaxLiteral = 64u << 20;

 private:
  void command(std::string line);
  void set_state(State s, const std::string& why);
  void tagged(const std::string& tag, const std::string& status, const std::string& text);
  void out(const std::string& s) { pending_ += s; }
  void flush();
  void watch(Account* a);
  void on_store_change(const StoreChange& c);
  void report_changes(bool allow_expunge);
  const Folder* folder() const;
  // Sequence set -> indexes into folder entries (by sequence number or by UID).
  bool resolve(std::string_view set, bool uid, std::vector<std::size_t>& out) const;

  void cmd_capability(const std::string&, std::string_view, bool);
  void cmd_noop(const std::string&, std::string_view, bool);
  void cmd_logout(const std::string&, std::string_view, bool);
  void cmd_login(const std::string&, std::string_view, bool);
  void cmd_select(const std::string&, std::string_view, bool);
  void cmd_examine(const std::string&, std::string_view, bool);
  void cmd_list(const std::string&, std::string_view, bool);
  void cmd_fetch(const std::string&, std::string_view, bool);
  void cmd_store(const std::string&, std::string_view, bool);
  void cmd_move(const std::string&, std::string_view, bool);
  void cmd_expunge(const std::string&, std::string_view, bool);
  void cmd_append(const std::string&, std::string_view, bool);
  void cmd_close(const std::string&, std::string_view, bool);

  MailServer& server_;
  Account* account_ = nullptr;
  int observer_ = 0;
  State state_ = State::NotAuthenticated;
  std::string mailbox_;
  bool read_only_ = false;
  bool examining_ = false;
  std::string buf_;          // bytes not yet consumed
  std::string assembling_;   // command text assembled so far (literals inlined as {n}\r\n...)
  std::size_t literal_left_ = 0;
  std::string pending_;      // response being built for the current command
  // What this session has told its client: the UIDs in the mailbox, in sequence order, and
  // their flags, so that other sessions' changes are reported as differences.
  std::vector<std::uint32_t> known_uids_;
  std::vector<Flags> known_flags_;
  bool dirty_ = false;
  bool own_change_ = false;
};

}  // namespace ms
