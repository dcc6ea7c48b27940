// The mail app profiles (assets/profiles.json): every claim about a real app carries a source
// or says "unverified", the presets the lessons use come from there, and a broken file is
// reported at its line.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include <nlohmann/json.hpp>

#include "lesson/chooser.hpp"
#include "lesson/profiles.hpp"
#include "run_cli.hpp"

using namespace ms;

namespace {

const std::string kSource = MAILSCOPE_SOURCE_DIR;

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string error_of(const std::string& text) {
  try {
    parse_profiles(text, "profiles.json");
  } catch (const ProfileError& e) {
    return e.what();
  }
  return "";
}

const ProfileSetting* setting(const std::string& id, const std::string& name) {
  for (const auto& s : client_profile_settings(id))
    if (s.name == name) return &s;
  return nullptr;
}

}  // namespace

SCENARIO("the profiles file names one profile per app and platform, with the ids others use",
         "[profiles]") {
  CHECK(client_profile_ids() == std::vector<std::string>{"thunderbird", "thunderbird-android",
                                                          "apple-mail", "ios-mail", "outlook",
                                                          "webmail"});
  REQUIRE(find_profile("gmail-pop"));
  CHECK(find_profile("gmail-pop")->kind == "server");
  CHECK(find_profile("k9") == find_profile("thunderbird-android"));
  CHECK(find_profile("eudora") == nullptr);
}

SCENARIO("every setting of every profile has a source or says unverified, and a version",
         "[profiles]") {
  for (const auto& p : all_profiles()) {
    INFO(p.id);
    CHECK_FALSE(p.checked_against.empty());
    REQUIRE_FALSE(p.settings.empty());
    for (const auto& s : p.settings) {
      INFO(s.group << "." << s.name);
      CHECK_FALSE(s.value.empty());
      CHECK_FALSE(s.checked.empty());
      // A source is a web address or a repository path with the key read there.
      const bool url = s.source.rfind("http://", 0) == 0 || s.source.rfind("https://", 0) == 0;
      const bool repo = std::regex_search(s.source, std::regex("^[\\w.-]+/[\\w.-]+ \\S"));
      CHECK((s.source == "unverified" || url || repo));
      if (s.source == "unverified") CHECK_FALSE(s.verified());
    }
  }
}

SCENARIO("the presets apply the profiles' values", "[profiles]") {
  Pop3Policy p;
  ImapPolicy i;
  GIVEN("Thunderbird's account set-up") {
    REQUIRE(apply_client_preset("thunderbird", p, i));
    CHECK(p.leave_on_server);
    CHECK(p.delete_after_days == 14);
    CHECK(p.delete_when_deleted_locally);
    CHECK(p.check_every_minutes == 10);
    CHECK(i.on_delete == ImapPolicy::OnDelete::MoveToTrash);
    CHECK(i.idle);
    CHECK(i.offline_cache);
    CHECK_FALSE(i.use_condstore);
    CHECK_THAT(setting("thunderbird", "delete_when_deleted_locally")->source,
               Catch::Contains("deleteOnServerWhenLocalDelete: true"));
    CHECK_THAT(setting("thunderbird", "use_condstore")->source,
               Catch::Contains("mail.server.default.use_condstore = false"));
    CHECK_THAT(setting("thunderbird", "offline_cache")->source,
               Catch::Contains("autosync_offline_stores = true"));
  }
  GIVEN("Thunderbird for Android, also under its old id k9") {
    REQUIRE(apply_client_preset("k9", p, i));
    CHECK(p.leave_on_server);
    CHECK(p.delete_after_days == 0);
    CHECK_FALSE(p.delete_when_deleted_locally);
    CHECK_FALSE(i.idle);  // folderPushMode = NONE: no push until the user picks folders
    CHECK(i.save_sent_on_server);
    CHECK(std::string(client_preset_title("k9")) == "Thunderbird for Android");
  }
  GIVEN("Mail on iPhone and iPad, which keeps POP mail on the server") {
    REQUIRE(apply_client_preset("ios-mail", p, i));
    CHECK(p.leave_on_server);
    CHECK(p.delete_after_days == 0);
    CHECK_THAT(setting("ios-mail", "leave_on_server")->source, Catch::Contains("HT1668"));
  }
  GIVEN("Apple Mail on the Mac, whose one-week removal no Apple page confirms") {
    REQUIRE(apply_client_preset("apple-mail", p, i));
    CHECK(p.delete_after_days == 7);
    CHECK_FALSE(setting("apple-mail", "delete_after_days")->verified());
  }
  GIVEN("a webmail, which keeps nothing of its own") {
    REQUIRE(apply_client_preset("webmail", p, i));
    CHECK_FALSE(i.offline_cache);
  }
  THEN("a server profile or an unknown name is not a client preset") {
    CHECK_FALSE(apply_client_preset("gmail-pop", p, i));
    CHECK_FALSE(apply_client_preset("eudora", p, i));
    CHECK(std::string(client_preset_title("eudora")).empty());
  }
}

