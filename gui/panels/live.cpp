// The Live panel: start and stop the listeners that serve the live world to real mail clients
// (ports, the addresses to use, the accounts), follow the live world, and connect the
// simulated client engine out to a real server. It only edits UiState; main carries the
// requests out through its LiveSession between frames (gui/live_session.hpp).
#include <cstdio>
#include <string>

#include "icons.hpp"
#include "panels/panels.hpp"
#include "live_display.hpp"

namespace ms {

namespace {

void port_field(const char* label, int& port, bool enabled) {
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 3.6f);
  if (!enabled) ImGui::BeginDisabled();
  if (ImGui::InputInt(label, &port, 0)) port = std::clamp(port, 0, 65535);
  if (!enabled) ImGui::EndDisabled();
}

}  // namespace

void draw_live_body(const AppModel& m, UiState& ui) {
  const LiveInfo& li = m.live;
  LiveUi& f = ui.live;
  ImGui::PushTextWrapPos(0.0f);
  if (li.listening) {
    ImGui::TextUnformatted(ICON_PLUG "  Listening on 127.0.0.1: point a mail client here");
    for (const LiveInfo::Listener& l : li.listeners) {
      const char* what = l.proto == "imap"   ? "IMAP"
                         : l.proto == "pop3" ? "POP3"
                                             : "SMTP submission";
      ImGui::BulletText("%s  %s", what, l.address.c_str());
    }
  } else {
    ImGui::TextUnformatted("Real mail clients (Thunderbird, curl, Python's imaplib) can talk to "
                           "the simulated server: start listening on 127.0.0.1.");
  }
  if (li.active) {
    ImGui::TextDisabled("World: %s", li.world_desc.c_str());
    std::string accts;
    for (const auto& [name, pw] : li.accounts)
      accts += (accts.empty() ? "" : ", ") + name + " / password " + pw;
    ImGui::Text("Accounts: %s", accts.empty() ? "(none)" : accts.c_str());
    ImGui::Text("Connections: %zu open, %zu finished", li.open, li.finished);
  }
  ImGui::Separator();
  const bool can_edit = !li.listening;
  port_field("IMAP", f.imap_port, can_edit);
  ImGui::SameLine();
  port_field("POP3", f.pop3_port, can_edit);
  ImGui::SameLine();
  port_field("SMTP", f.smtp_port, can_edit);
  ImGui::TextDisabled("Port 0 lets the system pick a free one.");
  if (!li.active) ImGui::Checkbox("Serve the lesson's IMAP world (else alice / secret)",
                                  &f.lesson_world);
  if (!li.listening) {
    if (ImGui::Button(ICON_PLAY "  Start listening")) f.start = true;
  } else if (ImGui::Button(ICON_STOP "  Stop listening")) {
    f.stop = true;
  }
  if (li.active) {
    ImGui::SameLine();
    if (ImGui::Checkbox("Follow now", &f.follow)) f.followed = -1;
    if (ImGui::Button("Back to the lesson")) f.leave = true;
  }
  ImGui::Separator();
  ImGui::TextUnformatted("Connect out: the simulated client engine fetches from a real server");
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 5);
  ImGui::Combo("##proto", &f.out_proto, "POP3\0IMAP\0");
  ImGui::SameLine();
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 7);
  ImGui::InputText("host", f.host, sizeof f.host);
  ImGui::SameLine();
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 5);
  if (ImGui::InputInt("port", &f.out_port, 0)) f.out_port = std::clamp(f.out_port, 1, 65535);
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 6);
  ImGui::InputText("user", f.user, sizeof f.user);
  ImGui::SameLine();
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 6);
  ImGui::InputText("password", f.pass, sizeof f.pass, ImGuiInputTextFlags_Password);
  if (f.out_proto == 0) {
    ImGui::SameLine();
    ImGui::Checkbox("keep on server", &f.keep);
  }
  if (ImGui::Button("Connect")) f.connect = true;
  ImGui::SameLine();
  ImGui::TextDisabled("(loopback only)");
  for (const std::string& c : li.clients) ImGui::BulletText("%s", c.c_str());
  if (!li.error.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(look().broken));
    ImGui::TextUnformatted(li.error.c_str());
    ImGui::PopStyleColor();
  }
  if (li.active) {
    ImGui::Separator();
    ImGui::TextDisabled("A real client's units arrive within microseconds; they are drawn one "
                        "after another, each taking 20 ms to cross its link, so that they can "
                        "be followed. mailscope-cli serve --save-trace keeps the real times.");
    if (li.dropped > 0)
      ImGui::TextDisabled("The view holds the latest %zu records: %zu older ones are not kept "
                          "(hatched on the timeline); the stores keep every message.",
                          LiveDisplay::kKeep, li.dropped);
  }
  ImGui::PopTextWrapPos();
}

void draw_live(const AppModel& m, UiState& ui) {
  place_window(PanelSlot::Lesson);
  ImGui::Begin("##live", nullptr,
               ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoMove |
                   ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoBringToFrontOnFocus);
  if (m.big) ImGui::PushFont(m.big);
  ImGui::TextUnformatted("Live mode");
  if (m.big) ImGui::PopFont();
  draw_live_body(m, ui);
  ImGui::End();
}

void follow_live(const AppModel& m, UiState& ui, float dt) {
  LiveUi& f = ui.live;
  // Moving the cursor by hand (timeline, transcript, sequence diagram) stops following.
  if (f.follow && f.followed >= 0 && ui.cursor != f.followed) f.follow = false;
  if (!f.follow) {
    f.followed = -1;
    return;
  }
  // Far behind "now" (a burst the display cannot play unit by unit): skip ahead.
  if (m.duration - ui.cursor > 2 * kSecond) ui.cursor = m.duration - 2 * kSecond;
  // Towards now as playback moves: units crossing their links at watchable speed, idle gaps
  // crossed quickly.
  ui.playing = true;
  advance_playback(m, ui, dt);
  ui.playing = false;
  f.followed = ui.cursor;
}

}  // namespace ms
