// Lesson panel: title, the step in force at the cursor, step navigation, the expectations'
// results once the run has been watched to its end, and the quiz.
#include <algorithm>
#include <string>

#include "icons.hpp"
#include "panels/panels.hpp"

namespace ms {

void draw_lesson(const AppModel& m, UiState& ui) {
  const Lesson& l = m.run.lesson;
  place_window(PanelSlot::Lesson);
  ImGui::Begin(ICON_BOOK "  Lesson", nullptr,
               ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoCollapse |
                   ImGuiWindowFlags_NoBringToFrontOnFocus);
  if (m.big) ImGui::PushFont(m.big);
  ImGui::PushTextWrapPos(0.0f);
  ImGui::TextUnformatted(l.title.empty() ? l.id.c_str() : l.title.c_str());
  ImGui::PopTextWrapPos();
  if (m.big) ImGui::PopFont();
  if (!l.summary.empty()) {
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextDisabled("%s", l.summary.c_str());
    ImGui::PopTextWrapPos();
  }
  ImGui::Separator();

  int cur = -1;
  for (std::size_t i = 0; i < l.steps.size(); ++i)
    if (l.steps[i].at <= ui.cursor) cur = static_cast<int>(i);
  const int n = static_cast<int>(l.steps.size());
  ImGui::BeginDisabled(cur <= 0 && !(cur == 0 && ui.cursor > l.steps[0].at));
  if (ImGui::Button(ICON_STEP_BACKWARD " Previous step")) {
    ui.playing = false;
    // Pressing "previous" inside a step first returns to the start of that step.
    int to = (cur >= 0 && ui.cursor > l.steps[cur].at) ? cur : cur - 1;
    seek(m, ui, l.steps[std::max(0, to)].at);
  }
  ImGui::EndDisabled();
  ImGui::SameLine();
  ImGui::BeginDisabled(cur + 1 >= n);
  if (ImGui::Button("Next step " ICON_STEP_FORWARD)) {
    ui.playing = false;
    seek(m, ui, l.steps[cur + 1].at);
  }
  ImGui::EndDisabled();

  if (cur >= 0) {
    const Step& s = l.steps[cur];
    ImGui::Spacing();
    ImGui::TextColored(ImVec4(0.98f, 0.80f, 0.35f, 1.0f), "Step %d of %d  \xc2\xb7  %s", cur + 1, n,
                       format_time(s.at).c_str());
    ImGui::PushTextWrapPos(0.0f);
    if (m.big) ImGui::PushFont(m.big);
    ImGui::SetWindowFontScale(0.75f);
    ImGui::TextUnformatted(s.title.c_str());
    ImGui::SetWindowFontScale(1.0f);
    if (m.big) ImGui::PopFont();
    ImGui::TextUnformatted(s.text.c_str());
    ImGui::PopTextWrapPos();
  } else if (n > 0) {
    ImGui::TextDisabled("Press Play (Space) to start.");
  }

  ImGui::Spacing();
  ImGui::Separator();
  ImGui::TextUnformatted(ICON_CHECK "  What the lesson checks");
  if (ui.sandbox.active()) {
    // A FAIL here is the sandbox working, not a bug: the checks describe the lesson's own
    // script, and the learner's actions have changed what happens after the branch point.
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextColored(ImVec4(0.98f, 0.80f, 0.35f, 1.0f),
                       ICON_INFO "  You changed this run in the sandbox (%zu change%s). These "
                       "checks were written for the lesson as planned, so some may now fail: "
                       "that shows what your change did. Press \"Reset to the lesson\" to see it "
                       "as written again.",
                       ui.sandbox.applied.size(), ui.sandbox.applied.size() == 1 ? "" : "s");
    ImGui::PopTextWrapPos();
  }
  const bool at_end = ui.cursor >= m.duration;
  for (const WorldModel& w : m.worlds) {
    if (!w.checks || w.checks->empty()) continue;
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(proto_color(w.proto)));
    ImGui::TextUnformatted(w.title.c_str());
    ImGui::PopStyleColor();
    for (const CheckResult& c : *w.checks) {
      ImGui::PushTextWrapPos(0.0f);
      if (!at_end) {
        ImGui::TextDisabled(ICON_CLOCK "  %s", c.description.c_str());
      } else if (c.pass) {
        ImGui::TextColored(ImVec4(0.45f, 0.85f, 0.5f, 1.0f), ICON_CHECK "  PASS  %s",
                           c.description.c_str());
      } else {
        ImGui::TextColored(ImVec4(0.95f, 0.4f, 0.4f, 1.0f), ICON_TIMES "  FAIL  %s",
                           c.description.c_str());
      }
      if (at_end && !c.observed.empty()) ImGui::TextDisabled("      observed: %s", c.observed.c_str());
      ImGui::PopTextWrapPos();
    }
  }
  if (!at_end) {
    ImGui::TextDisabled("Results are shown when the run reaches its end.");
    if (ImGui::SmallButton("Jump to the end")) ui.playing = false, seek(m, ui, m.duration);
  }

  if (!l.quiz.empty()) {
    ImGui::Spacing();
    ImGui::Separator();
    ImGui::TextUnformatted(ICON_QUESTION "  Quiz");
    if (ui.quiz_choice.size() < l.quiz.size()) ui.quiz_choice.resize(l.quiz.size(), -1);
    for (std::size_t q = 0; q < l.quiz.size(); ++q) {
      const QuizQuestion& qq = l.quiz[q];
      ImGui::PushID(static_cast<int>(q));
      ImGui::PushTextWrapPos(0.0f);
      ImGui::Text("%zu. %s", q + 1, qq.question.c_str());
      ImGui::PopTextWrapPos();
      for (std::size_t c = 0; c < qq.choices.size(); ++c)
        if (ImGui::RadioButton(qq.choices[c].c_str(), ui.quiz_choice[q] == static_cast<int>(c)))
          ui.quiz_choice[q] = static_cast<int>(c);
      if (ui.quiz_choice[q] >= 0) {
        const bool right = ui.quiz_choice[q] == qq.answer;
        ImGui::PushTextWrapPos(0.0f);
        if (right) ImGui::TextColored(ImVec4(0.45f, 0.85f, 0.5f, 1.0f), ICON_CHECK "  Right.");
        else ImGui::TextColored(ImVec4(0.95f, 0.4f, 0.4f, 1.0f), ICON_TIMES "  Not quite.");
        if (!qq.explain.empty()) {
          ImGui::SameLine();
          ImGui::TextUnformatted(qq.explain.c_str());
        }
        ImGui::PopTextWrapPos();
      }
      ImGui::Spacing();
      ImGui::PopID();
    }
  }
  ImGui::End();
}

}  // namespace ms
