#include "a11y_twin.hpp"

#include <algorithm>
#include <tuple>

#include "lesson/chooser.hpp"
#include "steps.hpp"

namespace ms {

namespace {

using nlohmann::json;

std::string plural(std::size_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

json lesson_step(const TwinInput& in, const UiState& ui) {
  const Lesson& l = in.run->lesson;
  const int cur = step_at(l.steps, ui.cursor);
  const int n = static_cast<int>(l.steps.size());
  json s = {{"number", cur + 1}, {"count", n}, {"title", ""}, {"text", ""}};
  if (cur >= 0) {
    s["title"] = l.steps[cur].title;
    s["text"] = l.steps[cur].text;
    s["time"] = format_time(l.steps[cur].at);
  } else {
    s["text"] = l.summary;
  }
  return s;
}

json timeline(const TwinInput& in, const UiState& ui) {
  const Lesson& l = in.run->lesson;
  const int cur = step_at(l.steps, ui.cursor);
  const int n = static_cast<int>(l.steps.size());
  // The lesson panel's rule for its two buttons: "previous" is offered once a step is in
  // force and the cursor is past the first step's start; "next" while a step follows, and
  // from the last step the course's next lesson.
  const bool can_prev = cur > 0 || (cur == 0 && ui.cursor > l.steps[0].at);
  std::string next_lesson;
  if (in.course && cur == n - 1 && n > 0) next_lesson = in.course->next_after(l.id);
  // While playing the time is left out: it changes every frame, and the page is told only
  // what changed in words (steps, lines, checks).
  return {{"playing", ui.playing},
          {"time", ui.playing ? "" : format_time(ui.cursor)},
          {"end", format_time(in.duration)},
          {"can_prev", can_prev},
          {"can_next", cur + 1 < n},
          {"next_lesson", next_lesson}};
}

// Each check from the moment it is decided (CheckResult::at), as the lesson panel shows it.
void checks(const TwinInput& in, const UiState& ui, json& out) {
  json list = json::array();
  int pending = 0;
  for (const TwinWorld& w : in.worlds) {
    if (!w.checks) continue;
    for (const CheckResult& c : *w.checks) {
      if (ui.cursor < c.at) {
        ++pending;
        continue;
      }
      list.push_back({{"world", w.title}, {"description", c.description}, {"pass", c.pass},
                      {"observed", c.pass ? "" : c.observed}});
    }
  }
  out["checks"] = std::move(list);
  out["checks_pending"] = pending;
}

json quiz(const Lesson& l, const UiState& ui) {
  json qs = json::array();
  const auto e = ui.progress.lessons.find(l.id);
  for (std::size_t q = 0; q < l.quiz.size(); ++q) {
    const QuizQuestion& qq = l.quiz[q];
    const int chosen = q < ui.quiz_choice.size() ? ui.quiz_choice[q] : -1;
    json j = {{"question", qq.question}, {"choices", qq.choices}, {"chosen", chosen}};
    if (chosen >= 0) {
      const bool right = chosen == qq.answer;
      const std::size_t pick = static_cast<std::size_t>(chosen);
      const std::string& why =
          pick < qq.feedback.size() && !qq.feedback[pick].empty() ? qq.feedback[pick] : qq.explain;
      j["right"] = right;
      j["feedback"] = quiz_feedback(right, why);
      if (e != ui.progress.lessons.end() && e->second.first_answer(q) >= 0 &&
          e->second.first_answer(q) != chosen)
        j["retry"] = std::string("A retry: the score counts your first answer (") +
                     (e->second.first_answer(q) == qq.answer ? "right" : "not right") + ").";
    }
    qs.push_back(std::move(j));
  }
  return qs;
}

// The latest protocol lines sent by the cursor, both worlds merged in time order.
json transcript(const TwinInput& in) {
  struct Line {
    Tick t;
    std::size_t world;
    std::uint32_t rec;
    std::size_t off;
    json j;
  };
  std::vector<Line> lines;
  for (std::size_t wi = 0; wi < in.worlds.size(); ++wi) {
    const TwinWorld& w = in.worlds[wi];
    if (!w.trace || !w.view) continue;
    const auto& recs = w.trace->records();
    std::size_t taken = 0;
    for (std::size_t i = std::min(w.view->index, recs.size()); i-- > 0 && taken < kTwinTranscriptLines;) {
      const Record& r = recs[i];
      if (r.kind != RecKind::Wire) continue;
      const bool from_server = r.actor == w.server;
      const std::string& dev = w.trace->actor_name(from_server ? r.peer : r.actor);
      // A record holds one or more CRLF-terminated protocol lines (a message body: many).
      std::vector<std::pair<std::size_t, std::string>> parts;
      std::size_t at = 0;
      while (at < r.text.size()) {
        std::size_t end = r.text.find('\n', at);
        if (end == std::string::npos) end = r.text.size();
        std::string s = r.text.substr(at, end - at);
        if (!s.empty() && s.back() == '\r') s.pop_back();
        parts.emplace_back(at, s.substr(0, 400));
        at = end + 1;
      }
      for (std::size_t k = parts.size(); k-- > 0 && taken < kTwinTranscriptLines; ++taken)
        lines.push_back({r.t, wi, static_cast<std::uint32_t>(i), parts[k].first,
                         {{"time", format_time(r.t)},
                          {"world", w.title},
                          {"from", from_server ? "server" : "client"},
                          {"device", dev},
                          {"text", parts[k].second}}});
    }
  }
  std::sort(lines.begin(), lines.end(), [](const Line& a, const Line& b) {
    return std::tie(a.t, a.world, a.rec, a.off) < std::tie(b.t, b.world, b.rec, b.off);
  });
  json out = json::array();
  const std::size_t from = lines.size() > kTwinTranscriptLines ? lines.size() - kTwinTranscriptLines : 0;
  for (std::size_t i = from; i < lines.size(); ++i) out.push_back(std::move(lines[i].j));
  return out;
}

json table(const TwinInput& in, const UiState& ui) {
  json t = {{"rows", json::array()}};
  if (!in.table) return t;
  // This lesson's cells wait until the run has gone quiet, as the table panel's do.
  const bool shown = in.full_table || ui.cursor >= in.table_at;
  t["complete"] = shown;
  for (const TableRow& r : *in.table)
    t["rows"].push_back({{"row", r.row},
                         {"lesson", r.lesson},
                         {"pop3", shown ? r.pop3.phrase : ""},
                         {"imap", shown ? r.imap.phrase : ""}});
  return t;
}

}  // namespace

ChooserAnswers chooser_answers_of(const UiState& ui) {
  ChooserAnswers a;
  a.devices = ui.chooser_devices;
  a.connection = ui.chooser_connection == 0   ? ChooserAnswers::Connection::Always
                 : ui.chooser_connection == 1 ? ChooserAnswers::Connection::Limited
                                              : ChooserAnswers::Connection::Rare;
  a.offline_reading = ui.chooser_offline;
  a.server_storage_limited = ui.chooser_storage_limited;
  a.provider = ui.chooser_provider == 1   ? ChooserAnswers::Provider::Gmail
               : ui.chooser_provider == 2 ? ChooserAnswers::Provider::Microsoft
                                          : ChooserAnswers::Provider::Other;
  return a;
}

const std::vector<ChooserQuestion>& chooser_questions() {
  static const std::vector<ChooserQuestion> q = {
      {"devices", "How many devices (phone, computers, tablet) read this mailbox?",
       {"1", "2", "3 or more"}},
      {"connection", "Is the Internet connection always on, limited or rare?",
       {"always on", "limited (slow, mobile)", "rare"}},
      {"offline", "Must mail be readable at all times without a connection?", {"no", "yes"}},
      {"storage", "Is the mailbox storage at the provider plenty or limited?",
       {"plenty", "limited (small quota)"}},
      {"provider", "Whose mailbox is it?", {"other", "Gmail", "Microsoft 365 / Exchange"}}};
  return q;
}

namespace {

// The chooser's questions, each with its answers and the one chosen (the "chooser" action sets
// them all at once, by these keys).
json chooser(const UiState& ui) {
  const int values[] = {ui.chooser_devices - 1, ui.chooser_connection, ui.chooser_offline ? 1 : 0,
                        ui.chooser_storage_limited ? 1 : 0, ui.chooser_provider};
  json c = {{"answered", ui.chooser_answered}};
  json questions = json::array();
  int i = 0;
  for (const ChooserQuestion& q : chooser_questions()) {
    std::vector<std::string> answers(q.answers.begin(), q.answers.end());
    questions.push_back(
        {{"key", q.key}, {"question", q.text}, {"answers", std::move(answers)}, {"value", values[i++]}});
  }
  c["questions"] = std::move(questions);
  if (!ui.chooser_answered) return c;  // no recommendation before a question is answered
  const Recommendation r = recommend(chooser_answers_of(ui));
  c["recommendation"] = r.protocol + (r.protocol != r.mail_protocol ? " account" : "");
  c["notes"] = r.provider_notes;
  json why = json::array();
  for (const ChooserReason& w : r.why) why.push_back({{"row", w.row}, {"text", w.text}});
  c["why"] = std::move(why);
  c["settings"] = r.settings;
  return c;
}

json course(const TwinInput& in, const UiState& ui) {
  json groups = json::array();
  if (!in.course) return groups;
  for (const CourseGroup& g : in.course->groups) {
    json ls = json::array();
    for (const CourseLesson& l : g.lessons) {
      const auto e = ui.progress.lessons.find(l.id);
      ls.push_back({{"id", l.id}, {"title", l.title}, {"takeaway", l.takeaway},
                    {"seen", e != ui.progress.lessons.end() && e->second.seen}});
    }
    groups.push_back({{"row", g.row}, {"lessons", std::move(ls)}});
  }
  return groups;
}

}  // namespace

std::string describe_worlds(const std::vector<TwinWorld>& worlds) {
  std::string out;
  for (const TwinWorld& w : worlds) {
    if (!w.trace || !w.view) continue;
    std::string server, devices;
    for (std::size_t a = 0; a < w.view->stores.size(); ++a) {
      const ViewStore& st = w.view->stores[a];
      if (!st.present || static_cast<int>(a) == w.internet) continue;
      const std::string holds = plural(st.count(), "message", "messages");
      if (a == w.server) {
        server = "the server holds " + holds;
        continue;
      }
      devices += "; the " + w.trace->actor_name(static_cast<std::uint16_t>(a)) + " holds " + holds;
      if (st.lost) devices += " (lost)";
      else if (!st.online) devices += " (offline)";
    }
    if (!out.empty()) out += " ";
    out += w.title + ": " + (server.empty() ? "no server" : server) + devices + ".";
  }
  return out;
}

json twin_snapshot(const TwinInput& in, const UiState& ui) {
  json s;
  s["screen"] = ui.start_screen ? "start" : "lesson";
  s["course"] = course(in, ui);
  s["chooser"] = chooser(ui);
  if (!in.run) return s;
  const Lesson& l = in.run->lesson;
  s["lesson"] = {{"id", l.id}, {"title", l.title.empty() ? l.id : l.title}, {"summary", l.summary}};
  s["step"] = lesson_step(in, ui);
  s["timeline"] = timeline(in, ui);
  checks(in, ui, s);
  s["quiz"] = quiz(l, ui);
  s["transcript"] = transcript(in);
  s["table"] = table(in, ui);
  s["canvas"] = describe_worlds(in.worlds);
  return s;
}

void answer_quiz(UiState& ui, const Lesson& lesson, std::size_t q, int c) {
  if (q >= lesson.quiz.size() || c < 0 || c >= static_cast<int>(lesson.quiz[q].choices.size()))
    return;
  if (ui.quiz_choice.size() < lesson.quiz.size()) ui.quiz_choice.resize(lesson.quiz.size(), -1);
  Progress::Entry& p = ui.progress.lessons[lesson.id];
  p.answers = ui.quiz_choice;
  record_answer(p, q, c, lesson.quiz.size());
  ui.quiz_choice = p.answers;
  ui.progress_dirty = true;
}

std::optional<TwinAction> parse_twin_action(const std::string& text, std::string* error) {
  auto fail = [&](const std::string& why) -> std::optional<TwinAction> {
    if (error) *error = "text view action " + text + ": " + why;
    return std::nullopt;
  };
  const json j = json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return fail("not a JSON object");
  if (!j.contains("do") || !j["do"].is_string()) return fail("no \"do\"");
  TwinAction a;
  a.what = j["do"].get<std::string>();
  auto num = [&](const char* k, int& v, int lo, int hi) {
    if (!j.contains(k) || !j[k].is_number_integer()) return false;
    const long long x = j[k].get<long long>();
    if (x < lo || x > hi) return false;
    v = static_cast<int>(x);
    return true;
  };
  auto flag = [&](const char* k, bool& v) {
    if (!j.contains(k) || !j[k].is_boolean()) return false;
    v = j[k].get<bool>();
    return true;
  };
  if (a.what == "quiz") {
    if (!num("q", a.q, 0, 1000) || !num("c", a.c, 0, 1000)) return fail("needs q and c");
  } else if (a.what == "step") {
    if (!num("dir", a.dir, -1, 1) || a.dir == 0) return fail("needs dir 1 or -1");
  } else if (a.what == "open") {
    if (!j.contains("lesson") || !j["lesson"].is_string()) return fail("needs lesson");
    a.lesson = j["lesson"].get<std::string>();
  } else if (a.what == "chooser") {
    if (!num("devices", a.devices, 1, 3) || !num("connection", a.connection, 0, 2) ||
        !flag("offline", a.offline) || !flag("storage", a.storage) ||
        !num("provider", a.provider, 0, 2))
      return fail("needs devices, connection, offline, storage and provider");
  } else if (a.what != "play" && a.what != "pause" && a.what != "start") {
    return fail("unknown action");
  }
  return a;
}

}  // namespace ms