SCENARIO("a malformed profiles file is reported at its line and column", "[profiles]") {
  CHECK_THAT(error_of("{\"profiles\": [\n  {\"id\": \"x\",,}\n]}"),
             Catch::StartsWith("profiles.json:2:14: invalid JSON: syntax error"));
  const std::string no_source =
      "{\"profiles\": [\n"
      "  {\"id\": \"x\", \"title\": \"X\", \"platform\": \"p\", \"kind\": \"client\",\n"
      "   \"checked_against\": \"v1\",\n"
      "   \"pop3\": {\n"
      "     \"leave_on_server\": {\"value\": true, \"checked\": \"v1\"}}}\n"
      "]}";
  CHECK(error_of(no_source) == "profiles.json:5:25: field 'profiles.0.pop3.leave_on_server': "
                               "missing required field 'source'");
  const std::string bad_value =
      "{\"profiles\": [\n"
      "  {\"id\": \"x\", \"title\": \"X\", \"platform\": \"p\", \"kind\": \"client\",\n"
      "   \"checked_against\": \"v1\",\n"
      "   \"imap\": {\"idle\": {\"value\": \"often\", \"source\": \"unverified\", \"checked\": \"v1\"}}}\n"
      "]}";
  CHECK(error_of(bad_value) ==
        "profiles.json:4:31: field 'profiles.0.imap.idle.value': expected true or false");
  const std::string unknown =
      "{\"profiles\": [\n"
      "  {\"id\": \"x\", \"title\": \"X\", \"platform\": \"p\", \"kind\": \"client\",\n"
      "   \"checked_against\": \"v1\",\n"
      "   \"imap\": {\"teleport\": {\"value\": true, \"source\": \"unverified\", \"checked\": \"v1\"}}}\n"
      "]}";
  CHECK(error_of(unknown) == "profiles.json:4:25: field 'profiles.0.imap.teleport': unknown "
                             "imap setting 'teleport'");
  CHECK(error_of(slurp(kSource + "/assets/profiles.json")).empty());
}

SCENARIO("a lesson naming a preset fails with the profiles file's error when that is broken",
         "[profiles]") {
  const auto dir = std::filesystem::temp_directory_path() / "mailscope-profiles-test";
  std::filesystem::create_directories(dir);
  const std::string file = (dir / "profiles.json").string();
  { std::ofstream(file) << "{\"profiles\": [\n  oops\n]}"; }
  set_profiles_file(file);
  Pop3Policy p;
  ImapPolicy i;
  std::string error;
  try {
    apply_client_preset("thunderbird", p, i);
  } catch (const LessonError& e) {
    error = e.what();
  }
  set_profiles_file("");
  CHECK_THAT(error, Catch::StartsWith(file + ":2:3: invalid JSON"));
  CHECK(apply_client_preset("thunderbird", p, i));
}

SCENARIO("docs/sources.md lists every profile and every sourced setting's source",
         "[profiles]") {
  const std::string doc = slurp(kSource + "/docs/sources.md");
  REQUIRE_FALSE(doc.empty());
  for (const auto& p : all_profiles()) {
    INFO(p.id);
    CHECK_THAT(doc, Catch::Contains("`" + p.id + "`"));
    for (const auto& s : p.settings) {
      if (!s.verified()) continue;
      // The address (up to the first space), or the repository and path (up to the colon).
      std::string where = s.source.rfind("http", 0) == 0
                              ? s.source.substr(0, s.source.find(' '))
                              : s.source.substr(0, s.source.find(':'));
      if (!where.empty() && where.back() == ':') where.pop_back();
      INFO(s.name << " from " << where);
      CHECK_THAT(doc, Catch::Contains(where));
    }
  }
}

