// The Live tab in the browser build (in place of gui/panels/live.cpp): a page cannot listen on
// TCP ports, so instead of the listeners' controls it says where live mode is found. Live mode
// never starts here (gui/platform/web/live_unavailable.cpp), so there is nothing to draw or follow.
#include "panels/panels.hpp"

namespace ms {

void draw_live_body(const AppModel&, UiState&) {
  ImGui::PushTextWrapPos(0.0f);
  ImGui::TextUnformatted(
      "Live mode needs the desktop app: a web page cannot open the TCP ports that real mail "
      "clients (Thunderbird, curl, Python's imaplib) would connect to. Build Mailscope on "
      "Debian with scripts/start.sh and open the Live tab there.");
  ImGui::PopTextWrapPos();
}

void draw_live(const AppModel& m, UiState& ui) { draw_live_body(m, ui); }

void follow_live(const AppModel&, UiState&, float) {}

}  // namespace ms
