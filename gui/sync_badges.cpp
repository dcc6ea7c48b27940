#include "sync_badges.hpp"

namespace ms {

const char* badge_text(Badge b) {
  switch (b) {
    case Badge::Server: return "server";
    case Badge::InSync: return "in sync";
    case Badge::Stale: return "stale";
    case Badge::OwnCopy: return "own copy";
    case Badge::LocalOnly: return "local only";
    case Badge::Duplicate: return "duplicate";
    case Badge::Lost: return "lost";
  }
  return "?";
}

const char* badge_explain(Badge b) {
  switch (b) {
    case Badge::Server: return "The server's copy: what every device synchronises against.";
    case Badge::InSync: return "This device's copy has the same flags as the server's.";
    case Badge::Stale:
      return "This device's flags differ from the server's; it will catch up when it next "
             "synchronises.";
    case Badge::OwnCopy:
      return "Downloaded by POP3: the server keeps the original, but read/delete state here is "
             "this device's alone.";
    case Badge::LocalOnly: return "Only on this device: no copy on the server.";
    case Badge::Duplicate:
      return "Several devices hold their own copy of this message, with nothing keeping them "
             "in step.";
    case Badge::Lost: return "On a lost device: this copy is gone with it.";
  }
  return "";
}

void sync_badges(const WorldView& v, std::uint16_t server, Proto proto, std::uint32_t msg,
                 std::vector<CopyBadge>& out) {
  out.clear();
  if (msg == 0) return;
  const ViewStore* srv = server < v.stores.size() ? &v.stores[server] : nullptr;
  const ViewEntry* first_server_copy = nullptr;
  const auto holds = [msg](const ViewStore& s, const auto& fn) {
    for (const ViewFolder& f : s.folders)
      for (const ViewEntry& e : f.entries)
        if (e.msg == msg) fn(f, e);
  };
  if (srv && srv->present)
    holds(*srv, [&](const ViewFolder&, const ViewEntry& e) {
      if (!first_server_copy) first_server_copy = &e;
    });
  int live_devices = 0;
  for (std::size_t a = 0; a < v.stores.size(); ++a) {
    const ViewStore& s = v.stores[a];
    if (a == server || !s.present || s.lost) continue;
    bool has = false;
    holds(s, [&](const ViewFolder&, const ViewEntry&) { has = true; });
    live_devices += has ? 1 : 0;
  }
  for (std::size_t a = 0; a < v.stores.size(); ++a) {
    const ViewStore& s = v.stores[a];
    if (!s.present) continue;
    const auto actor = static_cast<std::uint16_t>(a);
    holds(s, [&](const ViewFolder& f, const ViewEntry& e) {
      CopyBadge c{actor, f.name, e.uid, e.flags, Badge::Server};
      if (a != server) {
        // The server copy in the same-named folder is the one IMAP keeps this copy in step with.
        const ViewEntry* ref = first_server_copy;
        if (const ViewFolder* sf = srv ? srv->folder(f.name) : nullptr)
          for (const ViewEntry& se : sf->entries)
            if (se.msg == msg) {
              ref = &se;
              break;
            }
        if (s.lost) c.badge = Badge::Lost;
        else if (!ref) c.badge = live_devices >= 2 ? Badge::Duplicate : Badge::LocalOnly;
        else if (proto == Proto::POP3)
          c.badge = live_devices >= 2 ? Badge::Duplicate : Badge::OwnCopy;
        else c.badge = e.flags == ref->flags ? Badge::InSync : Badge::Stale;
      }
      out.push_back(std::move(c));
    });
  }
}

}  // namespace ms
