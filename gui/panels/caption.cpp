// Presenter mode's caption band: the step in force at the cursor (its number, title and
// narrative) in large type across the top of the screen, so that a class reads what the
// diagram below is showing, and the way out of presenter mode, never cut.
#include <algorithm>
#include <cfloat>
#include <string>

#include "harness/audit.hpp"
#include "panels/panels.hpp"
#include "steps.hpp"

namespace ms {

namespace {

// What the keys do, on screen: they are the same in normal mode (gui/steps.hpp, nav_key).
const char* const kHint = "PageDown/Right: play next step \xc2\xb7 F11: leave";

ImVec2 text_size(ImFont* f, float size, float wrap, const std::string& s) {
  if (s.empty()) return ImVec2(0, 0);
  return f->CalcTextSizeA(size, FLT_MAX, wrap, s.c_str(), s.c_str() + s.size());
}

}  // namespace

void draw_caption(const AppModel& m, UiState& ui) {
  const Lesson& l = m.run.lesson;
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  const ImGuiStyle& st = ImGui::GetStyle();
  const float scale = ImGui::GetIO().FontGlobalScale;
  ImFont* body = ImGui::GetFont();
  ImFont* big = m.big ? m.big : body;
  const float body_px = body->FontSize * scale, big_px = big->FontSize * scale;

  const int cur = m.live.active ? -1 : step_at(l.steps, ui.cursor);
  std::string title, narrative;
  if (m.live.active) {
    title = "Live: real mail clients and the simulated server";
  } else if (cur >= 0) {
    title = "Step " + std::to_string(cur + 1) + " of " + std::to_string(l.steps.size()) +
            "  \xc2\xb7  " + l.steps[cur].title;
    narrative = l.steps[cur].text;
    if (ui.sandbox.active() && ui.sandbox.changes.step_changed(cur))
      narrative = "(Your change altered how this step ends; this tells the lesson as planned.) " +
                  narrative;
    // The last step shown to its end: the course goes on, and the clicker can take it there.
    const std::string next = m.course.next_after(l.id);
    const CourseLesson* nl = next.empty() ? nullptr : m.course.find(next);
    if (cur + 1 == static_cast<int>(l.steps.size()) && ui.cursor >= m.duration && nl)
      narrative += "\n\nNext lesson: " + nl->title + " (PageDown opens it)";
  } else {
    title = l.title.empty() ? l.id : l.title;
    narrative = l.summary;
  }

  // The hint takes at most 45% of the title line, at the right (set smaller when it would take
  // more); the title wraps before it.
  const float inner_w = vp->WorkSize.x - st.WindowPadding.x * 2;
  const float hint_full = text_size(body, body_px, -1.0f, kHint).x;
  const float hint_scale = std::min(1.0f, inner_w * 0.45f / std::max(1.0f, hint_full));
  const float hint_w = hint_full * hint_scale;
  const float title_w = inner_w - hint_w - st.ItemSpacing.x * 3;
  // The band takes at most 22% of the screen, so that the worlds keep the most of it: title
  // and narrative are set smaller together, down to 18 px text (times the interface scale);
  // a narrative still too long then ends in "…" at the band's foot, the whole of it on hover.
  const float max_h = vp->Size.y * 0.22f;
  const float min_k = std::min(1.0f, 18.0f * interface_scale() / std::max(1.0f, body_px));
  float k = 1.0f, band_h = 0.0f, title_h = 0.0f;
  auto narrative_h = [&](const std::string& s) {
    return s.empty() ? 0.0f : text_size(body, body_px * k, inner_w, s).y;
  };
  for (;; k = std::max(min_k, k - 0.05f)) {
    title_h = std::max(text_size(big, big_px * k, title_w, title).y, body_px * hint_scale);
    band_h = st.WindowPadding.y * 2 + title_h + st.ItemSpacing.y + narrative_h(narrative);
    if (band_h <= max_h || k <= min_k) break;
  }
  std::string shown = narrative;
  if (band_h > max_h && !narrative.empty()) {
    // The longest start of the narrative, cut at a space, that fits with its "…".
    const float room = max_h - (st.WindowPadding.y * 2 + title_h + st.ItemSpacing.y);
    std::size_t lo = 0, hi = narrative.size();
    while (lo < hi) {
      const std::size_t mid = (lo + hi + 1) / 2;
      if (narrative_h(narrative.substr(0, mid) + "\xe2\x80\xa6") <= room) lo = mid;
      else hi = mid - 1;
    }
    const std::size_t sp = narrative.rfind(' ', lo);
    shown = narrative.substr(0, sp == std::string::npos || sp == 0 ? lo : sp) + "\xe2\x80\xa6";
    band_h = st.WindowPadding.y * 2 + title_h + st.ItemSpacing.y + narrative_h(shown);
  }
  set_caption_height(band_h);

  place_window(PanelSlot::Caption);
  ImGui::Begin("##caption", nullptr,
               ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                   ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoSavedSettings);
  const ImVec2 c0 = ImGui::GetWindowPos();
  const ImVec2 c1(c0.x + ImGui::GetWindowWidth(), c0.y + ImGui::GetWindowHeight());
  const ImVec2 origin = ImGui::GetCursorScreenPos();

  ImGui::PushFont(big);
  ImGui::SetWindowFontScale(k);
  ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + title_w);
  ImGui::TextColored(ImVec4(0.98f, 0.80f, 0.35f, 1.0f), "%s", title.c_str());
  ImGui::PopTextWrapPos();
  ImGui::SetWindowFontScale(1.0f);
  ImGui::PopFont();
  if (audit::on())
    audit::item("text", "caption/title", title, ImGui::GetItemRectMin(), ImGui::GetItemRectMax(),
                c0, c1, big_px * k);

  const ImVec2 h0(c1.x - st.WindowPadding.x - hint_w, origin.y);
  ImGui::GetWindowDrawList()->AddText(body, body_px * hint_scale, h0,
                                      ImGui::GetColorU32(ImGuiCol_TextDisabled), kHint);
  if (audit::on())
    audit::item("text", "caption/hint", kHint, h0,
                ImVec2(h0.x + hint_w, h0.y + body_px * hint_scale), c0, c1);

  if (!shown.empty()) {
    ImGui::SetWindowFontScale(k);
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextUnformatted(shown.c_str());
    ImGui::PopTextWrapPos();
    ImGui::SetWindowFontScale(1.0f);
    const bool cut = shown != narrative;
    if (cut && ImGui::IsItemHovered()) {
      ImGui::BeginTooltip();
      ImGui::PushTextWrapPos(ImGui::GetFontSize() * 40.0f);
      ImGui::TextUnformatted(narrative.c_str());
      ImGui::PopTextWrapPos();
      ImGui::EndTooltip();
    }
    if (audit::on())
      audit::item("text", "caption/narrative", shown, ImGui::GetItemRectMin(),
                  ImGui::GetItemRectMax(), c0, c1, body_px * k, cut ? narrative : std::string());
  }
  ImGui::End();
}

}  // namespace ms
