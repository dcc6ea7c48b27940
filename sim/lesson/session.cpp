#include "lesson/session.hpp"

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>

namespace ms {

namespace {
constexpr const char* kFormat = "mailscope-session";
// Version 4 holds version 4 traces (records with kinds, devices' settings, TLS). An older file
// is refused, not converted: loading compares the stored traces with a re-run byte for byte,
// and a re-run now writes what the older ones lack, so saving the lesson again gives the same
// session in version 4.
constexpr int kVersion = 4;
static_assert(kVersion == kTraceFormatVersion, "a session holds traces of its own version");

// FNV-1a, 64 bits: detects a damaged file; not a security measure.
std::string digest(std::string_view s) {
  std::uint64_t h = 1469598103934665603ull;
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}
}  // namespace

std::string save_session(const std::string& lesson_text, const std::string& lesson_name,
                         std::uint64_t seed, const LessonRun& run) {
  nlohmann::ordered_json j;
  j["format"] = kFormat;
  j["version"] = kVersion;
  j["lesson_file"] = lesson_name;
  j["lesson"] = lesson_text;
  j["seed"] = seed;
  nlohmann::ordered_json worlds = nlohmann::ordered_json::array();
  for (const auto& wr : run.worlds) {
    std::string trace = wr.world->trace().to_jsonl();
    worlds.push_back({{"world", wr.world->label()}, {"digest", digest(trace)}, {"trace", trace}});
  }
  j["worlds"] = worlds;
  return j.dump(1) + "\n";
}

LessonRun load_session(const std::string& text, const std::string& file) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    std::size_t off = std::min<std::size_t>(e.byte ? e.byte - 1 : 0, text.size());
    std::size_t line = 1 + static_cast<std::size_t>(
                               std::count(text.begin(), text.begin() + static_cast<long>(off), '\n'));
    throw SessionError(file + ": not a readable session file (truncated or corrupt): invalid "
                       "JSON at line " + std::to_string(line) + ", byte " + std::to_string(off + 1));
  } catch (const nlohmann::json::exception& e) {
    throw SessionError(file + ": not a readable session file (truncated or corrupt)");
  }
  auto need = [&](const char* key, bool (nlohmann::json::*is)() const noexcept) -> const nlohmann::json& {
    if (!j.is_object() || !j.contains(key) || !(j[key].*is)())
      throw SessionError(file + ": field '" + key + "' is missing or has the wrong type");
    return j[key];
  };
  if (need("format", &nlohmann::json::is_string).get<std::string>() != kFormat)
    throw SessionError(file + ": not a Mailscope session file");
  const int version = need("version", &nlohmann::json::is_number_integer).get<int>();
  if (version >= 1 && version <= 3)
    throw SessionError(file + ": session format version " + std::to_string(version) +
                       " was saved by an older Mailscope, before trace records " +
                       (version == 1   ? "had kinds"
                        : version == 2 ? "held the devices' settings"
                                       : "could carry TLS") +
                       "; this build reads version " + std::to_string(kVersion) +
                       " only: save the lesson's session again");
  if (version != kVersion)
    throw SessionError(file + ": session format version " + j["version"].dump() +
                       " is not supported (this build reads version " +
                       std::to_string(kVersion) + ")");
  std::string lesson_text = need("lesson", &nlohmann::json::is_string).get<std::string>();
  std::uint64_t seed = need("seed", &nlohmann::json::is_number_unsigned).get<std::uint64_t>();
  const auto& worlds = need("worlds", &nlohmann::json::is_array);
  std::string name = j.contains("lesson_file") && j["lesson_file"].is_string()
                         ? j["lesson_file"].get<std::string>()
                         : file;
  Lesson L;
  try {
    L = parse_lesson(lesson_text, name + " (inside " + file + ")");
  } catch (const LessonError& e) {
    throw SessionError(e.what());
  }
  if (worlds.size() != L.worlds.size())
    throw SessionError(file + ": the session holds " + std::to_string(worlds.size()) +
                       " world(s), its lesson has " + std::to_string(L.worlds.size()));
  // Everything is checked before anything is returned: the caller never sees half a run.
  LessonRun run = run_lesson(L, seed);
  for (std::size_t i = 0; i < worlds.size(); ++i) {
    const auto& w = worlds[i];
    if (!w.is_object() || !w.contains("trace") || !w["trace"].is_string() ||
        !w.contains("digest") || !w["digest"].is_string())
      throw SessionError(file + ": world " + std::to_string(i + 1) + " is incomplete");
    const std::string stored = w["trace"].get<std::string>();
    if (digest(stored) != w["digest"].get<std::string>())
      throw SessionError(file + ": world " + std::to_string(i + 1) +
                         "'s trace is damaged (its digest does not match)");
    const std::string again = run.worlds[i].world->trace().to_jsonl();
    if (stored != again) {
      std::size_t at = 0;
      while (at < stored.size() && at < again.size() && stored[at] == again[at]) ++at;
      std::size_t line = 1 + static_cast<std::size_t>(
                                 std::count(stored.begin(), stored.begin() + static_cast<long>(at), '\n'));
      throw SessionError(file + ": world " + std::to_string(i + 1) +
                         ": the stored trace differs from the re-run at record " +
                         std::to_string(line) + " (made by another version of Mailscope?)");
    }
  }
  return run;
}

}  // namespace ms
