#pragma once
// Text reports of a lesson run shared by mailscope-cli and the GUI's headless fallback, and
// the chooser's recommendation as text for a customer.
#include <string>

#include "lesson/chooser.hpp"
#include "lesson/lesson.hpp"

namespace ms {

// Each world's wire transcript: one line per protocol line, with sim time and endpoints,
// e.g. "00:00:10.080  phone -> server  POP3  C: USER alice". Long message bodies are shown in
// full; control bytes are escaped.
std::string format_transcript(const LessonRun& run);
std::string format_world_transcript(const World& w);
// When a check was decided: "step 3 at 00:00:15.000", or "at the end, 00:00:20.000" in a
// lesson without steps.
std::string check_when(const LessonRun& run, const CheckResult& c);
// Every expectation with PASS/FAIL and the step and moment it was decided at, and a closing
// line "N passed, M failed".
std::string format_checks(const LessonRun& run);

// The chooser's recommendation as text for the customer (what "Copy as text" copies): the
// answer, what the provider changes, the reasons and the settings, in the customer's terms:
// no lesson ids, no command line they could not run. `link`, when not empty, is an address
// that opens the proving lesson at its moment (the browser build's), offered at the end.
std::string format_recommendation_for_customer(const Recommendation& r,
                                               const std::string& link = "");

}  // namespace ms
