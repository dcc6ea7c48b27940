// The world view's geometry (view/world_layout) and what it shows (view/world_scene), checked
// without a window: every lesson at every step, at the panel sizes of small and large screens,
// lays out without overlaps or text leaving the panel, keeps the step's message in view, and
// uses the panel. Plus the SVG of both worlds drawn from the same geometry.
#include <catch2/catch.hpp>
#include <filesystem>
#include <map>

#include "export/worlds_svg.hpp"
#include "view/audit_rule.hpp"
#include "view/world_scene.hpp"

namespace {

const std::string kLessons = std::string(MAILSCOPE_SOURCE_DIR) + "/lessons";

const ms::LessonRun& run_of(const std::string& id) {
  static std::map<std::string, ms::LessonRun> runs;
  auto it = runs.find(id);
  if (it == runs.end())
    it = runs.emplace(id, ms::run_lesson(ms::load_lesson(ms::find_lesson(id, kLessons)))).first;
  return it->second;
}

const ms::World& world_of(const ms::LessonRun& run, ms::Proto p) {
  for (const ms::WorldRun& w : run.worlds)
    if (w.world->proto() == p) return *w.world;
  FAIL("no such world");
  return *run.worlds[0].world;
}

ms::view::Scene scene_at(const ms::World& w, ms::Tick t, const std::vector<std::string>& focus = {}) {
  const ms::Trace& tr = w.trace();
  ms::view::TraceIndex ix(ms::view::scenario_ids(w));
  ix.extend(tr);
  ms::WorldView v = ms::Replay(tr).at(tr.index_after(t));
  v.t = t;
  ms::view::SceneOptions o;
  o.focus = focus;
  return ms::view::build_scene(tr, ix, v, o);
}

ms::view::audit_rule::Box box(const ms::view::Rect& r) { return {r.x0, r.y0, r.x1, r.y1}; }

// What the layout audit would find in it (view/audit_rule.hpp, the GUI audit's own rule):
// items of unrelated owners that intersect, and items that leave the panel.
std::vector<std::string> defects(const ms::view::Layout& L) {
  namespace rule = ms::view::audit_rule;
  struct It {
    ms::view::Rect r;
    std::string owner, text;
  };
  std::vector<It> items;
  for (std::size_t k = 1; k < L.boxes.size(); ++k) items.push_back({L.boxes[k].r, L.boxes[k].owner, "box"});
  for (const auto& t : L.texts) items.push_back({t.r, t.owner, t.text});
  for (const auto& t : L.link_labels) items.push_back({t.r, t.owner, t.text});
  for (const auto& c : L.chips) items.push_back({c.r, c.owner, "chip"});
  for (const auto& l : L.labels) items.push_back({l.r, l.owner, l.text});
  std::vector<std::string> out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (rule::leaves(box(items[i].r), box(L.frame)))
      out.push_back("outside: " + items[i].owner + " " + items[i].text);
    for (std::size_t j = i + 1; j < items.size(); ++j)
      if (rule::overlap(box(items[i].r), box(items[j].r)) &&
          !rule::related(items[i].owner, items[j].owner))
        out.push_back(items[i].owner + " [" + items[i].text + "] x " + items[j].owner + " [" +
                      items[j].text + "]");
  }
  return out;
}

}  // namespace

TEST_CASE("A step's words name the messages it is about", "[view]") {
  using V = std::vector<std::string>;
  CHECK(ms::view::step_messages("The phone reads message 1") == V{"1"});
  CHECK(ms::view::step_messages("messages 1 and 3 arrive; message 2 later") == V{"1", "3", "2"});
  CHECK(ms::view::step_messages("messages 1, 2 and 4") == V{"1", "2", "4"});
  CHECK(ms::view::step_messages("Both messages wait") == V{});
}

TEST_CASE("Long text is shortened with an ellipsis at a character boundary", "[view]") {
  const auto w = ms::view::approx_width;
  CHECK(ms::view::ellipsize("short", 10, 100, w) == "short");
  const std::string s = ms::view::ellipsize("IMAP C: A3 UID FETCH 1:* (FLAGS)", 10, 60, w);
  CHECK(s == "IMAP C: A\xe2\x80\xa6");
  CHECK(w(s, 10) <= 60);
  // Ten pixels a character, as the sequence diagram's labels are measured in its tests.
  auto ten = [](std::string_view t, float) {
    float n = 0;
    for (unsigned char c : t) n += (c & 0xC0) != 0x80 ? 10.0f : 0.0f;
    return n;
  };
  CHECK(ms::view::ellipsize("RETR 1", 0, 80, ten) == "RETR 1");
  CHECK(ms::view::ellipsize("RETR 1 message", 0, 80, ten) == "RETR 1\xe2\x80\xa6");
  CHECK(ms::view::ellipsize("h\xc3\xa9llo w\xc3\xb6rld", 0, 50, ten) == "h\xc3\xa9ll\xe2\x80\xa6");
}

