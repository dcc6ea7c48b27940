// The comparison table, POP3 | IMAP as the worlds are drawn. Every row is filled: the rows the
// current lesson shows come from its run and appear once the cursor has passed their evidence;
// the others come from each row's own lesson, run headless in the background as
// `mailscope-cli table` does (compute_table). Each cell is a link that opens the lesson (at the
// step) that decided it, and the whole table exports as the CLI's HTML page.
#include <algorithm>
#include <chrono>
#include <future>
#include <map>
#include <string>
#include <vector>

#include "icons.hpp"
#include "lesson/table.hpp"
#include "panels/course_ui.hpp"
#include "panels/panels.hpp"
#include "util/datadirs.hpp"

namespace ms {

namespace {

const TableCache& table_for(const AppModel& m, UiState& ui) {
  TableCache& c = ui.caches.table;
  if (c.generation == ui.sandbox.generation && c.run == &m.run && c.lesson == m.run.lesson.id)
    return c;
  c = TableCache{};
  c.generation = ui.sandbox.generation;
  c.run = &m.run;
  c.lesson = m.run.lesson.id;
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

// `wait`: screenshots show the finished table, never a half-computed one.
FullTable& full_table(UiState& ui, const std::string& lessons_dir, bool wait = false) {
  FullTable& t = ui.caches.full_table;
  if (!t.started) {
    t.started = true;
    t.job = std::async(std::launch::async, [dir = lessons_dir] { return compute_table(dir); });
  }
  if (wait && t.job.valid()) t.job.wait();
  if (!t.ready && t.job.valid() &&
      t.job.wait_for(std::chrono::seconds(0)) == std::future_status::ready) {
    try {
      t.rows = t.job.get();
    } catch (const std::exception& e) {
      t.error = e.what();
    }
    t.ready = true;
  }
  return t;
}

// One cell: its phrase, and under it the link to the lesson that decided it.
void cell(const AppModel& m, UiState& ui, const TableCell& c, const std::string& lesson,
          const std::string& owner) {
  ImGui::PushTextWrapPos(0.0f);
  ImGui::TextUnformatted(c.phrase.c_str());
  ImGui::PopTextWrapPos();
  audit_last("text", owner, c.phrase);
  const bool phrase_hovered = ImGui::IsItemHovered();
  const CourseLesson* l = m.course.find(lesson);
  const int step = std::max(1, c.step);
  const std::string link = std::string(ICON_PLAY " ") + (l ? l->title : lesson) + ", step " +
                           std::to_string(step);
  ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0.55f, 0.75f, 1.0f, 1.0f));
  ImGui::PushTextWrapPos(0.0f);
  ImGui::TextUnformatted(link.c_str());
  ImGui::PopTextWrapPos();
  ImGui::PopStyleColor();
  const bool link_hovered = ImGui::IsItemHovered();
  if (link_hovered) ImGui::SetMouseCursor(ImGuiMouseCursor_Hand);
  if ((phrase_hovered || link_hovered) && ImGui::IsMouseClicked(ImGuiMouseButton_Left)) {
    ui.open_lesson = lesson;
    ui.open_step = step;
    ui.open_step_end = true;  // the cell reads what the step left behind
  }
  if (phrase_hovered || link_hovered) {
    ImGui::BeginTooltip();
    ImGui::PushTextWrapPos(ImGui::GetFontSize() * 30);
    if (!c.evidence.empty()) ImGui::TextUnformatted(("Evidence: " + c.evidence).c_str());
    ImGui::TextDisabled("Click to open the lesson at the end of the step that decides it.");
    ImGui::PopTextWrapPos();
    ImGui::EndTooltip();
  }
}

// Draws the table: `current` rows (this run's, shown once the cursor passed `shown_at`) take
// the place of the background table's.
void table(const AppModel& m, UiState& ui, const std::vector<TableRow>* current, bool shown,
           Tick shown_at, const char* id) {
  const FullTable& full = full_table(ui, m.lessons_dir, ui.screenshot);
  // The rows still being computed fill in when the job ends: the frame loop must look again.
  if (!full.ready) ui.awaiting_job = true;
  if (!full.error.empty()) ImGui::TextColored(ImVec4(1, 0.5f, 0.4f, 1), "%s", full.error.c_str());
  if (!ImGui::BeginTable(id, 3,
                         ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY))
    return;
  ImGui::TableSetupScrollFreeze(0, 1);
  ImGui::TableSetupColumn("", ImGuiTableColumnFlags_WidthStretch, 0.6f);
  ImGui::TableSetupColumn("POP3", ImGuiTableColumnFlags_WidthStretch, 1.2f);
  ImGui::TableSetupColumn("IMAP", ImGuiTableColumnFlags_WidthStretch, 1.2f);
  ImGui::TableHeadersRow();
  for (const std::string& name : table_row_names()) {
    ImGui::PushID(name.c_str());
    ImGui::TableNextRow();
    ImGui::TableSetColumnIndex(0);
    ImGui::TextWrapped("%s", name.c_str());
    const TableRow* row = nullptr;
    bool mine = false;
    if (current)
      for (const TableRow& r : *current)
        if (r.row == name) row = &r, mine = true;
    if (!row)
      for (const TableRow& r : full.rows)
        if (r.row == name) row = &r;
    if (mine && !shown) {
      for (int col = 1; col <= 2; ++col) {
        ImGui::TableSetColumnIndex(col);
        ImGui::TextDisabled("... (this lesson decides it by %s)", format_time(shown_at).c_str());
      }
    } else if (row) {
      if (mine) ImGui::TextDisabled("(this lesson)");
      ImGui::TableSetColumnIndex(1);
      ImGui::PushID(1);
      cell(m, ui, row->pop3, row->lesson, std::string(id) + "/" + name + "/pop3");
      ImGui::PopID();
      ImGui::TableSetColumnIndex(2);
      ImGui::PushID(2);
      cell(m, ui, row->imap, row->lesson, std::string(id) + "/" + name + "/imap");
      ImGui::PopID();
    } else {
      for (int col = 1; col <= 2; ++col) {
        ImGui::TableSetColumnIndex(col);
        ImGui::TextDisabled(full.ready ? "\xe2\x80\x94 (no lesson shows it)"
                                       : "running its lesson in the background...");
      }
    }
    ImGui::PopID();
  }
  ImGui::EndTable();
}

void export_button(const AppModel& m, UiState& ui) {
  const FullTable& full = full_table(ui, m.lessons_dir);
  ImGui::BeginDisabled(!full.ready || full.rows.empty());
  if (ImGui::SmallButton(ICON_DOWNLOAD " Export as HTML")) {
    std::string error;
    // The same page as `mailscope-cli table --format html --explain`.
    const std::string path = write_export(ui.export_dir + "/comparison-table.html",
                                          format_table_html(full.rows, true), &error);
    ui.status = path.empty() ? "Export failed: " + error : "Wrote " + path;
    ui.status_until = ImGui::GetTime() + 8.0;
  }
  ImGui::EndDisabled();
  if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
    ImGui::SetTooltip("Writes %s/comparison-table.html\n(File > Export changes the folder)",
                      ui.export_dir.c_str());
}

}  // namespace

void draw_full_table(const AppModel& m, UiState& ui) {
  ImGui::TextDisabled("Every row decided by its own lesson's run; click a cell to watch it.");
  ImGui::SameLine();
  export_button(m, ui);
  table(m, ui, nullptr, true, 0, "start/table");
}

void draw_table(const AppModel& m, UiState& ui) {
  if (m.live.active) {
    // The table compares the lesson's two worlds; the live world is neither.
    ImGui::TextDisabled("The comparison table is filled in from the lesson's POP3 and IMAP "
                        "worlds: go back to the lesson (Live panel) to see it.");
    return;
  }
  const TableCache& c = table_for(m, ui);
  ImGui::TextDisabled("This lesson's rows fill in as its evidence appears; the others come from "
                      "their own lessons. Click a cell to open it.");
  ImGui::SameLine();
  export_button(m, ui);
  if (!c.error.empty()) ImGui::TextColored(ImVec4(1, 0.5f, 0.4f, 1), "%s", c.error.c_str());
  table(m, ui, &c.rows, ui.cursor >= c.evidence_at, c.evidence_at, "table");
}

}  // namespace ms
