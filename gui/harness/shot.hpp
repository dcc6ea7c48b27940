#pragma once
// Screenshots: the PNG writer, the name "Save screenshot" gives a file, and what the frame loop
// (frame.cpp) asks in a --screenshot run: where the cursor is, which frame to save, and --hover's
// frames.
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
// After drawing a frame: when shot_due, writes --screenshot and returns true (the run ends).
bool save_shot_if_due(App& app, int fw, int fh);

// The cursor at frame app.frame of a --screenshot run: a fixed step per frame that lands on
// app.target, so that the run is deterministic.
Tick shot_cursor(const App& app);

// --hover's frames: before drawing, true when this frame is recorded (the layout audit's items);
// after drawing it, hover_end finds the item to rest the pointer on, or, on the saved frame,
// prints the glossary terms the tip it raised explains.
bool hover_begin(App& app);
void hover_end(App& app);

}  // namespace ms
