// The main view: both worlds side by side. What each world shows at the cursor comes from
// view/world_scene (server, devices with their settings, links, units in flight) and where it
// goes from view/world_layout, computed from the panel's size; this file only draws that
// geometry with ImDrawList, adds hover tips and clicks, and reports every item to the layout
// audit. The HTML handout's SVG (export/worlds_svg) is drawn from the same geometry.
#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdio>
#include <string>

#include "harness/audit.hpp"
#include "icons.hpp"
#include "glossary.hpp"
#include "lesson/profiles.hpp"
#include "panels/panels.hpp"

namespace ms {

namespace {

ImFont* g_font = nullptr;  // regular text font
ImFont* g_big = nullptr;   // title font: sharper for large sizes

ImFont* font_for(float px) {
  return g_big && g_big != g_font && px > g_font->FontSize * 1.25f ? g_big : g_font;
}
float measure(std::string_view t, float px) {
  return font_for(px)->CalcTextSizeA(px, FLT_MAX, 0.0f, t.data(), t.data() + t.size()).x;
}

ImVec2 iv(view::Vec v) { return ImVec2(v.x, v.y); }
ImVec2 p0(const view::Rect& r) { return ImVec2(r.x0, r.y0); }
ImVec2 p1(const view::Rect& r) { return ImVec2(r.x1, r.y1); }

// px: the text's size (0: not text); full: the whole text a hover shows when it was shortened.
void report(const char* kind, const std::string& owner, const std::string& text,
            const view::Rect& r, const view::Rect& clip, float px = 0.0f,
            const std::string& full = std::string()) {
  if (audit::on()) audit::item(kind, owner, text, p0(r), p1(r), p0(clip), p1(clip), px, full);
}

ImU32 fade(ImU32 col, float a) {
  const unsigned alpha = static_cast<unsigned>(((col >> IM_COL32_A_SHIFT) & 0xFF) *
                                               std::clamp(a, 0.0f, 1.0f));
  return (col & ~IM_COL32_A_MASK) | (alpha << IM_COL32_A_SHIFT);
}

ImU32 ink(view::Ink k) {
  switch (k) {
    case view::Ink::Text: return look().text;
    case view::Ink::Dim: return look().dim;
    case view::Ink::Title: return look().text;
    case view::Ink::Broken: return look().broken;
    case view::Ink::Good: return IM_COL32(80, 210, 140, 255);
    case view::Ink::Accent: return look().fresh;
  }
  return look().text;
}

constexpr ImU32 kFlagInk = IM_COL32(235, 60, 60, 255);
constexpr ImU32 kPoppedInk = IM_COL32(204, 121, 167, 255);

ImU32 badge_color(Badge b) {
  // Okabe-Ito hues; the badge's text carries the meaning.
  switch (b) {
    case Badge::Server: return IM_COL32(200, 205, 215, 255);
    case Badge::InSync: return IM_COL32(0, 158, 115, 255);
    case Badge::Stale: return IM_COL32(240, 228, 66, 255);
    case Badge::OwnCopy: return IM_COL32(86, 180, 233, 255);
    case Badge::LocalOnly: return IM_COL32(204, 121, 167, 255);
    case Badge::Duplicate: return IM_COL32(230, 159, 0, 255);
    case Badge::Lost: return IM_COL32(213, 94, 0, 255);
  }
  return IM_COL32(200, 200, 200, 255);
}

const char* icon_glyph(const std::string& key) {
  if (key == "broken") return ICON_CHAIN_BROKEN;
  return kind_icon(key);
}

void dashed(ImDrawList* dl, ImVec2 a, ImVec2 b, ImU32 col, float thick, float dash = 10.0f) {
  const float len = std::hypot(b.x - a.x, b.y - a.y);
  const int n = std::max(1, static_cast<int>(len / dash));
  for (int i = 0; i < n; i += 2) {
    float t0 = static_cast<float>(i) / n, t1 = static_cast<float>(std::min(i + 1, n)) / n;
    dl->AddLine(ImVec2(a.x + (b.x - a.x) * t0, a.y + (b.y - a.y) * t0),
                ImVec2(a.x + (b.x - a.x) * t1, a.y + (b.y - a.y) * t1), col, thick);
  }
}

void dashed_rect(ImDrawList* dl, ImVec2 a, ImVec2 b, ImU32 col, float thick, float dash) {
  dashed(dl, a, ImVec2(b.x, a.y), col, thick, dash);
  dashed(dl, ImVec2(b.x, a.y), b, col, thick, dash);
  dashed(dl, b, ImVec2(a.x, b.y), col, thick, dash);
  dashed(dl, ImVec2(a.x, b.y), a, col, thick, dash);
}

// Plain words for a copy's flags: IMAP's names stay in the inspector.
std::string flag_words(const Flags& f) {
  std::string s = f.has(kSeen) ? "read" : "unread";
  if (f.has(kFlagged)) s += ", flagged";
  if (f.has(kDeleted)) s += ", deleted";
  return s;
}

// The mail app profile a device box's settings line starts with ("Thunderbird · leave on
// server 14 days"), the longest title first so that "Thunderbird for Android" wins.
const ms::ClientProfile* profile_in_line(const std::string& line) {
  const ms::ClientProfile* best = nullptr;
  try {
    for (const auto& p : ms::all_profiles())
      if (p.is_client() && line.rfind(p.title, 0) == 0 &&
          (line.size() == p.title.size() || line[p.title.size()] == ' ') &&
          (!best || p.title.size() > best->title.size()))
        best = &p;
  } catch (const std::exception&) {
    // No profiles file: the line is then just text (the lesson that named one could not load).
  }
  return best;
}

// Where a device's defaults come from, setting by setting: a sourced default and Mailscope's
// guess look the same on the box, and only one of them may be quoted to a customer.
void profile_tooltip(const ms::ClientProfile& p) {
  ImGui::BeginTooltip();
  ImGui::PushTextWrapPos(ImGui::GetFontSize() * 40.0f);
  ImGui::TextUnformatted(p.label().c_str());
  ImGui::TextDisabled("%zu of %zu settings have a source; \"unverified\": none was found",
                      p.verified_count(), p.settings.size());
  for (const auto& s : p.settings) {
    ImGui::Bullet();
    ImGui::Text("%s %s = %s", s.group.c_str(), s.name.c_str(), s.value.c_str());
    if (s.verified())
      ImGui::TextDisabled("    source: %s (checked: %s)", s.source.c_str(), s.checked.c_str());
    else
      ImGui::TextDisabled("    unverified%s%s", s.note.empty() ? "" : ": ", s.note.c_str());
  }
  ImGui::PopTextWrapPos();
  ImGui::EndTooltip();
}

void text_item(ImDrawList* dl, const view::TextItem& t, const view::Rect& clip, float alpha = 1) {
  float x = t.r.x0;
  if (!t.icon.empty()) {
    dl->AddText(font_for(t.size), t.size, ImVec2(x, t.r.y0), fade(ink(t.ink), alpha),
                icon_glyph(t.icon));
    x += t.size * 1.3f;
  }
  dl->AddText(font_for(t.size), t.size, ImVec2(x, t.r.y0), fade(ink(t.ink), alpha),
              t.text.c_str());
  report(t.kind.c_str(), t.owner, t.text, t.r, clip, t.size, t.full);
  // The whole text when it was shortened, and what its protocol words mean; on a device's
  // settings line, its mail app profile and the sources of its values.
  const bool hovered = t.tag < 0 && ImGui::IsWindowHovered() &&
                       ImGui::IsMouseHoveringRect(p0(t.r), p1(t.r));
  const ms::ClientProfile* profile =
      hovered && t.owner.find("/info:") != std::string::npos ? profile_in_line(t.text) : nullptr;
  if (profile)
    profile_tooltip(*profile);
  else if (hovered && (!t.full.empty() || !glossary().terms_in(t.text).empty()))
    tooltip_with_terms(t.full.empty() ? t.text : t.full);
}

// One envelope chip: filled = unread, outline = read, dashed = headers only, struck through =
// deleted, red corner = flagged, a bar along its foot = popped (Gmail). A copy removed within
// the animation window fades out in place; one just landed glows.
void chip(ImDrawList* dl, const WorldModel& w, int wi, UiState& ui, const view::Box& box,
          const view::Chip& e, const view::Rect& r, const std::string& folder) {
  const ImVec2 p = p0(r), q = p1(r);
  const float cw = r.w(), ch = r.h();
  const bool seen = e.flags.has(kSeen);
  const float a = e.ghost > 0 ? e.ghost * 0.6f : 1.0f;
  const ImU32 fill = fade(look().chip_fill, a), read = fade(look().chip_read, a);
  if (e.headers_only) dashed_rect(dl, p, q, seen ? read : fill, 1.5f, ch * 0.18f);
  else if (!seen) dl->AddRectFilled(p, q, fill, 3.0f);
  else dl->AddRect(p, q, read, 3.0f, 0, 1.5f);
  const bool solid = !seen && !e.headers_only;
  // The envelope flap makes it read as a letter.
  const ImU32 flap = solid ? fade(IM_COL32(120, 90, 20, 255), a) : seen ? read : fill;
  dl->AddLine(p, ImVec2(p.x + cw / 2, p.y + ch * 0.32f), flap);
  dl->AddLine(ImVec2(p.x + cw / 2, p.y + ch * 0.32f), ImVec2(q.x, p.y), flap);
  const float ls = ch * 0.62f;
  const float lw = measure(e.label, ls);
  dl->AddText(font_for(ls), ls, ImVec2(p.x + (cw - lw) / 2, q.y - ls - ch * 0.04f),
              solid ? fade(look().chip_ink, a) : seen ? read : fill, e.label.c_str());
  if (e.flags.has(kFlagged))
    dl->AddTriangleFilled(ImVec2(q.x - ch * 0.5f, p.y), ImVec2(q.x, p.y),
                          ImVec2(q.x, p.y + ch * 0.5f), fade(kFlagInk, a));
  if (e.flags.has(kDeleted))
    dl->AddLine(ImVec2(p.x - 2, q.y + 1), ImVec2(q.x + 2, p.y - 1), fade(look().broken, a), 2.5f);
  if (e.popped)
    dl->AddRectFilled(ImVec2(p.x + 2, q.y - ch * 0.16f), ImVec2(q.x - 2, q.y - 1), fade(kPoppedInk, a), 1.0f);
  if (e.ghost > 0) {
    dl->AddRect(ImVec2(p.x - 3, p.y - 3), ImVec2(q.x + 3, q.y + 3), fade(look().broken, e.ghost),
                4.0f, 0, 1.5f);
    return;
  }
  if (e.fresh > 0)
    dl->AddRect(ImVec2(p.x - 3, p.y - 3), ImVec2(q.x + 3, q.y + 3), fade(look().fresh, e.fresh),
                5.0f, 0, 3.0f);
  if (e.selected)
    dl->AddRect(ImVec2(p.x - 3, p.y - 3), ImVec2(q.x + 3, q.y + 3), look().select, 4.0f, 0, 2.5f);
  if (ImGui::IsWindowHovered() && ImGui::IsMouseHoveringRect(p, q)) {
    const auto& msgs = w.trace->messages();
    if (ImGui::IsMouseClicked(0)) {
      if (e.selected) {
        ui.selected_key.clear();
      } else if (e.msg > 0 && e.msg <= msgs.size()) {
        ui.selected_key = msgs[e.msg - 1].key;
        ui.selected_actor = box.actor;
        ui.selected_world = wi;
      }
    }
    ImGui::BeginTooltip();
    if (e.msg > 0 && e.msg <= msgs.size() && msgs[e.msg - 1].body) {
      const auto& b = *msgs[e.msg - 1].body;
      ImGui::Text("Message %s: %s", e.label.c_str(), b.subject.c_str());
      ImGui::TextDisabled("From: %s", b.from.c_str());
    }
    ImGui::Text("In %s on %s: %s, %s", folder.c_str(), box.name.c_str(), flag_words(e.flags).c_str(),
                format_bytes(e.size).c_str());
    if (e.headers_only) ImGui::Text("Headers only: the body is fetched when it is read.");
    if (e.popped)
      ImGui::Text("Popped: a POP3 client retrieved it, so Gmail no longer offers it over POP3.");
    ImGui::TextDisabled(e.selected ? "Click to clear the selection"
                                   : "Click to show every copy of this message");
    ImGui::EndTooltip();
  }
}

// A real client's latest commands up to the cursor (live mode: no store to show for it).
std::vector<std::string> live_client_lines(const WorldModel& w, std::uint16_t actor, int room) {
  const auto& recs = w.trace->records();
  auto end = std::lower_bound(w.lines.begin(), w.lines.end(), w.view.index,
                              [](const WireLine& l, std::size_t idx) { return l.rec < idx; });
  std::vector<std::string> mine;
  for (auto it = end; it != w.lines.begin() && static_cast<int>(mine.size()) < room &&
                      end - it < 400;) {
    --it;
    if (recs[it->rec].actor == actor) mine.push_back("C: " + std::string(w.line_text(*it)));
  }
  std::reverse(mine.begin(), mine.end());
  if (mine.empty()) mine.push_back("(no commands yet)");
  return mine;
}

// "IMAP, connected" / "IMAP, disconnected" for a real client at the cursor.
std::string live_state(const WorldModel& w, std::uint16_t actor) {
  const auto& recs = w.trace->records();
  Proto proto = Proto::None;
  for (std::size_t i = w.view.index; i-- > 0 && w.view.index - i < 4000;)
    if (recs[i].actor == actor && recs[i].kind == RecKind::Event) {
      proto = recs[i].proto;
      break;
    }
  const bool open = view::connected(w.index, actor, w.view.index);
  return std::string(proto == Proto::None ? "" : proto_name(proto)) +
         (proto == Proto::None ? "" : ", ") + (open ? "connected" : "disconnected");
}

view::Scene scene_of(const AppModel& m, const WorldModel& w, std::uint64_t scale) {
  view::SceneOptions o;
  o.title = w.title;
  o.selected = w.selected;
  o.scale_bytes = scale;
  if (!m.live.active && w.view.step >= 0 &&
      static_cast<std::size_t>(w.view.step) < m.run.lesson.steps.size()) {
    const Step& st = m.run.lesson.steps[w.view.step];
    o.focus = view::step_messages(st.title + " " + st.text);
  }
  o.before = &w.before;
  const Tick window = std::max<Tick>(1, m.anim_window);
  o.recency = [&w, window](std::uint16_t actor, const std::string& folder, std::uint32_t uid,
                           bool add) {
    const StoreChange::Op op = add ? StoreChange::Add : StoreChange::Remove;
    const auto& recs = w.trace->records();
    for (auto it = w.recent.rbegin(); it != w.recent.rend(); ++it)
      if ((it->op == op && it->uid == uid && it->actor == actor && recs[it->rec].folder == folder) ||
          (!add && it->op == StoreChange::Wipe && it->actor == actor))
        return 1.0f - static_cast<float>(w.view.t - it->t) / static_cast<float>(window);
    return 0.0f;
  };
  view::Scene sc = view::build_scene(*w.trace, w.index, w.view, o);
  // The selected message's copies: one line in each box that holds one, in plain words.
  auto box_of = [&](std::uint16_t actor) -> view::Box* {
    if (actor == sc.server.actor) return &sc.server;
    for (view::Box& b : sc.devices)
      if (b.actor == actor) return &b;
    return nullptr;
  };
  for (const CopyBadge& b : w.badges)
    if (view::Box* box = box_of(b.actor)) {
      const std::string label = w.selected < w.msg_label.size() ? w.msg_label[w.selected] : "?";
      box->badges.push_back({label + (b.folder == "INBOX" ? "" : " in " + b.folder) + ": " +
                                 badge_text(b.badge) + ", " + flag_words(b.flags),
                             static_cast<int>(b.badge), badge_explain(b.badge)});
    }
  if (m.live.active)
    for (view::Box& b : sc.devices)
      if (b.folders.empty() && b.info.empty()) {
        // A real mail client: its store is its own business, its commands are what it shows.
        b.lines = live_client_lines(w, b.actor, 5);
        b.empty_note.clear();
        const char* who = b.kind == "laptop" ? "simulated client, " : "real client, ";
        b.foot = who + live_state(w, b.actor);
      }
  return sc;
}

void draw_world(const AppModel& m, int wi, UiState& ui, const view::Scene& sc,
                const view::Layout& L) {
  const WorldModel& w = m.worlds[wi];
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const view::Rect& fr = L.frame;
  dl->AddRectFilled(p0(fr), p1(fr), look().world_bg, 6.0f);
  dl->AddRect(p0(fr), p1(fr), look().world_border, 6.0f);
  // px: the world's text size, which the audit compares across worlds (one scale for both).
  report("box", "worlds/" + sc.key, sc.title, fr, fr, L.fs);
  dl->PushClipRect(p0(fr), p1(fr), true);
  const ImU32 pc = proto_color(sc.proto);
  dl->AddRectFilled(p0(L.swatch), p1(L.swatch), pc, 2);

  // Links under everything.
  for (const view::LinkItem& k : L.links) {
    if (k.up) dl->AddLine(iv(k.a), iv(k.b), look().link, std::max(2.0f, L.fs * 0.12f));
    else dashed(dl, iv(k.a), iv(k.b), look().broken, std::max(2.0f, L.fs * 0.12f));
  }
  if (sc.internet) {
    const view::Rect& r = L.internet_icon;
    const float px = r.h();
    const float gw = measure(ICON_GLOBE, px);
    dl->AddText(font_for(px), px, ImVec2((r.x0 + r.x1 - gw) / 2, r.y0), look().dim, ICON_GLOBE);
    report("icon", "worlds/" + sc.key + "/internet", "internet", r, fr);
  }
  for (const view::BoxItem& b : L.boxes) {
    if (b.box < -1) continue;
    const view::Box& box = b.box < 0 ? sc.server : sc.devices[b.box];
    dl->AddRectFilled(p0(b.r), p1(b.r), look().box_bg, 6.0f);
    if (b.box < 0) dl->AddRect(p0(b.r), p1(b.r), pc, 6.0f, 0, 2.0f);
    else dl->AddRect(p0(b.r), p1(b.r), box.lost ? look().broken : look().box_border, 6.0f, 0,
                     box.lost ? 2.0f : 1.0f);
    report("box", b.owner, box.name, b.r, fr);
  }
  for (const view::BarItem& b : L.bars) {
    dl->AddRectFilled(p0(b.r), p1(b.r), IM_COL32(45, 50, 62, 255), 3.0f);
    if (b.frac > 0)
      dl->AddRectFilled(p0(b.r), ImVec2(b.r.x0 + b.r.w() * b.frac, b.r.y1), pc, 3.0f);
  }
  for (const view::ChipItem& c : L.chips) {
    const view::Box& box = c.box < 0 ? sc.server : sc.devices[c.box];
    const view::Folder& f = box.folders[c.folder];
    chip(dl, w, wi, ui, box, f.chips[c.chip], c.r, f.name);
    report("chip", c.owner, f.chips[c.chip].label, c.r, fr, c.r.h() * 0.62f);
  }
  for (const view::TextItem& t : L.texts) {
    if (t.tag >= 0) {
      // A selected copy's badge: its colour repeats what the words say.
      const ImU32 col = badge_color(static_cast<Badge>(t.tag));
      // The marker stands in the room the layout left before the words (badge_marker).
      const view::Rect mr = view::badge_marker(t);
      const ImVec2 b0(mr.x0, t.r.y0 - 1), b1(t.r.x1 + 2, t.r.y1 + 1);
      dl->AddRectFilled(b0, b1, fade(col, 0.25f), 3.0f);
      dl->AddRectFilled(p0(mr), p1(mr), col, 2.0f);
    }
    text_item(dl, t, fr);
  }
  const float lp_pad = L.fs * 0.35f;  // the layout's label padding
  for (const view::TextItem& t : L.link_labels) {
    const ImVec2 b0(t.r.x0 - lp_pad, t.r.y0 - lp_pad), b1(t.r.x1 + lp_pad, t.r.y1 + lp_pad);
    dl->AddRectFilled(b0, b1, look().world_bg, 4.0f);
    dl->AddRect(b0, b1, t.ink == view::Ink::Broken ? look().broken : look().world_border, 4.0f);
    text_item(dl, t, fr);
  }
  for (const view::LabelItem& l : L.labels) {
    const ImU32 col = fade(proto_color(l.proto, l.from_server), l.alpha);
    dl->AddCircleFilled(iv(l.dot), std::max(5.0f, L.fs * 0.3f), col);
    dl->AddRectFilled(p0(l.r), p1(l.r), col, 5.0f);
    dl->AddRect(p0(l.r), p1(l.r), fade(IM_COL32(255, 255, 255, 200), l.alpha), 5.0f);
    dl->AddText(font_for(l.size), l.size, ImVec2(l.r.x0 + lp_pad, l.r.y0 + lp_pad),
                fade(IM_COL32(15, 15, 20, 255), std::max(l.alpha, 0.8f)), l.text.c_str());
    report("label", l.owner, l.text, l.r, fr, l.size, l.full);
    if (ImGui::IsWindowHovered() && ImGui::IsMouseHoveringRect(p0(l.r), p1(l.r)))
      tooltip_with_terms(l.full.empty() ? l.text : l.full);
  }
  for (const view::TextItem& t : L.texts)
    if (t.tag >= 0 && ImGui::IsWindowHovered() && ImGui::IsMouseHoveringRect(p0(t.r), p1(t.r)))
      tooltip_with_terms(badge_explain(static_cast<Badge>(t.tag)), t.text);
  dl->PopClipRect();
  // The sandbox's menus open on the boxes (right-click).
  for (const view::BoxItem& b : L.boxes) {
    if (b.box == -1) sandbox_server_menu(m, wi, ui, p0(b.r), p1(b.r));
    else if (b.box >= 0) sandbox_device_menu(m, wi, sc.devices[b.box].actor, ui, p0(b.r), p1(b.r));
  }
}

// The legend: samples with their words, wrapping onto further lines. Returns the height used;
// draws (and reports to the audit) only when `draw`.
float legend(float fs, ImVec2 o, float width, bool draw, const view::Rect& clip) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  ImVec2 p = o;
  const float cw = fs * 1.41f, ch = fs * 1.06f;
  const float gap = fs * 1.1f, line = std::max(fs, ch) + 6;
  enum Sample { Swatch, None, Unread, Read, Flagged, Deleted, Headers, Popped, Dashed, Frame };
  int n = 0;
  auto item = [&](Sample k, ImU32 col, const char* text) {
    const float sw = k == Swatch ? fs * 1.2f : k == None ? 0 : k == Dashed ? fs * 2.1f : cw + 6;
    const float w = sw + measure(text, fs);
    if (p.x > o.x && p.x + w > o.x + width) p = ImVec2(o.x, p.y + line);
    if (draw) {
      const ImVec2 c0(p.x, p.y + 1), c1(p.x + cw, p.y + ch);
      switch (k) {
        case Swatch: dl->AddRectFilled(ImVec2(p.x, p.y + 3), ImVec2(p.x + fs * 0.9f, p.y + fs - 1), col, 3); break;
        case None: break;
        case Unread: dl->AddRectFilled(c0, c1, col, 3); break;
        case Read: dl->AddRect(c0, c1, col, 3, 0, 1.5f); break;
        case Flagged:
          dl->AddRect(c0, c1, look().chip_read, 3, 0, 1.5f);
          dl->AddTriangleFilled(ImVec2(c1.x - ch * 0.5f, c0.y), ImVec2(c1.x, c0.y),
                                ImVec2(c1.x, c0.y + ch * 0.5f), col);
          break;
        case Deleted:
          dl->AddRect(c0, c1, look().chip_read, 3, 0, 1.5f);
          dl->AddLine(ImVec2(c0.x - 2, c1.y + 1), ImVec2(c1.x + 2, c0.y), col, 2.5f);
          break;
        case Headers: dashed_rect(dl, c0, c1, col, 1.5f, ch * 0.18f); break;
        case Popped:
          dl->AddRect(c0, c1, look().chip_read, 3, 0, 1.5f);
          dl->AddRectFilled(ImVec2(c0.x + 2, c1.y - ch * 0.16f), ImVec2(c1.x - 2, c1.y - 1), col);
          break;
        case Dashed: dashed(dl, ImVec2(p.x, p.y + fs / 2), ImVec2(p.x + fs * 1.8f, p.y + fs / 2), col, 2); break;
        case Frame: dl->AddRect(c0, c1, col, 4, 0, 2.5f); break;
      }
      dl->AddText(font_for(fs), fs, ImVec2(p.x + sw, p.y), k == None ? look().dim : look().text, text);
      report("text", "worlds/legend/" + std::to_string(n), text,
             {p.x, p.y, p.x + w, p.y + std::max(fs, ch)}, clip, fs);
    }
    ++n;
    p.x += w + gap;
  };
  item(Swatch, proto_color(Proto::POP3), "POP3");
  item(Swatch, proto_color(Proto::IMAP), "IMAP");
  item(Swatch, proto_color(Proto::SMTP), "SMTP");
  item(None, 0, "C: what a client (device) sends");
  item(None, 0, "S: the server's answer");
  item(Unread, look().chip_fill, "unread");
  item(Read, look().chip_read, "read");
  item(Flagged, kFlagInk, "flagged");
  item(Deleted, look().broken, "deleted");
  item(Headers, look().chip_fill, "headers only");
  item(Popped, kPoppedInk, "popped (Gmail)");
  item(Dashed, look().broken, "link down");
  // Animation frames: a chip that just landed glows, one just removed fades out in place.
  item(Frame, look().fresh, "new");
  item(Frame, look().broken, "leaving");
  item(Frame, look().select, "selected");
  return p.y + line - o.y;
}

}  // namespace

