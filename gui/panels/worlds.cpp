// The main view: both worlds side by side, drawn with ImDrawList. Each world shows the server
// (folders, counts, storage bar), the devices with their local stores, the links between them
// and the protocol units in flight at the cursor.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "icons.hpp"
#include "panels/panels.hpp"

namespace ms {

namespace {

constexpr ImU32 kText = IM_COL32(235, 238, 245, 255);
constexpr ImU32 kDim = IM_COL32(160, 168, 185, 255);
constexpr ImU32 kBoxBg = IM_COL32(30, 35, 46, 255);
constexpr ImU32 kBoxBorder = IM_COL32(90, 100, 125, 255);
constexpr ImU32 kLink = IM_COL32(120, 130, 150, 255);
constexpr ImU32 kBroken = IM_COL32(220, 80, 80, 255);
constexpr ImU32 kChipFill = IM_COL32(250, 205, 90, 255);
constexpr ImU32 kChipRead = IM_COL32(200, 205, 215, 255);
constexpr int kMaxChips = 12;
constexpr float kChipW = 24.0f, kChipH = 18.0f;

struct Ctx {
  ImDrawList* dl;
  ImFont* font;
  ImFont* big;
  float fs;   // regular font size
  const WorldModel* w;
};

ImVec2 text_size(ImFont* f, float size, const std::string& s) {
  return f->CalcTextSizeA(size, 1e9f, 0.0f, s.c_str());
}

std::string truncate(std::string_view s, std::size_t n) {
  if (s.size() <= n) return std::string(s);
  return std::string(s.substr(0, n - 1)) + "\xe2\x80\xa6";  // …
}

// One envelope chip: filled = unread, outline = read (\Seen), struck through = \Deleted.
void chip(const Ctx& c, ImVec2 p, const ViewEntry& e) {
  const bool seen = e.flags.has(kSeen);
  const bool deleted = e.flags.has(kDeleted);
  const ImVec2 q(p.x + kChipW, p.y + kChipH);
  if (!seen) c.dl->AddRectFilled(p, q, kChipFill, 3.0f);
  else c.dl->AddRect(p, q, kChipRead, 3.0f, 0, 1.5f);
  // The envelope flap makes it read as a letter.
  c.dl->AddLine(p, ImVec2(p.x + kChipW / 2, p.y + kChipH * 0.32f), seen ? kChipRead : IM_COL32(120, 90, 20, 255));
  c.dl->AddLine(ImVec2(p.x + kChipW / 2, p.y + kChipH * 0.32f), ImVec2(q.x, p.y),
                seen ? kChipRead : IM_COL32(120, 90, 20, 255));
  const std::string& label = e.msg < c.w->msg_label.size() ? c.w->msg_label[e.msg] : "?";
  const float ls = c.fs * 0.72f;
  ImVec2 ts = text_size(c.font, ls, label);
  c.dl->AddText(c.font, ls, ImVec2(p.x + (kChipW - ts.x) / 2, q.y - ts.y),
                seen ? kChipRead : IM_COL32(40, 30, 10, 255), label.c_str());
  if (e.flags.has(kFlagged))
    c.dl->AddTriangleFilled(ImVec2(q.x - 7, p.y), ImVec2(q.x, p.y), ImVec2(q.x, p.y + 7),
                            IM_COL32(230, 60, 60, 255));
  if (deleted) c.dl->AddLine(ImVec2(p.x - 2, q.y + 1), ImVec2(q.x + 2, p.y - 1), kBroken, 2.5f);
  if (ImGui::IsMouseHoveringRect(p, q)) {
    const Trace& tr = *c.w->trace;
    ImGui::BeginTooltip();
    if (e.msg > 0 && e.msg <= tr.messages().size() && tr.messages()[e.msg - 1].body) {
      const auto& b = *tr.messages()[e.msg - 1].body;
      ImGui::Text("Message %s: %s", label.c_str(), b.subject.c_str());
      ImGui::TextDisabled("From: %s", b.from.c_str());
    }
    std::string fl = flags_to_imap(e.flags);
    ImGui::Text("UID %u, %s, flags: %s", e.uid, format_bytes(e.size).c_str(),
                fl.empty() ? "(none: unread)" : fl.c_str());
    ImGui::EndTooltip();
  }
}

// Folders of a store: each folder holding mail gets "INBOX 3" followed by its chips (wrapping);
// empty folders share one dim line so that small boxes stay readable. Returns the height used.
float folders(const Ctx& c, ImVec2 p, float width, const ViewStore& s, bool draw) {
  float y = p.y;
  const float row = std::max(c.fs, kChipH) + 4;
  std::string empty;
  for (const ViewFolder& f : s.folders) {
    if (f.entries.empty()) {
      empty += (empty.empty() ? "" : ", ") + f.name;
      continue;
    }
    char head[160];
    std::snprintf(head, sizeof head, "%s %zu", f.name.c_str(), f.entries.size());
    const float hw = text_size(c.font, c.fs, head).x + 8;
    if (draw) c.dl->AddText(c.font, c.fs, ImVec2(p.x, y + (row - 4 - c.fs) / 2), kText, head);
    // Chips start after the label; wrapped rows start under it.
    float x = p.x + hw;
    const int shown = std::min<int>(static_cast<int>(f.entries.size()), kMaxChips);
    for (int i = 0; i < shown; ++i) {
      if (x + kChipW > p.x + width) x = p.x + hw, y += row;
      if (draw) chip(c, ImVec2(x, y + (row - 4 - kChipH) / 2), f.entries[i]);
      x += kChipW + 4;
    }
    if (static_cast<int>(f.entries.size()) > kMaxChips) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "+%zu more", f.entries.size() - kMaxChips);
      const float mw = text_size(c.font, c.fs * 0.85f, buf).x;
      if (x + mw > p.x + width) x = p.x + hw, y += row;
      if (draw) c.dl->AddText(c.font, c.fs * 0.85f, ImVec2(x, y + 2), kDim, buf);
    }
    y += row;
  }
  if (!empty.empty() || s.folders.empty()) {
    std::string line = s.folders.empty() ? "(no folders)" : empty + ": empty";
    const float lw = width;
    if (draw) {
      ImVec2 pos(p.x, y);
      c.dl->AddText(c.font, c.fs * 0.85f, pos, kDim, line.c_str(), nullptr, lw);
    }
    y += c.font->CalcTextSizeA(c.fs * 0.85f, 1e9f, lw, line.c_str()).y + 2;
  }
  return y - p.y;
}

