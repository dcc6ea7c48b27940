// The comparison table, POP3 | IMAP as the worlds are drawn, in two views: the textbook answer
// (below) and "with your mail app" (app_table: each row run with one app's defaults, with the
// setting the answer depends on). In the textbook view every row is filled: the rows the
// current lesson shows come from its run and appear once the cursor has passed their evidence;
// the others come from each row's own lesson, run headless in the background as
// `mailscope-cli table` does (compute_table). Each cell is a link that opens the lesson (at the
// step) that decided it, and the whole table exports as the CLI's HTML page.
#include <algorithm>
#include <chrono>
#include <future>
#include <map>
#include <string>
#include <utility>
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

// The browser build has no threads (std::async would throw and stop the page): there the jobs
// are deferred and run by the first collect after the frame that started them, so that frame can
// still say the table is being computed.
#if defined(__EMSCRIPTEN__) && !defined(__EMSCRIPTEN_PTHREADS__)
constexpr std::launch kTableLaunch = std::launch::deferred;
#else
constexpr std::launch kTableLaunch = std::launch::async;
#endif

template <typename T>
void collect(std::future<T>& job, T& out, bool& ready, std::string& error) {
  if (ready || !job.valid() || job.wait_for(std::chrono::seconds(0)) == std::future_status::timeout)
    return;
  try {
    out = job.get();
  } catch (const std::exception& e) {
    error = e.what();
  }
  ready = true;
}

// `wait`: screenshots show the finished table, never a half-computed one.
FullTable& full_table(UiState& ui, const std::string& lessons_dir, bool wait = false) {
  FullTable& t = ui.caches.full_table;
  if (!t.started) {
    t.started = true;
    t.job = std::async(kTableLaunch, [dir = lessons_dir] { return compute_table(dir); });
    // The textbook rows first, then every row with every mail app (many more runs), so the
    // textbook table does not wait for the per-app one.
    t.apps_job = std::async(kTableLaunch, [dir = lessons_dir] {
      return compute_app_table(dir, compute_table(dir));
    });
    if (!wait) return t;  // this frame says "computing"; a deferred job runs on the next one
  }
  if (wait && t.job.valid()) t.job.wait();
  if (wait && t.apps_job.valid()) t.apps_job.wait();
  collect(t.job, t.rows, t.ready, t.error);
  // Deferred, the per-app rows run a frame after the textbook rows have been drawn.
  if (t.ready && (wait || kTableLaunch == std::launch::async || t.shown_ready))
    collect(t.apps_job, t.apps, t.apps_ready, t.apps_error);
  t.shown_ready = t.ready;
  return t;
}

// One cell: its phrase, the condition it holds under (per-app cells), and under them the link
// to the lesson that decided it, with the app's profile when it is a per-app cell.
void cell(const AppModel& m, UiState& ui, const TableCell& c, const std::string& lesson,
          const std::string& owner, const std::string& profile = "",
          const std::string& condition = "") {
  ImGui::PushTextWrapPos(0.0f);
  ImGui::TextUnformatted(c.phrase.c_str());
  ImGui::PopTextWrapPos();
  audit_last("text", owner, c.phrase);
  bool phrase_hovered = ImGui::IsItemHovered();
  if (!condition.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextUnformatted(condition.c_str());
    ImGui::PopTextWrapPos();
    ImGui::PopStyleColor();
    audit_last("text", owner + "/condition", condition);
    phrase_hovered |= ImGui::IsItemHovered();
  }
  if (!profile.empty() && c.step == 0 && c.evidence.empty()) return;  // the app has no run here
  const CourseLesson* l = m.course.find(lesson);
  const int step = std::max(1, c.step);
  const std::string link = std::string(ICON_PLAY " ") + (l ? l->title : lesson) +
                           (profile.empty() ? "" : std::string(" with ") +
                                                       client_preset_title(profile)) +
                           ", step " + std::to_string(step);
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
    ui.open_profile = profile;
  }
  if (phrase_hovered || link_hovered) {
    ImGui::BeginTooltip();
    ImGui::PushTextWrapPos(ImGui::GetFontSize() * 30);
    if (!c.evidence.empty()) ImGui::TextUnformatted(("Evidence: " + c.evidence).c_str());
    if (profile.empty())
      ImGui::TextDisabled("Click to open the lesson at the end of the step that decides it.");
    else
      ImGui::TextDisabled("Click to open the lesson with %s's defaults on every device, at the "
                          "end of the step that decides it.", client_preset_title(profile));
    ImGui::PopTextWrapPos();
    ImGui::EndTooltip();
  }
}

