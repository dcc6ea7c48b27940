// Predict, then observe, and the lesson's task (issue 24). The prediction window sits over the
// worlds in both modes (a teacher at the projector answers with the class or skips); the task
// is a section of the lesson panel at the lesson's last step. The right answers come from the
// run (lesson/assess.hpp), never from the panel.
#include <filesystem>
#include <string>
#include <vector>

#include "icons.hpp"
#include "panels/assess_ui.hpp"
#include "panels/course_ui.hpp"
#include "steps.hpp"

namespace ms {

namespace {

const ImVec4 kPass(0.45f, 0.85f, 0.5f, 1.0f), kFail(0.95f, 0.4f, 0.4f, 1.0f),
    kGold(0.98f, 0.80f, 0.35f, 1.0f);

}  // namespace

// results.json beside progress.json, read the first time it is needed; a damaged file is
// moved aside (kept for the teacher), never overwritten unseen.
void prepare_results(UiState& ui) {
  if (ui.progress_path.empty() || !ui.results_path.empty()) return;
  ui.results_path = (std::filesystem::path(ui.progress_path).parent_path() / "results.json").string();
  ui.results = load_results_or_empty(ui.results_path, &ui.results_error);
  if (!ui.results_error.empty()) {
    std::error_code ec;
    std::filesystem::rename(ui.results_path, ui.results_path + ".damaged", ec);
    ui.status = "Results file could not be read (kept as results.json.damaged)";
    ui.status_until = ImGui::GetTime() + 8.0;
  }
}

namespace {

void save_results(UiState& ui) {
  if (!ui.results_dirty) return;
  ui.results_dirty = false;
  if (ui.results_path.empty()) return;
  std::string error;
  write_export(ui.results_path, results_to_json(ui.results), &error);
}

bool seen_in_results(const LearnerResults& r, const std::string& id) {
  for (const LessonResults& l : r.lessons)
    if (l.id == id) return true;
  return false;
}

// Typed 1..9 answers, typed s skips (as navigation_keys reads '.' and ','; a teacher's clicker
// has neither: its PageDown moves on, which leaves the question for later). -2: skip.
int choice_key(std::size_t choices) {
  const ImGuiIO& io = ImGui::GetIO();
  if (io.WantTextInput) return -1;
  for (const ImWchar c : io.InputQueueCharacters) {
    if (c >= '1' && c <= '9' && static_cast<std::size_t>(c - '1') < choices) return c - '1';
    if (c == 's' || c == 'S') return -2;
  }
  return -1;
}

}  // namespace

void record_quiz_result(UiState& ui, const Lesson& l, std::size_t q, int choice) {
  if (q >= l.quiz.size()) return;
  record_answer(ui.results, l.id, quiz_item(l, q, choice, ui.screenshot ? "" : utc_now()));
  ui.results_dirty = true;
}

void draw_results_line(UiState& ui) {
  prepare_results(ui);
  save_results(ui);  // the name given last frame
  const std::string line = "Your results: " + results_summary(ui.results) +
                           (ui.results.learner.empty() ? "" : " (" + ui.results.learner + ")");
  ImGui::TextDisabled("%s", line.c_str());
  audit_last("text", "start/course/results", line);
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("Predictions, quiz answers and tasks, with their time: File > Export results");
  if (ui.learner_asked || !ui.results.learner.empty() || ui.screenshot) return;
  // Asked once, optional: the results file carries it to the teacher.
  static char name[96] = "";
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted("Your name for your results (optional):");
  ImGui::SameLine();
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 10);
  const bool enter = ImGui::InputText("##learner", name, sizeof name, ImGuiInputTextFlags_EnterReturnsTrue);
  ImGui::SameLine();
  if ((ImGui::SmallButton("OK") || enter) && name[0]) {
    ui.results.learner = name;
    ui.results_dirty = true;
    ui.learner_asked = true;
  }
  ImGui::SameLine();
  if (ImGui::SmallButton("Skip")) ui.learner_asked = true;
}

