// The start screen: the course (every lesson, grouped by the table row it shows, in the
// suggested order, each with its takeaway, whether it was seen and its quiz score) and the
// two fast paths: "Which protocol for this customer?" and the comparison table. Opening a
// lesson is a request carried out between frames (apply_open_lesson): the model is rebuilt
// from the new run, without a restart.
#include <algorithm>
#include <cstdio>
#include <optional>
#include <string>

#include "icons.hpp"
#include "lesson/table.hpp"
#include "panels/assess_ui.hpp"
#include "panels/course_ui.hpp"
#include "panels/panels.hpp"

namespace ms {

namespace {

std::string capitalised(std::string s) {
  if (!s.empty() && s[0] >= 'a' && s[0] <= 'z') s[0] = static_cast<char>(s[0] - 'a' + 'A');
  return s;
}

void draw_course(const AppModel& m, UiState& ui) {
  const Course& c = m.course;
  char count[96];
  std::snprintf(count, sizeof count, "%zu lessons in a suggested order, grouped by the table row each shows.", c.size());
  tip_text(count, true);
  for (const std::string& e : c.errors) ImGui::TextColored(ImVec4(1, 0.5f, 0.4f, 1), "%s", e.c_str());
  // Where the learner is: the whole course at a glance, and the next lesson not yet seen.
  const std::string summary = progress_summary(c, ui.progress);
  ImGui::TextUnformatted(summary.c_str());
  audit_last("text", "start/course/progress", summary);
  draw_results_line(ui);
  const std::string next = continue_lesson(c, ui.progress);
  if (const CourseLesson* nl = next.empty() ? nullptr : c.find(next)) {
    const std::string label = std::string("Continue: ") + nl->title + " " ICON_STEP_FORWARD;
    ImGui::PushStyleColor(ImGuiCol_Button, ImVec4(0.16f, 0.45f, 0.25f, 1.0f));
    if (ImGui::Button(label.c_str())) ui.open_lesson = next, ui.open_step = 0;
    ImGui::PopStyleColor();
    audit_last("text", "start/course/continue", label);
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip("The first lesson you have not seen to its last step\n%s",
                        nl->takeaway.c_str());
  } else if (c.size() > 0) {
    ImGui::TextDisabled(ICON_CHECK "  Every lesson seen.");
  }
  int n = 0;
  for (const CourseGroup& g : c.groups) {
    ImGui::Spacing();
    ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0.98f, 0.80f, 0.35f, 1.0f));
    ImGui::TextUnformatted(capitalised(g.row).c_str());
    ImGui::PopStyleColor();
    audit_last("text", "start/course/row:" + g.row, g.row);
    ImGui::Separator();
    for (const CourseLesson& l : g.lessons) {
      ++n;
      ImGui::PushID(l.id.c_str());
      const auto p = ui.progress.lessons.find(l.id);
      const bool seen = p != ui.progress.lessons.end() && p->second.seen;
      const auto [right, total] = ui.progress.score(l);
      char label[256];
      std::snprintf(label, sizeof label, "%d. %s", n, l.title.c_str());
      const bool current = ui.lesson_opened && l.id == m.run.lesson.id;
      // Seen and quiz score right-aligned on the title's line; a long title is cut before them
      // (the tooltip has it whole).
      char badge[64];
      if (total > 0 && p != ui.progress.lessons.end())
        std::snprintf(badge, sizeof badge, "%squiz %d/%d", seen ? ICON_CHECK " seen  " : "", right,
                      total);
      else
        std::snprintf(badge, sizeof badge, "%s", seen ? ICON_CHECK " seen" : "new");
      // The badge keeps its room at the right; the title gets the rest of the line, shortened
      // with "…" (the tooltip has it whole) rather than cut mid-word or run under the badge.
      const float bw = ImGui::CalcTextSize(badge).x;
      const float avail = ImGui::GetContentRegionAvail().x;
      const float sw = std::max(0.0f, avail - bw - ImGui::GetStyle().ItemSpacing.x * 2);
      const std::string shown = fit_text(label, sw);
      if (ImGui::Selectable((shown + "###" + l.id).c_str(), current, 0, ImVec2(sw, 0))) {
        ui.open_lesson = l.id;
        ui.open_step = 0;
      }
      audit_label("text", "start/course/lesson:" + l.id, shown, shown != label ? label : "");
      if (ImGui::IsItemHovered())
        ImGui::SetTooltip("%s\nOpen this lesson (%d steps)", l.title.c_str(), l.steps);
      ImGui::SameLine(ImGui::GetCursorPosX() + avail - bw);
      ImGui::TextDisabled("%s", badge);
      audit_last("badge", "start/course/badge:" + l.id, badge);
      ImGui::Indent();
      tip_text(l.takeaway, true);
      ImGui::Unindent();
      ImGui::PopID();
    }
  }
}

}  // namespace

