#pragma once
// Live mode in the GUI: the simulated mail server answers real mail clients on 127.0.0.1
// (LiveServer) and the simulated client engine can connect out to a real server (LiveClient),
// while the worlds view, transcript and sequence diagram follow the live world's trace.
//
// This is the GUI's one exception to "nothing here mutates the simulation": the live world is
// changed only by LiveServer and LiveClient (real peers' commands through the server and client
// engines, plus the "added" record of a connect-out device), driven from main's frame loop
// between frames. Panels still only read the model and edit UiState; their requests (start,
// stop, connect) are carried out here.
#include <memory>
#include <string>
#include <vector>

#include "app_model.hpp"
#include "live/live_client.hpp"
#include "live_display.hpp"
#include "live/live_server.hpp"
#include "ui_state.hpp"

namespace ms {

class LiveSession {
 public:
  LiveSession() = default;
  ~LiveSession();
  LiveSession(const LiveSession&) = delete;
  LiveSession& operator=(const LiveSession&) = delete;

  // Carries out the Live panel's requests (start/stop listening, connect out, back to the
  // lesson). `lesson` is the current lesson, whose IMAP world set-up is served when the
  // panel asks for it.
  void handle(AppModel& m, UiState& ui, const Lesson& lesson);
  // Starts listening (also for --live); false with m.live.error set on failure.
  bool start(AppModel& m, const UiState& ui, const Lesson& lesson);
  // Runs whatever the sockets have ready without blocking and takes the new trace records
  // into the model. Returns true when the trace grew.
  bool poll(AppModel& m);
  bool active() const { return world_ != nullptr; }
  // Live sessions that have ended: connections to the listeners and connect-out sessions.
  std::size_t finished() const;

 private:
  void ensure_world(AppModel& m, const UiState& ui, const Lesson& lesson);
  void connect_out(AppModel& m, const UiState& ui);
  void leave(AppModel& m);
  void describe(AppModel& m) const;

  std::unique_ptr<World> world_;
  // The live world's records with display times: what the model shows.
  std::unique_ptr<LiveDisplay> display_;
  std::unique_ptr<LiveServer> server_;
  bool stopping_ = false;
  std::size_t finished_before_ = 0;  // ended connections of servers already gone
  struct Out {
    std::unique_ptr<LiveClient> client;
    std::string label;  // "IMAP 127.0.0.1:143 as alice"
  };
  std::vector<Out> clients_;
  std::string world_desc_;
};

}  // namespace ms
