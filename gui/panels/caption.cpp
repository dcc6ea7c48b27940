// Presenter mode's caption band: the step in force at the cursor (its number, title and
// narrative) in large type across the top of the screen, so that a class reads what the
// diagram below is showing, and the way out of presenter mode, never cut.
#include <algorithm>
#include <cfloat>
#include <string>

#include "audit.hpp"
#include "panels/panels.hpp"

namespace ms {

namespace {

const char* const kHint = "F11: leave presenter mode";

// The step in force at the cursor: the last one that has started (-1 before the first).
int current_step(const Lesson& l, Tick cursor) {
  int cur = -1;
  for (std::size_t i = 0; i < l.steps.size(); ++i)
    if (l.steps[i].at <= cursor) cur = static_cast<int>(i);
  return cur;
}

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

  const int cur = m.live.active ? -1 : current_step(l, ui.cursor);
  std::string title, narrative;
  if (m.live.active) {
    title = "Live: real mail clients and the simulated server";
  } else if (cur >= 0) {
    title = "Step " + std::to_string(cur + 1) + " of " + std::to_string(l.steps.size()) +
            "  \xc2\xb7  " + l.steps[cur].title;
    narrative = l.steps[cur].text;
  } else {
    title = l.title.empty() ? l.id : l.title;
    narrative = l.summary;
  }

  // The hint takes its own width at the right of the title line; the title wraps before it.
  const float inner_w = vp->WorkSize.x - st.WindowPadding.x * 2;
  const float hint_w = text_size(body, body_px, -1.0f, kHint).x;
  const float title_w = std::max(inner_w * 0.3f, inner_w - hint_w - st.ItemSpacing.x * 3);
  const ImVec2 title_sz = text_size(big, big_px, title_w, title);
  // The band takes at most 40% of the screen: a long narrative is set smaller until it fits.
  const float max_h = vp->WorkSize.y * 0.4f;
  const float fixed_h = st.WindowPadding.y * 2 + std::max(title_sz.y, body_px) + st.ItemSpacing.y;
  float narrative_scale = 1.0f;
  float narrative_h = text_size(body, body_px, inner_w, narrative).y;
  while (narrative_scale > 0.5f && fixed_h + narrative_h > max_h) {
    narrative_scale -= 0.05f;
    narrative_h = text_size(body, body_px * narrative_scale, inner_w, narrative).y;
  }
  const float band_h = std::min(std::max(fixed_h + narrative_h, fixed_h), std::max(max_h, fixed_h));
  set_caption_height(band_h);

  place_window(PanelSlot::Caption);
  ImGui::Begin("##caption", nullptr,
               ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                   ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoSavedSettings);
  const ImVec2 c0 = ImGui::GetWindowPos();
  const ImVec2 c1(c0.x + ImGui::GetWindowWidth(), c0.y + ImGui::GetWindowHeight());
  const ImVec2 origin = ImGui::GetCursorScreenPos();

  ImGui::PushFont(big);
  ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + title_w);
  ImGui::TextColored(ImVec4(0.98f, 0.80f, 0.35f, 1.0f), "%s", title.c_str());
  ImGui::PopTextWrapPos();
  ImGui::PopFont();
  const ImVec2 t0 = ImGui::GetItemRectMin(), t1 = ImGui::GetItemRectMax();
  if (audit::on()) audit::item("text", "caption/title", title, t0, t1, c0, c1);

  const ImVec2 h0(c1.x - st.WindowPadding.x - hint_w, origin.y);
  ImGui::GetWindowDrawList()->AddText(h0, ImGui::GetColorU32(ImGuiCol_TextDisabled), kHint);
  if (audit::on())
    audit::item("text", "caption/hint", kHint, h0, ImVec2(h0.x + hint_w, h0.y + body_px), c0, c1);

  if (!narrative.empty()) {
    ImGui::SetWindowFontScale(narrative_scale);
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextUnformatted(narrative.c_str());
    ImGui::PopTextWrapPos();
    ImGui::SetWindowFontScale(1.0f);
    if (audit::on())
      audit::item("text", "caption/narrative", narrative, ImGui::GetItemRectMin(),
                  ImGui::GetItemRectMax(), c0, c1);
  }
  ImGui::End();
}

}  // namespace ms
