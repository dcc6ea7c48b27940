// Transcript: every protocol line sent up to the cursor, per world, "C:"/"S:" with the device
// and time, coloured by protocol. Clicking a line moves the cursor to that unit.
#include <algorithm>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "glossary.hpp"
#include "panels/course_ui.hpp"
#include "panels/panels.hpp"
#include "live_display.hpp"
#include "harness/audit.hpp"

namespace ms {

namespace {

// The lines of world `wi` the filter lets through (ui.caches.transcript).
const std::vector<std::uint32_t>& filtered_lines(const WorldModel& w, std::size_t wi,
                                                 UiState& ui) {
  std::vector<TranscriptFilter>& caches = ui.caches.transcript;
  if (caches.size() <= wi) caches.resize(wi + 1);
  TranscriptFilter& c = caches[wi];
  if (c.generation == ui.sandbox.generation && c.build == w.build && c.nlines == w.lines.size() &&
      c.device == ui.filter_device &&
      c.pop3 == ui.filter_pop3 && c.imap == ui.filter_imap && c.smtp == ui.filter_smtp)
    return c.lines;
  c.generation = ui.sandbox.generation;
  c.build = w.build;
  c.nlines = w.lines.size();
  c.device = ui.filter_device;
  c.pop3 = ui.filter_pop3, c.imap = ui.filter_imap, c.smtp = ui.filter_smtp;
  c.lines.clear();
  const auto& recs = w.trace->records();
  for (std::size_t i = 0; i < w.lines.size(); ++i) {
    const Record& r = recs[w.lines[i].rec];
    const bool proto_ok = (r.proto == Proto::POP3 && c.pop3) ||
                          (r.proto == Proto::IMAP && c.imap) ||
                          (r.proto == Proto::SMTP && c.smtp) ||
                          (r.proto != Proto::POP3 && r.proto != Proto::IMAP && r.proto != Proto::SMTP);
    if (!proto_ok) continue;
    if (!c.device.empty() && w.name_of(r.actor) != c.device && w.name_of(r.peer) != c.device)
      continue;
    c.lines.push_back(static_cast<std::uint32_t>(i));
  }
  return c.lines;
}

void world_column(const AppModel& m, const WorldModel& w, std::size_t wi, UiState& ui, float width) {
  ImGui::BeginChild(w.title.c_str(), ImVec2(width, 0), true);
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(proto_color(w.proto)));
  ImGui::TextUnformatted((w.title + " transcript").c_str());
  ImGui::PopStyleColor();
  ImGui::Separator();
  // No horizontal scrolling: a line too long for the column ends in "…" (its tooltip has it).
  ImGui::BeginChild("lines", ImVec2(0, 0), false);
  // Lines of records sent up to the cursor (the view's index counts records with t <= cursor).
  const std::vector<std::uint32_t>& shown = filtered_lines(w, wi, ui);
  const std::size_t visible = static_cast<std::size_t>(
      std::lower_bound(shown.begin(), shown.end(), w.view.index,
                       [&](std::uint32_t li, std::size_t idx) { return w.lines[li].rec < idx; }) -
      shown.begin());
  const auto& recs = w.trace->records();
  const float x0 = ImGui::GetStyle().ItemSpacing.x;
  // The time column is as wide as the latest time this world shows ("15d 00:00:00.250" in a
  // multi-day lesson): times only grow, and their digits are as wide as each other.
  std::string widest = "00:00:00.000";
  if (!w.lines.empty()) {
    const std::string last = format_time(recs[w.lines.back().rec].t);
    if (last.size() > widest.size()) widest = last;
  }
  const float x1 = x0 + ImGui::CalcTextSize(widest.c_str()).x + ImGui::GetStyle().ItemSpacing.x * 2;
  const float x2 = x1 + ImGui::CalcTextSize("S: ").x;
  float name_w = ImGui::CalcTextSize("internet").x;
  for (const ActorInfo& a : w.devices) name_w = std::max(name_w, ImGui::CalcTextSize(a.name.c_str()).x);
  const float x3 = x2 + name_w + ImGui::GetStyle().ItemSpacing.x * 2;
  // Scrolling back by hand stops following the newest line.
  if (ImGui::IsWindowHovered() && ImGui::GetIO().MouseWheel > 0) ui.follow_transcript = false;
  // The layout audit sees the rows wholly in view of this scrolling list; a protocol line runs
  // on under the horizontal scrollbar, so it is recorded as far as it is visible.
  const bool auditing = audit::on();
  const ImVec2 v0 = ImGui::GetWindowPos();
  const ImVec2 v1(v0.x + ImGui::GetWindowWidth() - (ImGui::GetScrollMaxY() > 0 ? ImGui::GetStyle().ScrollbarSize : 0),
                  v0.y + ImGui::GetWindowHeight() - (ImGui::GetScrollMaxX() > 0 ? ImGui::GetStyle().ScrollbarSize : 0));
  const std::string owner = std::string("transcript/") + proto_name(w.proto) + "/line:";
  auto record = [&](const char* part, int row, std::string_view text,
                    const std::string& full = std::string()) {
    const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
    if (a.y < v0.y || b.y > v1.y) return;
    audit::item("text", owner + std::to_string(row) + "/" + part, std::string(text), a, b, v0, v1,
                ImGui::GetFontSize(), full);
  };
  if (m.live.active && m.live.dropped > 0)
    ImGui::TextDisabled("... %zu older records not kept (the live view holds the latest %zu)",
                        m.live.dropped, LiveDisplay::kKeep);
  ImGuiListClipper clip;
  clip.Begin(static_cast<int>(visible));
  while (clip.Step()) {
    for (int i = clip.DisplayStart; i < clip.DisplayEnd; ++i) {
      const WireLine& l = w.lines[shown[i]];
      const Record& r = recs[l.rec];
      const bool from_server = r.actor == w.server;
      const std::string& dev = w.name_of(from_server ? r.peer : r.actor);
      const bool in_flight = r.t_end > ui.cursor;
      ImGui::PushID(i);
      // The row is one selectable; the columns are placed on top of it.
      if (ImGui::Selectable("##row", in_flight, ImGuiSelectableFlags_AllowItemOverlap)) {
        ui.playing = false;
        ui.follow_transcript = false;
        seek(m, ui, r.t + (r.t_end - r.t) / 2);
      }
      const bool hovered = ImGui::IsItemHovered();
      ImGui::SameLine(x0);
      const std::string when = format_time(r.t);
      ImGui::TextDisabled("%s", when.c_str());
      if (auditing) record("time", i, when);
      ImGui::SameLine(x1);
      ImGui::PushStyleColor(ImGuiCol_Text,
                            ImGui::ColorConvertU32ToFloat4(proto_color(r.proto, from_server)));
      ImGui::TextUnformatted(from_server ? "S:" : "C:");
      if (auditing) record("dir", i, from_server ? "S:" : "C:");
      ImGui::SameLine(x2);
      ImGui::TextUnformatted(dev.c_str());
      if (auditing) record("device", i, dev);
      ImGui::SameLine(x3);
      // The line up to the list's right edge, ending in "…" when it goes on (the row's
      // tooltip has it whole): not cut mid-word by the edge ("A10 OK [READ").
      std::string_view text = w.line_text(l).substr(0, 400);
      const std::string whole(text);
      const std::string fitted = fit_text(whole, v1.x - ImGui::GetCursorScreenPos().x -
                                                     ImGui::GetStyle().ItemSpacing.x);
      ImGui::TextUnformatted(fitted.c_str());
      if (auditing) record("text", i, fitted, fitted != whole ? whole : std::string());
      ImGui::PopStyleColor();
      if (hovered) {
        char head[256];
        std::snprintf(head, sizeof head, "%s unit, %zu bytes, %s \xe2\x86\x92 %s, arrives %s",
                      proto_name(r.proto), r.text.size(), w.name_of(r.actor).c_str(),
                      w.name_of(r.peer).c_str(), format_time(r.t_end).c_str());
        tooltip_with_terms(head, std::string(text));  // what the line's protocol words mean
      }
      ImGui::PopID();
    }
  }
  clip.End();
  if (ui.follow_transcript) ImGui::SetScrollHereY(1.0f);
  ImGui::EndChild();
  ImGui::EndChild();
}

}  // namespace