void draw_prediction(const AppModel& m, UiState& ui) {
  prepare_results(ui);
  if (m.live.active || ui.start_screen) {
    save_results(ui);
    return;
  }
  const Lesson& l = m.run.lesson;
  if (ui.lesson_opened && !seen_in_results(ui.results, l.id)) {
    note_seen(ui.results, l.id, ui.screenshot ? "" : utc_now());
    ui.results_dirty = true;
  }
  prepare_predictions(ui.predict, m.run, ui.sandbox.generation);
  PredictState& s = ui.predict;
  // A step key pressed while the question waits moves on: the question of the step left
  // stays unanswered (asked again when that step plays again).
  if (s.pending >= 0 && !ui.screenshot &&
      step_at(l.steps, ui.cursor) != l.predictions[s.pending].step)
    s.pending = -1;
  gate_prediction(l, m.duration, s, ui.cursor, ui.playing, ui.play_until);
  if (record_predictions(ui.results, l, s, ui.cursor, m.duration, ui.screenshot ? "" : utc_now()) > 0)
    ui.results_dirty = true;
  save_results(ui);

  // The window: the question while it waits, then (answered) its mark at the step's end.
  const int step = step_at(l.steps, ui.cursor);
  const int p = s.pending >= 0 ? s.pending : prediction_of_step(l, step);
  if (p < 0 || s.answer.empty() || (s.pending < 0 && s.answer[p] < 0)) return;
  const Prediction& pr = l.predictions[p];
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  // As wide as the transcript below it, so that it stays low: the step buttons above stay free.
  const float w = std::min(vp->WorkSize.x * 0.68f, ImGui::GetFontSize() * 60.0f);
  // Over the transcript, at the bottom: the worlds stay in view, since the feedback points at
  // what they draw (the chips, the wire counters).
  ImGui::SetNextWindowPos(ImVec2(vp->WorkPos.x + vp->WorkSize.x * 0.355f, vp->WorkPos.y + vp->WorkSize.y),
                          ImGuiCond_Always, ImVec2(0.5f, 1.0f));
  ImGui::SetNextWindowSize(ImVec2(w, 0.0f), ImGuiCond_Always);
  ImGui::Begin(ICON_QUESTION "  Predict, then watch###predict", nullptr,
               ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoCollapse |
                   ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoSavedSettings);
  ImGui::PushTextWrapPos(0.0f);
  ImGui::TextColored(kGold, "%s world \xc2\xb7 step %d", proto_name(pr.world), pr.step + 1);
  ImGui::TextUnformatted(pr.question.c_str());
  ImGui::PopTextWrapPos();
  if (s.pending >= 0) {
    int picked = choice_key(pr.choices.size());
    bool skip = picked == -2;
    if (skip) picked = -1;
    // Choices side by side while they fit the line.
    float x = 0;
    const float avail = ImGui::GetContentRegionAvail().x, gap = ImGui::GetStyle().ItemSpacing.x;
    for (std::size_t c = 0; c < pr.choices.size(); ++c) {
      ImGui::PushID(static_cast<int>(c));
      const std::string label = std::to_string(c + 1) + ". " + pr.choices[c].text;
      const float bw = ImGui::CalcTextSize(label.c_str()).x + ImGui::GetStyle().FramePadding.x * 2;
      if (c > 0 && x + gap + bw <= avail) ImGui::SameLine(), x += gap + bw;
      else x = bw;
      if (ImGui::Button(label.c_str())) picked = static_cast<int>(c);
      audit_last("text", "predict/choice:" + std::to_string(c), pr.choices[c].text);
      ImGui::PopID();
    }
    ImGui::TextDisabled("The step waits for your answer (keys 1-%zu).", pr.choices.size());
    ImGui::SameLine();
    skip |= ImGui::SmallButton("Skip this prediction");
    audit_last("text", "predict/skip", "Skip this prediction");
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip("Play the step without answering (S); a teacher can ask the class aloud.");
    if (picked >= 0 || skip)
      answer_prediction(l, m.duration, s, skip ? -1 : picked, ui.cursor, ui.playing, ui.play_until);
  } else {
    ImGui::Text("Your answer: %s", pr.choices[static_cast<std::size_t>(s.answer[p])].text.c_str());
    if (prediction_marked(l, s, p, ui.cursor, m.duration)) {
      const bool right = s.error.empty() && s.answer[p] == s.outcome[p].answer;
      ImGui::PushTextWrapPos(0.0f);
      const std::string fb = std::string(right ? ICON_CHECK " " : ICON_TIMES " ") +
                             prediction_feedback(l, s, p);
      ImGui::TextColored(right ? kPass : kFail, "%s", fb.c_str());
      ImGui::PopTextWrapPos();
      audit_last("text", "predict/mark", right ? "right" : "not right");
    } else {
      ImGui::TextDisabled(ICON_CLOCK "  Watch the step: it is marked at its end.");
    }
  }
  ImGui::End();
}

