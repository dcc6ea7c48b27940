// Sandbox: right-click a device or the server to act at the cursor's time. Each action is an
// Intent; main re-runs the lesson with it between frames (intents.hpp), so what is shown after
// the cursor is the future the user's action made.
#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "imgui_internal.h"  // BeginViewportSideBar: the toolbar takes a strip of the viewport
#include "icons.hpp"
#include "panels/course_ui.hpp"
#include "panels/panels.hpp"

namespace ms {

namespace {

void queue(UiState& ui, ScriptAction a) {
  a.at = ui.cursor;
  Intent in;
  in.action = std::move(a);
  ui.sandbox.pending.push_back(std::move(in));
}

ScriptAction act(const std::string& device, const std::string& what, int message = 0) {
  ScriptAction a;
  a.device = device;
  a.what = what;
  a.message = message;
  return a;
}

// A message on the device at the cursor that the script can name (a scenario number).
struct MenuMessage {
  int n = 0;
  std::string label;
};

std::vector<MenuMessage> messages_at_cursor(const WorldModel& w, std::uint16_t actor) {
  std::vector<MenuMessage> out;
  if (actor >= w.view.stores.size()) return out;
  for (const ViewFolder& f : w.view.stores[actor].folders)
    for (const ViewEntry& e : f.entries) {
      if (e.msg == 0 || e.msg >= w.msg_label.size()) continue;
      const std::string& lab = w.msg_label[e.msg];
      if (lab.empty() || lab[0] < '0' || lab[0] > '9') continue;  // replies have no number
      const int n = std::atoi(lab.c_str());
      if (std::any_of(out.begin(), out.end(), [&](const MenuMessage& m) { return m.n == n; }))
        continue;
      const TraceMessage& tm = w.trace->messages()[e.msg - 1];
      std::string subject = tm.body ? tm.body->subject : std::string();
      if (subject.size() > 40) subject = subject.substr(0, 37) + "...";
      out.push_back({n, lab + "  \"" + subject + "\"" + (f.name == "INBOX" ? "" : "  (" + f.name + ")")});
    }
  std::sort(out.begin(), out.end(), [](const MenuMessage& a, const MenuMessage& b) { return a.n < b.n; });
  return out;
}

bool right_clicked(ImVec2 a, ImVec2 b) {
  return ImGui::IsWindowHovered() && ImGui::IsMouseHoveringRect(a, b) &&
         ImGui::IsMouseClicked(ImGuiMouseButton_Right);
}

std::string unique_device_name(const AppModel& m, const std::string& kind) {
  std::vector<std::string> taken;
  for (const WorldModel& w : m.worlds)
    for (const ActorInfo& a : w.devices) taken.push_back(w.trace->actor_name(a.id));
  for (const DeviceSpec& d : m.run.lesson.devices) taken.push_back(d.name);
  for (const ScriptAction& a : m.run.lesson.script)
    if (a.what == "add device") taken.push_back(a.new_device.name);
  return new_device_name(taken, kind);
}

// "Add device" as a script action: the newcomer uses the settings of the lesson's first
// device, as a second device set up by the same person would.
ScriptAction add_device(const AppModel& m, DeviceKind k) {
  ScriptAction a;
  a.what = "add device";
  a.new_device.name = unique_device_name(m, device_kind_name(k));
  a.new_device.kind = k;
  if (!m.run.lesson.devices.empty()) {
    const DeviceSpec& d0 = m.run.lesson.devices[0];
    a.new_device.pop3 = d0.pop3;
    a.new_device.imap = d0.imap;
    a.new_device.account = d0.account;
    a.new_device.password = d0.password;
    a.new_device.link = d0.link;
  }
  return a;
}

}  // namespace

bool apply_sandbox(AppModel& m, UiState& ui) {
  // The live world is not a lesson run: intents wait until the lesson is back.
  if (m.live.active) return false;
  std::optional<LessonRun> run = rerun_sandbox(ui.sandbox);
  if (!ui.sandbox.error.empty()) {
    ui.status = "Sandbox: " + ui.sandbox.error;
    ui.status_until = ImGui::GetTime() + 6.0;
    ui.sandbox.error.clear();
  }
  if (!run) return false;
  // The old run is replaced only now, between frames, after the new one is complete.
  m.run = std::move(*run);
  m.wire_mid.clear();
  build_model(m);
  ui.cursor = std::clamp<Tick>(ui.cursor, 0, m.duration);
  if (ui.quiz_choice.size() != m.run.lesson.quiz.size())
    ui.quiz_choice.assign(m.run.lesson.quiz.size(), -1);
  return true;
}

void sandbox_device_menu(const AppModel& m, int world, std::uint16_t actor, UiState& ui,
                         ImVec2 box0, ImVec2 box1) {
  if (m.live.active) return;  // real clients take no intents
  char id[48];
  std::snprintf(id, sizeof id, "sandbox-device-%d-%u", world, static_cast<unsigned>(actor));
  const WorldModel& w = m.worlds[world];
  const std::string& name = w.trace->actor_name(actor);
  // (After a few frames: windows appearing for the first time would close it again.)
  if (world == 0 && ImGui::GetFrameCount() > 3 && ui.sandbox_menu == name) {
    // Opened from the command line: placed by the box, as if it had been right-clicked.
    ImGui::OpenPopup(id);
    ImGui::SetNextWindowPos(ImVec2(box0.x + 40, box0.y + 30));
    ui.sandbox_menu.clear();
  }
  if (right_clicked(box0, box1)) {
    ui.playing = false;
    ImGui::OpenPopup(id);
  }
  if (!ImGui::BeginPopup(id)) return;
  ImGui::TextDisabled("%s at %s (both worlds)", name.c_str(), format_time(ui.cursor).c_str());
  ImGui::Separator();
  if (ImGui::MenuItem("Check mail")) queue(ui, act(name, "check mail"));
  const std::vector<MenuMessage> msgs = messages_at_cursor(w, actor);
  const struct { const char* label; const char* what; } kPer[] = {
      {"Read message", "read"}, {"Flag message", "flag"}, {"Unflag message", "unflag"},
      {"Delete message", "delete"}, {"Reply to message", "reply"}};
  for (const auto& p : kPer) {
    if (ImGui::BeginMenu(p.label, !msgs.empty())) {
      for (const MenuMessage& mm : msgs)
        if (ImGui::MenuItem(mm.label.c_str())) {
          ScriptAction a = act(name, p.what, mm.n);
          if (a.what == "reply") {
            a.to = "bob@outside.example";
            a.text = "Sent from my " + name + ".";
          }
          queue(ui, a);
        }
      ImGui::EndMenu();
    }
  }
  if (ImGui::MenuItem("Send new mail")) {
    ScriptAction a = act(name, "send");
    a.to = "bob@outside.example";
    a.subject = "Sandbox note " + std::to_string(ui.sandbox.applied.size() + 1);
    a.text = "Sent from my " + name + ".";
    queue(ui, a);
  }
  if (ImGui::MenuItem("Empty Trash")) queue(ui, act(name, "empty trash"));
  ImGui::Separator();
  const bool online = actor < w.view.stores.size() ? w.view.stores[actor].online : true;
  if (ImGui::MenuItem(online ? "Go offline" : "Go online"))
    queue(ui, act(name, online ? "go offline" : "go online"));
  if (ImGui::MenuItem("Lose device")) queue(ui, act(name, "lose"));
  ImGui::Separator();
  if (ImGui::MenuItem("Settings...")) ui.side_tab_force = 1;
  ImGui::EndPopup();
}

void sandbox_server_menu(const AppModel& m, int world, UiState& ui, ImVec2 box0, ImVec2 box1) {
  if (m.live.active) return;
  char id[40];
  std::snprintf(id, sizeof id, "sandbox-server-%d", world);
  if (right_clicked(box0, box1)) {
    ui.playing = false;
    ImGui::OpenPopup(id);
  }
  if (!ImGui::BeginPopup(id)) return;
  ImGui::TextDisabled("server at %s (both worlds)", format_time(ui.cursor).c_str());
  ImGui::Separator();
  if (ImGui::BeginMenu("Add a device...")) {
    for (DeviceKind k : {DeviceKind::Phone, DeviceKind::Desktop, DeviceKind::Laptop,
                         DeviceKind::Tablet}) {
      if (ImGui::MenuItem(device_kind_name(k))) queue(ui, add_device(m, k));
    }
    ImGui::EndMenu();
  }
  if (ImGui::MenuItem("Server settings...")) ui.side_tab_force = 1;
  ImGui::EndPopup();
}

void draw_toolbar(const AppModel& m, UiState& ui) {
  if (ui.presenter || m.live.active || m.worlds.empty()) return;
  ImGuiViewport* vp = ImGui::GetMainViewport();
  const float h = ImGui::GetFrameHeight() + ImGui::GetStyle().WindowPadding.y * 2;
  if (!ImGui::BeginViewportSideBar("##try-it", vp, ImGuiDir_Up, h,
                                   ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoSavedSettings |
                                       ImGuiWindowFlags_NoScrollWithMouse)) {
    ImGui::End();
    return;
  }
  ImGui::AlignTextToFramePadding();
  ImGui::TextColored(ImVec4(0.98f, 0.80f, 0.35f, 1.0f), ICON_HAND " Try it yourself:");
  audit_last("text", "toolbar/label", "Try it yourself:");
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("Act on a device at the cursor's time (%s), in both worlds: the lesson\n"
                      "re-runs with your action and shows the future it makes.\n"
                      "Right-click a device or the server for more.",
                      format_time(ui.cursor).c_str());
  // The devices present at the cursor, by name (the same names in both worlds).
  std::vector<std::string> names;
  const WorldModel& w0 = m.worlds[0];
  for (const ActorInfo& a : w0.devices) {
    const bool here = a.id < w0.view.stores.size() && w0.view.stores[a.id].present &&
                      !w0.view.stores[a.id].lost;
    if (here) names.push_back(w0.trace->actor_name(a.id));
  }
  if (std::find(names.begin(), names.end(), ui.toolbar_device) == names.end())
    ui.toolbar_device = names.empty() ? "" : names[0];
  ImGui::SameLine();
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 6.5f);
  if (ImGui::BeginCombo("##device", ui.toolbar_device.c_str())) {
    for (const std::string& n : names)
      if (ImGui::Selectable(n.c_str(), n == ui.toolbar_device)) ui.toolbar_device = n;
    ImGui::EndCombo();
  }
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("The device that acts");
  // Its messages at the cursor, from the world where it holds the most.
  std::vector<MenuMessage> msgs;
  for (const WorldModel& w : m.worlds)
    for (const ActorInfo& a : w.devices)
      if (w.trace->actor_name(a.id) == ui.toolbar_device) {
        std::vector<MenuMessage> here = messages_at_cursor(w, a.id);
        if (here.size() > msgs.size()) msgs = std::move(here);
      }
  if (std::none_of(msgs.begin(), msgs.end(),
                   [&](const MenuMessage& x) { return x.n == ui.toolbar_message; }))
    ui.toolbar_message = msgs.empty() ? 0 : msgs[0].n;
  std::string shown = "no message";
  for (const MenuMessage& x : msgs)
    if (x.n == ui.toolbar_message) shown = x.label;
  // Narrow windows (1024 px) show the actions as icons (each keeps its tooltip).
  static const char* kFull[] = {ICON_EYE " Read", ICON_FLAG " Flag", ICON_TRASH " Delete",
                                ICON_PAPER_PLANE " Send", ICON_WIFI " Go offline",
                                ICON_CHAIN_BROKEN " Lose", ICON_PLUS " Add device",
                                ICON_UNDO " Undo"};
  const ImGuiStyle& st = ImGui::GetStyle();
  float need = 0;
  for (const char* l : kFull)
    need += ImGui::CalcTextSize(l).x + st.FramePadding.x * 2 + st.ItemSpacing.x;
  const float right = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
  ImGui::SameLine();
  // The message's whole label ("1 \"Lunch on Friday?\"") where the toolbar has room for it
  // beside the buttons' full labels; 7.5 em (the label cut) where it has not.
  const float min_w = ImGui::GetFontSize() * 7.5f;
  const float whole = ImGui::CalcTextSize(shown.c_str()).x + st.FramePadding.x * 2 +
                      ImGui::GetFrameHeight();
  const float room = right - ImGui::GetCursorScreenPos().x - need;
  ImGui::SetNextItemWidth(std::max(min_w, std::min(whole, room)));
  if (ImGui::BeginCombo("##message", shown.c_str())) {
    for (const MenuMessage& x : msgs)
      if (ImGui::Selectable(x.label.c_str(), x.n == ui.toolbar_message)) ui.toolbar_message = x.n;
    ImGui::EndCombo();
  }
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("The message to read, flag or delete");
  const bool have_device = !ui.toolbar_device.empty();
  const bool have_msg = have_device && ui.toolbar_message > 0;
  const bool compact = right - ImGui::GetItemRectMax().x < need;
  auto button = [&](const char* full, bool enabled, const char* tip) {
    ImGui::SameLine();
    ImGui::BeginDisabled(!enabled);
    // The icon is the label's first word; the ID stays the full label's.
    std::string label = full;
    if (compact) label = label.substr(0, label.find(' ')) + "###" + full;
    const bool pressed = ImGui::Button(label.c_str());
    ImGui::EndDisabled();
    if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) ImGui::SetTooltip("%s", tip);
    if (pressed) ui.playing = false;
    return pressed;
  };
  const std::string& dev = ui.toolbar_device;
  if (button(ICON_EYE " Read", have_msg, "Open the message on this device (it becomes \\Seen)"))
    queue(ui, act(dev, "read", ui.toolbar_message));
  if (button(ICON_FLAG " Flag", have_msg, "Flag the message (\\Flagged)"))
    queue(ui, act(dev, "flag", ui.toolbar_message));
  if (button(ICON_TRASH " Delete", have_msg, "Delete the message on this device"))
    queue(ui, act(dev, "delete", ui.toolbar_message));
  if (button(ICON_PAPER_PLANE " Send", have_device, "Send a new mail from this device (SMTP)")) {
    ScriptAction a = act(dev, "send");
    a.to = "bob@outside.example";
    a.subject = "Sandbox note " + std::to_string(ui.sandbox.applied.size() + 1);
    a.text = "Sent from my " + dev + ".";
    queue(ui, a);
  }
  bool online = true;
  for (const ActorInfo& a : w0.devices)
    if (w0.trace->actor_name(a.id) == dev && a.id < w0.view.stores.size())
      online = w0.view.stores[a.id].online;
  if (button(online ? ICON_WIFI " Go offline" : ICON_WIFI " Go online", have_device,
             online ? "Take this device's link down" : "Bring this device's link back"))
    queue(ui, act(dev, online ? "go offline" : "go online"));
  if (button(ICON_CHAIN_BROKEN " Lose", have_device,
             "The device is lost or broken: it and everything stored on it are gone"))
    queue(ui, act(dev, "lose"));
  ImGui::SameLine();
  const bool add = ImGui::Button(compact ? ICON_PLUS "###add" : ICON_PLUS " Add device");
  if (add || (ui.open_dialog == "add-device" && ImGui::GetFrameCount() > 3)) {
    ui.playing = false;
    ImGui::OpenPopup("add-device");
    ui.open_dialog.clear();
  }
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Add a device (it checks mail at once)");
  // Under the button, however it was opened (a click, or --open with no mouse at all).
  ImGui::SetNextWindowPos(ImVec2(ImGui::GetItemRectMin().x, ImGui::GetItemRectMax().y),
                          ImGuiCond_Appearing);
  if (ImGui::BeginPopup("add-device")) {
    for (DeviceKind k : {DeviceKind::Phone, DeviceKind::Desktop, DeviceKind::Laptop,
                         DeviceKind::Tablet}) {
      const std::string name = unique_device_name(m, device_kind_name(k));
      if (ImGui::MenuItem(name.c_str())) queue(ui, add_device(m, k));
    }
    ImGui::EndPopup();
  }
  const std::string last = ui.sandbox.applied.empty() ? "" : ui.sandbox.applied.back().describe();
  if (button(ICON_UNDO " Undo", ui.sandbox.active(),
             last.empty() ? "Nothing to undo" : ("Undo: " + last).c_str()))
    ui.sandbox.undo = true;
  ImGui::End();
}

