// Inspector: the selected message (headers and body as stored, clipped), every copy of it in
// both worlds at the cursor with UID, flags and sync badge, and the protocol state changes the
// engines reported for the store it was selected on.
#include <algorithm>
#include <cstdio>
#include <string>
#include <string_view>

#include "panels/panels.hpp"

namespace ms {

namespace {

constexpr std::size_t kMaxShownBytes = 16 * 1024;  // the raw message is shown up to this much

// The latest engine state changes ("AUTHORIZATION -> TRANSACTION") involving `actor` up to the
// cursor. The engines' StateChanged events are in the trace with their old and new states, and
// the model lists them per actor once, so this is a binary search rather than a scan back.
void state_changes(const WorldModel& w, std::uint16_t actor) {
  const auto& recs = w.trace->records();
  constexpr int kShown = 8;
  std::size_t found[kShown];
  int n = 0;
  if (actor < w.state_events.size()) {
    const auto& ev = w.state_events[actor];
    auto end = std::lower_bound(ev.begin(), ev.end(), w.view.index,
                                [](std::uint32_t i, std::size_t idx) { return i < idx; });
    while (end != ev.begin() && n < kShown) found[n++] = *--end;
  }
  if (n == 0) {
    ImGui::TextDisabled("  no protocol state changes yet");
    return;
  }
  for (int k = n; k-- > 0;) {
    const Record& r = recs[found[k]];
    const bool by_server = r.actor == w.server;
    ImGui::TextDisabled("  %s", format_time(r.t).c_str());
    ImGui::SameLine();
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(proto_color(r.proto, by_server)));
    // Which side's engine changed state: the server's session or the device's client.
    ImGui::PushTextWrapPos(0.0f);
    ImGui::Text("%s %s  %s", proto_name(r.proto), by_server ? "server" : "client", r.text.c_str());
    ImGui::PopTextWrapPos();
    ImGui::PopStyleColor();
  }
}

}  // namespace

namespace {
// The selected message's copies and contents, drawn into the current window.
void inspector_body(const AppModel& m, UiState& ui) {
  // The world the selection was made in, else the first that has the message.
  const WorldModel* home = nullptr;
  if (ui.selected_world >= 0 && ui.selected_world < static_cast<int>(m.worlds.size()) &&
      m.worlds[ui.selected_world].selected)
    home = &m.worlds[ui.selected_world];
  for (const WorldModel& w : m.worlds)
    if (!home && w.selected) home = &w;
  if (ui.selected_key.empty() || !home) {
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextDisabled("Click a message chip in either world to see every copy of it, its "
                        "sync state on each device, and its headers and body.");
    ImGui::PopTextWrapPos();
    return;
  }
  const TraceMessage& tm = home->trace->messages()[home->selected - 1];
  const std::string& label = home->msg_label[home->selected];
  ImGui::Text("Message %s", label.c_str());
  ImGui::SameLine();
  if (ImGui::SmallButton("Clear selection (Esc)")) ui.selected_key.clear();
  if (tm.body) {
    ImGui::PushTextWrapPos(0.0f);
    ImGui::Text("Subject: %s", tm.body->subject.c_str());
    ImGui::TextDisabled("From: %s", tm.body->from.c_str());
    ImGui::PopTextWrapPos();
  }

  // Copies in both worlds, each column as wide as its text. Squeezed into the panel of a
  // 1024- or 1280-wide window the cells were cut mid-word ("duplica", "(unreac"); the table
  // scrolls sideways instead, so its height (no vertical scrolling) is set from its rows.
  int rows = 1;
  for (const WorldModel& w : m.worlds)
    rows += w.selected && w.badges.empty() ? 1 : static_cast<int>(w.badges.size());
  const ImGuiStyle& st = ImGui::GetStyle();
  const float row_h = ImGui::GetTextLineHeight() + st.CellPadding.y * 2 + 1.0f;
  const ImVec2 size(0.0f, static_cast<float>(rows) * row_h + st.ScrollbarSize + 2.0f);
  if (ImGui::BeginTable("copies", 5, ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH |
                                         ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_ScrollX,
                        size)) {
    ImGui::TableSetupColumn("World");
    ImGui::TableSetupColumn("Store");
    ImGui::TableSetupColumn("State");  // before UID and flags: what a narrow panel must show
    ImGui::TableSetupColumn("UID");
    ImGui::TableSetupColumn("Flags");
    ImGui::TableHeadersRow();
    for (const WorldModel& w : m.worlds) {
      if (w.selected && w.badges.empty()) {
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(proto_name(w.proto));
        ImGui::TableNextColumn();
        ImGui::TextDisabled("no copy at this time");
      }
      for (const CopyBadge& b : w.badges) {
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(proto_color(w.proto)));
        ImGui::TextUnformatted(proto_name(w.proto));
        ImGui::PopStyleColor();
        ImGui::TableNextColumn();
        ImGui::Text("%s/%s", w.trace->actor_name(b.actor).c_str(), b.folder.c_str());
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(badge_text(b.badge));
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", badge_explain(b.badge));
        ImGui::TableNextColumn();
        ImGui::Text("%u", b.uid);
        ImGui::TableNextColumn();
        const std::string fl = flags_to_imap(b.flags);
        ImGui::TextUnformatted(fl.empty() ? "(unread)" : fl.c_str());
      }
    }
    ImGui::EndTable();
  }