// The widest word of `text` in the current font, and its width.
std::pair<std::string, float> widest(const std::string& text) {
  std::pair<std::string, float> best{"", 0.0f};
  for (std::size_t from = 0; from < text.size();) {
    std::size_t sp = text.find(' ', from);
    if (sp == std::string::npos) sp = text.size();
    const float w = ImGui::CalcTextSize(text.data() + from, text.data() + sp).x;
    if (w > best.second) best = {text.substr(from, sp - from), w};
    from = sp + 1;
  }
  return best;
}
float widest_word(const std::string& text) { return widest(text).second; }

// Both views' table: the row names, then POP3 | IMAP as the worlds are drawn, the header kept
// in view as the rows scroll. False when ImGui draws nothing (then no EndTable).
bool begin_table(const char* id) {
  if (!ImGui::BeginTable(id, 3,
                         ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY))
    return false;
  ImGui::TableSetupScrollFreeze(0, 1);
  // The row names wrap between words, never inside one ("synchronisati/on"): their column is
  // at least as wide as their widest word.
  float word_w = 0.0f;
  for (const std::string& name : table_row_names()) word_w = std::max(word_w, widest_word(name));
  const float stretch_w = ImGui::GetContentRegionAvail().x * 0.6f / 3.0f;
  if (word_w > stretch_w)
    ImGui::TableSetupColumn("", ImGuiTableColumnFlags_WidthFixed, word_w);
  else
    ImGui::TableSetupColumn("", ImGuiTableColumnFlags_WidthStretch, 0.6f);
  ImGui::TableSetupColumn("POP3", ImGuiTableColumnFlags_WidthStretch, 1.2f);
  ImGui::TableSetupColumn("IMAP", ImGuiTableColumnFlags_WidthStretch, 1.2f);
  ImGui::TableHeadersRow();
  return true;
}