TEST_CASE("Every lesson's worlds lay out without overlaps at every step and panel size",
          "[view]") {
  // World panels of a 1024x768 window up to a 3840x2160 one (half the width each, minus the
  // lesson and timeline panels), at the GUI's text sizes, presenter mode's 1.75x included.
  struct Size {
    float w, h, font;
  };
  // 1024x768, 1280x720, 1920x1080, presenter 1920x1080, 3840x2160, presenter 3840x2160.
  // Presenter mode at 1024x768 and 1280x720 too (its caption band leaves little height).
  const Size sizes[] = {{357, 390, 17}, {469, 350, 17}, {940, 560, 17}, {955, 880, 30},
                        {1685, 1330, 17}, {1915, 1980, 30}, {500, 400, 30}, {630, 330, 30}};
  for (const auto& entry : std::filesystem::directory_iterator(kLessons)) {
    if (entry.path().extension() != ".json" || entry.path().stem() == "course") continue;
    const std::string id = entry.path().stem().string();
    const ms::LessonRun& run = run_of(id);
    for (std::size_t k = 0; k < run.lesson.steps.size(); ++k) {
      const ms::Step& st = run.lesson.steps[k];
      const auto focus = ms::view::step_messages(st.title + " " + st.text);
      for (ms::Tick t : {st.at, st.at + ms::kSecond / 2, st.at + 3 * ms::kSecond}) {
        for (const ms::WorldRun& wr : run.worlds) {
          const ms::view::Scene sc = scene_at(*wr.world, t, focus);
          for (const Size& z : sizes) {
            ms::view::LayoutParams p;
            p.font_px = z.font;
            p.zoom = ms::view::panel_zoom(z.w, z.h);
            p.min_zoom = std::min(1.0f, 13.0f / z.font);
            p.width = ms::view::approx_width;
            const ms::view::Layout L = ms::view::layout_world(sc, {10, 20, 10 + z.w, 20 + z.h}, p);
            INFO(id << " step " << k + 1 << " t=" << t << " " << sc.key << " " << z.w << "x"
                    << z.h << " font " << z.font);
            const auto d = defects(L);
            CHECK(d == std::vector<std::string>{});
            // The diagram uses its panel.
            CHECK((L.bounds.w() >= 0.8f * z.w || L.bounds.h() >= 0.8f * z.h));
            // Every message the step names that a box holds is drawn as a chip.
            auto boxes = sc.devices;
            boxes.push_back(sc.server);
            for (std::size_t bi = 0; bi < boxes.size(); ++bi)
              for (std::size_t fi = 0; fi < boxes[bi].folders.size(); ++fi)
                for (std::size_t ci = 0; ci < boxes[bi].folders[fi].chips.size(); ++ci) {
                  const auto& c = boxes[bi].folders[fi].chips[ci];
                  if (std::find(focus.begin(), focus.end(), c.label) == focus.end()) continue;
                  const int box = bi + 1 == boxes.size() ? -1 : static_cast<int>(bi);
                  const bool drawn = std::any_of(L.chips.begin(), L.chips.end(), [&](const auto& ch) {
                    return ch.box == box && ch.folder == static_cast<int>(fi) &&
                           ch.chip == static_cast<int>(ci);
                  });
                  INFO("message " << c.label << " in " << boxes[bi].name);
                  CHECK(drawn);
                }
          }
        }
      }
    }
  }
}