  ImGui::Spacing();
  ImGui::Text("Protocol state (%s)", home->trace->actor_name(ui.selected_actor).c_str());
  for (const WorldModel& w : m.worlds) {
    if (ui.selected_actor >= w.trace->actors().size()) continue;
    // Actor ids are per trace; match the selected store by name in the other world.
    const std::string& name = home->trace->actor_name(ui.selected_actor);
    for (std::uint16_t a = 0; a < w.trace->actors().size(); ++a)
      if (w.trace->actor_name(a) == name) {
        ImGui::TextUnformatted(w.title.c_str());
        state_changes(w, a);
        break;
      }
  }

  ImGui::Spacing();
  ImGui::TextUnformatted("As stored (RFC 5322)");
  const float min_h = ImGui::GetTextLineHeightWithSpacing() * 10;
  ImGui::BeginChild("raw", ImVec2(0, std::max(min_h, ImGui::GetContentRegionAvail().y)), true,
                    ImGuiWindowFlags_HorizontalScrollbar);
  if (tm.body) {
    std::string_view raw = tm.body->raw;
    const bool cut = raw.size() > kMaxShownBytes;
    raw = raw.substr(0, kMaxShownBytes);
    ImGui::TextUnformatted(raw.data(), raw.data() + raw.size());
    if (cut) ImGui::TextDisabled("... (%zu more bytes)", tm.body->raw.size() - kMaxShownBytes);
  }
  ImGui::EndChild();
}
}  // namespace

// The right-hand lower panel: the inspector and, in a second tab, the sandbox settings.
void draw_inspector(const AppModel& m, UiState& ui) {
  place_window(PanelSlot::Inspector);
  ImGui::Begin("##inspector", nullptr,
               ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoMove |
                   ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoBringToFrontOnFocus);
  if (ImGui::BeginTabBar("##sidetabs")) {
    const char* names[] = {"Inspector", "Settings", "Live"};
    // In live mode the Live panel has the lesson's place; the sandbox does not apply to it.
    const int tabs = m.live.active ? 1 : 3;
    for (int i = 0; i < tabs; ++i) {
      ImGuiTabItemFlags f = ui.side_tab_force == i ? ImGuiTabItemFlags_SetSelected : 0;
      if (ImGui::BeginTabItem(names[i], nullptr, f)) {
        if (i == 0) inspector_body(m, ui);
        else if (i == 1) draw_settings(m, ui);
        else draw_live_body(m, ui);
        ImGui::EndTabItem();
      }
    }
    ui.side_tab_force = -1;
    ImGui::EndTabBar();
  }
  ImGui::End();
}

}  // namespace ms