void draw_transcript(const AppModel& m, UiState& ui) {
  ImGui::Checkbox("Follow newest line", &ui.follow_transcript);
  // The hint is a tooltip: a row of text would push the filters out of a narrow panel.
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("Keep the newest line in view. Click a line to move the time cursor there.");
  // Filter: one actor's conversation and/or some protocols.
  ImGui::SameLine();
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 9);
  const char* current = ui.filter_device.empty() ? "all devices" : ui.filter_device.c_str();
  if (ImGui::BeginCombo("device", current)) {
    if (ImGui::Selectable("all devices", ui.filter_device.empty())) ui.filter_device.clear();
    std::vector<std::string> names;
    for (const WorldModel& w : m.worlds) {
      for (const ActorInfo& a : w.devices)
        if (std::find(names.begin(), names.end(), a.name) == names.end()) names.push_back(a.name);
    }
    names.push_back("internet");
    for (const std::string& n : names)
      if (ImGui::Selectable(n.c_str(), ui.filter_device == n)) ui.filter_device = n;
    ImGui::EndCombo();
  }
  ImGui::SameLine();
  ImGui::Checkbox("POP3", &ui.filter_pop3);
  ImGui::SameLine();
  ImGui::Checkbox("IMAP", &ui.filter_imap);
  ImGui::SameLine();
  ImGui::Checkbox("SMTP", &ui.filter_smtp);
  const float gap = ImGui::GetStyle().ItemSpacing.x;
  const int n = std::max<int>(1, static_cast<int>(m.worlds.size()));
  const float w = (ImGui::GetContentRegionAvail().x - gap * (n - 1)) / n;
  for (int i = 0; i < static_cast<int>(m.worlds.size()); ++i) {
    if (i) ImGui::SameLine();
    world_column(m, m.worlds[i], static_cast<std::size_t>(i), ui, w);
  }
}

}  // namespace ms
