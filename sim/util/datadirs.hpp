#pragma once
// Where the programs find their data (lessons, assets) and what version they are. Both
// front ends (mailscope, mailscope-cli) and the web build share this one lookup, so that a
// source build, an installed package and an unpacked package (dpkg -x) behave the same.
#include <stdexcept>
#include <string>
#include <vector>

namespace ms {

struct DataDirError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// One place a data folder may be, and why it is looked at.
struct DataCandidate {
  std::string path;
  std::string why;  // "--lessons-dir", "$MAILSCOPE_LESSONS_DIR", "source tree", ...
  bool named = false;  // given by the user (flag or environment), not a default
};

// The places looked in for the lessons folder, in order: `flag` (--lessons-dir, when not
// empty), $MAILSCOPE_LESSONS_DIR, the source tree the program was built from (only while it
// runs from that build tree), then the install prefix: <exe>/../share/mailscope/lessons (an unpacked or
// relocated install) and the configured prefix.
std::vector<DataCandidate> lessons_dir_candidates(const std::string& flag);
// A build's own lessons and assets folders, for builds whose programs carry them along (the
// web build's virtual file system): looked in after the environment, before the source tree.
void set_builtin_lessons_dir(const std::string& dir);
void set_builtin_assets_dir(const std::string& dir);
// --lessons-dir as given on the command line, kept for the lookups made later (panels, the
// comparison table) that are not handed the flag.
void set_lessons_dir_flag(const std::string& flag);
// The first candidate that is a folder (`flag` empty: the one set above). A folder named explicitly (flag or environment) that
// does not exist is an error, not a reason to look further: the user meant that one. Throws
// DataDirError naming every place looked in.
std::string locate_lessons_dir(const std::string& flag = "");

// A file of the assets (glossary.json, icons/hicolor/48x48/apps/mailscope.png...), looked for
// in $MAILSCOPE_ASSETS_DIR, the built-in folder, the build tree's generated assets and the source tree's assets/
// (when run from the build tree), <exe>/../share/mailscope/assets, the configured prefix.
// Returns its path, or "" when no such file exists (assets are optional at run time).
std::string find_asset(const std::string& relative_path);

// "0.2.0", and the git description of the checkout it was built from ("" when not built from
// a checkout), both fixed at build time.
const char* version();
const char* git_describe();
// "NAME 0.2.0 (git 1a2b3c4)" or "NAME 0.2.0": the first line of --version, as help2man reads it.
std::string version_line(const std::string& program);

}  // namespace ms
