#include "lesson/moodle.hpp"

#include "lesson/assess.hpp"
#include "lesson/table.hpp"  // html_escape

namespace ms {

namespace {

// Text for an XML element: the question texts are plain text, so everything is escaped
// (Moodle reads the element as HTML with format="html"); HTML's escaping is XML's here.
std::string xml(const std::string& s) { return html_escape(s); }

std::string text_el(const char* tag, const std::string& s, bool html = true) {
  return std::string("<") + tag + (html ? " format=\"html\"" : "") + "><text>" + xml(s) +
         "</text></" + tag + ">";
}

std::string question(const std::string& name, const std::string& text,
                     const std::vector<std::string>& choices, int answer,
                     const std::vector<std::string>& feedback, const std::string& general) {
  std::string q = "  <question type=\"multichoice\">\n    " + text_el("name", name, false) +
                  "\n    " + text_el("questiontext", text) + "\n    " +
                  text_el("generalfeedback", general) +
                  "\n    <defaultgrade>1</defaultgrade>\n    <penalty>0</penalty>\n"
                  "    <hidden>0</hidden>\n    <single>true</single>\n"
                  "    <shuffleanswers>false</shuffleanswers>\n"
                  "    <answernumbering>abc</answernumbering>\n";
  for (std::size_t k = 0; k < choices.size(); ++k) {
    const bool right = static_cast<int>(k) == answer;
    const std::string fb = k < feedback.size() ? feedback[k] : (right ? "Right." : "Not this one.");
    q += std::string("    <answer fraction=\"") + (right ? "100" : "0") +
         "\" format=\"html\">\n      <text>" + xml(choices[k]) + "</text>\n      " +
         text_el("feedback", fb) + "\n    </answer>\n";
  }
  return q + "  </question>\n";
}

}  // namespace

std::string moodle_question_bank(const std::vector<Lesson>& lessons) {
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<quiz>\n";
  for (const Lesson& L : lessons) {
    if (L.quiz.empty() && L.predictions.empty()) continue;
    out += "  <question type=\"category\">\n    <category><text>$course$/Mailscope/" +
           xml(L.title) + "</text></category>\n  </question>\n";
    for (std::size_t i = 0; i < L.quiz.size(); ++i) {
      const QuizQuestion& q = L.quiz[i];
      out += question(L.id + " quiz " + std::to_string(i + 1), q.question, q.choices, q.answer,
                      q.feedback, q.explain);
    }
    if (L.predictions.empty()) continue;
    const std::vector<PredictionOutcome> got = decide_predictions(run_lesson(L));
    for (std::size_t i = 0; i < L.predictions.size(); ++i) {
      const Prediction& p = L.predictions[i];
      std::vector<std::string> choices;
      for (const auto& c : p.choices) choices.push_back(c.text);
      const std::string step = "Step " + std::to_string(p.step + 1) + ", \"" +
                               L.steps[static_cast<std::size_t>(p.step)].title + "\". ";
      out += question(L.id + " prediction " + std::to_string(i + 1), step + prediction_text(p),
                      choices, got[i].answer, p.feedback,
                      (p.explain.empty() ? "" : p.explain + " ") + "The simulation shows: " +
                          got[i].observed + ".");
    }
  }
  return out + "</quiz>\n";
}

}  // namespace ms
