#include "predict.hpp"

#include <ctime>
#include <fstream>
#include <sstream>

#include "course.hpp"
#include "steps.hpp"

namespace ms {

void prepare_predictions(PredictState& s, const LessonRun& run, unsigned generation) {
  const Lesson& l = run.lesson;
  const std::size_t n = l.predictions.size();
  const bool same = s.lesson == l.id && s.answer.size() == n && s.outcome.size() == n;
  if (same && s.run == generation) return;
  if (!same) {
    s = PredictState{};
    s.lesson = l.id;
    s.answer.assign(n, -1);
    s.recorded.assign(n, false);
  }
  s.run = generation;
  s.error.clear();
  try {
    s.outcome = decide_predictions(run);
  } catch (const std::exception& e) {
    // Left undecided: the step still asks, the mark says why it cannot be given.
    s.error = e.what();
    s.outcome.assign(n, PredictionOutcome{});
  }
}

int prediction_of_step(const Lesson& l, int step) {
  for (std::size_t p = 0; p < l.predictions.size(); ++p)
    if (l.predictions[p].step == step) return static_cast<int>(p);
  return -1;
}

bool gate_prediction(const Lesson& l, Tick duration, PredictState& s, Tick& cursor,
                     bool& playing, Tick& play_until) {
  if (s.pending >= 0) {
    // Still waiting: whatever asked to play (Space, a step key) waits with it.
    playing = false;
    return false;
  }
  if (!playing || s.lesson != l.id) return false;
  const int step = step_at(l.steps, cursor);
  if (step < 0) return false;
  const int p = prediction_of_step(l, step);
  if (p < 0 || static_cast<std::size_t>(p) >= s.answer.size() || s.answer[p] != -1) return false;
  s.pending = p;
  s.resume_until = step_end(l.steps, step, duration);
  cursor = l.steps[step].at;
  playing = false;
  play_until = -1;
  return true;
}

void answer_prediction(const Lesson& l, Tick duration, PredictState& s, int choice,
                       Tick& cursor, bool& playing, Tick& play_until) {
  (void)duration;
  const int p = s.pending;
  if (p < 0 || static_cast<std::size_t>(p) >= s.answer.size()) return;
  const int n = static_cast<int>(l.predictions[p].choices.size());
  s.answer[p] = choice >= 0 && choice < n ? choice : -2;
  s.pending = -1;
  cursor = l.steps[l.predictions[p].step].at;
  play_until = s.resume_until;
  playing = play_until > cursor;
}

bool prediction_marked(const Lesson& l, const PredictState& s, int p, Tick cursor, Tick duration) {
  (void)duration;
  if (p < 0 || static_cast<std::size_t>(p) >= s.answer.size() || s.answer[p] < 0) return false;
  return cursor >= prediction_moment(l, l.predictions[p]);
}

std::string prediction_feedback(const Lesson& l, const PredictState& s, int p) {
  const Prediction& pr = l.predictions[p];
  if (!s.error.empty()) return "This prediction could not be decided from the run: " + s.error;
  const int chosen = s.answer[p];
  const PredictionOutcome& o = s.outcome[p];
  const bool right = chosen == o.answer;
  const std::size_t pick = static_cast<std::size_t>(chosen);
  const std::string& why =
      pick < pr.feedback.size() && !pr.feedback[pick].empty() ? pr.feedback[pick] : pr.explain;
  std::string out = quiz_feedback(right, why);
  if (!o.observed.empty()) out += "\nThe run shows: " + o.observed;
  return out;
}

std::vector<SettingChange> task_defaults(const Lesson& l) {
  std::vector<SettingChange> out;
  if (!l.task) return out;
  for (const auto& dk : l.task->may_change)
    for (const std::string& key : dk.second)
      out.push_back({dk.first, key, setting_value(l, dk.first, l.task->world, key)});
  return out;
}

ResultItem quiz_item(const Lesson& l, std::size_t q, int choice, const std::string& now) {
  ResultItem it;
  it.kind = "quiz";
  it.index = static_cast<int>(q) + 1;
  it.question = q < l.quiz.size() ? l.quiz[q].question : "";
  it.chosen = choice;
  it.correct = q < l.quiz.size() && choice == l.quiz[q].answer;
  it.time = now;
  return it;
}

ResultItem task_item(const Lesson& l, const TaskOutcome& o, const std::string& now) {
  ResultItem it;
  it.kind = "task";
  it.index = 1;
  it.question = l.task ? l.task->goal : "";
  it.correct = o.pass;
  it.time = now;
  return it;
}

std::string utc_now() {
  const std::time_t t = std::time(nullptr);
  char buf[32] = "";
  if (const std::tm* g = std::gmtime(&t)) std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", g);
  return buf;
}

int record_predictions(LearnerResults& r, const Lesson& l, PredictState& s, Tick cursor,
                       Tick duration, const std::string& now) {
  int added = 0;
  if (!s.error.empty() || s.lesson != l.id) return 0;
  for (std::size_t p = 0; p < s.answer.size() && p < s.recorded.size(); ++p) {
    if (s.recorded[p] || !prediction_marked(l, s, static_cast<int>(p), cursor, duration)) continue;
    ResultItem it;
    it.kind = "prediction";
    it.index = static_cast<int>(p) + 1;
    it.question = prediction_text(l.predictions[p]);
    it.chosen = s.answer[p];
    it.correct = s.answer[p] == s.outcome[p].answer;
    it.time = now;
    record_answer(r, l.id, it);
    s.recorded[p] = true;
    ++added;
  }
  return added;
}

namespace {
std::string csv_field(const std::string& v) {
  if (v.find_first_of(",\"\n") == std::string::npos) return v;
  std::string out = "\"";
  for (const char c : v) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}
}  // namespace

std::string results_csv(const LearnerResults& r) {
  std::ostringstream o;
  o << "learner,lesson,seen,kind,index,question,chosen,correct,time\n";
  for (const LessonResults& l : r.lessons) {
    const std::string head = csv_field(r.learner) + "," + csv_field(l.id) + "," + l.seen + ",";
    if (l.items.empty()) o << head << ",,,,,\n";
    for (const ResultItem& it : l.items)
      o << head << it.kind << "," << it.index << "," << csv_field(it.question) << ","
        << (it.chosen >= 0 ? std::to_string(it.chosen + 1) : std::string()) << ","
        << (it.correct ? "yes" : "no") << "," << it.time << "\n";
  }
  return o.str();
}

LearnerResults load_results_or_empty(const std::string& path, std::string* error) {
  std::ifstream in(path);
  if (!in) return {};
  try {
    return load_results(path);
  } catch (const std::exception& e) {
    if (error) *error = e.what();
    return {};
  }
}

std::string results_summary(const LearnerResults& r) {
  int seen = 0, pr = 0, pn = 0, qr = 0, qn = 0, tp = 0, tn = 0;
  for (const LessonResults& l : r.lessons) {
    const LessonScore s = score(l);
    seen += !l.seen.empty();
    pr += s.predictions_right, pn += s.predictions, qr += s.quiz_right, qn += s.quiz;
    tn += s.task >= 0, tp += s.task == 1;
  }
  return std::to_string(seen) + " lesson" + (seen == 1 ? "" : "s") + " seen \xc2\xb7 predictions " +
         std::to_string(pr) + "/" + std::to_string(pn) + " \xc2\xb7 quiz " + std::to_string(qr) +
         "/" + std::to_string(qn) + " \xc2\xb7 tasks " + std::to_string(tp) + "/" +
         std::to_string(tn) + " passed";
}

}  // namespace ms
