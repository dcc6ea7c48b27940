#include "view/world_scene.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <map>

#include "world/world.hpp"

namespace ms::view {

std::vector<std::string> scenario_ids(const World& w) {
  std::vector<std::string> ids;
  for (const Body& b : w.scenario_messages()) ids.push_back(b ? b->message_id : std::string());
  return ids;
}

std::string link_text(const LinkSpec& l) {
  char speed[32];
  const double bps = static_cast<double>(l.bits_per_second);
  if (bps >= 1e6) std::snprintf(speed, sizeof speed, "%g Mbit/s", bps / 1e6);
  else std::snprintf(speed, sizeof speed, "%g kbit/s", bps / 1e3);
  return std::string(speed) + " \xc2\xb7 " + std::to_string(l.latency / kMs) + " ms";
}

std::vector<std::string> policy_words(const DeviceSettings& d, Proto proto) {
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

Scene build_scene(const Trace& tr, const TraceIndex& ix, const WorldView& v,
                  const SceneOptions& o) {
  Scene sc;
  const Proto proto = ix.proto() == Proto::POP3 ? Proto::POP3 : Proto::IMAP;
  sc.proto = proto;
  sc.key = proto == Proto::POP3 ? "pop3" : "imap";
  sc.title = o.title.empty() ? std::string(proto_name(proto)) + " world" : o.title;
  sc.scale_bytes = o.scale_bytes ? o.scale_bytes : ix.max_server_bytes();
  sc.wire_total = bytes_by(ix.total(), v.t);
  sc.internet = ix.internet() >= 0;
  sc.internet_actor = static_cast<std::uint16_t>(std::max(0, ix.internet()));
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
        c.label = ix.label(e.msg);
        c.flags = e.flags;
        c.size = e.size;
        c.ghost = ghost;
        if (const TraceMessage* tm = server ? nullptr : tr.message_at(e.msg); tm && tm->body)
          c.headers_only = e.size < tm->body->raw.size();
        if (server) {
          auto it = ix.popped().find({f.name, e.uid});
          c.popped = it != ix.popped().end() && it->second <= v.t;
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

  const ViewStore* ss = store(ix.server());
  sc.server.actor = ix.server();
  sc.server.kind = "server";
  sc.server.name = "mail.example.com";
  if (proto == Proto::POP3) sc.server.info.push_back("POP3 reaches only the maildrop (INBOX)");
  fill(sc.server, ss ? *ss : kEmpty, ix.server(), true);

  // Each device's settings in force at the cursor; none for a real client (live mode).
  const auto& devices = ix.devices();
  std::vector<const DeviceSettings*> settings(devices.size(), nullptr);
  for (std::size_t k = 0; k < devices.size(); ++k) settings[k] = ix.settings_at(tr, devices[k], v.index);

  // Live mode: each real client's connection is a device of the world (one the world never
  // gave settings), so a busy listener gathers thousands. The latest few that have ended stay
  // in the picture with the open ones; the server box counts the rest.
  constexpr std::size_t kEndedShown = 4;
  std::vector<char> folded(devices.size(), 0);
  std::size_t n_folded = 0;
  {
    // (when it last connected or closed, device): a client port comes back as the same actor,
    // so the order of first appearance is not the order of use.
    std::vector<std::pair<std::size_t, std::size_t>> ended;
    for (std::size_t k = 0; k < devices.size(); ++k) {
      const TraceIndex::Device& d = devices[k];
      if (d.added_at >= v.index || !d.settings.empty() || connected(ix, d.id, v.index)) continue;
      std::size_t last = d.added_at;
      if (d.id < ix.conns().size()) {
        const auto& c = ix.conns()[d.id];
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

  for (std::size_t k = 0; k < devices.size(); ++k) {
    const TraceIndex::Device& d = devices[k];
    if (d.added_at >= v.index || folded[k]) continue;
    const ViewStore* ds = store(d.id);
    const ViewStore& s = ds ? *ds : kEmpty;
    Box b;
    b.actor = d.id;
    b.name = d.name;
    b.kind = actor_kind_name(d.kind);
    b.online = s.online && !s.lost;
    b.lost = s.lost;
    b.show_wire = true;
    b.sent = bytes_by(ix.sent(d.id), v.t);
    b.received = bytes_by(ix.received(d.id), v.t);
    fill(b, s, d.id, false);
    Link link;
    link.device = d.id;
    link.up = b.online;
    link.why = s.lost ? "lost" : "offline";
    const DeviceSettings* set = settings[k];
    const bool open = connected(ix, d.id, v.index);
    if (s.lost) b.status = "lost";
    else if (!s.online) b.status = "offline";
    if (set) {
      const DeviceSettings& spec = *set;
      // A device that moved from POP3 to IMAP shows the settings of the app it speaks now.
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
    p.from_server = r.actor == ix.server();
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