void draw_start(const AppModel& m, UiState& ui) {
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(vp->WorkPos);
  ImGui::SetNextWindowSize(vp->WorkSize);
  ImGui::Begin("##start", nullptr,
               ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                   ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBringToFrontOnFocus);
  if (m.big) ImGui::PushFont(m.big);
  ImGui::TextUnformatted(ICON_ENVELOPE "  Mailscope: POP3 or IMAP?");
  if (m.big) ImGui::PopFont();
  ImGui::SameLine();
  if (ui.lesson_opened) {
    const std::string back = "Back to \"" + m.run.lesson.title + "\"";
    ImGui::SetCursorPosX(std::max(ImGui::GetCursorPosX(),
                                  ImGui::GetContentRegionMax().x - ImGui::CalcTextSize(back.c_str()).x -
                                      ImGui::GetStyle().FramePadding.x * 2));
    if (ImGui::Button(back.c_str())) ui.start_screen = false;
  }
  tip_text("Where does mail live, and what goes over the wire? Watch a lesson, or take a fast "
           "path on the right.", true);
  ImGui::Spacing();

  const float gap = ImGui::GetStyle().ItemSpacing.x * 2;
  const float left = std::max(260.0f, (ImGui::GetContentRegionAvail().x - gap) * 0.46f);
  ImGui::BeginChild("course", ImVec2(left, 0), true);
  ImGui::TextUnformatted(ICON_BOOK "  The course");
  draw_course(m, ui);
  ImGui::EndChild();
  ImGui::SameLine(0, gap);
  ImGui::BeginChild("fast", ImVec2(0, 0), true);
  if (ImGui::BeginTabBar("fast-paths")) {
    const int force = ui.start_tab_force;
    ui.start_tab_force = -1;
    if (ImGui::BeginTabItem(ICON_QUESTION "  Which protocol for this customer?", nullptr,
                            force == 0 ? ImGuiTabItemFlags_SetSelected : 0)) {
      ui.start_tab = 0;
      ImGui::BeginChild("chooser");
      draw_chooser(m, ui);
      ImGui::EndChild();
      ImGui::EndTabItem();
    }
    if (force == 2) ui.table_view = 1;
    if (ImGui::BeginTabItem(ICON_TABLE "  Comparison table", nullptr,
                            force == 1 || force == 2 ? ImGuiTabItemFlags_SetSelected : 0)) {
      ui.start_tab = 1;
      draw_full_table(m, ui);
      ImGui::EndTabItem();
    }
    ImGui::EndTabBar();
  }
  ImGui::EndChild();
  ImGui::End();
}

bool apply_open_lesson(AppModel& m, UiState& ui) {
  if (ui.open_lesson.empty()) return false;
  const std::string id = ui.open_lesson;
  int step = ui.open_step;
  bool step_end = ui.open_step_end;
  const bool play = ui.open_play;
  const std::string profile = ui.open_profile;
  const std::string row = ui.open_row;
  ui.open_profile.clear();
  ui.open_row.clear();
  ui.open_lesson.clear();
  ui.open_step = 0;
  ui.open_step_end = false;
  ui.open_play = false;
  if (m.live.active) {
    ui.status = "Leave live mode (Live panel) to open a lesson";
    ui.status_until = ImGui::GetTime() + 5.0;
    return false;
  }
  try {
    Lesson L = load_lesson(find_lesson(id, m.lessons_dir));
    if (!profile.empty() && !apply_profile(L, profile))
      throw std::runtime_error("unknown mail app profile '" + profile + "'");
    switch_lesson(m, run_lesson(L));
  } catch (const std::exception& e) {
    ui.status = std::string("Cannot open lesson: ") + e.what();
    ui.status_until = ImGui::GetTime() + 8.0;
    return false;
  }
  const Lesson& L = m.run.lesson;
  // A fresh view of the new lesson; caches keyed on the sandbox generation see a new run.
  const unsigned generation = ui.sandbox.generation + 1;
  ui.sandbox = Sandbox{};
  ui.sandbox.base = L;
  ui.sandbox.generation = generation;
  const int steps = static_cast<int>(L.steps.size());
  if (!row.empty()) {
    // The step from whose end the run shows the row in both worlds, as the table's cells
    // link to it; a lesson that shows the point without deciding a table row (a scenario
    // such as limited connectivity) names its decisive step.
    std::optional<TableRow> d;
    try {
      d = decide_row(row, m.run);
    } catch (const std::exception&) {
    }
    step = d ? std::max(d->imap.step, d->pop3.step)
             : L.decisive_step >= 0 ? L.decisive_step + 1 : steps;
    step_end = step > 0;
  }
  ui.cursor = step > 0 && step <= steps ? L.steps[step - 1].at : 0;
  if (step_end && step > 0 && step <= steps)
    ui.cursor = step < steps ? std::max(L.steps[step].at - 1, ui.cursor) : m.duration;
  ui.playing = play;
  ui.gap_from = 0;
  ui.gap_to = -1;
  ui.selected_key.clear();
  ui.selected_world = -1;
  ui.selected_actor = 0;
  if (!m.worlds.empty() && !m.worlds[0].devices.empty()) {
    ui.selected_world = 0;
    ui.selected_actor = m.worlds[0].devices[0].id;
  }
  ui.filter_device.clear();
  ui.toolbar_device.clear();
  ui.toolbar_message = 0;
  // Seen once its last step is reached (frame.cpp), not on opening.
  Progress::Entry& p = ui.progress.lessons[L.id];
  p.answers.resize(L.quiz.size(), -1);
  ui.quiz_choice = p.answers;
  ui.progress_dirty = true;
  ui.start_screen = false;
  ui.lesson_opened = true;
  ui.lesson_tab_force = 0;
  return true;
}

}  // namespace ms
