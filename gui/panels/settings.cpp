// Sandbox settings: each device's client policy and link, the server's quota and retention.
// "Apply" re-runs the lesson with them from the start: the lesson format has no way to change
// a setting halfway, so neither does the sandbox.
#include <algorithm>
#include <string>
#include <vector>

#include "panels/panels.hpp"

namespace ms {

namespace {

struct Edit {
  unsigned generation = ~0u;
  const LessonRun* run = nullptr;
  std::vector<DeviceSpec> original, devices;
  ServerSettings server;
  std::uint64_t quota = 0;
};

bool same_link(const LinkSpec& a, const LinkSpec& b) {
  return a.latency == b.latency && a.bits_per_second == b.bits_per_second;
}
bool same_pop3(const Pop3Policy& a, const Pop3Policy& b) {
  return a.leave_on_server == b.leave_on_server && a.delete_after_days == b.delete_after_days &&
         a.delete_when_deleted_locally == b.delete_when_deleted_locally &&
         a.check_every_minutes == b.check_every_minutes && a.headers_first == b.headers_first &&
         a.recent_mode == b.recent_mode;
}
bool same_imap(const ImapPolicy& a, const ImapPolicy& b) {
  return a.on_delete == b.on_delete && a.idle == b.idle &&
         a.check_every_minutes == b.check_every_minutes && a.offline_cache == b.offline_cache &&
         a.save_sent_on_server == b.save_sent_on_server && a.bodies_on_demand == b.bodies_on_demand &&
         a.use_condstore == b.use_condstore;
}
bool same_device(const DeviceSpec& a, const DeviceSpec& b) {
  return same_link(a.link, b.link) && same_pop3(a.pop3, b.pop3) && same_imap(a.imap, b.imap);
}

// The lesson's devices, and those its script adds, as the current run set them up.
Edit& edit_for(const AppModel& m, const UiState& ui) {
  static Edit e;
  if (e.generation == ui.sandbox.generation && e.run == &m.run) return e;
  e = Edit{};
  e.generation = ui.sandbox.generation;
  e.run = &m.run;
  e.original = m.run.lesson.devices;
  for (const ScriptAction& a : m.run.lesson.script)
    if (a.what == "add device") e.original.push_back(a.new_device);
  e.devices = e.original;
  e.server = m.run.lesson.server;
  e.quota = m.run.lesson.quota;
  return e;
}

void int_field(const char* label, int& v, int lo, int hi) {
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 6);
  if (ImGui::InputInt(label, &v)) v = std::clamp(v, lo, hi);
}

void link_editor(LinkSpec& l) {
  struct Preset { const char* name; Tick latency; std::uint64_t bps; };
  static const Preset kPresets[] = {{"broadband", 20 * kMs, 20'000'000},
                                    {"mobile", 80 * kMs, 5'000'000},
                                    {"dial-up", 150 * kMs, 56'000}};
  const char* current = "custom";
  for (const Preset& p : kPresets)
    if (p.latency == l.latency && p.bps == l.bits_per_second) current = p.name;
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 8);
  if (ImGui::BeginCombo("link", current)) {
    for (const Preset& p : kPresets)
      if (ImGui::Selectable(p.name, current == p.name)) l = {p.latency, p.bps};
    ImGui::EndCombo();
  }
  int ms = static_cast<int>(l.latency / kMs);
  int kbps = static_cast<int>(l.bits_per_second / 1000);
  int_field("latency (ms)", ms, 0, 60000);
  int_field("speed (kbit/s)", kbps, 1, 10'000'000);
  l.latency = static_cast<Tick>(ms) * kMs;
  l.bits_per_second = static_cast<std::uint64_t>(kbps) * 1000;
}

void device_editor(DeviceSpec& d) {
  link_editor(d.link);
  ImGui::Separator();
  ImGui::TextDisabled("POP3 client");
  ImGui::Checkbox("Leave a copy on the server", &d.pop3.leave_on_server);
  if (d.pop3.leave_on_server) {
    ImGui::Indent();
    int_field("remove after N days (0: never)", d.pop3.delete_after_days, 0, 3650);
    ImGui::Checkbox("Remove when deleted here", &d.pop3.delete_when_deleted_locally);
    ImGui::Unindent();
  }
  int_field("check every N min (0: by hand)##pop3", d.pop3.check_every_minutes, 0, 10000);
  ImGui::Checkbox("Headers first (TOP)", &d.pop3.headers_first);
  ImGui::Separator();
  ImGui::TextDisabled("IMAP client");
  const char* kDelete[] = {"Move it to Trash", "Mark it deleted", "Remove it at once"};
  int od = static_cast<int>(d.imap.on_delete);
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 10);
  if (ImGui::Combo("on delete", &od, kDelete, 3))
    d.imap.on_delete = static_cast<ImapPolicy::OnDelete>(od);
  ImGui::Checkbox("Push (IDLE)", &d.imap.idle);
  int_field("check every N min (0: by hand)##imap", d.imap.check_every_minutes, 0, 10000);
  ImGui::Checkbox("Keep messages offline", &d.imap.offline_cache);
  ImGui::Checkbox("Save sent mail on the server", &d.imap.save_sent_on_server);
  ImGui::Checkbox("Headers first, bodies when read", &d.imap.bodies_on_demand);
}

}  // namespace

void draw_settings(const AppModel& m, UiState& ui) {
  Edit& e = edit_for(m, ui);
  ImGui::PushTextWrapPos(0.0f);
  ImGui::TextDisabled("Sandbox: changes apply from the start of the run (both worlds).");
  ImGui::PopTextWrapPos();
  bool dirty = e.server.retention_days != m.run.lesson.server.retention_days ||
               e.quota != m.run.lesson.quota;
  for (std::size_t i = 0; i < e.devices.size(); ++i)
    dirty |= !same_device(e.devices[i], e.original[i]);
  ImGui::BeginDisabled(!dirty);
  if (ImGui::Button("Apply")) {
    for (std::size_t i = 0; i < e.devices.size(); ++i)
      if (!same_device(e.devices[i], e.original[i])) {
        Intent in;
        in.kind = Intent::Kind::Device;
        in.device = e.devices[i];
        ui.sandbox.pending.push_back(in);
      }
    if (e.server.retention_days != m.run.lesson.server.retention_days ||
        e.quota != m.run.lesson.quota) {
      Intent in;
      in.kind = Intent::Kind::Server;
      in.server = e.server;
      in.quota = e.quota;
      ui.sandbox.pending.push_back(in);
    }
  }
  ImGui::SameLine();
  if (ImGui::Button("Undo edits")) {
    e.devices = e.original;
    e.server = m.run.lesson.server;
    e.quota = m.run.lesson.quota;
  }
  ImGui::EndDisabled();
  ImGui::BeginChild("settings", ImVec2(0, 0), false);
  if (ImGui::CollapsingHeader("Server", ImGuiTreeNodeFlags_DefaultOpen)) {
    int kb = static_cast<int>(std::min<std::uint64_t>(e.quota / 1024, 1u << 30));
    int_field("quota (KB, 0: none)", kb, 0, 1 << 30);
    e.quota = static_cast<std::uint64_t>(kb) * 1024;
    int_field("retention (days, 0: keep)", e.server.retention_days, 0, 3650);
  }
  for (DeviceSpec& d : e.devices) {
    ImGui::PushID(d.name.c_str());
    if (ImGui::CollapsingHeader((std::string(kind_icon(device_kind_name(d.kind))) + "  " + d.name)
                                    .c_str()))
      device_editor(d);
    ImGui::PopID();
  }
  ImGui::EndChild();
}

}  // namespace ms
