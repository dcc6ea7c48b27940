#pragma once
// What the panels work out from the model and keep from frame to frame because it costs too
// much to work out again each frame: the sequence diagram's units and layout, the timeline's
// axis, the comparison table's rows, the transcript's filtered lines. Each is checked against
// what it was built from and rebuilt when that changed, so a stale cache shows nothing wrong;
// it only costs time. The app owns them in its UiState (ui.caches): a copy of the UI state (a
// test's, another window's) starts with empty caches of its own instead of sharing these.
#include <cstdint>
#include <future>
#include <string>
#include <vector>

#include "lesson/table.hpp"
#include "view/sequence_diagram.hpp"
#include "view/sequence_layout.hpp"
#include "view/time_axis.hpp"

namespace ms {

struct LessonRun;

// The sequence diagram (panels/sequence.cpp): the wire units of the worlds shown, merged in
// time order, and the layout through them, each rebuilt only when what it depends on changes.
struct SequenceCache {
  std::vector<int> worlds;
  std::vector<std::uint64_t> builds;  // WorldModel::build of each world taken
  std::vector<std::size_t> nwire;
  std::vector<view::seq::Unit> units;
  std::vector<Tick> steps;
  // Per world of the model, its lifelines, taken in as its trace grows (a new build of the
  // world starts them again).
  std::vector<view::seq::Lifelines> lifelines;
  std::vector<std::uint64_t> lifeline_builds;
  // Layout inputs.
  double pps = -1, row_h = -1, max_gap = -1;
  Tick end = -1;
  std::vector<std::uint64_t> expanded;
  bool laid = false;
  view::seq::Layout layout;
  // What the fitted zoom was worked out for: it is worked out again when any of it changes.
  int fitted_step = -2;
  std::vector<int> fitted_worlds;
  float fitted_h = -1;
  std::size_t fitted_units = 0, fitted_before = 0;
};

// The timeline's axis (panels/timeline.cpp), rebuilt when the run, its length or the
// scrubber's width changes.
struct TimelineCache {
  TimeAxis axis;
  std::vector<std::size_t> sizes;
  std::vector<std::uint64_t> builds;
  Tick duration = -1;
  float width = -1, break_w = -1;
};

// This lesson's rows of the comparison table (panels/table.cpp), decided once per run.
struct TableCache {
  unsigned generation = ~0u;
  const LessonRun* run = nullptr;
  std::string lesson;
  std::vector<TableRow> rows;
  std::string error;
  // table.hpp does not say which records a decision read, so a cell waits until the run has
  // gone quiet: the end of the last wire unit or store change in either world.
  Tick evidence_at = 0;
};

// The whole comparison table, every row from its own lesson, computed once on a background
// thread (only the frame loop's thread starts it and reads it; the browser build, which has no
// threads, runs it on the frame loop: panels/table.cpp).
struct FullTable {
  bool started = false;
  std::future<std::vector<TableRow>> job;
  std::future<std::vector<AppTableRow>> apps_job;  // every row with every mail app
  std::vector<TableRow> rows;
  std::vector<AppTableRow> apps;
  bool ready = false, apps_ready = false;
  bool shown_ready = false;  // a frame has been drawn with the textbook rows ready
  std::string error, apps_error;
};

// The lines a world's transcript filter lets through (panels/transcript.cpp), as indices into
// WorldModel::lines (ascending, so the cursor's cut is still a binary search). Rebuilt only
// when the filter or the run changes.
struct TranscriptFilter {
  unsigned generation = ~0u;
  std::uint64_t build = 0;
  std::size_t nlines = 0;  // a live world's lines keep coming: filter the new ones too
  std::string device;
  bool pop3 = true, imap = true, smtp = true;
  std::vector<std::uint32_t> lines;
};

struct PanelCaches {
  SequenceCache sequence;
  TimelineCache timeline;
  TableCache table;
  FullTable full_table;
  std::vector<TranscriptFilter> transcript;  // one per world

  PanelCaches() = default;
  // A copy starts empty: caches belong to the state that built them.
  PanelCaches(const PanelCaches&) {}
  PanelCaches& operator=(const PanelCaches&) { return *this = PanelCaches(); }
  PanelCaches(PanelCaches&&) = default;
  PanelCaches& operator=(PanelCaches&&) = default;
};

}  // namespace ms
