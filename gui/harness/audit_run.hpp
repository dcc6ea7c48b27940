#pragma once
// The layout audit's modes: one frame (--layout-audit FILE.json) and the sweep over every
// lesson, step, window size and view mode in one process (--layout-audit-sweep FILE.json).
#include "frame.hpp"

namespace ms {

// The lesson in app.model at the cursor the options ask for (--step/--time), in app.opt's
// window size and mode, started as the interactive app would be (the selection, the intents):
// writes the items and defects to opt.layout_audit. Returns 0 when there is no defect, 1 when
// there are some, 2 when the report cannot be written.
int run_layout_audit(App& app, const std::string& select_key, const std::vector<Intent>& intents);
// Every lesson in the lessons directory at each of its steps, at 1024x768, 1280x720,
// 1920x1080 and 3840x2160, normal, presenter and presenter at 3x text, resizing the window
// between cases; writes one report (the defects of each case) to opt.layout_sweep and a
// summary by owner to stdout.
// Returns as run_layout_audit.
int run_layout_sweep(App& app);

}  // namespace ms
