#include "app_model.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
#include <tuple>

#include "icons.hpp"

namespace ms {

namespace {

// Takes the trace's records from `wm.scanned` on: devices, renames, steps, wire lines, message
// labels and the storage scale. A finished run is taken in one call; a live world's trace is
// taken again each time it grows, so the cost follows the new records only.
void extend_world(WorldModel& wm) {
  const Trace& tr = *wm.trace;
  const auto& recs = tr.records();
  if (recs.data() != wm.records_at) {
    // The trace's record storage moved (it grew): the transcript's line views point into the
    // records' text, and the selection's places into their folder names.
    for (WireLine& l : wm.lines) l.text = std::string_view(recs[l.rec].text).substr(l.off, l.len);
    wm.records_at = recs.data();
    wm.sel_places.clear();
    wm.selected = 0;
    wm.badges.clear();
  }
  if (wm.kinds.size() < tr.actors().size()) wm.kinds.resize(tr.actors().size());
  for (std::size_t a = wm.names.size(); a < tr.actors().size(); ++a)
    wm.names.push_back(tr.actor_name(static_cast<std::uint16_t>(a)));
  for (std::size_t i = wm.scanned; i < recs.size(); ++i) {
    const Record& r = recs[i];
    if (r.kind == RecKind::Device && r.ev == EventKind::Added) {
      if (r.actor >= wm.kinds.size()) wm.kinds.resize(r.actor + 1);
      wm.kinds[r.actor] = actor_kind_name(r.device);
      if (r.device == ActorKind::Server) {
        wm.server = r.actor;
      } else if (r.device == ActorKind::Internet) {
        wm.internet = r.actor;
      } else if (std::none_of(wm.devices.begin(), wm.devices.end(),
                              [&](const ActorInfo& a) { return a.id == r.actor; })) {
        wm.devices.push_back({r.actor, wm.names[r.actor], actor_kind_name(r.device), i});
      }
    } else if (r.kind == RecKind::Device && r.ev == EventKind::Renamed && !r.name.empty()) {
      // A live client named itself (IMAP ID): every panel shows the new name from now on.
      wm.names[r.actor] = r.name;
      for (ActorInfo& a : wm.devices)
        if (a.id == r.actor) a.name = r.name;
    } else if (r.kind == RecKind::Step) {
      wm.step_recs.push_back(static_cast<std::uint32_t>(i));
    } else if (r.kind == RecKind::Event && r.ev == EventKind::StateChanged) {
      for (std::uint16_t a : {r.actor, r.peer}) {
        if (a >= wm.state_events.size()) wm.state_events.resize(a + 1u);
        if (wm.state_events[a].empty() || wm.state_events[a].back() != i)
          wm.state_events[a].push_back(static_cast<std::uint32_t>(i));
      }
    } else if (r.kind == RecKind::Wire) {
      wm.wire_recs.push_back(static_cast<std::uint32_t>(i));
      wm.max_transit = std::max(wm.max_transit, r.t_end - r.t);
      // One transcript line per protocol line; CRLF ends a line, a trailing fragment counts too.
      std::string_view s = r.text;
      while (!s.empty()) {
        auto nl = s.find('\n');
        std::string_view line = s.substr(0, nl);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        const auto off = static_cast<std::uint32_t>(line.data() - r.text.data());
        wm.lines.push_back({static_cast<std::uint32_t>(i), line, off,
                            static_cast<std::uint32_t>(line.size())});
        if (nl == std::string_view::npos) break;
        s.remove_prefix(nl + 1);
      }
    }
    // The storage bar's scale: the most the server ever held in this run (or the quota).
    Replay::apply(wm.scan, r);
    if (wm.server < wm.scan.stores.size())
      wm.max_server_bytes = std::max<std::uint64_t>(wm.max_server_bytes,
                                                    wm.scan.stores[wm.server].bytes);
  }
  wm.scanned = recs.size();
  if (wm.msg_label.size() < tr.messages().size() + 1) {
    const std::size_t from = wm.msg_label.empty() ? 0 : wm.msg_label.size() - 1;
    wm.msg_label.resize(tr.messages().size() + 1, "?");
    for (std::size_t k = from; k < tr.messages().size(); ++k) {
      const TraceMessage& tm = tr.messages()[k];
      wm.msg_keys.emplace(tm.key, static_cast<std::uint32_t>(k + 1));
      wm.msg_label[k + 1] = wm.labels.next(tm);
    }
  }
}

void start_world(WorldModel& wm, const World& world, const Trace& tr,
                 const std::vector<CheckResult>* checks) {
  static std::uint64_t builds = 0;
  wm.world = &world;
  wm.trace = &tr;
  wm.build = ++builds;
  wm.labels = view::MessageLabels(view::scenario_ids(world));
  wm.proto = world.proto();
  wm.title = std::string(proto_name(wm.proto)) + " world";
  wm.checks = checks;
  wm.records_at = tr.records().data();
  extend_world(wm);
  wm.replay = std::make_unique<Replay>(tr);
  wm.view = wm.replay->at(0);
}

void build_world(WorldModel& wm, const WorldRun& run) {
  start_world(wm, *run.world, run.world->trace(), &run.checks);
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
    if (m.run.lesson.quota)
      wm.max_server_bytes = std::max<std::uint64_t>(wm.max_server_bytes, m.run.lesson.quota);
    for (const Record& r : wm.trace->records()) {
      end = std::max(end, r.t_end);
      if (r.kind == RecKind::Wire) m.wire_mid.push_back(r.t + (r.t_end - r.t) / 2);
    }
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
  const auto& recs = wm.trace->records();
  Tick end = m.duration;
  for (std::size_t i = m.live_scanned; i < recs.size(); ++i) {
    const Record& r = recs[i];
    end = std::max(end, r.t_end);
    // Display times only grow, so the step targets stay sorted.
    if (r.kind == RecKind::Wire) m.wire_mid.push_back(r.t + (r.t_end - r.t) / 2);
  }
  m.live_scanned = recs.size();
  m.duration = std::max<Tick>({end, now, 1});
}

std::uint32_t WorldModel::msg_by_key(const std::string& key) const {
  if (key.empty()) return 0;
  auto it = msg_keys.find(key);
  return it == msg_keys.end() ? 0 : it->second;
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
  for (const WorldModel::Place& p : w.sel_places) {
    if (p.actor >= v.stores.size()) continue;
    const ViewStore& s = v.stores[p.actor];
    for (std::size_t k = 0; k < s.folders.size(); ++k) {
      if (s.folders[k].name != *p.folder) continue;
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
  for (const Record& r : w.trace->records())
    if (r.kind == RecKind::Store && r.op == StoreChange::Add && r.msg == msg)
      w.sel_places.push_back({r.actor, &r.folder, r.uid});
  auto key = [](const WorldModel::Place& p) { return std::tie(p.actor, *p.folder, p.uid); };
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
        w.recent.push_back({r.actor, r.op, r.uid, &r.folder, r.t});
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
      if (w.msg_label[k] == label) return w.trace->messages()[k - 1].key;
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

const view::WorldIndex& world_index(const WorldModel& w) {
  if (w.index.scanned != w.trace->size() || w.index.labels.empty())
    w.index = view::index_world(*w.trace, view::scenario_ids(*w.world));
  return w.index;
}

}  // namespace ms
