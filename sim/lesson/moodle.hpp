#pragma once
// The course's questions as a Moodle XML question bank (issue 24): every quiz question and
// every prediction of each lesson, one category per lesson, each a single-answer multichoice
// question with one 100% answer and feedback on every choice. A prediction's right choice is
// the one its lesson's run gives (lesson/assess.hpp).
#include <string>
#include <vector>

#include "lesson/lesson.hpp"

namespace ms {

// Runs each lesson that has predictions. Throws AssessError when a prediction's choices do not
// hold what its run shows.
std::string moodle_question_bank(const std::vector<Lesson>& lessons);

}  // namespace ms