void draw_worlds(const AppModel& m, UiState& ui) {
  place_window(PanelSlot::Worlds);
  ImGui::Begin("Worlds", nullptr,
               ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoMove |
                   ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoCollapse |
                   ImGuiWindowFlags_NoBringToFrontOnFocus);
  g_font = ImGui::GetFont();
  g_big = m.big ? m.big : g_font;
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const ImVec2 p = ImGui::GetCursorScreenPos();
  const view::Rect clip{p.x, p.y, p.x + avail.x, p.y + avail.y};
  // The legend's text follows the text size, never the diagram's zoom: it is read up close.
  // It stays small where height is short, and presenter mode on a short screen leaves it out
  // (a detail the class does not read from the back; the worlds get its room).
  const float ui_k = interface_scale();
  const float lfs = std::min(ImGui::GetFontSize() * 0.9f,
                             std::max(13.0f * ui_k, avail.y * 0.035f));
  const bool show_legend = !ui.presenter || avail.y >= 700.0f * ui_k;
  const float legend_h = show_legend ? legend(lfs, p, avail.x, false, clip) + 4 : 0.0f;
  // One storage scale for both worlds: the most either server ever held (or the quota).
  std::uint64_t scale = 1;
  for (const WorldModel& w : m.worlds)
    scale = std::max({scale, w.quota, w.index.max_server_bytes()});
  const int n = std::max<int>(1, static_cast<int>(m.worlds.size()));
  const float gap = 10.0f * ui_k;
  const float w = (avail.x - gap * (n - 1)) / n, h = avail.y - legend_h;
  std::vector<view::Scene> scenes;
  std::vector<const view::Scene*> scene_ptrs;
  std::vector<view::Rect> frames;
  scenes.reserve(m.worlds.size());
  for (int i = 0; i < static_cast<int>(m.worlds.size()); ++i) {
    scenes.push_back(scene_of(m, m.worlds[i], scale));
    const float x = p.x + i * (w + gap);
    frames.push_back({x, p.y, x + w, p.y + h});
  }
  for (const view::Scene& sc : scenes) scene_ptrs.push_back(&sc);
  view::LayoutParams lp;
  lp.font_px = ImGui::GetFontSize();
  // The panel's size in the interface's units: on a 4K screen drawn at 2x the text is already
  // twice as large, and the panel's own zoom must not double it again.
  lp.zoom = view::panel_zoom(w / ui_k, h / ui_k);
  lp.presenter = ui.presenter;
  // Presenter mode: no world text under 14 px (from the back of a room), times the interface
  // scale; elsewhere the text may come down to 13 px rather than cut the picture.
  lp.min_zoom = ui.presenter ? 14.0f * ui_k / (lp.font_px * view::kSmallestText)
                             : std::min(1.0f, 13.0f * ui_k / lp.font_px);
  lp.width = measure;
  // Both worlds at one zoom: the same box is the same size in both (layout_worlds).
  const std::vector<view::Layout> layouts = view::layout_worlds(scene_ptrs, frames, lp);
  for (int i = 0; i < static_cast<int>(m.worlds.size()); ++i)
    draw_world(m, i, ui, scenes[i], layouts[i]);
  if (show_legend) legend(lfs, ImVec2(p.x, p.y + avail.y - legend_h + 4), avail.x, true, clip);
  ImGui::End();
}

}  // namespace ms
