// Hover tips from assets/glossary.json, and the layout audit hook for the course's panels.
#include <algorithm>
#include <cfloat>
#include <string>
#include <string_view>

#include "glossary.hpp"
#include "view/world_layout.hpp"  // ellipsize
#include "panels/course_ui.hpp"
#include "panels/panels.hpp"
#if __has_include("harness/audit.hpp")
#include "harness/audit.hpp"
#define MS_HAVE_AUDIT 1
#endif

namespace ms {

namespace {

void term_lines(const std::vector<const GlossaryTerm*>& terms) {
  ImGui::PushTextWrapPos(ImGui::GetFontSize() * 28);
  for (const GlossaryTerm* t : terms) {
    ImGui::TextColored(ImVec4(0.98f, 0.80f, 0.35f, 1.0f), "%s", t->term.c_str());
    ImGui::SameLine();
    ImGui::TextUnformatted(t->text.c_str());
  }
  ImGui::PopTextWrapPos();
}

}  // namespace

bool glossary_tip(const std::string& text) {
  if (!ImGui::IsItemHovered()) return false;
  const std::vector<const GlossaryTerm*> terms = glossary().terms_in(text);
  if (terms.empty()) return false;
  ImGui::BeginTooltip();
  term_lines(terms);
  ImGui::EndTooltip();
  return true;
}

void glossary_terms(const std::string& text) {
  const std::vector<const GlossaryTerm*> terms = glossary().terms_in(text);
#ifdef MS_HAVE_AUDIT
  // For --hover's report: the terms a tip explains, as one-pixel items off the screen, each
  // its own clip and apart from the others, so never a layout defect.
  if (audit::on()) {
    float x = -2;
    for (const GlossaryTerm* t : terms) {
      const ImVec2 a(x, -2), b(x + 1, -1);
      audit::item("term", "tip/term:" + t->term, t->term, a, b, a, b);
      x -= 2;
    }
  }
#endif
  if (terms.empty()) return;
  ImGui::Separator();
  term_lines(terms);
}

void tooltip_with_terms(const std::string& shown, const std::string& more) {
  ImGui::BeginTooltip();
  ImGui::PushTextWrapPos(ImGui::GetFontSize() * 36);
  ImGui::TextUnformatted(shown.c_str());
  ImGui::PopTextWrapPos();
  glossary_terms(more.empty() ? shown : shown + "\n" + more);
  ImGui::EndTooltip();
}

void tip_text(const std::string& text, bool dim) {
  ImGui::PushTextWrapPos(0.0f);
  if (dim) ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  ImGui::TextUnformatted(text.c_str());
  if (dim) ImGui::PopStyleColor();
  ImGui::PopTextWrapPos();
  glossary_tip(text);
}

void audit_last(const char* kind, const std::string& owner, const std::string& text) {
#ifdef MS_HAVE_AUDIT
  if (!audit::on()) return;
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
  const ImVec2 c0 = dl->GetClipRectMin(), c1 = dl->GetClipRectMax();
  // A row of a scrolling list that lies past the list's edge is not cut text: the list scrolls
  // to it. Only the directions the window can scroll in are excused.
  const bool cut_x = a.x < c0.x || b.x > c1.x, cut_y = a.y < c0.y || b.y > c1.y;
  const bool scrolls_x = ImGui::GetScrollMaxX() > 0, scrolls_y = ImGui::GetScrollMaxY() > 0;
  if ((cut_x || cut_y) && (!cut_x || scrolls_x) && (!cut_y || scrolls_y)) return;
  audit::item(kind, owner, text, a, b, c0, c1);
#else
  (void)kind, (void)owner, (void)text;
#endif
}

std::string fit_text(const std::string& text, float max_w) {
  ImFont* f = ImGui::GetFont();
  const float px = ImGui::GetFontSize();
  return view::ellipsize(text, px, std::max(0.0f, max_w), [f](std::string_view t, float size) {
    return f->CalcTextSizeA(size, FLT_MAX, 0.0f, t.data(), t.data() + t.size()).x;
  });
}

void audit_label(const char* kind, const std::string& owner, const std::string& shown,
                 const std::string& full, float pad_x) {
#ifdef MS_HAVE_AUDIT
  if (!audit::on()) return;
  const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 d0 = dl->GetClipRectMin(), d1 = dl->GetClipRectMax();
  // Scrolled out of a scrolling list's view is not cut (audit_last says why).
  const bool out_y = a.y < d0.y || b.y > d1.y;
  if (out_y && ImGui::GetScrollMaxY() > 0) return;
  // The label at its own width: wider than its item, the item cuts it.
  const float tw = ImGui::CalcTextSize(shown.c_str(), nullptr, true).x;
  const ImVec2 t0(a.x + pad_x, a.y), t1(a.x + pad_x + tw, b.y);
  const ImVec2 c0(std::max(a.x, d0.x), std::max(a.y, d0.y)),
      c1(std::min(b.x, d1.x), std::min(b.y, d1.y));
  audit::item(kind, owner, shown, t0, t1, c0, c1, ImGui::GetFontSize(), full);
#else
  (void)kind, (void)owner, (void)shown, (void)full, (void)pad_x;
#endif
}

}  // namespace ms
