// The course panels driven as a user would (gui/panels/chooser.cpp, start.cpp, export.cpp): frames of Dear
// ImGui without a window, the pointer moved onto the buttons the panel drew (where the layout
// audit and the widget rectangles say they are) and clicked.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>

#include "app_model.hpp"
#include "harness/audit.hpp"
#include "harness/widget_rects.hpp"
#include "imgui.h"
#include "imgui_internal.h"
#include "lesson/chooser.hpp"
#include "lesson/report.hpp"
#include "lesson/table.hpp"
#include "panels/panels.hpp"
#include "ui_scale.hpp"
#include "ui_state.hpp"

using namespace ms;

namespace {

// A Dear ImGui context without a window: a display of `size`, 60 frames a second, fonts built.
void headless_imgui(ImVec2 size) {
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;
  io.DisplaySize = size;
  io.DeltaTime = 1.0f / 60;
  unsigned char* pixels = nullptr;
  int w = 0, h = 0;
  io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);
}

class Chooser {
 public:
  Chooser() {
    headless_imgui(ImVec2(1280, 1600));
    widgets::record(true);
    frame();
  }
  ~Chooser() {
    widgets::record(false);
    ImGui::DestroyContext();
  }
  Chooser(const Chooser&) = delete;
  Chooser& operator=(const Chooser&) = delete;

  // One frame of the chooser in a window as tall as the display (nothing scrolled away),
  // recorded by the layout audit.
  void frame() {
    ImGuiIO& io = ImGui::GetIO();
    io.MousePos = mouse_;
    io.MouseDown[0] = down_;
    audit::begin();
    ImGui::NewFrame();
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(io.DisplaySize);
    ImGui::Begin("chooser", nullptr, ImGuiWindowFlags_NoDecoration);
    draw_chooser(model, ui);
    ImGui::End();
    ImGui::Render();
    audit::end();
  }

  // The audit's item whose owner is `owner`, or nullptr when this frame did not draw it.
  const audit::Item* item(const std::string& owner) const {
    for (const audit::Item& i : audit::items())
      if (i.owner == owner) return &i;
    return nullptr;
  }

  // Moves the pointer onto the rectangle and clicks (down and up in frames of their own).
  void click(ImVec2 p0, ImVec2 p1) {
    mouse_ = ImVec2((p0.x + p1.x) / 2, (p0.y + p1.y) / 2);
    frame();
    down_ = true;
    frame();
    down_ = false;
    frame();
    mouse_ = ImVec2(-1, -1);  // off the buttons again, as the frames the agent looks at
    frame();
  }
  bool click_item(const std::string& owner) {
    const audit::Item* i = item(owner);
    if (!i) return false;
    const ImVec2 a = i->p0, b = i->p1;
    click(a, b);
    return true;
  }
  bool click_widget(const std::string& name) {
    const auto r = widgets::find(name);
    if (!r) return false;
    click(ImVec2(r->x0, r->y0), ImVec2(r->x1, r->y1));
    return true;
  }

  AppModel model;
  UiState ui;

 private:
  ImVec2 mouse_{-1, -1};
  bool down_ = false;
};

}  // namespace

TEST_CASE("the chooser recommends nothing until a profile is picked or a question answered",
          "[gui][chooser]") {
  Chooser c;
  CHECK(c.item("start/chooser/waiting"));
  CHECK_FALSE(c.item("start/chooser/recommendation"));
  CHECK_FALSE(c.item("start/chooser/show-why"));

  SECTION("picking a typical customer shows the recommendation for that customer") {
    REQUIRE(c.click_item("start/chooser/profile:0"));
    const Recommendation r = recommend(chooser_profiles()[0].answers);
    const audit::Item* rec = c.item("start/chooser/recommendation");
    REQUIRE(rec);
    CHECK(rec->text == r.protocol);
    CHECK_FALSE(c.item("start/chooser/waiting"));
  }
  SECTION("answering one question, even with the answer already shown, shows it") {
    REQUIRE(c.click_widget("chooser/answer/always on"));
    CHECK(c.item("start/chooser/recommendation"));
    CHECK_FALSE(c.item("start/chooser/waiting"));
  }
}

TEST_CASE("the chosen typical customer is marked, the others are not", "[gui][chooser]") {
  Chooser c;
  const std::size_t n = chooser_profiles().size();
  REQUIRE(n >= 2);
  // Before anything is picked, the form's defaults (which match a profile) choose nobody.
  for (std::size_t k = 0; k < n; ++k) {
    const audit::Item* b = c.item("start/chooser/profile:" + std::to_string(k));
    REQUIRE(b);
    CHECK(b->kind == "button");
  }
  REQUIRE(c.click_item("start/chooser/profile:1"));
  for (std::size_t k = 0; k < n; ++k) {
    const audit::Item* b = c.item("start/chooser/profile:" + std::to_string(k));
    REQUIRE(b);
    const bool chosen = k == 1;
    CHECK(b->kind == (chosen ? "button-chosen" : "button"));
    // A check mark in front of the chosen one's label, none in front of the others.
    CHECK((b->text.rfind("\xef\x80\x8c ", 0) == 0) == chosen);
  }
}

