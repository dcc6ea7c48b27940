// Lesson panel: title, then two tabs. "Step": the step in force at the cursor, step navigation,
// and the lesson's checks, each turning PASS/FAIL at the step it belongs to (its own moment,
// else the last step); at the last step, the next lesson of the course. "Quiz": every
// question with its feedback, compact enough to fit the panel at 1280x720; answers are kept
// in the progress file and scored in the lesson browser.
#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "a11y_twin.hpp"
#include "icons.hpp"
#include "imgui_internal.h"  // the next window's size, to give the quiz the whole column
#include "glossary.hpp"
#include "panels/assess_ui.hpp"
#include "panels/course_ui.hpp"
#include "panels/panels.hpp"

namespace ms {

namespace {

const ImVec4 kPass(0.45f, 0.85f, 0.5f, 1.0f), kFail(0.95f, 0.4f, 0.4f, 1.0f),
    kGold(0.98f, 0.80f, 0.35f, 1.0f);

// The step (0-based) in force at time t, or -1 before the first.
int step_at(const Lesson& l, Tick t) {
  int cur = -1;
  for (std::size_t i = 0; i < l.steps.size(); ++i)
    if (l.steps[i].at <= t) cur = static_cast<int>(i);
  return cur;
}

struct PlacedCheck {
  const CheckResult* check;
  int step;  // 0-based step it belongs to
  Tick at;   // when the panel shows its result: the start of that step
};

// A world's checks with the step each belongs to and the moment it was decided (the run
// records both: lesson.hpp's decided_when), shown from that moment on.
std::vector<PlacedCheck> placed_checks(const Lesson& l, const WorldModel& w) {
  std::vector<PlacedCheck> out;
  if (!w.checks) return out;
  for (const CheckResult& c : *w.checks)
    out.push_back({&c, c.step >= 0 ? c.step : static_cast<int>(l.steps.size()) - 1, c.at});
  return out;
}

void draw_checks(const AppModel& m, UiState& ui) {
  const Lesson& l = m.run.lesson;
  ImGui::TextUnformatted(ICON_CHECK "  What the lesson checks");
  if (ui.sandbox.active()) {
    // A FAIL here is the sandbox working, not a bug: the checks describe the lesson's own
    // script, and the learner's actions have changed what happens after the branch point.
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextColored(kGold, ICON_INFO "  You changed this run (%zu change%s): checks written "
                       "for the lesson as planned may now fail; that shows what your change did.",
                       ui.sandbox.applied.size(), ui.sandbox.applied.size() == 1 ? "" : "s");
    ImGui::PopTextWrapPos();
  }
  int pending = 0;
  std::string later;  // the checks of later steps, for a tooltip
  for (std::size_t wi = 0; wi < m.worlds.size(); ++wi) {
    const WorldModel& w = m.worlds[wi];
    const std::vector<PlacedCheck> checks = placed_checks(l, w);
    bool titled = false;
    for (std::size_t k = 0; k < checks.size(); ++k) {
      const PlacedCheck& pc = checks[k];
      const CheckResult& c = *pc.check;
      if (ui.cursor < pc.at) {
        // Later steps' checks wait, counted on one line, so this step's stay in view.
        ++pending;
        later += "step " + std::to_string(pc.step + 1) + ", " + w.title + ": " + c.description + "\n";
        continue;
      }
      if (!titled) {
        ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(proto_color(w.proto)));
        ImGui::TextUnformatted(w.title.c_str());
        ImGui::PopStyleColor();
        titled = true;
      }
      ImGui::PushTextWrapPos(0.0f);
      if (c.pass) {
        ImGui::TextColored(kPass, ICON_CHECK "  PASS  %s", c.description.c_str());
      } else {
        ImGui::TextColored(kFail, ICON_TIMES "  FAIL  %s", c.description.c_str());
        if (!c.observed.empty()) ImGui::TextDisabled("      observed: %s", c.observed.c_str());
      }
      // What the learner's change did: this check came out differently from the lesson as
      // planned (Sandbox::changes).
      if (ui.sandbox.active() && ui.sandbox.changes.check_changed(wi, k)) {
        const auto& planned = ui.sandbox.planned.checks;
        const bool was = wi < planned.size() && k < planned[wi].size() && planned[wi][k].pass;
        ImGui::TextColored(kGold, "      " ICON_INFO "  re-decided by your change (as planned: %s)",
                           was ? "PASS" : "FAIL");
        audit_last("text", "lesson/check-changed:" + std::to_string(wi) + ":" + std::to_string(k),
                   "re-decided by your change");
      }
      ImGui::PopTextWrapPos();
      glossary_tip(c.description);
    }
  }
  if (pending > 0) {
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextDisabled(ICON_CLOCK "  %d more at later steps (each turns PASS or FAIL at its step)",
                        pending);
    ImGui::PopTextWrapPos();
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", later.c_str());
    if (ImGui::SmallButton("Jump to the end")) ui.playing = false, seek(m, ui, m.duration);
  }
}

void draw_step(const AppModel& m, UiState& ui) {
  const Lesson& l = m.run.lesson;
  const int cur = step_at(l, ui.cursor);
  const int n = static_cast<int>(l.steps.size());
  // The summary introduces the lesson; once it runs, the steps tell it (the title's tooltip
  // keeps the summary).
  if (!l.summary.empty() && cur < 0) tip_text(l.summary, true);
  ImGui::BeginDisabled(cur <= 0 && !(cur == 0 && ui.cursor > l.steps[0].at));
  // Pressing "previous" inside a step first returns to the start of that step; both play the
  // step to its end, as PageUp/PageDown do (gui/steps.hpp).
  if (ImGui::Button(ICON_STEP_BACKWARD " Previous step")) seek_step(m, ui, -1);
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Play the previous step (PageUp, Left)");
  ImGui::EndDisabled();
  ImGui::SameLine();
  const std::string next = m.course.next_after(l.id);
  const CourseLesson* nl = next.empty() ? nullptr : m.course.find(next);
  if (cur == n - 1 && n > 0 && nl) {
    // The end of the lesson: the course goes on, where "Next step" was.
    ImGui::PushStyleColor(ImGuiCol_Button, ImVec4(0.16f, 0.45f, 0.25f, 1.0f));
    if (ImGui::Button("Next lesson " ICON_STEP_FORWARD)) ui.open_lesson = next, ui.open_step = 0;
    ImGui::PopStyleColor();
    audit_last("text", "lesson/next", "Next lesson");
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip("%s\n%s", nl->title.c_str(), nl->takeaway.c_str());
  } else {
    ImGui::BeginDisabled(cur + 1 >= n);
    if (ImGui::Button("Next step " ICON_STEP_FORWARD)) seek_step(m, ui, 1);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Play the next step (PageDown, Right)");
    ImGui::EndDisabled();
  }

  if (cur >= 0) {
    const Step& s = l.steps[cur];
    ImGui::TextColored(kGold, "Step %d of %d  \xc2\xb7  %s", cur + 1, n, format_time(s.at).c_str());
    ImGui::PushTextWrapPos(0.0f);
    if (m.big) ImGui::PushFont(m.big);
    ImGui::SetWindowFontScale(0.75f);
    ImGui::TextUnformatted(s.title.c_str());
    ImGui::SetWindowFontScale(1.0f);
    if (m.big) ImGui::PopFont();
    ImGui::PopTextWrapPos();
    glossary_tip(s.title);
    if (ui.sandbox.active() && ui.sandbox.changes.step_changed(cur)) {
      // The narrative tells the lesson as planned; say where the learner's run tells another.
      ImGui::PushTextWrapPos(0.0f);
      ImGui::TextColored(kGold, ICON_INFO "  Your change altered how this step ends: the text "
                                          "below tells the lesson as planned.");
      ImGui::PopTextWrapPos();
      audit_last("text", "lesson/step-changed", "Your change altered how this step ends");
    }
    tip_text(s.text);
  } else if (n > 0) {
    ImGui::TextDisabled("Press Play (Space) or Next step to start.");
  }
  if (cur == n - 1 && n > 0 && !nl)
    ImGui::TextColored(kPass, ICON_CHECK "  That was the last lesson of the course.");
  ImGui::Spacing();
  ImGui::Separator();
  draw_checks(m, ui);
  // The lesson's task, once its last step has been reached (panels/assess.cpp).
  if (cur == n - 1 && n > 0 && !m.live.active && l.task) {
    ImGui::Spacing();
    ImGui::PushStyleColor(ImGuiCol_Button, ImVec4(0.16f, 0.45f, 0.25f, 1.0f));
    if (ImGui::Button(ICON_CHECK " Your task")) ui.lesson_tab_force = 2;
    ImGui::PopStyleColor();
    ImGui::SameLine();
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextUnformatted(l.task->goal.c_str());
    ImGui::PopTextWrapPos();
  }
}

void draw_quiz(const AppModel& m, UiState& ui) {
  const Lesson& l = m.run.lesson;
  if (ui.quiz_choice.size() < l.quiz.size()) ui.quiz_choice.resize(l.quiz.size(), -1);
  // Compact: three questions and their feedback fit the panel at 1280x720.
  ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing,
                      ImVec2(ImGui::GetStyle().ItemSpacing.x, ImGui::GetStyle().ItemSpacing.y * 0.5f));
  ImGui::PushStyleVar(ImGuiStyleVar_FramePadding,
                      ImVec2(ImGui::GetStyle().FramePadding.x, ImGui::GetStyle().FramePadding.y * 0.5f));
  for (std::size_t q = 0; q < l.quiz.size(); ++q) {
    const QuizQuestion& qq = l.quiz[q];
    ImGui::PushID(static_cast<int>(q));
    if (q > 0) ImGui::Spacing();
    ImGui::PushTextWrapPos(0.0f);
    ImGui::Text("%zu. %s", q + 1, qq.question.c_str());
    ImGui::PopTextWrapPos();
    glossary_tip(qq.question);
    // Choices side by side while they fit the line, else one per line.
    float x = 0;
    const float avail = ImGui::GetContentRegionAvail().x;
    for (std::size_t c = 0; c < qq.choices.size(); ++c) {
      const float w = ImGui::GetFrameHeight() + ImGui::GetStyle().ItemInnerSpacing.x +
                      ImGui::CalcTextSize(qq.choices[c].c_str()).x;
      if (c > 0 && x + ImGui::GetStyle().ItemSpacing.x * 2 + w <= avail) {
        ImGui::SameLine(0, ImGui::GetStyle().ItemSpacing.x * 2);
        x += ImGui::GetStyle().ItemSpacing.x * 2 + w;
      } else {
        x = w;
      }
      const bool side_by_side = c > 0 && x != w;
      const bool fits = w <= avail;
      bool picked = false;
      ImGui::PushID(static_cast<int>(c));
      if (fits || side_by_side) {
        picked = ImGui::RadioButton(qq.choices[c].c_str(), ui.quiz_choice[q] == static_cast<int>(c));
      } else {
        // Too long for one line: the button, then the choice wrapped (clicking it picks it).
        picked = ImGui::RadioButton("##c", ui.quiz_choice[q] == static_cast<int>(c));
        ImGui::SameLine(0, ImGui::GetStyle().ItemInnerSpacing.x);
        ImGui::PushTextWrapPos(0.0f);
        ImGui::TextUnformatted(qq.choices[c].c_str());
        ImGui::PopTextWrapPos();
        picked |= ImGui::IsItemClicked();
      }
      ImGui::PopID();
      if (picked) {
        answer_quiz(ui, l, q, static_cast<int>(c));
        record_quiz_result(ui, l, q, static_cast<int>(c));
      }
    }
    if (ui.quiz_choice[q] >= 0) {
      const bool right = ui.quiz_choice[q] == qq.answer;
      ImGui::PushTextWrapPos(0.0f);
      // The chosen answer's own feedback when the lesson gives one, else why the answer is right.
      const std::size_t pick = static_cast<std::size_t>(ui.quiz_choice[q]);
      const std::string& why =
          pick < qq.feedback.size() && !qq.feedback[pick].empty() ? qq.feedback[pick] : qq.explain;
      const std::string feedback =
          std::string(right ? ICON_CHECK " " : ICON_TIMES " ") + quiz_feedback(right, why);
      ImGui::TextColored(right ? kPass : kFail, "%s", feedback.c_str());
      glossary_tip(why);
      const auto e = ui.progress.lessons.find(l.id);
      if (e != ui.progress.lessons.end() && e->second.first_answer(q) >= 0 &&
          e->second.first_answer(q) != ui.quiz_choice[q])
        ImGui::TextDisabled("A retry: the score counts your first answer (%s).",
                            e->second.first_answer(q) == qq.answer ? "right" : "not right");
      ImGui::PopTextWrapPos();
    }
    ImGui::PopID();
  }
  ImGui::PopStyleVar(2);
}

}  // namespace

