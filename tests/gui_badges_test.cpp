// The visualizer's sync badges, decided from hand-built views of a world at one instant.
#include <catch2/catch.hpp>

#include "sync_badges.hpp"

using namespace ms;

namespace {

constexpr std::uint16_t kServer = 0, kPhone = 1, kDesktop = 2;

Flags seen() { return Flags{kSeen, {}}; }

// A view with a server and two devices, every store holding an empty INBOX.
WorldView three_stores() {
  WorldView v;
  v.stores.resize(3);
  for (ViewStore& s : v.stores) {
    s.present = true;
    s.folders.push_back(ViewFolder{"INBOX", Role::None, {}, 0});
  }
  return v;
}

void put(WorldView& v, std::uint16_t actor, std::uint32_t uid, std::uint32_t msg, Flags f = {},
         const std::string& folder = "INBOX") {
  ViewStore& s = v.stores[actor];
  for (ViewFolder& fo : s.folders)
    if (fo.name == folder) {
      fo.entries.push_back(ViewEntry{uid, msg, f, 100});
      return;
    }
  s.folders.push_back(ViewFolder{folder, Role::None, {ViewEntry{uid, msg, f, 100}}, 100});
}

Badge badge_of(const std::vector<CopyBadge>& out, std::uint16_t actor,
               const std::string& folder = "INBOX") {
  for (const CopyBadge& c : out)
    if (c.actor == actor && c.folder == folder) return c.badge;
  FAIL("no copy on actor " << actor << " in " << folder);
  return Badge::Server;
}

}  // namespace

TEST_CASE("an IMAP device copy with the server's flags is in sync and one without is stale",
          "[gui][badges]") {
  WorldView v = three_stores();
  put(v, kServer, 1, 7, seen());
  put(v, kPhone, 1, 7, seen());
  put(v, kDesktop, 1, 7);
  std::vector<CopyBadge> out;
  sync_badges(v, kServer, Proto::IMAP, 7, out);
  REQUIRE(out.size() == 3);
  CHECK(badge_of(out, kServer) == Badge::Server);
  CHECK(badge_of(out, kPhone) == Badge::InSync);
  CHECK(badge_of(out, kDesktop) == Badge::Stale);
  CHECK(out[2].flags.bits == 0);
  CHECK(std::string(badge_text(Badge::Stale)) == "stale");
}

TEST_CASE("an IMAP device copy is compared with the server copy in the folder of the same name",
          "[gui][badges]") {
  WorldView v = three_stores();
  put(v, kServer, 1, 3);                   // unread in INBOX
  put(v, kServer, 4, 3, seen(), "Archive");  // read copy in Archive
  put(v, kPhone, 9, 3, seen(), "Archive");
  std::vector<CopyBadge> out;
  sync_badges(v, kServer, Proto::IMAP, 3, out);
  CHECK(badge_of(out, kPhone, "Archive") == Badge::InSync);
}

TEST_CASE("a device copy the server no longer has is local only when one device holds it",
          "[gui][badges]") {
  WorldView v = three_stores();
  put(v, kPhone, 1, 2, seen());
  std::vector<CopyBadge> out;
  for (Proto p : {Proto::POP3, Proto::IMAP}) {
    sync_badges(v, kServer, p, 2, out);
    REQUIRE(out.size() == 1);
    CHECK(badge_of(out, kPhone) == Badge::LocalOnly);
  }
}

TEST_CASE("the same message on two devices and not on the server is a duplicate on both",
          "[gui][badges]") {
  WorldView v = three_stores();
  put(v, kPhone, 1, 2);
  put(v, kDesktop, 5, 2, seen());
  std::vector<CopyBadge> out;
  sync_badges(v, kServer, Proto::POP3, 2, out);
  CHECK(badge_of(out, kPhone) == Badge::Duplicate);
  CHECK(badge_of(out, kDesktop) == Badge::Duplicate);
}

TEST_CASE("POP3 leave-on-server copies are an own copy on one device and duplicates on two",
          "[gui][badges]") {
  WorldView v = three_stores();
  put(v, kServer, 1, 1);
  put(v, kPhone, 1, 1, seen());
  std::vector<CopyBadge> out;
  sync_badges(v, kServer, Proto::POP3, 1, out);
  CHECK(badge_of(out, kPhone) == Badge::OwnCopy);
  put(v, kDesktop, 1, 1);
  sync_badges(v, kServer, Proto::POP3, 1, out);
  CHECK(badge_of(out, kPhone) == Badge::Duplicate);
  CHECK(badge_of(out, kDesktop) == Badge::Duplicate);
  // The same stores under IMAP are compared by flags instead.
  sync_badges(v, kServer, Proto::IMAP, 1, out);
  CHECK(badge_of(out, kPhone) == Badge::Stale);
  CHECK(badge_of(out, kDesktop) == Badge::InSync);
}

TEST_CASE("a copy on a lost device is lost and does not count towards duplicates",
          "[gui][badges]") {
  WorldView v = three_stores();
  put(v, kPhone, 1, 4);
  put(v, kDesktop, 1, 4);
  v.stores[kPhone].lost = true;
  v.stores[kPhone].online = false;
  std::vector<CopyBadge> out;
  sync_badges(v, kServer, Proto::POP3, 4, out);
  CHECK(badge_of(out, kPhone) == Badge::Lost);
  CHECK(badge_of(out, kDesktop) == Badge::LocalOnly);
}

TEST_CASE("a device holding a message in two folders counts once", "[gui][badges]") {
  WorldView v = three_stores();
  put(v, kPhone, 1, 6);
  put(v, kPhone, 2, 6, {}, "Saved");
  std::vector<CopyBadge> out;
  sync_badges(v, kServer, Proto::IMAP, 6, out);
  REQUIRE(out.size() == 2);
  CHECK(badge_of(out, kPhone) == Badge::LocalOnly);
  CHECK(badge_of(out, kPhone, "Saved") == Badge::LocalOnly);
}

TEST_CASE("no message selected or a message held nowhere gives no badges", "[gui][badges]") {
  WorldView v = three_stores();
  put(v, kServer, 1, 1);
  std::vector<CopyBadge> out{CopyBadge{}};
  sync_badges(v, kServer, Proto::IMAP, 0, out);
  CHECK(out.empty());
  sync_badges(v, kServer, Proto::IMAP, 9, out);
  CHECK(out.empty());
}