TEST_CASE("The world view draws each lesson's point", "[view]") {
  SECTION("limited connectivity: link speeds and headers-only copies") {
    const auto& run = run_of("limited-connectivity");
    for (ms::Proto p : {ms::Proto::POP3, ms::Proto::IMAP}) {
      const auto sc = scene_at(world_of(run, p), 30 * ms::kSecond);
      REQUIRE(sc.links.size() == 3);
      CHECK(sc.links[0].speed == "20 Mbit/s \xc2\xb7 20 ms");
      CHECK(sc.links[1].speed.rfind("56 kbit/s", 0) == 0);
      const ms::view::Box& phone = sc.devices[2];
      REQUIRE(phone.name == "phone");
      REQUIRE(!phone.folders.empty());
      CHECK(phone.folders[0].chips.size() == 2);
      CHECK(phone.folders[0].chips[1].headers_only);
      CHECK(std::find(phone.info.begin(), phone.info.end(), "headers only first") != phone.info.end());
      // Bytes on the wire: the dial-up laptop is still receiving the attachment.
      CHECK(phone.received > 0);
      CHECK(sc.devices[1].received < sc.devices[0].received);
    }
  }
  SECTION("push vs polling: IDLE on the IMAP phone, a countdown on the POP3 one") {
    const auto& run = run_of("push-vs-polling");
    const auto imap = scene_at(world_of(run, ms::Proto::IMAP), 2 * ms::kMinute);
    CHECK(imap.devices[0].status == "IDLE \xe2\x80\x94 push");
    const auto pop3 = scene_at(world_of(run, ms::Proto::POP3), 2 * ms::kMinute);
    CHECK(pop3.devices[0].status == "next check in 3:00 (every 5 min)");
  }
  SECTION("client defaults: the apps' names and retention") {
    const auto& run = run_of("client-defaults");
    const auto sc = scene_at(world_of(run, ms::Proto::POP3), 2 * ms::kMinute);
    REQUIRE(sc.devices.size() == 3);
    CHECK(sc.devices[0].info == std::vector<std::string>{"Thunderbird", "leave on server 14 days"});
    CHECK(sc.devices[1].info == std::vector<std::string>{"Apple Mail", "leave on server 7 days"});
    const auto im = scene_at(world_of(run, ms::Proto::IMAP), 2 * ms::kMinute);
    CHECK(im.devices[0].info == std::vector<std::string>{"Thunderbird", "caching"});
  }
  SECTION("offline access: the online-only tablet says why it is empty") {
    const auto& run = run_of("offline-access");
    const auto sc = scene_at(world_of(run, ms::Proto::IMAP), 45 * ms::kSecond);
    const ms::view::Box& tablet = sc.devices[1];
    REQUIRE(tablet.name == "tablet");
    CHECK(tablet.status == "offline");
    CHECK(tablet.empty_note == "online-only: nothing stored here");
  }
  SECTION("gmail pop: the server copy is marked popped once the phone retrieved it") {
    const auto& run = run_of("gmail-pop");
    const auto& w = world_of(run, ms::Proto::POP3);
    CHECK_FALSE(scene_at(w, 5 * ms::kSecond).server.folders.at(0).chips.at(0).popped);
    CHECK(scene_at(w, 15 * ms::kSecond).server.folders.at(0).chips.at(0).popped);
  }
  SECTION("a POP3 server box shows only the maildrop") {
    const auto sc = scene_at(world_of(run_of("synchronisation"), ms::Proto::POP3), 45 * ms::kSecond);
    REQUIRE(sc.server.folders.size() == 1);
    CHECK(sc.server.folders[0].name == "INBOX");
    CHECK(sc.server.empty_note.empty());
    const auto im = scene_at(world_of(run_of("synchronisation"), ms::Proto::IMAP), 45 * ms::kSecond);
    CHECK(im.server.empty_note == "Drafts, Sent, Junk, Trash: empty");
  }
  SECTION("chips come in arrival order in every box") {
    const auto sc = scene_at(world_of(run_of("synchronisation"), ms::Proto::POP3), 45 * ms::kSecond);
    for (const ms::view::Box& b : sc.devices) {
      REQUIRE(b.folders.size() >= 1);
      REQUIRE(b.folders[0].chips.size() == 2);
      CHECK(b.folders[0].chips[0].label == "1");
      CHECK(b.folders[0].chips[1].label == "2");
    }
  }
}

