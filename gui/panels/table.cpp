// The comparison table, filled in as the lesson's run shows it: a cell appears only once the
// cursor has passed the evidence it is decided from. Rows this lesson does not demonstrate
// point to the lesson that does.
#include <algorithm>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "lesson/table.hpp"
#include "panels/panels.hpp"
#include "util/datadirs.hpp"


namespace ms {

namespace {

struct TableCache {
  unsigned generation = ~0u;
  const LessonRun* run = nullptr;
  std::vector<TableRow> rows;
  std::string error;
  // table.hpp does not say which records a decision read, so a cell waits until the run has
  // gone quiet: the end of the last wire unit or store change in either world.
  Tick evidence_at = 0;
};

// Which lesson demonstrates each row (the first by file name, as compute_table picks).
const std::map<std::string, std::string>& row_lessons() {
  static std::map<std::string, std::string> by_row;
  static bool loaded = false;
  if (loaded) return by_row;
  loaded = true;
  namespace fs = std::filesystem;
  std::error_code ec;
  std::vector<fs::path> files;
  std::string dir;
  try {
    dir = locate_lessons_dir();
  } catch (const DataDirError&) {
    return by_row;  // the lesson itself came from a file; no other lesson to point to
  }
  for (const auto& e : fs::directory_iterator(dir, ec))
    if (e.path().extension() == ".json") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  for (const auto& [row, id] : table_row_lessons()) by_row.emplace(row, id);
  for (const fs::path& f : files) {
    try {
      Lesson L = load_lesson(f.string());
      for (const std::string& r : L.rows) by_row.emplace(r, L.id);
    } catch (const std::exception&) {
      // A malformed lesson shows up where it is loaded; here it just points nowhere.
    }
  }
  return by_row;
}

const TableCache& table_for(const AppModel& m, const UiState& ui) {
  static TableCache c;
  if (c.generation == ui.sandbox.generation && c.run == &m.run) return c;
  c = TableCache{};
  c.generation = ui.sandbox.generation;
  c.run = &m.run;
  try {
    c.rows = decide_rows(m.run);
  } catch (const std::exception& e) {
    c.error = e.what();
  }
  for (const WorldModel& w : m.worlds)
    for (const Record& r : w.trace->records())
      if (r.kind == RecKind::Wire || r.kind == RecKind::Store) c.evidence_at = std::max(c.evidence_at, r.t_end);
  return c;
}

void cell(const TableCell& cell, bool shown, Tick at) {
  if (!shown) {
    ImGui::TextDisabled("... (decided by %s)", format_time(at).c_str());
    return;
  }
  ImGui::TextWrapped("%s", cell.phrase.c_str());
  if (ImGui::IsItemHovered() && !cell.evidence.empty()) {
    ImGui::BeginTooltip();
    ImGui::PushTextWrapPos(ImGui::GetFontSize() * 30);
    ImGui::TextUnformatted(("Evidence: " + cell.evidence).c_str());
    ImGui::PopTextWrapPos();
    ImGui::EndTooltip();
  }
}

}  // namespace

void draw_table(const AppModel& m, UiState& ui) {
  if (m.live.active) {
    // The table compares the lesson's two worlds; the live world is neither.
    ImGui::TextDisabled("The comparison table is filled in from the lesson's POP3 and IMAP "
                        "worlds: go back to the lesson (Live panel) to see it.");
    return;
  }
  const TableCache& c = table_for(m, ui);
  ImGui::TextDisabled("Filled in from this run as the evidence appears (hover a cell for it).");
  if (!c.error.empty()) ImGui::TextColored(ImVec4(1, 0.5f, 0.4f, 1), "%s", c.error.c_str());
  if (!ImGui::BeginTable("comparison", 3,
                         ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY))
    return;
  ImGui::TableSetupScrollFreeze(0, 1);
  ImGui::TableSetupColumn("", ImGuiTableColumnFlags_WidthStretch, 0.8f);
  ImGui::TableSetupColumn("IMAP", ImGuiTableColumnFlags_WidthStretch, 1.2f);
  ImGui::TableSetupColumn("POP3", ImGuiTableColumnFlags_WidthStretch, 1.2f);
  ImGui::TableHeadersRow();
  const bool shown = ui.cursor >= c.evidence_at;
  for (const std::string& name : table_row_names()) {
    ImGui::TableNextRow();
    ImGui::TableSetColumnIndex(0);
    ImGui::TextUnformatted(name.c_str());
    auto it = std::find_if(c.rows.begin(), c.rows.end(),
                           [&](const TableRow& r) { return r.row == name; });
    if (it != c.rows.end()) {
      ImGui::TableSetColumnIndex(1);
      cell(it->imap, shown, c.evidence_at);
      ImGui::TableSetColumnIndex(2);
      cell(it->pop3, shown, c.evidence_at);
      continue;
    }
    const auto& by_row = row_lessons();
    auto l = by_row.find(name);
    const std::string see = l == by_row.end() ? "\xe2\x80\x94 (no lesson shows it)"
                                              : "\xe2\x80\x94 (see lesson " + l->second + ")";
    for (int col = 1; col <= 2; ++col) {
      ImGui::TableSetColumnIndex(col);
      ImGui::TextDisabled("%s", see.c_str());
    }
  }
  ImGui::EndTable();
}

}  // namespace ms
