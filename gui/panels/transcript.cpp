// Transcript: every protocol line sent up to the cursor, per world, "C:"/"S:" with the device
// and time, coloured by protocol. Clicking a line moves the cursor to that unit.
#include <algorithm>
#include <cstdio>
#include <string>
#include <string_view>

#include "panels/panels.hpp"

namespace ms {

namespace {

void world_column(const AppModel& m, const WorldModel& w, UiState& ui, float width) {
  ImGui::BeginChild(w.title.c_str(), ImVec2(width, 0), true);
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(proto_color(w.proto)));
  ImGui::TextUnformatted((w.title + " transcript").c_str());
  ImGui::PopStyleColor();
  ImGui::Separator();
  ImGui::BeginChild("lines", ImVec2(0, 0), false, ImGuiWindowFlags_HorizontalScrollbar);
  // Lines of records sent up to the cursor (the view's index counts records with t <= cursor).
  const std::size_t visible = static_cast<std::size_t>(
      std::lower_bound(w.lines.begin(), w.lines.end(), w.view.index,
                       [](const WireLine& l, std::size_t idx) { return l.rec < idx; }) -
      w.lines.begin());
  const auto& recs = w.trace->records();
  const float x0 = ImGui::GetStyle().ItemSpacing.x;
  const float x1 = x0 + ImGui::CalcTextSize("00:00:00.000 ").x;
  const float x2 = x1 + ImGui::CalcTextSize("S: ").x;
  float name_w = ImGui::CalcTextSize("internet").x;
  for (const ActorInfo& a : w.devices) name_w = std::max(name_w, ImGui::CalcTextSize(a.name.c_str()).x);
  const float x3 = x2 + name_w + ImGui::GetStyle().ItemSpacing.x * 2;
  // Scrolling back by hand stops following the newest line.
  if (ImGui::IsWindowHovered() && ImGui::GetIO().MouseWheel > 0) ui.follow_transcript = false;
  ImGuiListClipper clip;
  clip.Begin(static_cast<int>(visible));
  while (clip.Step()) {
    for (int i = clip.DisplayStart; i < clip.DisplayEnd; ++i) {
      const WireLine& l = w.lines[i];
      const Record& r = recs[l.rec];
      const bool from_server = r.actor == w.server;
      const std::string& dev = w.trace->actor_name(from_server ? r.peer : r.actor);
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
      ImGui::TextDisabled("%s", format_time(r.t).c_str());
      ImGui::SameLine(x1);
      ImGui::PushStyleColor(ImGuiCol_Text,
                            ImGui::ColorConvertU32ToFloat4(proto_color(r.proto, from_server)));
      ImGui::TextUnformatted(from_server ? "S:" : "C:");
      ImGui::SameLine(x2);
      ImGui::TextUnformatted(dev.c_str());
      ImGui::SameLine(x3);
      std::string_view text = l.text.substr(0, 400);
      ImGui::TextUnformatted(text.data(), text.data() + text.size());
      ImGui::PopStyleColor();
      if (hovered)
        ImGui::SetTooltip("%s unit, %zu bytes, %s \xe2\x86\x92 %s, arrives %s", proto_name(r.proto),
                          r.text.size(), w.trace->actor_name(r.actor).c_str(),
                          w.trace->actor_name(r.peer).c_str(), format_time(r.t_end).c_str());
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
  ImGui::SameLine();
  ImGui::TextDisabled("(click a line to move the time cursor there)");
  const float gap = ImGui::GetStyle().ItemSpacing.x;
  const int n = std::max<int>(1, static_cast<int>(m.worlds.size()));
  const float w = (ImGui::GetContentRegionAvail().x - gap * (n - 1)) / n;
  for (int i = 0; i < static_cast<int>(m.worlds.size()); ++i) {
    if (i) ImGui::SameLine();
    world_column(m, m.worlds[i], ui, w);
  }
}

}  // namespace ms
