#pragma once
// Screenshots: the PNG writer, the name "Save screenshot" gives a file, and --screenshot's
// decision which frame to save.
#include <string>

#include "app_model.hpp"

namespace ms {

struct App;

// Reads the back buffer (w x h) and writes it as PNG; false when the file cannot be written.
bool write_png(const std::string& path, int w, int h);
// "mailscope-LESSON-12.345s.png": the lesson and the cursor time.
std::string shot_name(const AppModel& m, Tick t);
// --screenshot: after drawing frame app.frame, true when this is the frame to save (the last
// of --frames, or with --shot-after-sessions the one after the live sessions settled; that
// may also move the cursor for --shot-at-unit or set app.rc on failure).
bool shot_due(App& app);

}  // namespace ms