// Draws the table: `current` rows (this run's, shown once the cursor passed `shown_at`) take
// the place of the background table's.
void table(const AppModel& m, UiState& ui, const std::vector<TableRow>* current, bool shown,
           Tick shown_at, const char* id) {
  const FullTable& full = full_table(ui, m.lessons_dir, ui.screenshot);
  // The rows still being computed fill in when the job ends: the frame loop must look again.
  if (!full.ready) ui.awaiting_job = true;
  if (!full.error.empty()) ImGui::TextColored(ImVec4(1, 0.5f, 0.4f, 1), "%s", full.error.c_str());
  if (!begin_table(id)) return;
  for (const std::string& name : table_row_names()) {
    ImGui::PushID(name.c_str());
    ImGui::TableNextRow();
    ImGui::TableSetColumnIndex(0);
    ImGui::TextWrapped("%s", name.c_str());
    // A word wider than its column is split by the wrap: recorded at its own width, the cell
    // cuts it (a defect for the audit).
    audit_label("text", std::string(id) + "/" + name + "/name", widest(name).first, "");
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

// The per-app view: the same rows, each cell the chosen app's answer with what it depends on,
// read from runs of the row's lesson with that app's defaults.
void app_table(const AppModel& m, UiState& ui, const char* id) {
  const FullTable& full = full_table(ui, m.lessons_dir, ui.screenshot);
  if (!full.apps_ready) ui.awaiting_job = true;
  if (!full.apps_error.empty())
    ImGui::TextColored(ImVec4(1, 0.5f, 0.4f, 1), "%s", full.apps_error.c_str());
  if (!full.apps_ready) {
    ImGui::TextDisabled("Running every row's lesson with every app's defaults in the "
                        "background...");
    return;
  }
  if (full.apps.empty() || full.apps.front().apps.empty()) {
    ImGui::TextDisabled("No mail app profile is known to this build.");
    return;
  }
  const std::vector<AppAnswer>& known = full.apps.front().apps;
  const AppAnswer* chosen = &known.front();
  for (const AppAnswer& a : known)
    if (a.profile == ui.table_app) chosen = &a;
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted("Your mail app:");
  ImGui::SameLine();
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 10);
  if (ImGui::BeginCombo("##app", chosen->title.c_str())) {
    for (const AppAnswer& a : known)
      if (ImGui::Selectable(a.title.c_str(), &a == chosen)) ui.table_app = a.profile;
    ImGui::EndCombo();
  }
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  ImGui::TextWrapped("Each row's lesson run with this app's defaults on every device; in grey, "
                     "the setting the answer depends on (found by running it flipped).");
  ImGui::PopStyleColor();
  if (!begin_table(id)) return;
  for (const AppTableRow& r : full.apps) {
    const AppAnswer* a = nullptr;
    for (const AppAnswer& x : r.apps)
      if (x.profile == chosen->profile) a = &x;
    if (!a) continue;
    ImGui::PushID(r.row.c_str());
    ImGui::TableNextRow();
    ImGui::TableSetColumnIndex(0);
    ImGui::TextWrapped("%s", r.row.c_str());
    if (ImGui::IsItemHovered()) {
      ImGui::BeginTooltip();
      ImGui::PushTextWrapPos(ImGui::GetFontSize() * 30);
      ImGui::TextUnformatted(("Every app, POP3: " + r.pop3_summary).c_str());
      ImGui::TextUnformatted(("Every app, IMAP: " + r.imap_summary).c_str());
      ImGui::PopTextWrapPos();
      ImGui::EndTooltip();
    }
    const std::string owner = std::string(id) + "/" + r.row + "/" + a->profile;
    ImGui::TableSetColumnIndex(1);
    ImGui::PushID(1);
    cell(m, ui, a->pop3.cell, r.lesson, owner + "/pop3", a->profile, a->pop3.condition);
    ImGui::PopID();
    ImGui::TableSetColumnIndex(2);
    ImGui::PushID(2);
    cell(m, ui, a->imap.cell, r.lesson, owner + "/imap", a->profile, a->imap.condition);
    ImGui::PopID();
    ImGui::PopID();
  }
  ImGui::EndTable();
}

// Which table is shown: the one the course is built on, or one app's.
void view_switch(UiState& ui) {
  ImGui::RadioButton("The textbook answer", &ui.table_view, 0);
  ImGui::SameLine();
  ImGui::RadioButton("With your mail app", &ui.table_view, 1);
}

// The export button after what the line holds already (SameLine), or on a line of its own when
// it would not fit whole: a narrow panel cut it to "⬇ E".
void export_button(const AppModel& m, UiState& ui, const std::string& owner) {
  const char* label = ICON_DOWNLOAD " Export as HTML";
  const float bw = ImGui::CalcTextSize(label).x + ImGui::GetStyle().FramePadding.x * 2;
  ImGui::SameLine();
  if (ImGui::GetContentRegionAvail().x < bw) ImGui::NewLine();
  const FullTable& full = full_table(ui, m.lessons_dir);
  ImGui::BeginDisabled(!full.ready || full.rows.empty() || !full.apps_ready);
  const bool clicked = ImGui::SmallButton(label);
  audit_label("button", owner, label, "", ImGui::GetStyle().FramePadding.x);
  if (clicked) {
    std::string error;
    // The same page as `mailscope-cli table --format html --explain`.
    const std::string path = write_export(ui.export_dir + "/comparison-table.html",
                                          format_table_html(full.rows, full.apps, true), &error);
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
  // The export joins the view switch's line: the line above has no room for it at 1024x768.
  view_switch(ui);
  export_button(m, ui, "start/table/export");
  if (ui.table_view == 1)
    app_table(m, ui, "start/apps");
  else
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
  view_switch(ui);
  export_button(m, ui, "table/export");
  if (ui.table_view == 1) {
    app_table(m, ui, "apps");
    return;
  }
  ImGui::TextDisabled("This lesson's rows fill in as its evidence appears; the others come from "
                      "their own lessons. Click a cell to open it.");
  if (!c.error.empty()) ImGui::TextColored(ImVec4(1, 0.5f, 0.4f, 1), "%s", c.error.c_str());
  table(m, ui, &c.rows, ui.cursor >= c.evidence_at, c.evidence_at, "table");
}

}  // namespace ms
