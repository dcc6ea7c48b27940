#pragma once
// `mailscope --benchmark`: CPU per frame of the app's UI code on a synthetic run, against Dear
// ImGui's demo window filling the same window, the scaling over mailbox sizes and the cold
// start. Run under xvfb-run.
#include <chrono>

#include "app_model.hpp"
#include "options.hpp"
#include "window.hpp"

namespace ms {

// This thread's CPU time, and wall-clock milliseconds since t0.
double cpu_ms();
double ms_since(std::chrono::steady_clock::time_point t0);

// Where the time to the first frame went (main fills in all but first_frame_ms).
struct ColdStart {
  double run_ms = 0, model_ms = 0, window_ms = 0, first_frame_ms = 0;
};

// Prints the report (text, or JSON with --json); returns the exit status.
int run_benchmark(Gui& g, AppModel& model, const Options& opt, const ColdStart& cold,
                  std::chrono::steady_clock::time_point t0);

struct App;
// --frame-cost: the whole process's CPU per frame (UI code, GL driver, rasteriser threads)
// while the lesson plays, against Dear ImGui's demo window filling the same window; both as
// (CPU after 700 frames - CPU after 100 frames) / 600, in one run.
int run_frame_cost(App& app);

}  // namespace ms
