#include "app_model.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
#include <tuple>

#include "icons.hpp"

namespace ms {

namespace {

// Takes the trace's records added since the last call into the world's index (a finished run
// in one call; a live world's trace each time it grows, so the cost follows the new records
// only) and points the panels' views of the index at its lists again.
void extend_world(WorldModel& wm) {
  view::TraceIndex& ix = wm.index;
  ix.extend(*wm.trace);
  wm.server = ix.server();
  wm.internet = ix.internet();
  wm.max_transit = ix.max_transit();
  wm.devices = ix.devices();
  wm.lines = ix.lines();
  wm.wire_recs = ix.wire_recs();
  wm.state_events = ix.state_events();
  wm.msg_label = ix.labels();
}

void start_world(WorldModel& wm, const World& world, const Trace& tr,
                 const std::vector<CheckResult>* checks) {
  static std::uint64_t builds = 0;
  wm.trace = &tr;
  wm.build = ++builds;
  wm.index = view::TraceIndex(view::scenario_ids(world));
  wm.checks = checks;
  extend_world(wm);
  wm.proto = wm.index.proto();
  wm.title = std::string(proto_name(wm.proto)) + " world";
  wm.replay = std::make_unique<Replay>(tr);
  wm.view = wm.replay->at(0);
}

void build_world(WorldModel& wm, const WorldRun& run) {
  start_world(wm, *run.world, run.world->trace(), &run.checks);
}

// The step targets: the midpoints of the wire records from the `from`th on.
void add_wire_mids(AppModel& m, const WorldModel& wm, std::size_t from) {
  const auto& recs = wm.trace->records();
  for (std::size_t k = from; k < wm.wire_recs.size(); ++k) {
    const Record& r = recs[wm.wire_recs[k]];
    m.wire_mid.push_back(r.t + (r.t_end - r.t) / 2);
  }
}

}  // namespace

void build_model(AppModel& m) {
  m.worlds.clear();
  std::vector<const WorldRun*> order;
  for (const WorldRun& w : m.run.worlds) order.push_back(&w);
  std::stable_sort(order.begin(), order.end(), [](const WorldRun* a, const WorldRun* b) {
    return a->world->proto() < b->world->proto();  // POP3 before IMAP
  });
  Tick end = m.run.lesson.duration;
  for (const WorldRun* w : order) {
    WorldModel wm;
    build_world(wm, *w);
    wm.quota = m.run.lesson.quota;
    end = std::max(end, wm.index.end());
    add_wire_mids(m, wm, 0);
    m.worlds.push_back(std::move(wm));
  }
  std::sort(m.wire_mid.begin(), m.wire_mid.end());
  m.duration = std::max<Tick>(end, 1);
}

void switch_lesson(AppModel& m, LessonRun run) {
  m.run = std::move(run);
  m.wire_mid.clear();
  m.live_scanned = 0;
  build_model(m);
}

void build_live_model(AppModel& m, const World& world, const Trace& display,
                      const std::string& title) {
  static const std::vector<CheckResult> kNoChecks;
  m.worlds.clear();
  m.wire_mid.clear();
  WorldModel wm;
  start_world(wm, world, display, &kNoChecks);
  wm.title = title;
  m.worlds.push_back(std::move(wm));
  m.live_scanned = 0;
  extend_live_model(m, 0);
}

void extend_live_model(AppModel& m, Tick now) {
  if (m.worlds.empty()) return;
  WorldModel& wm = m.worlds[0];
  extend_world(wm);
  // Display times only grow, so the step targets stay sorted.
  add_wire_mids(m, wm, m.live_scanned);
  m.live_scanned = wm.wire_recs.size();
  m.duration = std::max<Tick>({m.duration, wm.index.end(), now, 1});
}

namespace {

// Brings `v` to record index `idx`: forward by applying the records in between when that is
// not far (playback, scrubbing forward), else from the replay's snapshots. Applying a record
// costs about a binary search; restoring a snapshot copies every entry of every store (half a
// million entries at 100,000 messages), so going forward wins up to many thousand records.
void seek_view(WorldView& v, Replay& replay, const Trace& tr, std::size_t idx) {
  constexpr std::size_t kForward = 65536;
  if (idx >= v.index && idx - v.index <= kForward && !(v.index == 0 && v.stores.empty())) {
    const auto& recs = tr.records();
    for (std::size_t i = v.index; i < idx; ++i) Replay::apply(v, recs[i]);
    v.index = idx;
  } else if (idx != v.index) {
    v = replay.at(idx);
  }
}

// The view cut down to the places the selected message was added to: the same stores and
// folders (so that folder lookups and store states match), holding only those entries.
void cut_view(WorldModel& w) {
  const WorldView& v = w.view;
  WorldView& out = w.sel_view;
  out.index = v.index;
  out.t = v.t;
  out.step = v.step;
  out.stores.resize(v.stores.size());
  for (std::size_t a = 0; a < v.stores.size(); ++a) {
    const ViewStore& s = v.stores[a];
    ViewStore& o = out.stores[a];
    o.present = s.present;
    o.online = s.online;
    o.lost = s.lost;
    o.bytes = s.bytes;
    o.folders.resize(s.folders.size());
    for (std::size_t k = 0; k < s.folders.size(); ++k) {
      o.folders[k].name = s.folders[k].name;
      o.folders[k].role = s.folders[k].role;
      o.folders[k].entries.clear();
    }
  }
  const auto& recs = w.trace->records();
  for (const WorldModel::Place& p : w.sel_places) {
    if (p.actor >= v.stores.size()) continue;
    const ViewStore& s = v.stores[p.actor];
    const std::string& folder = recs[p.rec].folder;
    for (std::size_t k = 0; k < s.folders.size(); ++k) {
      if (s.folders[k].name != folder) continue;
      const auto& es = s.folders[k].entries;
      auto it = std::lower_bound(es.begin(), es.end(), p.uid,
                                 [](const ViewEntry& x, std::uint32_t u) { return x.uid < u; });
      if (it != es.end() && it->uid == p.uid && it->msg == w.selected)
        out.stores[p.actor].folders[k].entries.push_back(*it);
    }
  }
}

// Where message `msg` was ever added, sorted by actor, folder and UID, without repeats.
void find_places(WorldModel& w, std::uint32_t msg) {
  w.sel_places.clear();
  if (msg == 0) return;
  const auto& recs = w.trace->records();
  for (std::size_t i = 0; i < recs.size(); ++i) {
    const Record& r = recs[i];
    if (r.kind == RecKind::Store && r.op == StoreChange::Add && r.msg == msg)
      w.sel_places.push_back({r.actor, static_cast<std::uint32_t>(i), r.uid});
  }
  auto key = [&](const WorldModel::Place& p) { return std::tie(p.actor, recs[p.rec].folder, p.uid); };
  std::sort(w.sel_places.begin(), w.sel_places.end(),
            [&](const auto& a, const auto& b) { return key(a) < key(b); });
  w.sel_places.erase(std::unique(w.sel_places.begin(), w.sel_places.end(),
                                 [&](const auto& a, const auto& b) { return key(a) == key(b); }),
                     w.sel_places.end());
}

}  // namespace

void refresh_views(AppModel& m, Tick cursor, const std::string& selected_key) {
  for (WorldModel& w : m.worlds) {
    const std::size_t idx = w.trace->index_after(cursor);
    const bool moved = idx != w.view.index;
    if (moved) seek_view(w.view, *w.replay, *w.trace, idx);
    w.view.t = cursor;
    const std::size_t before = w.trace->index_after(cursor - m.anim_window);
    if (before != w.before.index || w.before.stores.empty())
      seek_view(w.before, *w.replay, *w.trace, before);
    // Store adds and removes since `before`: the chips to highlight or to fade out.
    w.recent.clear();
    const auto& recs = w.trace->records();
    for (std::size_t i = before; i < idx; ++i) {
      const Record& r = recs[i];
      if (r.kind == RecKind::Store &&
          (r.op == StoreChange::Add || r.op == StoreChange::Remove || r.op == StoreChange::Wipe))
        w.recent.push_back({r.actor, r.op, r.uid, static_cast<std::uint32_t>(i), r.t});
    }
    const std::uint32_t sel = w.msg_by_key(selected_key);
    if (moved || sel != w.selected || (sel == 0 && !w.badges.empty())) {
      if (sel != w.selected) find_places(w, sel);
      w.selected = sel;
      cut_view(w);
      sync_badges(w.sel_view, w.server, w.proto, sel, w.badges);
    }
  }
}

std::string scenario_key(const AppModel& m, int n) {
  const std::string label = std::to_string(n);
  for (const WorldModel& w : m.worlds)
    for (std::size_t k = 1; k < w.msg_label.size(); ++k)
      if (w.msg_label[k] == label)
        if (const TraceMessage* tm = w.trace->message_at(static_cast<std::uint32_t>(k))) return tm->key;
  return "";
}

namespace {
Look g_look;
}  // namespace

const Look& look() { return g_look; }

void set_look(bool high_contrast, bool cb_safe) {
  Look& l = g_look;
  l.high_contrast = high_contrast;
  l.cb_safe = cb_safe;
  if (high_contrast) {
    // Black ground, white ink, strong borders: for projectors and low vision.
    l.text = IM_COL32(255, 255, 255, 255);
    l.dim = IM_COL32(225, 225, 225, 255);
    l.box_bg = IM_COL32(0, 0, 0, 255);
    l.box_border = IM_COL32(255, 255, 255, 255);
    l.link = IM_COL32(230, 230, 230, 255);
    l.broken = IM_COL32(255, 90, 60, 255);
    l.chip_fill = IM_COL32(255, 220, 60, 255);
    l.chip_read = IM_COL32(255, 255, 255, 255);
    l.chip_ink = IM_COL32(0, 0, 0, 255);
    l.select = IM_COL32(255, 255, 255, 255);
    l.fresh = IM_COL32(0, 230, 255, 255);
    l.world_bg = IM_COL32(0, 0, 0, 255);
    l.world_border = IM_COL32(200, 200, 200, 255);
  } else {
    l.text = IM_COL32(235, 238, 245, 255);
    l.dim = IM_COL32(160, 168, 185, 255);
    l.box_bg = IM_COL32(30, 35, 46, 255);
    l.box_border = IM_COL32(90, 100, 125, 255);
    l.link = IM_COL32(120, 130, 150, 255);
    l.broken = IM_COL32(220, 80, 80, 255);
    l.chip_fill = IM_COL32(250, 205, 90, 255);
    l.chip_read = IM_COL32(200, 205, 215, 255);
    l.chip_ink = IM_COL32(40, 30, 10, 255);
    l.select = IM_COL32(255, 255, 255, 255);
    l.fresh = IM_COL32(120, 230, 255, 255);
    l.world_bg = IM_COL32(20, 23, 31, 255);
    l.world_border = IM_COL32(55, 62, 80, 255);
  }
}

ImU32 proto_color(Proto p, bool from_server) {
  if (g_look.cb_safe) {
    // Okabe-Ito: orange, blue, bluish green; server replies use the paler partner hue
    // (yellow, sky blue) so direction stays visible to every kind of colour vision.
    switch (p) {
      case Proto::POP3: return from_server ? IM_COL32(240, 228, 66, 255) : IM_COL32(230, 159, 0, 255);
      case Proto::IMAP: return from_server ? IM_COL32(86, 180, 233, 255) : IM_COL32(0, 114, 178, 255);
      case Proto::SMTP: return from_server ? IM_COL32(120, 210, 180, 255) : IM_COL32(0, 158, 115, 255);
      default: return IM_COL32(200, 200, 200, 255);
    }
  }
  // Server replies are a lighter tint of the protocol colour; the text labels say the rest.
  switch (p) {
    case Proto::POP3: return from_server ? IM_COL32(255, 190, 120, 255) : IM_COL32(240, 140, 40, 255);
    case Proto::IMAP: return from_server ? IM_COL32(140, 200, 255, 255) : IM_COL32(60, 140, 235, 255);
    case Proto::SMTP: return from_server ? IM_COL32(150, 230, 160, 255) : IM_COL32(60, 185, 95, 255);
    default: return IM_COL32(200, 200, 200, 255);
  }
}

const char* kind_icon(const std::string& kind) {
  if (kind == "phone") return ICON_MOBILE;
  if (kind == "desktop") return ICON_DESKTOP;
  if (kind == "laptop") return ICON_LAPTOP;
  if (kind == "tablet") return ICON_TABLET;
  if (kind == "server") return ICON_SERVER;
  if (kind == "internet") return ICON_GLOBE;
  return ICON_ENVELOPE;
}

std::string format_bytes(std::uint64_t b) { return view::bytes_text(b); }

}  // namespace ms