namespace {
// Every app or provider a text names must be backed: an app by a profile with at least one
// sourced setting, a server or a provider without a profile by its own section of
// docs/sources.md.
void check_names_are_sourced(const std::string& text, const std::string& doc) {
  // Names as learners read them, and the profile each must be backed by.
  const std::pair<const char*, const char*> kNames[] = {
      {"Thunderbird for Android", "thunderbird-android"}, {"K-9", "thunderbird-android"},
      {"Thunderbird", "thunderbird"},                     {"Apple Mail", "apple-mail"},
      {"iPhone", "ios-mail"},                             {"iOS", "ios-mail"},
      {"Outlook", "outlook"},                             {"Gmail", "gmail-pop"}};
  // Servers and providers that are not profiles, with the heading of their section.
  const std::pair<const char*, const char*> kSections[] = {
      {"Dovecot", "## Dovecot"},
      {"Cyrus", "## Cyrus"},
      {"Microsoft", "### Microsoft 365 / Exchange"},
      {"Exchange", "### Microsoft 365 / Exchange"}};
  for (const auto& [name, id] : kNames) {
    if (text.find(name) == std::string::npos) continue;
    INFO(name << " -> " << id);
    const ClientProfile* p = find_profile(id);
    REQUIRE(p);
    CHECK(p->verified_count() > 0);
  }
  for (const auto& [name, heading] : kSections)
    if (text.find(name) != std::string::npos) {
      INFO(name);
      CHECK_THAT(doc, Catch::Contains(heading));
    }
}
}  // namespace

SCENARIO("every lesson text that names a mail app or provider refers to a profile with a source",
         "[profiles][lint]") {
  const std::string doc = slurp(kSource + "/docs/sources.md");
  for (const auto& entry : std::filesystem::directory_iterator(kSource + "/lessons")) {
    if (entry.path().extension() != ".json" || entry.path().filename() == "course.json") continue;
    INFO(entry.path().filename().string());
    check_names_are_sourced(slurp(entry.path().string()), doc);
  }
  GIVEN("the chooser's answers to every kind of customer, with every provider") {
    // Its reasons, settings and provider notes name apps and providers too.
    for (const ChooserProfile& c : chooser_profiles())
      for (auto provider : {ChooserAnswers::Provider::Other, ChooserAnswers::Provider::Gmail,
                            ChooserAnswers::Provider::Microsoft}) {
        ChooserAnswers a = c.answers;
        a.provider = provider;
        INFO(c.label << ", provider " << provider_name(provider));
        check_names_are_sourced(format_recommendation(a, recommend(a)), doc);
      }
  }
  THEN("a name with no source behind it is caught") {
    // Outlook's profile has no sourced setting; a lesson text naming it must fail the lint.
    const ClientProfile* outlook = find_profile("outlook");
    REQUIRE(outlook);
    CHECK(outlook->verified_count() == 0);
  }
}

SCENARIO("mailscope-cli clients lists every profile with each setting's source", "[profiles][process]") {
  auto all = ms_test::run_cli("clients");
  CHECK(all.code == 0);
  CHECK_THAT(all.out, Catch::StartsWith("thunderbird: Thunderbird, desktop"));
  CHECK_THAT(all.out, Catch::Contains("  pop3.delete_when_deleted_locally = true\n"
                                      "      source: mozilla/releases-comm-central "
                                      "mail/components/accountcreation/modules/AccountConfig.sys.mjs: "
                                      "deleteOnServerWhenLocalDelete: true"));
  CHECK_THAT(all.out, Catch::Contains("gmail-pop: Gmail's POP server"));
  CHECK_THAT(all.out, Catch::Contains("  pop3.delete_after_days = 7\n      unverified\n"));

  auto one = ms_test::run_cli("clients k9 --format json", false);
  REQUIRE(one.code == 0);
  const nlohmann::json j = nlohmann::json::parse(one.out);
  REQUIRE(j.size() == 1);
  CHECK(j[0]["id"] == "thunderbird-android");
  CHECK(j[0]["settings"][0]["name"] == "leave_on_server");
  CHECK(j[0]["settings"][0]["verified"] == true);

  auto bad = ms_test::run_cli("clients eudora");
  CHECK(bad.code == 2);
  CHECK_THAT(bad.out, Catch::StartsWith("mailscope-cli: no mail app profile 'eudora' (thunderbird, "
                                        "thunderbird-android, apple-mail, ios-mail, outlook, "
                                        "webmail, gmail-pop)"));
}