TEST_CASE("A folder too full for its box keeps the step's message and says how many more", "[view]") {
  ms::view::Scene sc;
  sc.key = "imap";
  sc.title = "IMAP world";
  sc.server.kind = "server";
  sc.server.name = "mail.example.com";
  ms::view::Folder f;
  f.name = "INBOX";
  for (int i = 1; i <= 60; ++i) {
    ms::view::Chip c;
    c.msg = c.uid = static_cast<std::uint32_t>(i);
    c.label = std::to_string(i);
    c.relevance = i == 7 ? 50 : 0;
    f.chips.push_back(c);
  }
  f.count = 60;
  sc.server.folders.push_back(f);
  ms::view::LayoutParams p;
  p.width = ms::view::approx_width;
  const auto L = ms::view::layout_world(sc, {0, 0, 400, 200}, p);
  CHECK(defects(L).empty());
  CHECK(L.chips.size() < 60);
  CHECK(std::any_of(L.chips.begin(), L.chips.end(), [](const auto& c) { return c.chip == 6; }));
  // Shown in arrival order.
  for (std::size_t i = 1; i < L.chips.size(); ++i) CHECK(L.chips[i - 1].chip < L.chips[i].chip);
  const std::string more = "+" + std::to_string(60 - L.chips.size()) + " more";
  CHECK(std::any_of(L.texts.begin(), L.texts.end(), [&](const auto& t) { return t.text == more; }));
}

TEST_CASE("The worlds as SVG, drawn from the same layout", "[view][export]") {
  const auto& run = run_of("synchronisation");
  const std::string svg = ms::worlds_svg_at_step(run, 3);
  CHECK(svg.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\"", 0) == 0);
  CHECK(svg.find("</svg>") != std::string::npos);
  CHECK(svg.find(">POP3 world</text>") != std::string::npos);
  CHECK(svg.find(">IMAP world</text>") != std::string::npos);
  CHECK(svg.find(">phone</text>") != std::string::npos);
  CHECK(svg.find("20 Mbit/s") != std::string::npos);
  // Both chips of each device, labelled by message number, read (outline) or unread (filled).
  CHECK(svg.find("fill=\"#facd5a\"") != std::string::npos);
  CHECK(svg.find("fill=\"none\" stroke=\"#c8cdd7\"") != std::string::npos);
  CHECK_THROWS_AS(ms::worlds_svg_at_step(run, 9), std::out_of_range);
  // Same run, same picture.
  CHECK(ms::worlds_svg_at_step(run, 3) == svg);
}

SCENARIO("a live listener's ended connections leave the picture, the latest few excepted",
         "[view]") {
  GIVEN("a live world where one real client stays connected and ten came and went") {
    ms::World w("live", ms::Proto::IMAP, 1);
    w.add_account("alice", "secret");
    ms::Trace& tr = w.trace();
    ms::Tick t = 1000;
    auto client = [&](int port, bool close) {
      const std::uint16_t a = tr.actor("127.0.0.1:" + std::to_string(port));
      tr.append({.t = ++t, .t_end = t, .kind = ms::RecKind::Device, .actor = a,
                 .ev = ms::EventKind::Added, .device = ms::ActorKind::Desktop, .text = "added"});
      tr.append({.t = ++t, .t_end = t, .kind = ms::RecKind::Event, .actor = a,
                 .ev = ms::EventKind::Connected, .text = "connects to the server (IMAP)"});
      if (close)
        tr.append({.t = ++t, .t_end = t, .kind = ms::RecKind::Event, .actor = a,
                   .ev = ms::EventKind::Closed, .text = "connection closed"});
    };
    client(40000, false);
    for (int p = 40001; p <= 40010; ++p) client(p, true);
    // A client port used again is the same actor: it counts from its latest connection.
    const std::uint16_t again = tr.actor("127.0.0.1:40002");
    for (ms::EventKind what : {ms::EventKind::Connected, ms::EventKind::Closed})
      tr.append({.t = ++t, .t_end = t, .kind = ms::RecKind::Event, .actor = again, .ev = what,
                 .text = ms::ev_name(what)});
    const ms::view::Scene sc = scene_at(w, t);
    THEN("the open one and the four that ended last are drawn; the server counts the rest") {
      std::vector<std::string> names;
      for (const auto& b : sc.devices) names.push_back(b.name);
      CHECK(names == std::vector<std::string>{"127.0.0.1:40000", "127.0.0.1:40002",
                                              "127.0.0.1:40008", "127.0.0.1:40009",
                                              "127.0.0.1:40010"});
      REQUIRE_FALSE(sc.server.info.empty());
      CHECK(sc.server.info.back() == "6 earlier client connections ended (not drawn)");
    }
  }
  GIVEN("a lesson's world, whose devices are all the world's own") {
    const ms::World& w = world_of(run_of("synchronisation"), ms::Proto::IMAP);
    THEN("every device is drawn, connected or not") {
      CHECK(scene_at(w, w.trace().records().back().t).devices.size() == w.devices().size());
    }
  }
}