void draw_lesson(const AppModel& m, UiState& ui) {
  const Lesson& l = m.run.lesson;
  place_window(PanelSlot::Lesson);
  if (ui.lesson_tab >= 1) {
    // The quiz (and the task) takes the whole right-hand column (main leaves the inspector out meanwhile), so
    // that three questions and their feedback fit without scrolling at 1280x720.
    ImGuiNextWindowData& next = ImGui::GetCurrentContext()->NextWindowData;
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    next.SizeVal.y = vp->WorkPos.y + vp->WorkSize.y - next.PosVal.y;
  }
  ImGui::Begin(ICON_BOOK "  Lesson", nullptr,
               ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoCollapse |
                   ImGuiWindowFlags_NoBringToFrontOnFocus);
  if (m.big) ImGui::PushFont(m.big);
  ImGui::PushTextWrapPos(0.0f);
  ImGui::TextUnformatted(l.title.empty() ? l.id.c_str() : l.title.c_str());
  ImGui::PopTextWrapPos();
  if (m.big) ImGui::PopFont();
  if (ImGui::IsItemHovered() && !l.summary.empty()) {
    ImGui::BeginTooltip();
    ImGui::PushTextWrapPos(ImGui::GetFontSize() * 28);
    ImGui::TextUnformatted(l.summary.c_str());
    ImGui::PopTextWrapPos();
    ImGui::EndTooltip();
  }
  if (ImGui::BeginTabBar("lesson-tabs")) {
    const int force = ui.lesson_tab_force;
    ui.lesson_tab_force = -1;
    if (ImGui::BeginTabItem("Step", nullptr, force == 0 ? ImGuiTabItemFlags_SetSelected : 0)) {
      ui.lesson_tab = 0;
      ImGui::BeginChild("step");
      draw_step(m, ui);
      ImGui::EndChild();
      ImGui::EndTabItem();
    }
    if (!l.quiz.empty()) {
      // Scored on first answers (Progress::score); retries do not raise it.
      int right = 0, answered = 0;
      const auto e = ui.progress.lessons.find(l.id);
      for (std::size_t q = 0; q < l.quiz.size() && q < ui.quiz_choice.size(); ++q) {
        const int first = e != ui.progress.lessons.end() ? e->second.first_answer(q)
                                                          : ui.quiz_choice[q];
        answered += first >= 0;
        right += first == l.quiz[q].answer;
      }
      char label[64];
      if (answered > 0)
        std::snprintf(label, sizeof label, ICON_QUESTION " Quiz %d/%zu###quiz", right, l.quiz.size());
      else
        std::snprintf(label, sizeof label, ICON_QUESTION " Quiz (%zu)###quiz", l.quiz.size());
      if (ImGui::BeginTabItem(label, nullptr, force == 1 ? ImGuiTabItemFlags_SetSelected : 0)) {
        ui.lesson_tab = 1;
        ImGui::BeginChild("quiz");
        draw_quiz(m, ui);
        ImGui::EndChild();
        ImGui::EndTabItem();
      }
    }
    if (l.task && !m.live.active) {
      // The lesson's task: the learner's settings, and Check (panels/assess.cpp).
      if (ImGui::BeginTabItem(ICON_CHECK " Task###task", nullptr,
                              force == 2 ? ImGuiTabItemFlags_SetSelected : 0)) {
        ui.lesson_tab = 2;
        ImGui::BeginChild("task");
        draw_task(m, ui);
        ImGui::EndChild();
        ImGui::EndTabItem();
      }
    }
    ImGui::EndTabBar();
  }
  ImGui::End();
}

}  // namespace ms