void draw_sandbox_banner(const AppModel& m, UiState& ui) {
  const Sandbox& s = ui.sandbox;
  if (!s.active() || m.live.active) return;
  char text[128];
  std::snprintf(text, sizeof text, "Sandbox: your actions branch a new future from %s",
                format_time(branch_time(s.applied).value_or(0)).c_str());
  auto contents = [&] {
    ImGui::TextColored(ImVec4(1.0f, 0.78f, 0.35f, 1.0f), "%s", text);
    const bool hovered = ImGui::IsItemHovered();
    ImGui::SameLine();
    if (ImGui::SmallButton("Reset to the lesson")) ui.sandbox.reset = true;
    if (hovered || ImGui::IsItemHovered()) {
      ImGui::BeginTooltip();
      ImGui::TextUnformatted("Your changes (the lesson's checks still expect its own plan):");
      for (const Intent& in : s.applied) ImGui::BulletText("%s", in.describe().c_str());
      ImGui::EndTooltip();
    }
  };
  const float width = ImGui::CalcTextSize(text).x + ImGui::CalcTextSize("Reset to the lesson").x +
                      ImGui::GetStyle().FramePadding.x * 2 + ImGui::GetStyle().ItemSpacing.x * 2;
  if (!ui.presenter) {
    // Appended to the main menu bar, right-aligned: always in view, hiding nothing.
    if (ImGui::BeginMainMenuBar()) {
      ImGui::SetCursorPosX(std::max(ImGui::GetCursorPosX(), ImGui::GetWindowWidth() - width));
      contents();
      ImGui::EndMainMenuBar();
    }
    return;
  }
  // Presenter mode has no menu bar: a strip at the top centre instead.
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(ImVec2(vp->WorkPos.x + vp->WorkSize.x * 0.5f, vp->WorkPos.y + 4),
                          ImGuiCond_Always, ImVec2(0.5f, 0.0f));
  ImGui::Begin("##sandbox-banner", nullptr,
               ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_AlwaysAutoResize |
                   ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoFocusOnAppearing |
                   ImGuiWindowFlags_NoSavedSettings);
  contents();
  ImGui::End();
  (void)m;
}

}  // namespace ms