void dashed(ImDrawList* dl, ImVec2 a, ImVec2 b, ImU32 col, float thick) {
  const float len = std::hypot(b.x - a.x, b.y - a.y);
  const int n = std::max(1, static_cast<int>(len / 10.0f));
  for (int i = 0; i < n; i += 2) {
    float t0 = static_cast<float>(i) / n, t1 = static_cast<float>(std::min(i + 1, n)) / n;
    dl->AddLine(ImVec2(a.x + (b.x - a.x) * t0, a.y + (b.y - a.y) * t0),
                ImVec2(a.x + (b.x - a.x) * t1, a.y + (b.y - a.y) * t1), col, thick);
  }
}

ImVec2 lerp(ImVec2 a, ImVec2 b, float t) { return ImVec2(a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t); }

void draw_world(const WorldModel& w, ImVec2 p0, ImVec2 size, ImFont* big) {
  Ctx c{ImGui::GetWindowDrawList(), ImGui::GetFont(), big, ImGui::GetFontSize(), &w};
  ImDrawList* dl = c.dl;
  const ImVec2 p1(p0.x + size.x, p0.y + size.y);
  dl->AddRectFilled(p0, p1, IM_COL32(20, 23, 31, 255), 6.0f);
  dl->AddRect(p0, p1, IM_COL32(55, 62, 80, 255), 6.0f);
  dl->PushClipRect(p0, p1, true);
  const float bfs = big->FontSize * ImGui::GetIO().FontGlobalScale;
  const ImU32 pc = proto_color(w.proto);
  // Title with a protocol swatch: the word carries the meaning, the colour only repeats it.
  dl->AddRectFilled(ImVec2(p0.x + 12, p0.y + 14), ImVec2(p0.x + 24, p0.y + 14 + bfs - 6), pc, 2);
  dl->AddText(big, bfs, ImVec2(p0.x + 32, p0.y + 8), kText, w.title.c_str());

  const WorldView& v = w.view;
  auto store = [&](std::uint16_t id) -> const ViewStore* {
    return id < v.stores.size() ? &v.stores[id] : nullptr;
  };
  static const ViewStore kEmpty;

  // Server box, top centre.
  const ViewStore* ss = store(w.server);
  const ViewStore& srv = ss ? *ss : kEmpty;
  const float sw = std::min(340.0f, size.x * 0.55f);
  const ImVec2 sp(p0.x + (size.x - sw) / 2, p0.y + bfs + 24);
  const float inner = sw - 24;
  const float fh = folders(c, ImVec2(0, 0), inner, srv, false);
  const float sh = bfs + 14 + fh + 34;
  const ImVec2 sq(sp.x + sw, sp.y + sh);
  // Devices row below.
  std::vector<const ActorInfo*> devs;
  for (const ActorInfo& a : w.devices)
    if (a.added_at < v.index) devs.push_back(&a);
  const float gap = 14.0f;
  const int n = std::max<int>(1, static_cast<int>(devs.size()));
  const float dw = std::min(260.0f, (size.x - 24 - gap * (n - 1)) / n);
  const float row_w = dw * n + gap * (n - 1);
  const float dy = std::max(sq.y + 70, p0.y + size.y * 0.5f);
  std::vector<ImVec2> dpos;
  for (int i = 0; i < static_cast<int>(devs.size()); ++i)
    dpos.emplace_back(p0.x + (size.x - row_w) / 2 + i * (dw + gap), dy);

  // Internet, top-left, feeding the server.
  const ImVec2 inet(p0.x + 60, sp.y + sh * 0.5f);
  const ImVec2 srv_left(sp.x, sp.y + sh * 0.5f);
  auto anchor = [&](std::uint16_t actor, ImVec2& out) {
    if (actor == w.server) return false;
    if (w.internet >= 0 && actor == w.internet) { out = inet; return true; }
    for (std::size_t i = 0; i < devs.size(); ++i)
      if (devs[i]->id == actor) { out = ImVec2(dpos[i].x + dw / 2, dpos[i].y); return true; }
    return false;
  };
  auto server_end = [&](std::uint16_t actor) {
    if (w.internet >= 0 && actor == w.internet) return srv_left;
    for (std::size_t i = 0; i < devs.size(); ++i)
      if (devs[i]->id == actor) {
        // Spread the link ends along the server's bottom edge so links do not overlap.
        float t = devs.size() == 1 ? 0.5f : 0.2f + 0.6f * i / (devs.size() - 1);
        return ImVec2(sp.x + sw * t, sq.y);
      }
    return ImVec2(sp.x + sw / 2, sq.y);
  };

  // Links first (under the boxes).
  if (w.internet >= 0) dl->AddLine(ImVec2(inet.x + 22, inet.y), srv_left, kLink, 2.0f);
  for (std::size_t i = 0; i < devs.size(); ++i) {
    const ViewStore* ds = store(devs[i]->id);
    const bool up = !ds || (ds->online && !ds->lost);
    ImVec2 a = server_end(devs[i]->id), b(dpos[i].x + dw / 2, dpos[i].y);
    if (up) {
      dl->AddLine(a, b, kLink, 2.0f);
    } else {
      dashed(dl, a, b, kBroken, 2.0f);
      ImVec2 m = lerp(a, b, 0.5f);
      dl->AddCircleFilled(m, c.fs * 0.9f, IM_COL32(20, 23, 31, 255));
      ImVec2 ts = text_size(c.font, c.fs, ICON_CHAIN_BROKEN);
      dl->AddText(c.font, c.fs, ImVec2(m.x - ts.x / 2, m.y - ts.y / 2), kBroken, ICON_CHAIN_BROKEN);
    }
  }

  // Internet actor.
  if (w.internet >= 0) {
    ImVec2 ts = text_size(big, bfs * 1.2f, ICON_GLOBE);
    dl->AddText(big, bfs * 1.2f, ImVec2(inet.x - ts.x / 2, inet.y - ts.y / 2), kDim, ICON_GLOBE);
    ImVec2 ls = text_size(c.font, c.fs, "internet");
    dl->AddText(c.font, c.fs, ImVec2(inet.x - ls.x / 2, inet.y + ts.y / 2 + 2), kDim, "internet");
  }

  // Server box.
  dl->AddRectFilled(sp, sq, kBoxBg, 6.0f);
  dl->AddRect(sp, sq, pc, 6.0f, 0, 2.0f);
  std::string head = std::string(ICON_SERVER "  ") + "mail.example.com";
  dl->AddText(big, bfs * 0.8f, ImVec2(sp.x + 12, sp.y + 8), kText, head.c_str());
  folders(c, ImVec2(sp.x + 12, sp.y + bfs + 10), inner, srv, true);
  {
    // Storage bar: how much the server holds, against the most it ever held (or the quota).
    const float by = sq.y - 26;
    const ImVec2 b0(sp.x + 12, by), b1(sp.x + 12 + inner * 0.55f, by + 14);
    const float frac = std::clamp(static_cast<float>(srv.bytes) / w.max_server_bytes, 0.0f, 1.0f);
    dl->AddRectFilled(b0, b1, IM_COL32(45, 50, 62, 255), 3.0f);
    if (frac > 0) dl->AddRectFilled(b0, ImVec2(b0.x + (b1.x - b0.x) * frac, b1.y), pc, 3.0f);
    std::string st = format_bytes(srv.bytes) + " stored";
    dl->AddText(c.font, c.fs * 0.9f, ImVec2(b1.x + 8, by - 1), kDim, st.c_str());
  }

  // Devices: one height for the row, enough for the fullest store, never past the frame.
  float dev_h = 110.0f;
  const float head_h = bfs * 0.8f + 10 + c.fs + 4;
  for (const ActorInfo* a : devs) {
    const ViewStore* ds = store(a->id);
    dev_h = std::max(dev_h, head_h + (ds ? folders(c, ImVec2(0, 0), dw - 20, *ds, false) : 0) +
                                c.fs + 14);
  }
  dev_h = std::min(dev_h, std::max(size.y - (dy - p0.y) - 12, 60.0f));
  for (std::size_t i = 0; i < devs.size(); ++i) {
    const ActorInfo& a = *devs[i];
    const ViewStore* ds = store(a.id);
    const ViewStore& s = ds ? *ds : kEmpty;
    const ImVec2 q0 = dpos[i];
    const float h = dev_h;
    const ImVec2 q1(q0.x + dw, q0.y + h);
    const bool lost = s.lost, offline = !s.online;
    dl->AddRectFilled(q0, q1, kBoxBg, 6.0f);
    dl->AddRect(q0, q1, lost ? kBroken : kBoxBorder, 6.0f, 0, lost ? 2.0f : 1.0f);
    std::string name = std::string(kind_icon(a.kind)) + "  " + a.name;
    dl->PushClipRect(q0, q1, true);
    dl->AddText(big, bfs * 0.8f, ImVec2(q0.x + 10, q0.y + 6), kText, name.c_str());
    float y = q0.y + bfs * 0.8f + 10;
    if (lost || offline) {
      std::string st = std::string(ICON_CHAIN_BROKEN " ") + (lost ? "lost" : "offline");
      dl->AddText(c.font, c.fs, ImVec2(q0.x + 10, y), kBroken, st.c_str());
      y += c.fs + 4;
    }
    float used = folders(c, ImVec2(q0.x + 10, y), dw - 20, s, true);
    (void)used;
    std::string bytes = format_bytes(s.bytes) + " on device";
    dl->AddText(c.font, c.fs * 0.9f, ImVec2(q0.x + 10, q1.y - c.fs - 6), kDim, bytes.c_str());
    dl->PopClipRect();
  }

  // Packets in flight: wire units with t <= cursor < t_end, moving from actor to peer.
  const auto& recs = w.trace->records();
  int stacked = 0;
  for (std::size_t i = v.index; i-- > 0;) {
    const Record& r = recs[i];
    if (v.index - i > 256) break;  // wire units are short: far-back records cannot be in flight
    if (r.kind != RecKind::Wire || r.t_end <= v.t || r.t > v.t) continue;
    const bool from_server = r.actor == w.server;
    const std::uint16_t other = from_server ? r.peer : r.actor;
    ImVec2 dev;
    if (!anchor(other, dev)) continue;
    ImVec2 se = server_end(other);
    ImVec2 from = from_server ? se : dev, to = from_server ? dev : se;
    const float f = std::clamp(static_cast<float>(v.t - r.t) / std::max<Tick>(1, r.t_end - r.t),
                               0.0f, 1.0f);
    ImVec2 p = lerp(from, to, f);
    std::string_view first = r.text;
    first = first.substr(0, first.find_first_of("\r\n"));
    std::string label = std::string(from_server ? "S: " : "C: ") + truncate(first, 34);
    const ImU32 col = proto_color(r.proto, from_server);
    ImVec2 ts = text_size(c.font, c.fs, label);
    // Keep the label inside the world's frame; the dot marks the exact position on the link.
    const float bx = std::clamp(p.x - ts.x / 2 - 8, p0.x + 4, std::max(p0.x + 4, p1.x - ts.x - 20));
    ImVec2 b0(bx, p.y - ts.y / 2 - 4 + stacked * (ts.y + 10));
    ImVec2 b1(b0.x + ts.x + 16, b0.y + ts.y + 8);
    dl->AddCircleFilled(p, 6.0f, col);
    dl->AddRectFilled(b0, b1, col, 5.0f);
    dl->AddRect(b0, b1, IM_COL32(255, 255, 255, 200), 5.0f);
    dl->AddText(c.font, c.fs, ImVec2(b0.x + 8, b0.y + 4), IM_COL32(15, 15, 20, 255), label.c_str());
    stacked = (stacked + 1) % 3;
  }
  dl->PopClipRect();
}

