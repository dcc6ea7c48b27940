#include "live_display.hpp"

#include <algorithm>
#include <string>
#include <vector>

namespace ms {

std::uint32_t LiveDisplay::copy_message(const Trace& src, std::uint32_t n) {
  if (!n) return 0;
  auto it = msg_map_.find(n);
  if (it != msg_map_.end()) return it->second;
  const TraceMessage* m = src.message_at(n);
  const std::uint32_t o = m ? out_.message(m->body) : 0;
  msg_map_.emplace(n, o);
  return o;
}

// Real peers' units (no modelled link: they take no time) are spaced out kTransit each, one
// after another; every other record but a simulated device's unit moves to after the spaced
// unit before it has arrived, so that a store change shows when the command that made it
// lands. A simulated unit keeps its link's time. Display times never go back and are never
// more than about kMaxLag later than the real ones.
bool LiveDisplay::take(const Trace& src) {
  cut_ = false;
  for (std::size_t a = out_.actors().size(); a < src.actors().size(); ++a)
    out_.actor(src.actors()[a]);
  if (copied_ < src.first()) {
    // src dropped records before this view saw them (more than its window in one frame).
    dropped_ += src.first() - copied_;
    copied_ = src.first();
  }
  const bool grew = copied_ < src.size();
  for (; copied_ < src.size(); ++copied_) {
    Record r = *src.record(copied_);
    r.msg = copy_message(src, r.msg);
    const Tick transit = r.t_end - r.t;
    const bool live_unit = r.kind == RecKind::Wire && transit < kTransit;
    const bool catch_up = live_end_ - r.t >= kMaxLag;
    Tick t = std::max(r.t, last_t_);
    if (!catch_up && (live_unit || r.kind != RecKind::Wire)) t = std::max(t, live_end_);
    Tick end = t + transit;
    if (live_unit && !catch_up) {
      end = t + kTransit;
      live_end_ = end;
    }
    r.t = t;
    r.t_end = end;
    last_t_ = t;
    end_ = std::max(end_, end);
    out_.append(std::move(r));
    if (out_.size() - checkpoint_ >= 2 * keep_) make_cut(src);
  }
  return grew;
}

// The checkpoint replays into exactly the state Replay computes at the cut, so every panel
// that derives state from the trace (worlds, storage bars, sync badges) shows the same at and
// after the cut as before it. It is stamped with the last dropped record's time: the window's
// first kept record is not earlier, so the trace stays in time order.
void LiveDisplay::make_cut(const Trace& src) {
  const std::vector<Record>& recs = out_.records();
  const std::size_t cut = recs.size() - keep_;
  WorldView state;
  std::vector<const Record*> added(out_.actors().size(), nullptr);
  std::vector<const Record*> renamed(out_.actors().size(), nullptr);
  std::vector<const Record*> settings(out_.actors().size(), nullptr);
  const Record* step = nullptr;
  std::uint16_t server = 0;
  for (std::size_t i = 0; i < cut; ++i) {
    const Record& r = recs[i];
    Replay::apply(state, r);
    if (r.kind == RecKind::Device && r.ev == EventKind::Added) {
      added[r.actor] = &r;
      if (r.device == ActorKind::Server) server = r.actor;
    } else if (r.kind == RecKind::Device && r.ev == EventKind::Renamed) {
      renamed[r.actor] = &r;
    } else if (r.kind == RecKind::Settings) {
      settings[r.actor] = &r;
    } else if (r.kind == RecKind::Step) {
      step = &r;
    }
  }
  dropped_ += cut - checkpoint_;
  const Tick t = recs[cut - 1].t;

  Trace fresh;
  for (const std::string& a : out_.actors()) fresh.actor(a);
  std::unordered_map<std::uint32_t, std::uint32_t> renumber;
  auto remap = [&](std::uint32_t n) -> std::uint32_t {
    if (!n) return 0;
    auto [it, inserted] = renumber.try_emplace(n, 0);
    if (inserted) {
      const TraceMessage* m = out_.message_at(n);
      it->second = m ? fresh.message(m->body) : 0;
    }
    return it->second;
  };
  auto put = [&](Record r) {
    r.t = r.t_end = t;
    r.msg = remap(r.msg);
    fresh.append(std::move(r));
  };
  put({.kind = RecKind::Event, .actor = server, .ev = EventKind::Note,
       .text = "live view: " + std::to_string(dropped_) +
               " older records not kept; the stores' state at this point is carried over"});
  for (std::size_t a = 0; a < added.size(); ++a) {
    if (added[a]) put(*added[a]);
    if (renamed[a]) put(*renamed[a]);
    if (settings[a]) put(*settings[a]);
  }
  for (std::size_t a = 0; a < state.stores.size(); ++a) {
    const ViewStore& s = state.stores[a];
    const auto actor = static_cast<std::uint16_t>(a);
    if (s.lost || !s.online) {
      const EventKind what = s.lost ? EventKind::Lost : EventKind::Offline;
      put({.kind = RecKind::Device, .actor = actor, .ev = what, .text = ev_name(what)});
    }
    for (const ViewFolder& f : s.folders) {
      put({.kind = RecKind::Store, .actor = actor, .op = StoreChange::FolderAdd, .role = f.role,
           .folder = f.name});
      for (const ViewEntry& e : f.entries)
        put({.kind = RecKind::Store, .actor = actor, .op = StoreChange::Add, .uid = e.uid,
             .msg = e.msg, .size = e.size, .flags = e.flags, .folder = f.name});
    }
  }
  if (step) put(*step);
  const std::size_t checkpoint = fresh.size();
  for (std::size_t i = cut; i < recs.size(); ++i) {
    Record r = recs[i];
    r.msg = remap(r.msg);
    fresh.append(std::move(r));
  }
  // Messages src no longer holds are never referred to again (src renumbers them if they
  // come back); the rest follow out_'s new numbers.
  for (auto it = msg_map_.begin(); it != msg_map_.end();) {
    if (it->first <= src.first_message()) {
      it = msg_map_.erase(it);
    } else {
      it->second = remap(it->second);
      ++it;
    }
  }
  kept_from_ = recs[cut].t;
  checkpoint_ = checkpoint;
  out_ = std::move(fresh);
  cut_ = true;
}

}  // namespace ms
