#include "live_session.hpp"

#include <algorithm>
#include <cctype>

#include "proto/imap/imap_client.hpp"
#include "proto/pop3/pop3_client.hpp"

namespace ms {

namespace {

std::string lower(std::string s) {
  for (auto& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return s;
}

bool has_imap_world(const Lesson& l) {
  return std::find(l.worlds.begin(), l.worlds.end(), Proto::IMAP) != l.worlds.end();
}

}  // namespace

LiveSession::~LiveSession() {
  // The server and the clients hold the world: they go first.
  clients_.clear();
  server_.reset();
}

void LiveSession::ensure_world(AppModel& m, const UiState& ui, const Lesson& lesson) {
  if (world_) return;
  if (ui.live.lesson_world && has_imap_world(lesson)) {
    // The lesson's IMAP world as set up (accounts, folders, simulated devices); its script
    // then runs in real time next to the real clients.
    world_ = build_world(lesson, Proto::IMAP, lesson.seed);
    world_desc_ =
        "the IMAP world of lesson \"" + lesson.title + "\" (its script runs in real time)";
  } else {
    world_ = std::make_unique<World>("live", Proto::IMAP, 1);
    world_->add_account("alice", "secret");
    world_desc_ = "a default world: one account, no simulated devices";
  }
  // The world's trace is needed only as the display's source: it keeps a window as long as
  // the display's, and the display keeps its own (with a checkpoint of the state), so the GUI
  // stays bounded however long real clients keep it busy.
  world_->trace().keep_last(LiveDisplay::kKeep);
  display_ = std::make_unique<LiveDisplay>();
  display_->take(world_->trace());
  m.duration = 1;
  build_live_model(m, *world_, display_->trace(), "Live world (IMAP server)");
  m.live.active = true;
  describe(m);
}

bool LiveSession::start(AppModel& m, const UiState& ui, const Lesson& lesson) {
  m.live.error.clear();
  if (server_ && !stopping_) return true;
  if (server_) {  // still saying goodbye to the last listeners' clients
    finished_before_ += server_->finished_connections();
    server_.reset();
  }
  ensure_world(m, ui, lesson);
  LiveConfig cfg;
  cfg.imap_port = ui.live.imap_port;
  cfg.pop3_port = ui.live.pop3_port;
  cfg.smtp_port = ui.live.smtp_port;
  // Ctrl+C in the terminal ends the GUI, not just the listeners.
  cfg.handle_signals = false;
  server_ = std::make_unique<LiveServer>(*world_, cfg);
  stopping_ = false;
  try {
    m.live.listeners.clear();
    for (const LiveListener& l : server_->listen())
      m.live.listeners.push_back({lower(proto_name(l.proto)),
                                  l.address + ":" + std::to_string(l.port)});
  } catch (const LiveError& e) {
    m.live.error = e.what();
    m.live.listeners.clear();
    server_.reset();
    return false;
  }
  m.live.listening = true;
  describe(m);
  return true;
}

void LiveSession::connect_out(AppModel& m, const UiState& ui) {
  const LiveUi& f = ui.live;
  const std::string host = f.host;
  bool loopback = false;
  if (!parse_bind_address(host, loopback)) {
    m.live.error = "connect out: '" + host + "' is not an IP address";
    return;
  }
  if (!loopback) {
    // As in `mailscope-cli fetch`: the engines speak plain text, so passwords would cross
    // the network unencrypted. The GUI offers no override; the CLI has one.
    m.live.error = "connect out: " + host +
                   " is not a loopback address; the GUI connects to 127.0.0.1 only (see "
                   "mailscope-cli fetch --i-know-this-is-not-loopback)";
    return;
  }
  if (f.out_port < 1 || f.out_port > 65535 || !*f.user || !*f.pass) {
    m.live.error = "connect out: needs a port from 1 to 65535, a user and a password";
    return;
  }
  m.live.error.clear();
  const Proto proto = f.out_proto == 0 ? Proto::POP3 : Proto::IMAP;
  std::unique_ptr<Engine> engine;
  if (proto == Proto::POP3) {
    Pop3Plan plan;
    plan.user = f.user;
    plan.pass = f.pass;
    plan.delete_after_download = !f.keep;
    engine = std::make_unique<Pop3Client>(plan);
  } else {
    ImapPlan plan;
    plan.user = f.user;
    plan.pass = f.pass;
    plan.mailboxes.push_back({});
    engine = std::make_unique<ImapClient>(plan);
  }
  // LiveClient::start() adds the device to the live world's trace (as a laptop, which the
  // worlds view relies on): part of the live exception.
  const std::string actor = "mailscope " + std::to_string(clients_.size() + 1);
  Out o;
  o.label = std::string(proto_name(proto)) + " " + host + ":" + std::to_string(f.out_port) +
            " as " + f.user;
  o.client = std::make_unique<LiveClient>(*world_, actor, proto, host, f.out_port,
                                          std::move(engine));
  o.client->start();
  clients_.push_back(std::move(o));
}

void LiveSession::leave(AppModel& m) {
  clients_.clear();
  server_.reset();
  stopping_ = false;
  finished_before_ = 0;
  world_.reset();
  display_.reset();
  m.live = LiveInfo{};
  m.wire_mid.clear();
  build_model(m);
}

void LiveSession::handle(AppModel& m, UiState& ui, const Lesson& lesson) {
  LiveUi& r = ui.live;
  if (r.start) start(m, ui, lesson);
  if (r.stop && server_ && !stopping_) {
    // The listeners close and every open session gets its protocol's goodbye; the server
    // object stays until those are written (poll()).
    server_->stop();
    stopping_ = true;
    m.live.listening = false;
    m.live.listeners.clear();
  }
  if (r.connect) {
    ensure_world(m, ui, lesson);
    connect_out(m, ui);
  }
  if (r.start || r.connect) {
    r.follow = true;
    r.followed = -1;
  }
  if (r.leave && world_) {
    leave(m);
    ui.cursor = m.duration;
  }
  r.start = r.stop = r.connect = r.leave = false;
  if (world_) describe(m);
}

std::size_t LiveSession::finished() const {
  std::size_t n = finished_before_ + (server_ ? server_->finished_connections() : 0);
  for (const Out& o : clients_) n += o.client->done();
  return n;
}

bool LiveSession::poll(AppModel& m) {
  if (!world_) return false;
  bool stopped = false;
  if (server_) {
    server_->poll();
    if (stopping_ && server_->connections() == 0) {
      finished_before_ += server_->finished_connections();
      server_.reset();
      stopping_ = false;
      stopped = true;
    }
  }
  for (Out& o : clients_) o.client->poll();
  const bool grew = display_->take(world_->trace());
  if (display_->cut()) {
    // The window moved: the model's record indices point into the old one.
    const std::string title = m.worlds.empty() ? "Live world (IMAP server)" : m.worlds[0].title;
    build_live_model(m, *world_, display_->trace(), title);
  }
  m.live.dropped = display_->dropped();
  m.live.kept_from = display_->kept_from();
  if (grew) extend_live_model(m, std::max(world_->now(), display_->end()));
  // Every connection opened or closed and every connect-out session's end leaves records in
  // the trace, so the panel's text needs rebuilding only when it grew (not every frame).
  if (grew || stopped) describe(m);
  return grew;
}

void LiveSession::describe(AppModel& m) const {
  LiveInfo& li = m.live;
  li.active = world_ != nullptr;
  li.world_desc = world_desc_;
  li.accounts.clear();
  if (world_)
    for (const auto& [name, acc] : world_->server().accounts())
      li.accounts.emplace_back(name, acc->password);
  li.open = server_ ? server_->connections() : 0;
  li.finished = finished();
  li.clients.clear();
  for (const Out& o : clients_) {
    const LiveClientResult& r = o.client->result();
    std::string st = !o.client->done() ? "running"
                     : !r.error.empty() ? r.error
                     : r.finished       ? "finished"
                                        : "ended";
    li.clients.push_back(o.label + ": " + st);
  }
}

}  // namespace ms