TEST_CASE("Copy as text copies the recommendation written for the customer, and says so",
          "[gui][chooser]") {
  Chooser c;
  REQUIRE(c.click_item("start/chooser/profile:6"));  // Gmail on phone and laptop
  const Recommendation r = recommend(chooser_profiles()[6].answers);
  c.ui.status.clear();
  REQUIRE(c.click_item("start/chooser/copy"));
  const std::string copied = ImGui::GetClipboardText() ? ImGui::GetClipboardText() : "";
  CHECK(copied == format_recommendation_for_customer(r));
  CHECK_THAT(c.ui.status, Catch::StartsWith("Copied the recommendation"));
}

TEST_CASE("the customer's text has the answer, the provider's notes, the reasons and the "
          "settings, and nothing only Mailscope's users can use", "[chooser]") {
  for (const ChooserProfile& p : chooser_profiles()) {
    INFO(p.label);
    const Recommendation r = recommend(p.answers);
    const std::string t = format_recommendation_for_customer(r);
    CHECK_THAT(t, Catch::StartsWith("Our recommendation for your mailbox: " + r.protocol));
    for (const std::string& n : r.provider_notes) CHECK_THAT(t, Catch::Contains(n));
    for (const ChooserReason& x : r.why) {
      CHECK_THAT(t, Catch::Contains("- " + x.text + "\n"));
      CHECK_THAT(t, !Catch::Contains(x.lesson + "]"));
    }
    for (const std::string& s : r.settings) CHECK_THAT(t, Catch::Contains("- " + s + "\n"));
    CHECK_THAT(t, !Catch::Contains("mailscope"));
    CHECK_THAT(t, !Catch::Contains("See it happen"));
    CHECK_THAT(format_recommendation_for_customer(r, "https://example.org/?lesson=x&step=2"),
               Catch::EndsWith("\nSee it happen, step by step: "
                               "https://example.org/?lesson=x&step=2\n"));
  }
}

namespace {

// Where the cursor stands at the end of lesson step `step` (1-based), as a table cell opens it.
Tick step_end(const AppModel& m, int step) {
  const auto& steps = m.run.lesson.steps;
  if (step < static_cast<int>(steps.size()))
    return std::max(steps[static_cast<std::size_t>(step)].at - 1,
                    steps[static_cast<std::size_t>(step - 1)].at);
  return m.duration;
}

}  // namespace

TEST_CASE("Show me opens the proving lesson at the end of its deciding step, paused",
          "[gui][chooser]") {
  Chooser c;
  c.model.lessons_dir = MAILSCOPE_SOURCE_DIR "/lessons";
  // A customer on a slow link who reads offline: POP3, proven by the offline-access row.
  const std::size_t k = 3;
  const Recommendation r = recommend(chooser_profiles()[k].answers);
  REQUIRE(!r.why.empty());
  REQUIRE(c.click_item("start/chooser/profile:" + std::to_string(k)));

  // The lesson opened at the end of `step` (past its opening, where "Show me" used to start
  // playing), not playing.
  auto opens_at = [&](const std::string& lesson, int step) {
    CHECK(c.model.run.lesson.id == lesson);
    CHECK(step > 1);
    CHECK(c.ui.cursor == step_end(c.model, step));
    CHECK_FALSE(c.ui.playing);
  };
  SECTION("Show me why: the lesson that shows the point, at its decisive step") {
    REQUIRE(c.click_item("start/chooser/show-why"));
    CHECK(c.ui.open_lesson == r.demo_lesson);
    CHECK_FALSE(c.ui.open_play);
    REQUIRE(apply_open_lesson(c.model, c.ui));
    // limited-connectivity decides no table row; its lesson file names the decisive step.
    REQUIRE(r.demo_lesson == "limited-connectivity");
    REQUIRE(c.model.run.lesson.decisive_step >= 0);
    opens_at(r.demo_lesson, c.model.run.lesson.decisive_step + 1);
  }
  SECTION("Show me beside a row: that row's lesson, at the step its table cells link to") {
    const ChooserReason& why = r.why.back();
    REQUIRE(c.click_item("start/chooser/show-me:" + why.row));
    CHECK(c.ui.open_lesson == why.lesson);
    CHECK_FALSE(c.ui.open_play);
    REQUIRE(apply_open_lesson(c.model, c.ui));
    const auto decided = decide_row(why.row, c.model.run);
    REQUIRE(decided);
    opens_at(why.lesson, std::max(decided->imap.step, decided->pop3.step));
  }
}

