// Where named widgets were drawn (gui/harness/widget_rects.hpp), which the browser test clicks:
// only while recording, and only for the frame that drew them, so that a closed menu's item is not
// clicked where it used to be.
#include <catch2/catch.hpp>

#include "imgui.h"
#include "harness/widget_rects.hpp"

using namespace ms::widgets;

namespace {

// One frame of a window at (10, 20) holding an "OK" button named "w/ok" when `button`.
void frame(bool button) {
  ImGui::NewFrame();
  ImGui::SetNextWindowPos(ImVec2(10, 20));
  ImGui::Begin("w");
  if (button) {
    ImGui::Button("OK");
    mark("w/ok");
  }
  ImGui::End();
  ImGui::Render();
}

}  // namespace

TEST_CASE("a named widget is found where the last frame drew it and only then", "[gui]") {
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;
  io.DisplaySize = ImVec2(800, 600);
  unsigned char* pixels = nullptr;
  int w = 0, h = 0;
  io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);

  frame(true);
  CHECK_FALSE(find("w/ok"));  // nobody asked: nothing recorded
  record(true);
  frame(true);
  const auto r = find("w/ok");
  REQUIRE(r);
  CHECK(r->x0 >= 10);
  CHECK(r->y0 >= 20);
  CHECK(r->x1 > r->x0);
  CHECK(r->y1 > r->y0);
  CHECK_FALSE(find("w/cancel"));
  frame(false);
  CHECK_FALSE(find("w/ok"));  // drawn in an earlier frame only
  record(false);
  frame(true);
  CHECK_FALSE(find("w/ok"));

  ImGui::DestroyContext();
}
