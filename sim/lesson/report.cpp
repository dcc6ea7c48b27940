#include "lesson/report.hpp"

#include "util/text.hpp"

namespace ms {

std::string format_world_transcript(const World& w) {
  const Trace& t = w.trace();
  std::string out;
  for (const auto& r : t.records()) {
    if (r.kind != RecKind::Wire) continue;
    bool from_server = r.actor == w.server_actor();
    std::string head = format_time(r.t) + "  " + t.actor_name(r.actor) + " -> " +
                       t.actor_name(r.peer) + "  " + proto_name(r.proto) + "  " +
                       (from_server ? "S: " : "C: ");
    std::string_view text(r.text);
    std::size_t pos = 0;
    while (pos < text.size()) {
      std::size_t nl = text.find('\n', pos);
      std::string_view line = text.substr(pos, nl == text.npos ? text.npos : nl - pos);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      out += head + printable(line) + "\n";
      pos = nl == text.npos ? text.size() : nl + 1;
    }
  }
  return out;
}

std::string format_transcript(const LessonRun& run) {
  std::string out;
  for (const auto& wr : run.worlds) {
    out += "=== " + wr.world->label() + " world: " + run.lesson.title + " ===\n";
    out += format_world_transcript(*wr.world);
    out += "\n";
  }
  return out;
}

std::string check_when(const LessonRun& run, const CheckResult& c) {
  if (c.step < 0) return (c.at >= run.lesson.duration ? "at the end, " : "at ") + format_time(c.at);
  return "step " + std::to_string(c.step + 1) + " at " + format_time(c.at);
}

std::string format_checks(const LessonRun& run) {
  std::string out = "Expectations (each decided at its step):\n";
  int pass = 0, fail = 0;
  for (const auto& wr : run.worlds)
    for (const auto& c : wr.checks) {
      out += std::string(c.pass ? "  PASS  " : "  FAIL  ") + "[" + wr.world->label() + "] " +
             check_when(run, c) + ": " + c.description +
             (c.pass ? "" : "  (observed " + c.observed + ")") + "\n";
      (c.pass ? pass : fail)++;
    }
  out += std::to_string(pass) + " passed, " + std::to_string(fail) + " failed\n";
  return out;
}

std::string format_recommendation_for_customer(const Recommendation& r, const std::string& link) {
  std::string out = "Our recommendation for your mailbox: " + r.protocol;
  if (r.protocol != r.mail_protocol)
    out += " account (if your mail app cannot add one: " + r.mail_protocol + ")";
  out += ".\n";
  for (const std::string& n : r.provider_notes) out += n + "\n";
  out += "\nWhy:\n";
  for (const ChooserReason& x : r.why) out += "- " + x.text + "\n";
  out += "\nWhat to set in your mail app:\n";
  for (const std::string& s : r.settings) out += "- " + s + "\n";
  if (!link.empty()) out += "\nSee it happen, step by step: " + link + "\n";
  return out;
}

}  // namespace ms
