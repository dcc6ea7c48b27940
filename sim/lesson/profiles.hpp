#pragma once
// Real mail apps' default settings, kept as data in assets/profiles.json: one profile per app
// and platform, each setting with its value, its source and the version that source was read
// at. A claim about a real app is only as good as its source, so a setting without one says
// "unverified" and every front end shows that. apply_client_preset (world/world.hpp) reads
// these profiles; this header adds what the front ends need to name and explain them.
#include <string>
#include <vector>

#include "lesson/lesson.hpp"
#include "world/world.hpp"

namespace ms {

// A malformed profiles file: file:line:col and the field, like a lesson's error (and a
// LessonError, since a lesson naming a preset is where most programs first read the file).
struct ProfileError : LessonError {
  using LessonError::LessonError;
};

struct ProfileSetting {
  std::string group;    // "pop3", "imap" or "server"
  std::string name;     // the Pop3Policy / ImapPolicy field ("leave_on_server")
  std::string value;    // as text: "true", "14", "move to trash"
  std::string source;   // a URL, or a repository + path + key; "unverified" when none was found
  std::string checked;  // the version or commit the source was read at, or "unknown"
  std::string note;     // optional: what qualifies the value
  bool verified() const { return source != "unverified"; }
};

struct ClientProfile {
  std::string id;
  std::vector<std::string> aliases;  // older ids still accepted ("k9")
  std::string title;                 // as the app calls itself
  std::string platform;
  std::string kind;                  // "client", or "server" for a provider's server modes
  std::string checked_against;       // the app version or sources the values were read from
  bool has_pop3 = false, has_imap = false;
  Pop3Policy pop3;                   // Mailscope's defaults, overridden by the listed settings
  ImapPolicy imap;
  std::vector<ProfileSetting> settings;
  bool is_client() const { return kind == "client"; }
  // "Thunderbird defaults, checked against <checked_against>"
  std::string label() const;
  // How many settings have a source (the rest are "unverified").
  std::size_t verified_count() const;
};

// Parses a profiles file's text; `file` names it in errors. Throws ProfileError.
std::vector<ClientProfile> parse_profiles(const std::string& text, const std::string& file);
// Reads and parses a profiles file. Throws ProfileError (unreadable or malformed).
std::vector<ClientProfile> load_profiles_file(const std::string& path);

// Where assets/profiles.json is: ms::find_asset's places, then assets/ next to each place the
// lessons folder may be (every layout ships the two side by side: source tree, install, the
// web build's virtual file system). Throws ProfileError naming what was looked for.
std::string locate_profiles_file();
// Reads a different profiles file from now on (tests; "" returns to the located one).
void set_profiles_file(const std::string& path);

// Every profile (clients and servers), loaded once, in the file's order.
const std::vector<ClientProfile>& all_profiles();
// The ids of the client profiles, in the file's order: the ids apply_client_preset accepts
// (besides aliases).
const std::vector<std::string>& client_profile_ids();
// A profile by id or alias; nullptr when unknown.
const ClientProfile* find_profile(const std::string& id);
// A profile's settings with their sources and versions; empty when the id is unknown.
const std::vector<ProfileSetting>& client_profile_settings(const std::string& id);

}  // namespace ms
