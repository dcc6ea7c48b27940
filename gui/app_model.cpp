#include "app_model.hpp"

#include <algorithm>
#include <cstdio>
#include <map>

#include "icons.hpp"

namespace ms {

namespace {

void build_world(WorldModel& wm, const WorldRun& run) {
  wm.world = run.world.get();
  wm.trace = &run.world->trace();
  wm.proto = run.world->proto();
  wm.title = std::string(proto_name(wm.proto)) + " world";
  wm.checks = &run.checks;
  const Trace& tr = *wm.trace;
  wm.kinds.assign(tr.actors().size(), "");
  const auto& recs = tr.records();
  for (std::size_t i = 0; i < recs.size(); ++i) {
    const Record& r = recs[i];
    if (r.kind == RecKind::Device && r.text == "added") {
      if (r.actor >= wm.kinds.size()) wm.kinds.resize(r.actor + 1);
      wm.kinds[r.actor] = r.folder;
      if (r.folder == "server") {
        wm.server = r.actor;
      } else if (r.folder == "internet") {
        wm.internet = r.actor;
      } else if (std::none_of(wm.devices.begin(), wm.devices.end(),
                              [&](const ActorInfo& a) { return a.id == r.actor; })) {
        wm.devices.push_back({r.actor, tr.actor_name(r.actor), r.folder, i});
      }
    } else if (r.kind == RecKind::Wire) {
      // One transcript line per protocol line; CRLF ends a line, a trailing fragment counts too.
      std::string_view s = r.text;
      while (!s.empty()) {
        auto nl = s.find('\n');
        std::string_view line = s.substr(0, nl);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        wm.lines.push_back({static_cast<std::uint32_t>(i), line});
        if (nl == std::string_view::npos) break;
        s.remove_prefix(nl + 1);
      }
    }
  }
  // Scenario messages are numbered as the lesson numbers them, so the same message carries the
  // same number in both worlds; anything else (a reply sent by a device) gets a letter.
  std::map<std::string, int> scenario;
  const auto& sm = run.world->scenario_messages();
  for (std::size_t n = 0; n < sm.size(); ++n)
    if (sm[n]) scenario[sm[n]->message_id] = static_cast<int>(n + 1);
  wm.msg_label.assign(tr.messages().size() + 1, "?");
  int letter = 0;
  for (std::size_t k = 0; k < tr.messages().size(); ++k) {
    const TraceMessage& tm = tr.messages()[k];
    auto it = scenario.find(tm.body ? tm.body->message_id : tm.key);
    if (it != scenario.end()) {
      wm.msg_label[k + 1] = std::to_string(it->second);
    } else {
      wm.msg_label[k + 1] = std::string(1, static_cast<char>('a' + letter % 26));
      ++letter;
    }
  }
  // The storage bar's scale: the most the server ever held in this run (or the quota).
  WorldView v;
  for (const Record& r : recs) {
    Replay::apply(v, r);
    if (wm.server < v.stores.size())
      wm.max_server_bytes = std::max<std::uint64_t>(wm.max_server_bytes,
                                                    v.stores[wm.server].bytes);
  }
  wm.replay = std::make_unique<Replay>(tr);
  wm.view = wm.replay->at(0);
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

void refresh_views(AppModel& m, Tick cursor) {
  for (WorldModel& w : m.worlds) {
    std::size_t idx = w.trace->index_after(cursor);
    if (idx != w.view.index || w.view.t != cursor) {
      if (idx != w.view.index) w.view = w.replay->at(idx);
      w.view.t = cursor;
    }
  }
}

ImU32 proto_color(Proto p, bool from_server) {
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

std::string format_bytes(std::uint64_t b) {
  char buf[32];
  if (b < 1024) std::snprintf(buf, sizeof buf, "%llu B", static_cast<unsigned long long>(b));
  else std::snprintf(buf, sizeof buf, "%.1f KB", static_cast<double>(b) / 1024.0);
  return buf;
}

}  // namespace ms
