#pragma once
// POP3 client engine, sans-I/O (RFC 1939, RFC 2449 CAPA, RFC 5034 not used: USER/PASS).
// It runs one session from a plan the device's mail app computes from its policy: which
// unique-ids it has already downloaded, which it wants deleted on the server, whether to
// delete after download, whether to fetch headers only (TOP n 0). It reports what it learnt
// as events; it never decides policy itself.
#include <deque>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "proto/engine.hpp"

namespace ms {

struct Pop3Plan {
  std::string user, pass;
  std::set<std::string> seen;        // unique-ids already downloaded (the UIDL seen-list)
  std::set<std::string> to_delete;   // unique-ids to DELE this session (expired, deleted locally)
  std::set<std::string> want_body;   // headers-first: unique-ids whose full body is now wanted
  bool delete_after_download = true; // DELE each message after it is retrieved
  bool headers_only = false;         // TOP n 0 for new messages instead of RETR
  // Connection security "STARTTLS": STLS (RFC 2595 section 4) before USER/PASS, and no login
  // at all when the server does not offer it.
  bool starttls = false;
  // False: STLS only when offered; otherwise USER/PASS in clear (see ImapPlan).
  bool starttls_required = true;
};

class Pop3Client : public Engine {
 public:
  explicit Pop3Client(Pop3Plan plan);
  void receive(std::string_view bytes) override;
  void peer_closed() override;
  std::string state_name() const override;
  void tls_started() override;

 private:
  enum class Step : std::uint8_t {
    Greeting, Capa, Stls, User, Pass, Stat, Uidl, Top, Retr, Dele, Quit, Done
  };
  struct Pending {
    Step step;
    std::size_t msgno = 0;
    std::string id;
  };
  void command(const std::string& text, Step step, std::size_t msgno = 0, std::string id = "");
  void handle(bool ok, const std::string& first, const std::string& body);
  void plan_transfers();
  void next_transfer();
  static bool multiline_reply(Step s);
  void give_up(const std::string& why);
  void report_vanished();

  static constexpr std::uint64_t kMaxMessages = 100'000;   // more in STAT: a broken server
  static constexpr std::size_t kMaxReply = 64u << 20;      // octets of one multi-line reply
  static std::string unstuff(const std::string& body);

  Pop3Plan plan_;
  LineBuffer in_{1 << 20};
  std::deque<Pending> pending_;
  bool collecting_ = false;
  std::string first_, body_;
  std::set<std::string> caps_;
  bool tls_wait_ = false;  // STLS answered +OK: waiting for the handshake
  bool has_uidl_ = true;
  std::map<std::size_t, std::string> ids_;  // message number -> unique-id
  std::vector<std::pair<std::size_t, std::string>> work_;  // transfers and deletions to do
  std::size_t work_pos_ = 0;
  std::vector<std::string> deleted_;  // DELE accepted; confirmed by the QUIT reply
  bool done_ = false;
  std::string state_ = "AUTHORIZATION";
};

}  // namespace ms
