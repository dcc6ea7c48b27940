#include "view/trace_index.hpp"

#include <algorithm>

namespace ms::view {

MessageLabels::MessageLabels(const std::vector<std::string>& scenario) {
  for (std::size_t n = 0; n < scenario.size(); ++n)
    if (!scenario[n].empty()) number_.emplace(scenario[n], static_cast<int>(n + 1));
}

std::string MessageLabels::next(const TraceMessage& tm) {
  auto it = number_.find(tm.body ? tm.body->message_id : tm.key);
  if (it != number_.end()) return std::to_string(it->second);
  return std::string(1, static_cast<char>('a' + letters_++ % 26));
}

TraceIndex::TraceIndex(const std::vector<std::string>& scenario_ids) : labeller_(scenario_ids) {}

// A unit counts once it has arrived, and units arrive out of their start order (a long one
// on a slow link, a short one after it): each goes in at its arrival, after the units that
// arrived at the same time before it, and the running totals after it grow by its size. New
// units arrive near the end, so this touches only the few still in flight.
void TraceIndex::add_bytes(Series& s, Tick t, std::uint64_t n) {
  auto at = std::upper_bound(s.begin(), s.end(), t,
                             [](Tick x, const std::pair<Tick, std::uint64_t>& e) { return x < e.first; });
  const std::uint64_t before = at == s.begin() ? 0 : std::prev(at)->second;
  at = s.insert(at, {t, before + n});
  for (++at; at != s.end(); ++at) at->second += n;
}

void TraceIndex::extend(const Trace& tr) {
  const std::size_t na = tr.actors().size();
  for (std::size_t a = names_.size(); a < na; ++a)
    names_.push_back(tr.actor_name(static_cast<std::uint16_t>(a)));
  kinds_.resize(na, ActorKind::None);
  device_of_.resize(na, -1);
  sent_.resize(na);
  received_.resize(na);
  conns_.resize(na);
  mail_proto_.resize(na);
  state_events_.resize(na);

  const auto& recs = tr.records();
  for (std::size_t i = std::max(scanned_, tr.first()); i < tr.size(); ++i) {
    const Record& r = recs[i - tr.first()];
    const auto at = static_cast<std::uint32_t>(i);
    end_ = std::max(end_, r.t_end);
    switch (r.kind) {
      case RecKind::Device:
        if (r.ev == EventKind::Added) {
          kinds_[r.actor] = r.device;
          if (r.device == ActorKind::Server) {
            server_ = r.actor;
            proto_ = r.proto;
          } else if (r.device == ActorKind::Internet) {
            internet_ = r.actor;
          } else if (device_of_[r.actor] < 0) {
            // A live client's port that comes back is the same actor, added once.
            device_of_[r.actor] = static_cast<int>(devices_.size());
            devices_.push_back({r.actor, names_[r.actor], r.device, i, r.t, {}});
          }
        } else if (r.ev == EventKind::Renamed && !r.name.empty()) {
          // A live client named itself (IMAP ID): every view shows the new name from now on.
          names_[r.actor] = r.name;
          if (device_of_[r.actor] >= 0) devices_[static_cast<std::size_t>(device_of_[r.actor])].name = r.name;
        }
        break;
      case RecKind::Settings:
        if (device_of_[r.actor] >= 0)
          devices_[static_cast<std::size_t>(device_of_[r.actor])].settings.push_back(at);
        break;
      case RecKind::Step: steps_.push_back(at); break;
      case RecKind::Event:
        if (r.ev == EventKind::StateChanged) {
          for (std::uint16_t a : {r.actor, r.peer})
            if (a < na && (state_events_[a].empty() || state_events_[a].back() != at))
              state_events_[a].push_back(at);
        } else if (r.ev == EventKind::Connected) {
          conns_[r.actor].emplace_back(i, true);
        } else if (r.ev == EventKind::Closed || r.ev == EventKind::Dropped) {
          conns_[r.actor].emplace_back(i, false);
        } else if (r.ev == EventKind::MessagePopped) {
          popped_.try_emplace({r.folder, r.uid}, r.t);
        }
        break;
      case RecKind::Wire: {
        wire_.push_back(at);
        if ((r.proto == Proto::POP3 || r.proto == Proto::IMAP) && r.actor < na) {
          auto& mp = mail_proto_[r.actor];
          if (mp.empty() || mp.back().second != r.proto) mp.emplace_back(at, r.proto);
        }
        max_transit_ = std::max(max_transit_, r.t_end - r.t);
        add_bytes(sent_[r.actor], r.t_end, r.text.size());
        add_bytes(received_[r.peer], r.t_end, r.text.size());
        add_bytes(total_, r.t_end, r.text.size());
        std::string_view s = r.text;
        while (!s.empty()) {
          const auto nl = s.find('\n');
          std::string_view line = s.substr(0, nl);
          if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
          lines_.push_back({at, static_cast<std::uint32_t>(line.data() - r.text.data()),
                            static_cast<std::uint32_t>(line.size())});
          if (nl == std::string_view::npos) break;
          s.remove_prefix(nl + 1);
        }
        break;
      }
      case RecKind::Store:
      case RecKind::Check: break;
    }
    // The storage bar's scale: the most the server ever held.
    Replay::apply(state_, r);
    if (server_ < state_.stores.size())
      max_server_bytes_ = std::max<std::uint64_t>(max_server_bytes_, state_.stores[server_].bytes);
  }
  scanned_ = std::max(scanned_, tr.size());
  state_.index = scanned_;

  if (labels_.empty()) labels_.push_back("?");
  const std::uint32_t last = tr.first_message() + static_cast<std::uint32_t>(tr.messages().size());
  for (auto n = static_cast<std::uint32_t>(labels_.size()); n <= last; ++n) {
    const TraceMessage* tm = tr.message_at(n);
    labels_.push_back(tm ? labeller_.next(*tm) : "?");
    if (tm) msg_keys_.emplace(tm->key, n);
  }
}

const TraceIndex::Device* TraceIndex::device(std::uint16_t id) const {
  return id < device_of_.size() && device_of_[id] >= 0 ? &devices_[static_cast<std::size_t>(device_of_[id])]
                                                      : nullptr;
}

const TraceIndex::Device* TraceIndex::device_named(const Trace& tr, const std::string& name) const {
  for (const Device& d : devices_)
    if (tr.actor_name(d.id) == name) return &d;
  return nullptr;
}

const std::string& TraceIndex::name_of(std::uint16_t actor) const {
  static const std::string kNone;
  return actor < names_.size() ? names_[actor] : kNone;
}

ActorKind TraceIndex::kind_of(std::uint16_t actor) const {
  return actor < kinds_.size() ? kinds_[actor] : ActorKind::None;
}

const DeviceSettings* TraceIndex::settings_at(const Trace& tr, const Device& d,
                                              std::size_t index) const {
  auto it = std::lower_bound(d.settings.begin(), d.settings.end(), index,
                             [](std::uint32_t rec, std::size_t i) { return rec < i; });
  if (it == d.settings.begin()) return nullptr;
  const Record* r = tr.record(*std::prev(it));
  return r ? r->settings.get() : nullptr;
}

const TraceIndex::Series& TraceIndex::sent(std::uint16_t actor) const {
  static const Series kNone;
  return actor < sent_.size() ? sent_[actor] : kNone;
}

const TraceIndex::Series& TraceIndex::received(std::uint16_t actor) const {
  static const Series kNone;
  return actor < received_.size() ? received_[actor] : kNone;
}

const std::string& TraceIndex::label(std::uint32_t msg) const {
  static const std::string kUnknown = "?";
  return msg < labels_.size() ? labels_[msg] : kUnknown;
}

std::uint32_t TraceIndex::msg_by_key(const std::string& key) const {
  if (key.empty()) return 0;
  auto it = msg_keys_.find(key);
  return it == msg_keys_.end() ? 0 : it->second;
}

std::uint64_t bytes_by(const TraceIndex::Series& s, Tick t) {
  auto it = std::upper_bound(s.begin(), s.end(), t,
                             [](Tick x, const std::pair<Tick, std::uint64_t>& e) { return x < e.first; });
  return it == s.begin() ? 0 : std::prev(it)->second;
}

bool connected(const TraceIndex& ix, std::uint16_t actor, std::size_t index) {
  if (actor >= ix.conns().size()) return false;
  const auto& c = ix.conns()[actor];
  auto it = std::lower_bound(c.begin(), c.end(), index,
                             [](const std::pair<std::size_t, bool>& e, std::size_t i) { return e.first < i; });
  return it != c.begin() && std::prev(it)->second;
}

// That of its latest POP3 or IMAP unit; before its first, that unit's (the app it starts with).
Proto device_proto(const TraceIndex& ix, std::uint16_t actor, std::size_t index, Proto world) {
  if (actor >= ix.mail_proto().size() || ix.mail_proto()[actor].empty()) return world;
  const auto& mp = ix.mail_proto()[actor];
  auto it = std::lower_bound(mp.begin(), mp.end(), index,
                             [](const std::pair<std::size_t, Proto>& e, std::size_t i) { return e.first < i; });
  return it == mp.begin() ? mp.front().second : std::prev(it)->second;
}

std::string_view line_text(const Trace& tr, const TraceIndex::Line& l) {
  const Record* r = tr.record(l.rec);
  return r ? std::string_view(r->text).substr(l.off, l.len) : std::string_view();
}

}  // namespace ms::view
