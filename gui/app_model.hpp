#pragma once
// The read-only model the panels draw: a finished lesson run plus, per world, what was derived
// from its trace once (its view::TraceIndex) and the view of the trace at the current cursor.
// In live mode the one world shown is the live world, whose trace grows: its index takes in
// each new batch of records (extend_live_model).
#include <memory>
#include <span>
#include <string>
#include <unordered_map>
#include <string_view>
#include <vector>

#include "course.hpp"
#include "imgui.h"
#include "lesson/lesson.hpp"
#include "sync_badges.hpp"
#include "view/trace_index.hpp"
#include "view/world_scene.hpp"

namespace ms {

// A device of the trace (view::TraceIndex): its actor, display name, kind, when it joined.
using ActorInfo = view::TraceIndex::Device;
// One protocol line of a Wire record, for the transcript: where it lies in its record's text
// (WorldModel::line_text gives it).
using WireLine = view::TraceIndex::Line;

// A store change near the cursor, for the landing/leaving animation.
struct RecentChange {
  std::uint16_t actor = 0;
  StoreChange::Op op = StoreChange::Add;
  std::uint32_t uid = 0;
  std::uint32_t rec = 0;  // its record (the folder is the record's)
  Tick t = 0;
};

struct WorldModel {
  const Trace* trace = nullptr;
  // A serial number new at each build of a world model: a live view's trace keeps its address
  // when its window is cut, so the panels' caches key on this, not on the trace's address.
  std::uint64_t build = 0;
  Proto proto = Proto::None;
  std::string title;                 // "POP3 world"
  // What is derived from the trace, once: who is who, where each kind of record is, labels,
  // byte counts. A live world's index takes in each new batch of records.
  view::TraceIndex index;
  // The index's lists as the panels read them, pointed again after each extension (a growing
  // index's vectors move): devices in order of appearance, every wire line in record order,
  // the Wire records (start-time order), per actor the StateChanged events it took part in,
  // labels by trace message number (+1): "1", "2"... or "a", "b".
  std::uint16_t server = 0;
  int internet = -1;                 // -1: this world has no Internet actor
  Tick max_transit = 0;              // the longest time a wire unit took to arrive
  std::span<const ActorInfo> devices;
  std::span<const WireLine> lines;
  std::span<const std::uint32_t> wire_recs;
  std::span<const std::vector<std::uint32_t>> state_events;
  std::span<const std::string> msg_label;
  // Display names by actor id: the trace's actor names, except a live client that named
  // itself (IMAP ID, a Device "renamed" record) shows that name.
  const std::string& name_of(std::uint16_t actor) const { return index.name_of(actor); }
  std::string_view line_text(const WireLine& l) const { return view::line_text(*trace, l); }
  std::uint64_t quota = 0;           // the lesson's quota: the storage bars' scale at least
  const std::vector<CheckResult>* checks = nullptr;
  std::unique_ptr<Replay> replay;
  WorldView view;                    // state at the cursor (refreshed between frames)
  // Animation: the state `anim_window` before the cursor, and the store changes since then.
  WorldView before;
  std::vector<RecentChange> recent;
  // The selected message's number in this trace (0: not here or nothing selected) and the
  // badges of its copies at the cursor.
  std::uint32_t selected = 0;
  std::vector<CopyBadge> badges;
  // Every place (actor, folder, UID) the selected message was ever added to, found once per
  // selection: the badges at a new cursor look only there instead of at every copy of every
  // message. `sel_view` is the view cut down to those entries (reused between frames).
  struct Place {
    std::uint16_t actor;
    std::uint32_t rec;  // the Store Add record: its folder is the place's
    std::uint32_t uid;
  };
  std::vector<Place> sel_places;
  WorldView sel_view;

  std::uint32_t msg_by_key(const std::string& key) const { return index.msg_by_key(key); }
};

// What the Live panel shows: written by main's LiveSession between frames, read by panels.
struct LiveInfo {
  bool active = false;     // the worlds view shows the live world
  bool listening = false;
  std::string world_desc;  // which world set-up the live server serves
  struct Listener {
    std::string proto;     // "imap", "pop3", "smtp"
    std::string address;   // "127.0.0.1:1143"
  };
  std::vector<Listener> listeners;
  std::vector<std::pair<std::string, std::string>> accounts;  // name, password
  std::size_t open = 0, finished = 0;  // live connections now open / ended so far
  std::string error;       // the last start or connect-out failure
  std::vector<std::string> clients;  // connect-out sessions: "IMAP 127.0.0.1:143: finished"
  // The live view keeps a window of records (LiveDisplay): how many older ones it dropped,
  // and the display time from which it holds every record.
  std::size_t dropped = 0;
  Tick kept_from = 0;
};

struct AppModel {
  LessonRun run;
  std::vector<WorldModel> worlds;    // POP3 first, then IMAP
  Tick duration = 1;
  std::vector<Tick> wire_mid;        // midpoints of all wire records, sorted: step targets
  ImFont* big = nullptr;             // title font (may equal the default font)
  Tick anim_window = kSecond / 2;    // how long a landed chip stays "new" / a removed one fades
  // Live mode (gui/live_session.hpp): the worlds view shows the live world's (display) trace
  // instead of the lesson's worlds; what the Live panel shows about it.
  LiveInfo live;
  std::size_t live_scanned = 0;      // wire records of the live world taken into wire_mid
  // The course (start screen, next lesson) and where lessons are found.
  Course course;
  std::string lessons_dir = "lessons";
};

// Derives the per-world data from a finished run (POP3 world left, IMAP world right).
void build_model(AppModel& m);
// Live mode: the model shows one world, the live one, from its display trace; extending it
// takes in the records added since (cheap: only the new ones). `now` is the live world's
// display time, the end of the timeline.
void build_live_model(AppModel& m, const World& world, const Trace& display,
                      const std::string& title);
void extend_live_model(AppModel& m, Tick now);
// Another lesson's run replaces the current one (File -> Lessons, "Next lesson"): the same
// as a fresh start with that run, without restarting the app.
void switch_lesson(AppModel& m, LessonRun run);
// Brings each world's view to the cursor (only replays when the record index changed), and
// the selection's badges and the animation state with it.
void refresh_views(AppModel& m, Tick cursor, const std::string& selected_key);

// The trace key of scenario message n (1-based, as the lesson numbers them), or "".
std::string scenario_key(const AppModel& m, int n);

// Shared look. The palette follows the View menu: default, high contrast, and/or the
// colour-blind-safe Okabe-Ito hues for the protocols. Meaning is always also written out.
struct Look {
  ImU32 text, dim, box_bg, box_border, link, broken, chip_fill, chip_read, chip_ink, select,
      fresh, world_bg, world_border;
  bool high_contrast = false;
  bool cb_safe = false;
};
const Look& look();
void set_look(bool high_contrast, bool cb_safe);
ImU32 proto_color(Proto p, bool from_server = false);
const char* kind_icon(const std::string& kind);
std::string format_bytes(std::uint64_t b);

}  // namespace ms