Tick apply_assess_options(const AppModel& m, UiState& ui, int step, int predict,
                          const std::string* changes, std::string* error) {
  const Lesson& l = m.run.lesson;
  Tick target = -1;
  if (predict >= 0) {
    prepare_predictions(ui.predict, m.run, ui.sandbox.generation);
    const int p = prediction_of_step(l, step - 1);
    if (p < 0) {
      *error = "--predict: step " + std::to_string(step) + " of " + l.id + " has no prediction";
      return -1;
    }
    const Prediction& pr = l.predictions[static_cast<std::size_t>(p)];
    if (predict > static_cast<int>(pr.choices.size())) {
      *error = "--predict: the prediction has " + std::to_string(pr.choices.size()) + " choices";
      return -1;
    }
    PredictState& s = ui.predict;
    s.pending = p;
    s.resume_until = step_end(l.steps, pr.step, m.duration);
    target = l.steps[static_cast<std::size_t>(pr.step)].at;
    if (predict > 0) {
      s.pending = -1;
      s.answer[static_cast<std::size_t>(p)] = predict - 1;
      target = s.resume_until;
    }
  }
  if (changes) {
    if (!l.task) {
      *error = "--task-check: lesson " + l.id + " has no task";
      return -1;
    }
    prepare_task(l, ui);
    std::string rest = *changes;
    while (!rest.empty()) {
      const std::size_t comma = rest.find(',');
      const std::string one = rest.substr(0, comma);
      rest = comma == std::string::npos ? "" : rest.substr(comma + 1);
      const auto c = parse_setting_change(one);
      bool found = false;
      for (SettingChange& v : ui.task_values)
        if (c && v.device == c->device && v.setting == c->setting) v.value = c->value, found = true;
      if (!found) {
        *error = "--task-check: '" + one + "' is not a setting this task offers";
        return -1;
      }
    }
    check_task_now(l, ui);
    ui.lesson_tab_force = 2;
  }
  return target;
}

void prepare_task(const Lesson& l, UiState& ui) {
  if (ui.task_lesson == l.id) return;
  ui.task_lesson = l.id;
  ui.task_values.clear();
  ui.task_actions.clear();
  ui.task_checked = false;
  ui.task_error.clear();
  ui.task_outcome = TaskOutcome{};
  ui.task_values = task_defaults(l);
}

void check_task_now(const Lesson& l, UiState& ui) {
  if (!l.task) return;
  ui.task_error.clear();
  std::vector<AddedAction> actions;
  for (const std::string& a : ui.task_actions)
    if (auto x = parse_added_action(a)) actions.push_back(*x);
  try {
    ui.task_outcome = check_task(l, ui.task_values, actions);
    ui.task_checked = true;
  } catch (const std::exception& e) {
    ui.task_error = e.what();
    ui.task_checked = false;
    return;
  }
  record_answer(ui.results, l.id, task_item(l, ui.task_outcome, ui.screenshot ? "" : utc_now()));
  ui.results_dirty = true;
}