void legend(ImFont* font, float fs) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  ImVec2 p = ImGui::GetCursorScreenPos();
  auto swatch = [&](ImU32 col, const char* text) {
    dl->AddRectFilled(ImVec2(p.x, p.y + 3), ImVec2(p.x + 16, p.y + fs - 1), col, 3.0f);
    dl->AddText(font, fs, ImVec2(p.x + 22, p.y), kText, text);
    p.x += 30 + font->CalcTextSizeA(fs, 1e9f, 0, text).x;
  };
  swatch(proto_color(Proto::POP3), "POP3");
  swatch(proto_color(Proto::IMAP), "IMAP");
  swatch(proto_color(Proto::SMTP), "SMTP");
  const char* dir = "C: client\xe2\x86\x92" "server  S: server\xe2\x86\x92" "client (lighter)";
  dl->AddText(font, fs, p, kDim, dir);
  p.x += font->CalcTextSizeA(fs, 1e9f, 0, dir).x + 20;
  dl->AddRectFilled(ImVec2(p.x, p.y + 2), ImVec2(p.x + kChipW, p.y + 2 + kChipH - 2), kChipFill, 3);
  dl->AddText(font, fs, ImVec2(p.x + kChipW + 6, p.y), kText, "unread");
  p.x += kChipW + 72;
  dl->AddRect(ImVec2(p.x, p.y + 2), ImVec2(p.x + kChipW, p.y + 2 + kChipH - 2), kChipRead, 3, 0, 1.5f);
  dl->AddText(font, fs, ImVec2(p.x + kChipW + 6, p.y), kText, "read");
  p.x += kChipW + 56;
  dl->AddRect(ImVec2(p.x, p.y + 2), ImVec2(p.x + kChipW, p.y + 2 + kChipH - 2), kChipRead, 3, 0, 1.5f);
  dl->AddLine(ImVec2(p.x - 2, p.y + kChipH + 1), ImVec2(p.x + kChipW + 2, p.y + 1), kBroken, 2.5f);
  dl->AddText(font, fs, ImVec2(p.x + kChipW + 6, p.y), kText, "\\Deleted");
  p.x += kChipW + 84;
  dashed(dl, ImVec2(p.x, p.y + fs / 2), ImVec2(p.x + 30, p.y + fs / 2), kBroken, 2.0f);
  dl->AddText(font, fs, ImVec2(p.x + 36, p.y), kText, "link down");
  ImGui::Dummy(ImVec2(10, fs + 2));
}

}  // namespace

void draw_worlds(const AppModel& m, UiState& ui) {
  (void)ui;
  place_window(PanelSlot::Worlds);
  ImGui::Begin("Worlds", nullptr,
               ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoMove |
                   ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoCollapse |
                   ImGuiWindowFlags_NoBringToFrontOnFocus);
  ImFont* big = m.big ? m.big : ImGui::GetFont();
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float legend_h = ImGui::GetFontSize() + 10;
  const ImVec2 p = ImGui::GetCursorScreenPos();
  const int n = std::max<int>(1, static_cast<int>(m.worlds.size()));
  const float gap = 10.0f;
  const float w = (avail.x - gap * (n - 1)) / n;
  for (int i = 0; i < static_cast<int>(m.worlds.size()); ++i)
    draw_world(m.worlds[i], ImVec2(p.x + i * (w + gap), p.y), ImVec2(w, avail.y - legend_h), big);
  ImGui::SetCursorScreenPos(ImVec2(p.x, p.y + avail.y - legend_h + 6));
  legend(ImGui::GetFont(), ImGui::GetFontSize());
  ImGui::End();
}

}  // namespace ms
