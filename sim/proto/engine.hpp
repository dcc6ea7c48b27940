#pragma once
// Sans-I/O engine interface shared by every protocol, server and client side (after h11 and
// imap-next): feed it the bytes that arrived, take the units it wants to send and the events
// it produced. It never reads a clock, a socket or a random source it was not given, so the
// simulated link, the live TCP listener and the tests drive exactly the same code.
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/message.hpp"
#include "trace/display_text.hpp"

namespace ms {

// Something an engine noticed, named in the past tense ("LoggedIn", "MessageDownloaded").
// Client engines report what they learnt from the server here; the device applies it to its
// local store. `text` is the human-readable line shown in the transcript and inspector; code
// reads the kind and the fields, never the text.
struct EngineEvent {
  enum Kind : std::uint8_t {
    StateChanged,        // old_state -> new_state (the engines' RFC names); text says it
    LoggedIn,
    MessageDownloaded,   // client: id (POP3 unique-id or IMAP UID as text), uid, data = raw bytes
    HeadersDownloaded,   // client: like MessageDownloaded but data holds the header only
    FlagsSeen,           // client: uid/folder, flags as the server reports them
    MessageExpunged,     // client: uid/folder vanished on the server
    MessageDeleted,      // client: the server confirmed removal of id (POP3 after QUIT)
    MessageAppended,     // client: uid assigned by the server (APPENDUID)
    MailboxSelected,     // client: folder, uid = UIDVALIDITY, aux = 1 when it changed
    Sent,                // SMTP client: message accepted for delivery
    Error,               // a -ERR / NO / BAD / 4xx / 5xx the flow did not expect
    Finished,            // the session ended (after QUIT / LOGOUT, or the peer closed)
    Note,                // anything else worth showing
    MailboxSynced,       // IMAP client: folder's copy now matches the server up to mod-sequence
                         // aux (RFC 7162 HIGHESTMODSEQ), to be remembered for the next sync
    ClientIdentified,    // IMAP server: the client named itself (RFC 2971 ID): id = its
                         // "name" field, data = its "version" field (either may be empty)
    MessagePopped,       // POP3 server, Gmail-style: account id's message uid in folder was
                         // retrieved once and is not offered to POP3 again
  } kind = Note;
  std::string text;
  std::string id;
  std::string folder;
  std::uint32_t uid = 0;
  std::uint64_t aux = 0;
  Flags flags;
  std::string data;
  std::string old_state, new_state;  // StateChanged
};

class Engine {
 public:
  virtual ~Engine() = default;
  // Bytes received from the peer, in any fragmentation (one byte at a time must work).
  virtual void receive(std::string_view bytes) = 0;
  // The peer closed the connection (or the link dropped) without a protocol goodbye.
  virtual void peer_closed() {}
  // The state machine's current state, by its RFC name ("AUTHORIZATION", "SELECTED"...).
  virtual std::string state_name() const = 0;

  // Complete units to send (one command or one response, possibly multi-line), in order.
  std::vector<std::string> take_output() {
    std::vector<std::string> out(std::make_move_iterator(out_.begin()),
                                 std::make_move_iterator(out_.end()));
    out_.clear();
    return out;
  }
  std::vector<EngineEvent> take_events() {
    std::vector<EngineEvent> ev(std::make_move_iterator(events_.begin()),
                                std::make_move_iterator(events_.end()));
    events_.clear();
    return ev;
  }
  bool has_output() const { return !out_.empty(); }
  // The engine has said goodbye (or must drop the peer): close once the output is sent.
  bool wants_close() const { return close_; }

  // STARTTLS (RFC 3501 section 6.2.1, RFC 2595 section 4, RFC 3207): true once when the engine
  // asks for TLS to start after the output taken so far (a server after its "go ahead", a
  // client after reading it). Whoever carries the bytes then runs the TLS handshake and calls
  // tls_started(); the engine sends nothing in between.
  bool take_tls_request() { return std::exchange(tls_request_, false); }
  // The TLS handshake completed (or implicit TLS, RFC 8314, was in force from the start):
  // everything from now on is inside the tunnel. Engines forget what they learnt before it.
  virtual void tls_started() { tls_ = true; }
  bool tls_active() const { return tls_; }

 protected:
  void send(std::string unit) { out_.push_back(std::move(unit)); }
  void event(EngineEvent e) {
    e.text = display_text(std::move(e.text));
    events_.push_back(std::move(e));
  }
  void note(EngineEvent::Kind k, std::string text) {
    EngineEvent e;
    e.kind = k;
    e.text = std::move(text);
    event(std::move(e));
  }
  // Every engine reports its state changes through here: the states as values, one wording.
  void state_changed(std::string from, std::string why = "") {
    EngineEvent e;
    e.kind = EngineEvent::StateChanged;
    e.new_state = state_name();
    e.text = state_change_text(from, e.new_state, why);
    e.old_state = std::move(from);
    event(std::move(e));
  }
  void close() { close_ = true; }
  void request_tls() { tls_request_ = true; }

 private:
  std::deque<std::string> out_;
  std::deque<EngineEvent> events_;
  bool close_ = false;
  bool tls_request_ = false, tls_ = false;
};

// How a server offers TLS: RFC 3501 section 6.2.1 (IMAP STARTTLS), RFC 2595 section 4 (POP3
// STLS), RFC 3207 (SMTP STARTTLS), and whether it refuses a plaintext password before TLS
// (IMAP LOGINDISABLED, RFC 3501 section 11.1; POP3 -ERR; SMTP offers no AUTH), as production
// servers do by default. Implicit TLS (RFC 8314) needs no engine option: the carrier calls
// tls_started() before the greeting.
struct ServerTls {
  bool starttls = false;       // offer STARTTLS / STLS
  bool require_tls = false;    // no plaintext authentication before TLS
};

// Splits a byte stream into CRLF-terminated lines (bare LF accepted, as many servers do),
// with a limit so that a hostile peer cannot grow the buffer without bound.
class LineBuffer {
 public:
  explicit LineBuffer(std::size_t max_line = 8192) : max_(max_line) {}
  void feed(std::string_view bytes);
  // Next complete line without its terminator; false when none is complete yet.
  bool next(std::string& line);
  // The pending partial line exceeds the limit (the engine should reject and resync).
  bool overflow() const {
    return buf_.size() - pos_ > max_ && buf_.find('\n', pos_) == std::string::npos;
  }
  void discard() {
    buf_.clear();
    pos_ = 0;
  }
  // Bytes held that are not yet returned as lines.
  std::size_t pending() const { return buf_.size() - pos_; }

 private:
  // Consumed bytes are skipped by offset and dropped in bulk, so that reading a large
  // multi-line reply line by line stays linear in its size.
  std::string buf_;
  std::size_t pos_ = 0;
  std::size_t max_;
};

}  // namespace ms
