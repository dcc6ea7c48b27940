#include "view/world_scene.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <map>

#include "world/device.hpp"

namespace ms::view {

std::vector<std::string> scenario_ids(const World& w) {
  std::vector<std::string> ids;
  for (const Body& b : w.scenario_messages()) ids.push_back(b ? b->message_id : std::string());
  return ids;
}

MessageLabels::MessageLabels(const std::vector<std::string>& scenario) {
  for (std::size_t n = 0; n < scenario.size(); ++n)
    if (!scenario[n].empty()) number_.emplace(scenario[n], static_cast<int>(n + 1));
}

std::string MessageLabels::next(const TraceMessage& tm) {
  auto it = number_.find(tm.body ? tm.body->message_id : tm.key);
  if (it != number_.end()) return std::to_string(it->second);
  return std::string(1, static_cast<char>('a' + letters_++ % 26));
}

WorldIndex index_world(const Trace& tr, const std::vector<std::string>& scenario) {
  WorldIndex ix;
  const auto& recs = tr.records();
  const std::size_t na = tr.actors().size();
  ix.sent.resize(na);
  ix.received.resize(na);
  ix.conns.resize(na);
  ix.mail_proto.resize(na);
  WorldView scan;
  struct Arrival {
    Tick t;
    std::uint16_t from, to;
    std::uint64_t n;
  };
  std::vector<Arrival> arrivals;
  for (std::size_t i = 0; i < recs.size(); ++i) {
    const Record& r = recs[i];
    if (r.kind == RecKind::Device && r.ev == EventKind::Added) {
      if (r.device == ActorKind::Server) ix.server = r.actor;
      else if (r.device == ActorKind::Internet) ix.internet = r.actor;
      else if (std::none_of(ix.devices.begin(), ix.devices.end(),
                            [&](const WorldIndex::Dev& d) { return d.id == r.actor; }))
        ix.devices.push_back({r.actor, tr.actor_name(r.actor), actor_kind_name(r.device), i, r.t});
    } else if (r.kind == RecKind::Device && r.ev == EventKind::Renamed && !r.name.empty()) {
      for (auto& d : ix.devices)
        if (d.id == r.actor) d.name = r.name;
    } else if (r.kind == RecKind::Wire) {
      arrivals.push_back({r.t_end, r.actor, r.peer, r.text.size()});
      if ((r.proto == Proto::POP3 || r.proto == Proto::IMAP) && r.actor < na) {
        auto& mp = ix.mail_proto[r.actor];
        if (mp.empty() || mp.back().second != r.proto) mp.emplace_back(i, r.proto);
      }
    } else if (r.kind == RecKind::Event && r.actor < na) {
      if (r.ev == EventKind::Connected) ix.conns[r.actor].emplace_back(i, true);
      else if (r.ev == EventKind::Closed || r.ev == EventKind::Dropped)
        ix.conns[r.actor].emplace_back(i, false);
      else if (r.ev == EventKind::MessagePopped) ix.popped.try_emplace({r.folder, r.uid}, r.t);
    }
    Replay::apply(scan, r);
    if (ix.server < scan.stores.size())
      ix.max_server_bytes = std::max<std::uint64_t>(ix.max_server_bytes, scan.stores[ix.server].bytes);
  }
  std::stable_sort(arrivals.begin(), arrivals.end(),
                   [](const Arrival& a, const Arrival& b) { return a.t < b.t; });
  std::uint64_t all = 0;
  for (const Arrival& a : arrivals) {
    auto add = [&](WorldIndex::Series& s) {
      s.emplace_back(a.t, (s.empty() ? 0 : s.back().second) + a.n);
    };
    if (a.from < na) add(ix.sent[a.from]);
    if (a.to < na) add(ix.received[a.to]);
    all += a.n;
    ix.total.emplace_back(a.t, all);
  }
  ix.labels.assign(1, "?");
  MessageLabels labels(scenario);
  for (const TraceMessage& tm : tr.messages()) ix.labels.push_back(labels.next(tm));
  ix.scanned = recs.size();
  return ix;
}

std::uint64_t bytes_by(const WorldIndex::Series& s, Tick t) {
  auto it = std::upper_bound(s.begin(), s.end(), t,
                             [](Tick x, const std::pair<Tick, std::uint64_t>& e) { return x < e.first; });
  return it == s.begin() ? 0 : std::prev(it)->second;
}

bool connected(const WorldIndex& ix, std::uint16_t actor, std::size_t index) {
  if (actor >= ix.conns.size()) return false;
  const auto& c = ix.conns[actor];
  auto it = std::lower_bound(c.begin(), c.end(), index,
                             [](const std::pair<std::size_t, bool>& e, std::size_t i) { return e.first < i; });
  return it != c.begin() && std::prev(it)->second;
}

// That of its latest POP3 or IMAP unit; before its first, that unit's (the app it starts with).
Proto device_proto(const WorldIndex& ix, std::uint16_t actor, std::size_t index, Proto world) {
  if (actor >= ix.mail_proto.size() || ix.mail_proto[actor].empty()) return world;
  const auto& mp = ix.mail_proto[actor];
  auto it = std::lower_bound(mp.begin(), mp.end(), index,
                             [](const std::pair<std::size_t, Proto>& e, std::size_t i) { return e.first < i; });
  return it == mp.begin() ? mp.front().second : std::prev(it)->second;
}

std::string link_text(const LinkSpec& l) {
  char speed[32];
  const double bps = static_cast<double>(l.bits_per_second);
  if (bps >= 1e6) std::snprintf(speed, sizeof speed, "%g Mbit/s", bps / 1e6);
  else std::snprintf(speed, sizeof speed, "%g kbit/s", bps / 1e3);
  return std::string(speed) + " \xc2\xb7 " + std::to_string(l.latency / kMs) + " ms";
}

std::vector<std::string> policy_words(const DeviceSpec& d, Proto proto) {
  std::vector<std::string> w;
  if (!d.client.empty()) w.push_back(d.client);
  if (proto == Proto::POP3) {
    const Pop3Policy& p = d.pop3;
    if (!p.leave_on_server) w.push_back("delete after download");
    else if (p.delete_after_days > 0)
      w.push_back("leave on server " + std::to_string(p.delete_after_days) + " days");
    else w.push_back("leave on server");
    if (p.headers_first) w.push_back("headers only first");
    if (p.recent_mode) w.push_back("recent mode");
  } else if (proto == Proto::IMAP) {
    const ImapPolicy& p = d.imap;
    w.push_back(p.offline_cache ? "caching" : "online-only");
    if (p.bodies_on_demand) w.push_back("headers only first");
  }
  return w;
}

std::vector<std::string> step_messages(const std::string& text) {
  std::vector<std::string> out;
  std::size_t at = 0;
  while ((at = text.find("message", at)) != std::string::npos) {
    std::size_t i = at + 7;
    at = i;
    if (i < text.size() && text[i] == 's') ++i;
    // A list of numbers: "1", "1 and 2", "1, 2 and 3".
    for (;;) {
      while (i < text.size() && text[i] == ' ') ++i;
      std::size_t j = i;
      while (j < text.size() && std::isdigit(static_cast<unsigned char>(text[j]))) ++j;
      if (j == i) break;
      std::string n = text.substr(i, j - i);
      if (std::find(out.begin(), out.end(), n) == out.end()) out.push_back(n);
      i = j;
      if (text.compare(i, 5, " and ") == 0) i += 5;
      else if (text.compare(i, 2, ", ") == 0) i += 2;
      else break;
    }
  }
  return out;
}

namespace {

std::string clock_text(Tick d) {
  const long long s = static_cast<long long>((d + kSecond - 1) / kSecond);
  char buf[32];
  if (s >= 3600) std::snprintf(buf, sizeof buf, "%lldh %02lldm", s / 3600, s / 60 % 60);
  else std::snprintf(buf, sizeof buf, "%lld:%02lld", s / 60, s % 60);
  return buf;
}

bool pop3_reachable(const std::string& folder) {
  return folder == "INBOX" || (folder.size() > 6 && folder.compare(folder.size() - 6, 6, "/INBOX") == 0);
}

}  // namespace

Scene build_scene(const World* world, const Trace& tr, const WorldIndex& ix, const WorldView& v,
                  const SceneOptions& o) {
  Scene sc;
  const Proto proto = world ? world->proto() : Proto::IMAP;
  sc.proto = proto;
  sc.key = proto == Proto::POP3 ? "pop3" : "imap";
  sc.title = o.title.empty() ? std::string(proto_name(proto)) + " world" : o.title;
  sc.scale_bytes = o.scale_bytes ? o.scale_bytes : ix.max_server_bytes;
  sc.wire_total = bytes_by(ix.total, v.t);
  sc.internet = ix.internet >= 0;
  sc.internet_actor = static_cast<std::uint16_t>(std::max(0, ix.internet));
  const auto& msgs = tr.messages();
  auto label = [&](std::uint32_t m) { return m < ix.labels.size() ? ix.labels[m] : std::string("?"); };
  auto store = [&](std::uint16_t id) -> const ViewStore* {
    return id < v.stores.size() ? &v.stores[id] : nullptr;
  };
  static const ViewStore kEmpty;

  // A store's folders as chips: arrival order, recently removed copies merged back in.
  auto fill = [&](Box& b, const ViewStore& s, std::uint16_t actor, bool server) {
    const ViewStore* bs = o.before && actor < o.before->stores.size() ? &o.before->stores[actor] : nullptr;
    std::vector<std::string> empty;
    std::vector<const ViewFolder*> order;
    for (const ViewFolder& f : s.folders) order.push_back(&f);
    // Folders gone since `before` (a wiped store) still show their copies fading out.
    if (bs)
      for (const ViewFolder& f : bs->folders)
        if (!s.folder(f.name)) order.push_back(&f);
    for (const ViewFolder* fp : order) {
      const ViewFolder& f = *fp;
      const bool gone = !s.folder(f.name);
      if (server && proto == Proto::POP3 && !pop3_reachable(f.name)) continue;
      Folder out;
      out.name = f.name;
      out.count = gone ? 0 : f.entries.size();
      auto chip = [&](const ViewEntry& e, float ghost) {
        Chip c;
        c.msg = e.msg;
        c.uid = e.uid;
        c.label = label(e.msg);
        c.flags = e.flags;
        c.size = e.size;
        c.ghost = ghost;
        if (!server && e.msg > 0 && e.msg <= msgs.size() && msgs[e.msg - 1].body)
          c.headers_only = e.size < msgs[e.msg - 1].body->raw.size();
        if (server) {
          auto it = ix.popped.find({f.name, e.uid});
          c.popped = it != ix.popped.end() && it->second <= v.t;
        }
        if (ghost <= 0 && o.recency) c.fresh = o.recency(actor, f.name, e.uid, true);
        c.selected = o.selected && e.msg == o.selected;
        c.relevance = (c.selected ? 100 : 0) +
                      (std::find(o.focus.begin(), o.focus.end(), c.label) != o.focus.end() ? 50 : 0) +
                      (c.ghost > 0 || c.fresh > 0 ? 30 : 0) + (e.flags.has(kSeen) ? 0 : 5);
        out.chips.push_back(std::move(c));
      };
      if (!gone)
        for (const ViewEntry& e : f.entries) chip(e, 0.0f);
      if (const ViewFolder* bf = bs ? bs->folder(f.name) : nullptr; bf && o.recency)
        for (const ViewEntry& e : bf->entries) {
          if (!gone && std::binary_search(f.entries.begin(), f.entries.end(), e,
                                          [](const ViewEntry& a, const ViewEntry& c) { return a.uid < c.uid; }))
            continue;
          if (const float age = o.recency(actor, f.name, e.uid, false); age > 0) chip(e, age);
        }
      if (out.chips.empty()) {
        if (!gone) empty.push_back(f.name);
        continue;
      }
      std::stable_sort(out.chips.begin(), out.chips.end(), [](const Chip& a, const Chip& c) {
        return a.msg != c.msg ? a.msg < c.msg : a.uid < c.uid;
      });
      b.folders.push_back(std::move(out));
    }
    if (!empty.empty()) {
      std::string e;
      for (const std::string& n : empty) e += (e.empty() ? "" : ", ") + n;
      b.empty_note = e + ": empty";
    } else if (s.folders.empty() && b.folders.empty()) {
      b.empty_note = "(no folders)";
    }
    b.bytes = s.bytes;
  };

  const ViewStore* ss = store(ix.server);
  sc.server.actor = ix.server;
  sc.server.kind = "server";
  sc.server.name = "mail.example.com";
  if (proto == Proto::POP3) sc.server.info.push_back("POP3 reaches only the maildrop (INBOX)");
  fill(sc.server, ss ? *ss : kEmpty, ix.server, true);

  // The world's own device of each index device (matched by name), null for a real client.
  std::vector<const Device*> devs(ix.devices.size(), nullptr);
  if (world)
    for (std::size_t k = 0; k < ix.devices.size(); ++k)
      for (const auto& x : world->devices())
        if (x->name() == tr.actor_name(ix.devices[k].id)) devs[k] = x.get();

  // Live mode: each real client's connection is a device of the world (a device the world
  // does not know by name), so a busy listener gathers thousands. The latest few that have
  // ended stay in the picture with the open ones; the server box counts the rest.
  constexpr std::size_t kEndedShown = 4;
  std::vector<char> folded(ix.devices.size(), 0);
  std::size_t n_folded = 0;
  if (world) {
    // (when it last connected or closed, device): a client port comes back as the same actor,
    // so the order of first appearance is not the order of use.
    std::vector<std::pair<std::size_t, std::size_t>> ended;
    for (std::size_t k = 0; k < ix.devices.size(); ++k) {
      const WorldIndex::Dev& d = ix.devices[k];
      if (d.added_at >= v.index || devs[k] || connected(ix, d.id, v.index)) continue;
      std::size_t last = d.added_at;
      if (d.id < ix.conns.size()) {
        const auto& c = ix.conns[d.id];
        auto it = std::lower_bound(c.begin(), c.end(), v.index,
                                   [](const std::pair<std::size_t, bool>& e, std::size_t i) {
                                     return e.first < i;
                                   });
        if (it != c.begin()) last = std::max(last, std::prev(it)->first);
      }
      ended.emplace_back(last, k);
    }
    if (ended.size() > kEndedShown) {
      n_folded = ended.size() - kEndedShown;
      std::nth_element(ended.begin(), ended.begin() + static_cast<std::ptrdiff_t>(n_folded),
                       ended.end());
      for (std::size_t j = 0; j < n_folded; ++j) folded[ended[j].second] = 1;
    }
  }
  if (n_folded > 0)
    sc.server.info.push_back(std::to_string(n_folded) + " earlier client connection" +
                             (n_folded == 1 ? "" : "s") + " ended (not drawn)");

  for (std::size_t k = 0; k < ix.devices.size(); ++k) {
    const WorldIndex::Dev& d = ix.devices[k];
    if (d.added_at >= v.index || folded[k]) continue;
    const ViewStore* ds = store(d.id);
    const ViewStore& s = ds ? *ds : kEmpty;
    Box b;
    b.actor = d.id;
    b.name = d.name;
    b.kind = d.kind;
    b.online = s.online && !s.lost;
    b.lost = s.lost;
    b.show_wire = true;
    b.sent = d.id < ix.sent.size() ? bytes_by(ix.sent[d.id], v.t) : 0;
    b.received = d.id < ix.received.size() ? bytes_by(ix.received[d.id], v.t) : 0;
    fill(b, s, d.id, false);
    Link link;
    link.device = d.id;
    link.up = b.online;
    link.why = s.lost ? "lost" : "offline";
    const Device* dev = devs[k];
    const bool open = connected(ix, d.id, v.index);
    if (s.lost) b.status = "lost";
    else if (!s.online) b.status = "offline";
    if (dev) {
      const DeviceSpec& spec = dev->spec();
      const Proto dp = device_proto(ix, d.id, v.index, proto);
      link.speed = link_text(spec.link);
      b.info = policy_words(spec, dp);
      if (dp == Proto::IMAP && !spec.imap.offline_cache && b.folders.empty())
        b.empty_note = "online-only: nothing stored here";
      const int every = dp == Proto::POP3 ? spec.pop3.check_every_minutes
                                          : spec.imap.check_every_minutes;
      if (b.online) {
        if (dp == Proto::IMAP && spec.imap.idle) {
          b.status = open ? "IDLE \xe2\x80\x94 push" : "push (IDLE) once connected";
          b.push = open;
        } else if (open) {
          b.status = "checking mail now";
        } else if (every > 0) {
          // Polls run every `every` minutes from when the device joined (MailApp::schedule_poll).
          const Tick period = static_cast<Tick>(every) * kMinute;
          const Tick next = d.added_t + ((v.t - d.added_t) / period + 1) * period;
          b.status = "next check in " + clock_text(next - v.t) + " (every " +
                     std::to_string(every) + " min)";
        } else {
          b.status = "checks mail when asked";
        }
      }
    }
    sc.devices.push_back(std::move(b));
    sc.links.push_back(std::move(link));
  }

  // Units in flight at the cursor, newest first.
  const auto& recs = tr.records();
  for (std::size_t i = std::min(v.index, recs.size()); i-- > 0;) {
    const Record& r = recs[i];
    if (v.index - i > 256) break;  // wire units are short: far-back records cannot be in flight
    if (r.kind != RecKind::Wire || r.t_end <= v.t || r.t > v.t) continue;
    Packet p;
    p.from_server = r.actor == ix.server;
    p.other = p.from_server ? r.peer : r.actor;
    p.progress = std::clamp(static_cast<float>(v.t - r.t) / static_cast<float>(std::max<Tick>(1, r.t_end - r.t)),
                            0.0f, 1.0f);
    p.proto = r.proto;
    std::string_view first = r.text;
    first = first.substr(0, first.find_first_of("\r\n"));
    p.text = std::string(proto_name(r.proto)) + (p.from_server ? " S: " : " C: ") + std::string(first);
    p.rec = static_cast<std::uint32_t>(i);
    sc.packets.push_back(std::move(p));
  }
  return sc;
}

}  // namespace ms::view