void draw_task(const AppModel& m, UiState& ui) {
  // The task works on the lesson as written (not the sandbox's changes).
  const Lesson& l = ui.sandbox.active() ? ui.sandbox.base : m.run.lesson;
  if (!l.task) return;
  prepare_task(l, ui);
  const Task& t = *l.task;
  ImGui::TextColored(kGold, "Task \xc2\xb7 %s world", proto_name(t.world));
  ImGui::PushTextWrapPos(0.0f);
  ImGui::TextUnformatted(t.goal.c_str());
  if (!t.hint.empty()) ImGui::TextDisabled("Hint: %s", t.hint.c_str());
  ImGui::PopTextWrapPos();
  std::string device;
  for (std::size_t i = 0; i < ui.task_values.size(); ++i) {
    SettingChange& v = ui.task_values[i];
    if (v.device != device) {
      device = v.device;
      ImGui::Text("%s's settings:", device.c_str());
    }
    const TaskSettingInfo* info = task_setting(t.world, v.setting);
    std::string label = info ? info->label : v.setting;
    if (info && info->source == "unverified") label += " (unverified label)";
    ImGui::PushID(static_cast<int>(i));
    ImGui::Indent();
    const std::string kind = info ? info->kind : "yes/no";
    if (kind == "yes/no") {
      // The box, then its label wrapped (clicking the label ticks it too), as a narrow panel needs.
      bool on = v.value == "true";
      bool flip = ImGui::Checkbox("##v", &on);
      ImGui::SameLine(0, ImGui::GetStyle().ItemInnerSpacing.x);
      ImGui::PushTextWrapPos(0.0f);
      ImGui::TextUnformatted(label.c_str());
      ImGui::PopTextWrapPos();
      if (ImGui::IsItemClicked()) flip = true, on = !on;
      if (flip) v.value = on ? "true" : "false", ui.task_checked = false;
    } else if (kind == "number") {
      int n = std::atoi(v.value.c_str());
      ImGui::SetNextItemWidth(ImGui::GetFontSize() * 6);
      if (ImGui::InputInt(label.c_str(), &n)) v.value = std::to_string(std::max(0, n)), ui.task_checked = false;
    } else {
      ImGui::SetNextItemWidth(ImGui::GetFontSize() * 9);
      if (ImGui::BeginCombo(label.c_str(), v.value.c_str())) {
        for (const std::string& o : info->options)
          if (ImGui::Selectable(o.c_str(), o == v.value)) v.value = o, ui.task_checked = false;
        ImGui::EndCombo();
      }
    }
    audit_last("text", "task/setting:" + v.device + "." + v.setting, label);
    if (info && ImGui::IsItemHovered())
      ImGui::SetTooltip("%s\nSource: %s", v.setting.c_str(), info->source.c_str());
    ImGui::Unindent();
    ImGui::PopID();
  }
  for (const auto& da : t.may_do) {
    std::string list;
    for (const std::string& a : da.second) list += (list.empty() ? "" : ", ") + a;
    ImGui::TextDisabled("%s may also: %s", da.first.c_str(), list.c_str());
  }
  for (const std::string& a : ui.task_actions) ImGui::BulletText("added: %s", a.c_str());
  if (ImGui::Button(ICON_CHECK " Check")) check_task_now(l, ui);
  audit_last("text", "task/check", "Check");
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Re-run the lesson with these settings and decide each check");
  ImGui::SameLine();
  if (ImGui::SmallButton("As the lesson had it")) ui.task_lesson.clear();
  if (!ui.task_error.empty()) {
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextColored(kFail, "%s", ui.task_error.c_str());
    ImGui::PopTextWrapPos();
  }
  if (!ui.task_checked) return;
  ImGui::PushTextWrapPos(0.0f);
  for (const CheckResult& c : ui.task_outcome.checks) {
    if (c.pass) {
      ImGui::TextColored(kPass, ICON_CHECK "  PASS  %s", c.description.c_str());
    } else {
      ImGui::TextColored(kFail, ICON_TIMES "  FAIL  %s", c.description.c_str());
      if (!c.observed.empty()) ImGui::TextDisabled("      observed: %s", c.observed.c_str());
    }
  }
  if (ui.task_outcome.pass)
    ImGui::TextColored(kPass, ICON_CHECK "  Task done: this configuration meets the goal.");
  else
    ImGui::TextColored(kFail, "Not yet: change a setting and press Check again.");
  audit_last("text", "task/verdict", ui.task_outcome.pass ? "Task done" : "Not yet");
  ImGui::PopTextWrapPos();
}

}  // namespace ms