TEST_CASE("the Export dialog is opaque: nothing behind it shows through", "[gui][export]") {
  headless_imgui(ImVec2(1280, 720));
  // The app's own style (gui/window.cpp) keeps Dear ImGui's dark popups, 94% opaque.
  ImGui::StyleColorsDark();
  AppModel m;
  UiState ui;
  ui.export_open = true;
  for (int i = 0; i < 3; ++i) {
    ImGui::NewFrame();
    draw_export(m, ui);
    ImGui::Render();
  }
  const ImGuiWindow* dialog = ImGui::FindWindowByName("Export");
  REQUIRE(dialog);
  REQUIRE(dialog->Active);
  // The first thing a window draws is its background.
  REQUIRE(dialog->DrawList->VtxBuffer.Size > 0);
  const ImU32 bg = dialog->DrawList->VtxBuffer[0].col;
  CHECK(((bg >> IM_COL32_A_SHIFT) & 0xFF) == 0xFF);
  ImGui::DestroyContext();
}

namespace ms {
std::string chooser_moment_link(const std::string& site, const Recommendation& r,
                                const std::string& lessons_dir);
}

TEST_CASE("Copy as text says Copied on the button, and with a site configured ends with the "
          "link to the lesson's deciding step, not a command line", "[gui][chooser]") {
  Chooser c;
  c.model.lessons_dir = std::string(MAILSCOPE_SOURCE_DIR) + "/lessons";
  ::setenv("MAILSCOPE_SITE_URL", "https://example.org/mailscope/", 1);
  REQUIRE(c.click_item("start/chooser/profile:6"));  // Gmail on phone and laptop
  const Recommendation r = recommend(chooser_profiles()[6].answers);
  REQUIRE(c.item("start/chooser/copy")->text == "Copy as text");
  REQUIRE(c.click_item("start/chooser/copy"));
  ::unsetenv("MAILSCOPE_SITE_URL");
  CHECK(c.item("start/chooser/copy")->text == "\xef\x80\x8c Copied");
  const std::string copied = ImGui::GetClipboardText() ? ImGui::GetClipboardText() : "";
  // The link: the proving lesson at the step "Show me why" opens, as the web build's URL
  // parameters name it.
  const std::string link = chooser_moment_link("https://example.org/mailscope/", r,
                                               c.model.lessons_dir);
  CHECK_THAT(link, Catch::StartsWith("https://example.org/mailscope/?lesson=" + r.demo_lesson +
                                     "&step="));
  CHECK(copied == format_recommendation_for_customer(r, link));
  CHECK_THAT(copied, Catch::EndsWith("\nSee it happen, step by step: " + link + "\n"));
  CHECK_THAT(copied, !Catch::Contains("mailscope-cli"));
  CHECK_THAT(copied, !Catch::Contains("--"));
  CHECK_THAT(c.ui.status, Catch::Contains("with the link to the lesson that shows it"));
  // Without a site there is no link, and no command line instead.
  CHECK(chooser_moment_link("", r, c.model.lessons_dir).empty());
}

TEST_CASE("the interface scales with the monitor's content scale, or else with the screen size",
          "[gui][scale]") {
  // A system that reports a content scale (a Hi-DPI desktop, a browser's pixel ratio) decides.
  CHECK(interface_scale(1.5f, 1920, 1080) == 1.5f);
  CHECK(interface_scale(2.0f, 1024, 768) == 2.0f);
  // Xvfb and many X desktops report 1.0: the framebuffer decides, 1 up to 1080p.
  CHECK(interface_scale(1.0f, 1024, 768) == 1.0f);
  CHECK(interface_scale(1.0f, 1280, 720) == 1.0f);
  CHECK(interface_scale(1.0f, 1920, 1080) == 1.0f);
  CHECK(interface_scale(1.0f, 3840, 2160) == 2.0f);
  // In quarter steps, by the smaller of the two ratios (a wide but short window stays small).
  CHECK(interface_scale(1.0f, 2560, 1440) == 1.25f);
  CHECK(interface_scale(1.0f, 3840, 1080) == 1.0f);
  CHECK(interface_scale(1.0f, 7680, 4320) == 4.0f);
}

TEST_CASE("text that ends in an ellipsis is a defect unless a hover shows all of it",
          "[gui][audit]") {
  std::vector<audit::Item> items = {
      {"text", "start/course/lesson:a", "3. Thunderbird and Apple M\xe2\x80\xa6", ImVec2(0, 0),
       ImVec2(100, 20), ImVec2(0, 0), ImVec2(400, 300), false, 17.0f, ""},
      {"text", "start/course/lesson:b", "4. Gmail\xe2\x80\xa6", ImVec2(0, 30), ImVec2(100, 50),
       ImVec2(0, 0), ImVec2(400, 300), false, 17.0f, "4. Gmail and POP3"},
      {"text", "table/export", "\xef\x80\x99 Export as HTML", ImVec2(300, 60), ImVec2(460, 80),
       ImVec2(0, 0), ImVec2(400, 300), false, 17.0f, ""}};
  const std::vector<audit::Defect> d = audit::find_defects(items);
  REQUIRE(d.size() == 2);
  CHECK(d[0].a == 0);
  CHECK(d[0].b == audit::kCutNoHover);
  // A label wider than its container is cut by it ("⬇ E").
  CHECK(d[1].a == 2);
  CHECK(d[1].b == audit::kClipped);
}
