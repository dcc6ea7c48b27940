#include "view/world_layout.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>

namespace ms::view {

namespace {

constexpr const char* kEllipsis = "\xe2\x80\xa6";  // …

// Every size is a multiple of the text size `fs`.
struct Metrics {
  float fs, pad, gap, title, head, info, status, folder, chip_label, small, packet, cw, ch, cgap;
  explicit Metrics(float f)
      : fs(f), pad(0.6f * f), gap(0.25f * f), title(1.3f * f), head(1.05f * f), info(0.8f * f),
        status(0.85f * f), folder(0.9f * f), chip_label(0.75f * f), small(0.8f * f),
        packet(0.85f * f), cw(1.75f * f), ch(1.2f * f), cgap(0.3f * f) {}
};

Vec lerp(Vec a, Vec b, float t) { return {a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t}; }

Rect unite(const Rect& a, const Rect& b) {
  if (a.w() <= 0 && a.h() <= 0) return b;
  return {std::min(a.x0, b.x0), std::min(a.y0, b.y0), std::max(a.x1, b.x1), std::max(a.y1, b.y1)};
}

// Splits `s` into pieces at each `sep` (the separator stays with the piece before it).
std::vector<std::string> pieces(const std::string& s, const std::string& sep) {
  std::vector<std::string> out;
  std::size_t from = 0;
  while (from < s.size()) {
    std::size_t at = s.find(sep, from);
    if (at == std::string::npos) {
      out.push_back(s.substr(from));
      break;
    }
    out.push_back(s.substr(from, at + sep.size() - from));
    from = at + sep.size();
  }
  return out;
}

// Greedy line filling of `parts` (each kept whole unless wider than a line, then shortened).
std::vector<std::string> wrap(const std::vector<std::string>& parts, float px, float max_w,
                              const Measure& width) {
  std::vector<std::string> lines;
  std::string cur;
  for (const std::string& p : parts) {
    std::string t = cur + p;
    // Trailing separators do not count against the width.
    std::string trimmed = t;
    while (!trimmed.empty() && (trimmed.back() == ' ' || trimmed.back() == ',')) trimmed.pop_back();
    if (cur.empty() || width(trimmed, px) <= max_w) {
      cur = t;
    } else {
      lines.push_back(cur);
      cur = p;
    }
  }
  if (!cur.empty()) lines.push_back(cur);
  for (std::string& l : lines) {
    while (!l.empty() && (l.back() == ' ')) l.pop_back();
    if (l.size() >= 2 && l.compare(l.size() - 2, 2, " \xc2\xb7") == 0) l.resize(l.size() - 2);
  }
  return lines;
}

struct Builder {
  const Scene& s;
  const LayoutParams& p;
  Metrics m;
  Layout* out;  // null while only measuring
  int rows_cap;
  // How hard to save height: 1 drops "…: empty" lists, 2 puts a box's policies on one line,
  // 3 puts the storage and wire counts on one line, 4 drops the policies (the link and its
  // labels keep less room too), 5 drops the storage and wire lines (presenter mode's last
  // resort: a box cut by the panel's edge would lose more).
  int compact = 0;

  float w(const std::string& t, float px) const { return p.width(t, px); }

  void text(const std::string& owner, float x, float y, float max_w, const std::string& t,
            float px, Ink ink, const std::string& icon = "", int tag = -1,
            const char* kind = "text") {
    if (!out) return;
    const float iw = icon.empty() ? 0.0f : px * 1.3f;
    TextItem it;
    it.text = ellipsize(t, px, std::max(0.0f, max_w - iw), p.width);
    if (it.text != t) it.full = t;
    it.r = {x, y, x + iw + w(it.text, px), y + px};
    it.size = px;
    it.ink = ink;
    it.icon = icon;
    it.tag = tag;
    it.kind = kind;
    it.owner = owner;
    out->texts.push_back(std::move(it));
  }

  // Lays out one box's content from (x, y), `bw` wide. `box_h` > 0 puts the storage and wire
  // lines at the box's foot. Returns the height the box needs.
  float box(const Box& b, int bi, const std::string& owner, float x, float y, float bw,
            float box_h) {
    const float bp = m.pad * 0.8f, ix = x + bp, iw = std::max(1.0f, bw - 2 * bp);
    float cy = y + bp;
    text(owner + "/name", ix, cy, iw, b.name, m.head, Ink::Title, b.kind);
    cy += m.head + m.gap * 1.5f;
    if (!b.info.empty() && compact < 4) {
      std::vector<std::string> parts;
      for (std::size_t i = 0; i < b.info.size(); ++i)
        parts.push_back(b.info[i] + (i + 1 < b.info.size() ? " \xc2\xb7 " : ""));
      int k = 0;
      std::vector<std::string> lines = wrap(parts, m.info, iw, p.width);
      if (compact >= 2 && lines.size() > 1) {
        std::string one;
        for (const std::string& x : parts) one += x;
        lines.assign(1, one);
      }
      for (const std::string& line : lines) {
        text(owner + "/info:" + std::to_string(k++), ix, cy, iw, line, m.info, Ink::Dim);
        cy += m.info + m.gap;
      }
    }
    if (!b.status.empty()) {
      const Ink ink = b.lost || !b.online ? Ink::Broken : b.push ? Ink::Good : Ink::Text;
      text(owner + "/status", ix, cy, iw, b.status, m.status, ink,
           b.lost || !b.online ? "broken" : "");
      cy += m.status + m.gap;
    }
    for (std::size_t k = 0; k < b.badges.size(); ++k) {
      const float mk = badge_marker_room(m.small);
      text(owner + "/badge:" + std::to_string(k), ix + mk, cy, iw - mk, b.badges[k].text,
           m.small, Ink::Text, "", b.badges[k].badge, "badge");
      cy += m.small + m.gap * 2;
    }
    for (std::size_t k = 0; k < b.lines.size(); ++k) {
      text(owner + "/line:" + std::to_string(k), ix, cy, iw, b.lines[k], m.small, Ink::Dim);
      cy += m.small + m.gap;
    }
    cy += m.gap;
    for (std::size_t fi = 0; fi < b.folders.size(); ++fi)
      cy = folder(b, bi, static_cast<int>(fi), owner, ix, cy, iw);
    if (!b.empty_note.empty() && (compact < 1 || b.empty_note.rfind("online-only", 0) == 0)) {
      int k = 0;
      // A list of folders breaks between folders; a sentence between words.
      const bool list = b.empty_note.find(", ") != std::string::npos ||
                        b.empty_note.rfind(": empty") + 7 == b.empty_note.size();
      for (const std::string& line :
           wrap(pieces(b.empty_note, list ? ", " : " "), m.small, iw, p.width)) {
        text(owner + "/empty:" + std::to_string(k++), ix, cy, iw, line, m.small, Ink::Dim);
        cy += m.small + m.gap;
      }
    }
    // Foot: storage bar and its words, then the bytes on the wire.
    if (compact >= 5) return cy + bp - y;
    const float foot_h = foot(b, owner, ix, 0, iw, false);
    float fy = cy + m.gap;
    if (box_h > 0) fy = std::max(fy, y + box_h - bp - foot_h);
    foot(b, owner, ix, fy, iw, true);
    return fy + foot_h + bp - y;
  }

  float foot(const Box& b, const std::string& owner, float ix, float y, float iw, bool draw) {
    float cy = y;
    if (!b.foot.empty()) {
      if (draw) text(owner + "/foot", ix, cy, iw, b.foot, m.small, Ink::Dim);
      return m.small + m.gap;
    }
    const float bar_w = std::min(iw * 0.45f, 7.0f * m.fs), bar_h = m.small * 0.7f;
    std::string words = bytes_text(b.bytes) + " stored";
    if (b.kind == "server") words += " (bar: " + bytes_text(s.scale_bytes) + ")";
    const std::string wire = "wire \xe2\x86\x91 " + bytes_text(b.sent) + "  \xe2\x86\x93 " +
                             bytes_text(b.received);
    bool one_line = false;
    if (compact >= 3) {
      words = bytes_text(b.bytes);
      if (b.show_wire) {
        one_line = bar_w + m.gap * 2 + w(words + "  " + wire, m.small) <= iw;
        if (one_line) words += "  " + wire;
      }
    }
    const float tw = w(words, m.small);
    const bool beside = bar_w + m.gap * 2 + tw <= iw;
    if (draw && out) {
      const float frac = std::clamp(static_cast<float>(b.bytes) /
                                        static_cast<float>(std::max<std::uint64_t>(1, s.scale_bytes)),
                                    0.0f, 1.0f);
      const float by = cy + (m.small - bar_h) / 2;
      out->bars.push_back({{ix, by, ix + bar_w, by + bar_h}, frac, owner + "/bar"});
      if (beside) text(owner + "/stored", ix + bar_w + m.gap * 2, cy, iw - bar_w - m.gap * 2,
                       words, m.small, Ink::Dim);
      else text(owner + "/stored", ix, cy + m.small + m.gap, iw, words, m.small, Ink::Dim);
    }
    cy += (beside ? 1 : 2) * (m.small + m.gap);
    if (b.show_wire && !one_line) {
      if (draw) text(owner + "/wire", ix, cy, iw, wire, m.small, Ink::Dim);
      cy += m.small + m.gap;
    }
    return cy - y;
  }

  // A folder: "INBOX 3" then its chips, wrapping under the first chip. When more chips than
  // `rows_cap` rows hold, the most relevant stay (in arrival order) and "+N more" ends the list.
  float folder(const Box& b, int bi, int fi, const std::string& owner, float ix, float y,
               float iw) {
    const Folder& f = b.folders[fi];
    const std::string head = f.name + " " + std::to_string(f.count);
    const float hw = w(head, m.folder) + m.gap * 2;
    const float row = std::max(m.ch, m.folder) + m.cgap;
    // Chips beside the head when that leaves room for three of them, else under it.
    const bool inline_chips = hw + 3 * (m.cw + m.cgap) <= iw;
    const float cx0 = inline_chips ? ix + hw : ix;
    const int per_row =
        std::max(1, static_cast<int>((iw - (cx0 - ix) + m.cgap) / (m.cw + m.cgap)));
    const int n = static_cast<int>(f.chips.size());
    const int cap = per_row * rows_cap;
    std::vector<int> keep(n);
    std::iota(keep.begin(), keep.end(), 0);
    int hidden = 0;
    const std::string more_probe = "+" + std::to_string(n) + " more";
    const float more_w = w(more_probe, m.small);
    if (n > cap) {
      const int slots = static_cast<int>(std::ceil((more_w + m.cgap) / (m.cw + m.cgap)));
      const int kept = std::max(1, cap - (per_row > slots ? slots : 0));
      // Most relevant first; among equals the newest arrival.
      std::stable_sort(keep.begin(), keep.end(), [&](int a, int c) {
        if (f.chips[a].relevance != f.chips[c].relevance)
          return f.chips[a].relevance > f.chips[c].relevance;
        return a > c;
      });
      keep.resize(kept);
      std::sort(keep.begin(), keep.end());
      // Copies fading out are not counted: "+N more" counts messages held.
      for (const Chip& c : f.chips) hidden += c.ghost > 0 ? 0 : 1;
      for (int i : keep) hidden -= f.chips[i].ghost > 0 ? 0 : 1;
    }
    float cy = y;
    if (!inline_chips) {
      text(owner + "/" + f.name, ix, cy, iw, head, m.folder, Ink::Text);
      cy += m.folder + m.gap;
    } else {
      text(owner + "/" + f.name, ix, cy + (row - m.cgap - m.folder) / 2, hw, head, m.folder,
           Ink::Text);
    }
    float x = cx0;
    int in_row = 0;
    for (int i : keep) {
      if (in_row == per_row) x = cx0, cy += row, in_row = 0;
      if (out) {
        const Chip& c = f.chips[i];
        const float top = cy + (row - m.cgap - m.ch) / 2;
        out->chips.push_back({{x, top, x + m.cw, top + m.ch}, bi, fi, i,
                              owner + "/" + f.name + "/chip:" + c.label + ":" + std::to_string(c.uid)});
      }
      x += m.cw + m.cgap;
      ++in_row;
    }
    if (hidden > 0) {
      const std::string more = "+" + std::to_string(hidden) + " more";
      const float mw = w(more, m.small);
      if (in_row > 0 && x + mw > ix + iw) x = cx0, cy += row;
      text(owner + "/" + f.name + "/more", x, cy + (row - m.cgap - m.small) / 2,
           ix + iw - x, more, m.small, Ink::Dim);
    }
    return cy + row;
  }
};

// Places a label of size (lw, lh) at the first candidate inside `frame` clear of `obstacles`.
bool place(const std::vector<Vec>& tops, float lw, float lh, const Rect& frame,
           const std::vector<Rect>& obstacles, Rect& out) {
  for (const Vec& t : tops) {
    Rect r{t.x, t.y, t.x + lw, t.y + lh};
    if (!r.inside(frame)) continue;
    if (std::any_of(obstacles.begin(), obstacles.end(),
                    [&](const Rect& o) { return o.overlaps(r); }))
      continue;
    out = r;
    return true;
  }
  return false;
}

// One try at laying a world out at a zoom, phase by phase: the title row, the boxes (measured,
// then placed to share the height), the links between them, then the labels placed in the room
// left, clear of everything placed before them: link speeds, then units in flight.
struct Attempt {
  const Scene& s;
  const LayoutParams& p;
  Layout L;
  Builder b;
  const Metrics& m;
  const Rect fr;
  const std::string wo;
  const float W, H;
  const Rect inner;  // labels stay this far inside the frame
  const float lp;    // label padding
  // Set by the phases, in order.
  float top = 0;                  // below the title row
  float inet_w = 0;               // the internet column (0 without one)
  float sx = 0, sw = 0, sh = 0;   // the server box
  int n = 0;                      // devices
  float dw = 0;                   // a device box's width
  std::vector<Vec> dev_top;       // where each device's link ends
  std::vector<Rect> obstacles;    // what the labels keep clear of

  Attempt(const Scene& scene, Rect frame, const LayoutParams& params, float zoom, int rows_cap,
          int compact)
      : s(scene), p(params), b{s, p, Metrics(p.font_px * zoom), &L, rows_cap, compact}, m(b.m),
        fr(frame), wo("worlds/" + s.key), W(fr.w()), H(fr.h()),
        inner{fr.x0 + 2, fr.y0 + 2, fr.x1 - 2, fr.y1 - 2}, lp(m.fs * 0.35f) {
    L.frame = fr;
    L.zoom = zoom;
    L.fs = p.font_px * zoom;
    L.boxes.push_back({fr, -2, wo});
  }
  Attempt(const Attempt&) = delete;  // b points at L

  void title_row() {
    // Title row: swatch, title, and the world's bytes on the wire at the right.
    const float ty = fr.y0 + m.pad;
    L.swatch = {fr.x0 + m.pad, ty + m.title * 0.15f, fr.x0 + m.pad + m.title * 0.45f,
                ty + m.title * 0.9f};
    const std::string total = "on the wire: " + bytes_text(s.wire_total);
    const float total_w = b.w(total, m.status);
    const float title_x = L.swatch.x1 + m.pad * 0.8f;
    const bool total_fits = title_x + b.w(s.title, m.title) + m.pad * 2 + total_w <= fr.x1 - m.pad;
    b.text(wo + "/title", title_x, ty, fr.x1 - m.pad - title_x, s.title, m.title, Ink::Title);
    if (total_fits)
      b.text(wo + "/wire", fr.x1 - m.pad - total_w, ty + (m.title - m.status) / 2, total_w + 1,
             total, m.status, Ink::Dim);
    top = ty + m.title + m.pad;
  }

  void boxes(int compact) {
    // Server box at the top, centred, clear of the internet column on the left.
    inet_w = s.internet ? std::max(m.fs * 2.0f, b.w("internet", m.small)) : 0.0f;
    const float inet_room = s.internet ? inet_w + 3.0f * m.fs : 0.0f;
    const float avail_w = W - 2 * m.pad - inet_room;
    sw = std::max(8.0f * m.fs, std::min(avail_w, std::max(W * 0.5f, 20.0f * m.fs)));
    sx = fr.x0 + (W - sw) / 2;
    if (s.internet) sx = std::max(sx, fr.x0 + m.pad + inet_room);
    sx = std::min(sx, fr.x1 - m.pad - sw);
    Layout* keep = b.out;
    b.out = nullptr;
    sh = b.box(s.server, -1, wo + "/server", sx, top, sw, 0);

    // Devices in one row across the panel.
    n = static_cast<int>(s.devices.size());
    const float dgap = m.fs * 0.8f;
    dw = n ? (W - 2 * m.pad - dgap * (n - 1)) / n : 0.0f;
    dw = std::min(dw, std::max(30.0f * m.fs, sw));
    const float row_w = n ? dw * n + dgap * (n - 1) : 0.0f;
    float dh = 0;
    for (int i = 0; i < n; ++i)
      dh = std::max(dh, b.box(s.devices[i], i, wo + "/device:" + s.devices[i].name, 0, 0, dw, 0));
    b.out = keep;

    const float band_min = (compact >= 4 ? 2.4f : compact >= 1 ? 3.2f : 5.0f) * m.fs;
    const float need = (top - fr.y0) + sh + (n ? band_min + dh : 0) + m.pad;
    L.fits = need <= H;
    // Spare height goes to the band between server and devices (room for the labels of units in
    // flight) and then to the device boxes, so the diagram spans the panel.
    const float extra = std::max(0.0f, H - need);
    const float band = band_min + std::min(extra, 10.0f * m.fs);
    if (n) dh += extra - std::min(extra, 10.0f * m.fs);
    const float dy = top + sh + band;

    L.boxes.push_back({{sx, top, sx + sw, top + sh}, -1, wo + "/server"});
    b.box(s.server, -1, wo + "/server", sx, top, sw, sh);
    dev_top.assign(n, Vec{});
    for (int i = 0; i < n; ++i) {
      const float x = fr.x0 + (W - row_w) / 2 + i * (dw + dgap);
      const std::string o = wo + "/device:" + s.devices[i].name;
      L.boxes.push_back({{x, dy, x + dw, dy + dh}, i, o});
      b.box(s.devices[i], i, o, x, dy, dw, dh);
      dev_top[i] = {x + dw / 2, dy};
    }
  }

  void links() {
    // Links: device links leave the server's foot spread out, the internet's enters its side.
    const Vec inet_c{fr.x0 + m.pad + inet_w / 2, top + std::min(sh / 2, 2.5f * m.fs)};
    const float icon = m.fs * 1.6f;
    if (s.internet) {
      L.internet_icon = {inet_c.x - icon / 2, inet_c.y - icon / 2, inet_c.x + icon / 2,
                         inet_c.y + icon / 2};
      const float lw = b.w("internet", m.small);
      b.text(wo + "/internet", inet_c.x - lw / 2, L.internet_icon.y1 + m.gap, lw + 1, "internet",
             m.small, Ink::Dim);
      L.links.push_back({{sx, inet_c.y}, {L.internet_icon.x1 + m.gap, inet_c.y}, true, -1});
    }
    auto server_end = [&](int i) {
      const float t = n == 1 ? 0.5f : 0.15f + 0.7f * static_cast<float>(i) / static_cast<float>(n - 1);
      return Vec{sx + sw * t, top + sh};
    };
    for (int i = 0; i < n; ++i) {
      bool up = true;
      for (const Link& k : s.links)
        if (k.device == s.devices[i].actor) up = k.up;
      L.links.push_back({server_end(i), dev_top[i], up, i});
    }
  }

  void find_obstacles() {
    // Everything placed so far is an obstacle for the labels that follow.
    for (std::size_t k = 1; k < L.boxes.size(); ++k) obstacles.push_back(L.boxes[k].r);
    for (const TextItem& t : L.texts)
      if (t.owner.rfind(wo + "/server", 0) != 0 && t.owner.rfind(wo + "/device:", 0) != 0)
        obstacles.push_back(t.r);
    if (s.internet) obstacles.push_back(L.internet_icon);
  }

  void link_labels() {
    // Link labels: speed and latency near the device end; "offline"/"lost" mid-link.
    for (int i = 0; i < n; ++i) {
      const Link* k = nullptr;
      for (const Link& x : s.links)
        if (x.device == s.devices[i].actor) k = &x;
      if (!k) continue;
      const LinkItem& li = L.links[(s.internet ? 1 : 0) + i];
      auto put = [&](const std::string& t, float at, Ink ink, const std::string& icon_key,
                     const std::string& what) {
        const float px = m.small;
        const float iw = icon_key.empty() ? 0 : px * 1.3f;
        const std::string shown = ellipsize(t, px, dw - 2 * lp - iw, p.width);
        const float lw = iw + b.w(shown, px) + 2 * lp, lh = px + 2 * lp;
        const Vec c = lerp(li.a, li.b, at);
        std::vector<Vec> tops;
        for (float dy2 : {0.0f, -1.2f, 1.2f, -2.4f, 2.4f})
          for (float dx : {-0.5f, 0.1f, -1.1f})
            tops.push_back({c.x + lw * dx, c.y - lh / 2 + dy2 * lh});
        Rect r;
        if (!place(tops, lw, lh, inner, obstacles, r)) return;
        obstacles.push_back(r);
        TextItem it;
        it.r = {r.x0 + lp, r.y0 + lp, r.x1 - lp, r.y1 - lp};
        it.text = shown;
        if (shown != t) it.full = t;
        it.size = px;
        it.ink = ink;
        it.icon = icon_key;
        it.kind = "label";
        it.owner = wo + "/link:" + s.devices[i].name + "/" + what;
        L.link_labels.push_back(std::move(it));
      };
      if (!k->up) put(k->why, 0.5f, Ink::Broken, "broken", "down");
      if (!k->speed.empty()) put(k->speed, 0.82f, Ink::Dim, "", "speed");
    }
  }

  void packet_labels() {
    // Units in flight: a dot on the link, the label beside it where there is room. The newest
    // unit of a link is labelled first; older ones fade, and at most three per link are shown.
    std::vector<std::pair<std::uint16_t, int>> per_link;
    for (const Packet& pk : s.packets) {
      int li = -1;
      for (int i = 0; i < n; ++i)
        if (s.devices[i].actor == pk.other) li = (s.internet ? 1 : 0) + i;
      const bool inet = li < 0 && s.internet && pk.other == s.internet_actor;
      if (inet) li = 0;
      if (li < 0) continue;
      int& seen = [&]() -> int& {
        for (auto& [a, c] : per_link)
          if (a == pk.other) return c;
        per_link.emplace_back(pk.other, 0);
        return per_link.back().second;
      }();
      if (seen >= 3) continue;
      const LinkItem& link = L.links[li];
      // Link items run server end -> far end; a unit from the server moves the same way.
      const Vec dot = lerp(link.a, link.b, pk.from_server ? pk.progress : 1.0f - pk.progress);
      const float px = m.packet;
      const float max_w = std::min(W * 0.45f, 26.0f * m.fs);
      bool placed = false;
      for (float shrink : {1.0f, 0.6f, 0.35f}) {
        const std::string shown = ellipsize(pk.text, px, max_w * shrink, p.width);
        const float lw = b.w(shown, px) + 2 * lp, lh = px + 2 * lp;
        std::vector<Vec> tops;
        const float side = m.fs * 0.6f;
        for (float k : {0.0f, 1.0f, -1.0f, 2.0f, -2.0f, 3.0f, -3.0f, 4.0f, -4.0f}) {
          const float y = dot.y - lh / 2 + k * (lh + m.gap);
          if (inet) tops.push_back({std::max(inner.x0, dot.x - lw / 2), y + lh});
          tops.push_back({dot.x + side, y});
          tops.push_back({dot.x - side - lw, y});
        }
        Rect r;
        if (!place(tops, lw, lh, inner, obstacles, r)) continue;
        obstacles.push_back(r);
        LabelItem it;
        it.r = r;
        it.dot = dot;
        it.text = shown;
        if (shown != pk.text) it.full = pk.text;
        it.size = px;
        it.alpha = seen == 0 ? 1.0f : 0.55f;
        it.proto = pk.proto;
        it.from_server = pk.from_server;
        it.owner = wo + "/link:" + (inet ? std::string("internet") : s.devices[li - (s.internet ? 1 : 0)].name) +
                   "/label:" + std::to_string(pk.rec);
        L.labels.push_back(std::move(it));
        placed = true;
        break;
      }
      if (placed) ++seen;
    }
  }

  void bounds() {
    // The drawn bounds.
    Rect bd{};
    for (std::size_t k = 1; k < L.boxes.size(); ++k) bd = unite(bd, L.boxes[k].r);
    for (const TextItem& t : L.texts) bd = unite(bd, t.r);
    for (const TextItem& t : L.link_labels) bd = unite(bd, t.r);
    for (const LabelItem& t : L.labels) bd = unite(bd, t.r);
    if (s.internet) bd = unite(bd, L.internet_icon);
    L.bounds = bd;
  }
};

Layout attempt(const Scene& s, Rect fr, const LayoutParams& p, float zoom, int rows_cap,
               int compact) {
  Attempt a(s, fr, p, zoom, rows_cap, compact);
  a.title_row();
  a.boxes(compact);
  a.links();
  a.find_obstacles();
  a.link_labels();
  a.packet_labels();
  a.bounds();
  return std::move(a.L);
}

}  // namespace

std::string bytes_text(std::uint64_t b) {
  char buf[32];
  if (b < 1024) std::snprintf(buf, sizeof buf, "%llu B", static_cast<unsigned long long>(b));
  else if (b < 1024 * 1024) std::snprintf(buf, sizeof buf, "%.1f KB", static_cast<double>(b) / 1024.0);
  else std::snprintf(buf, sizeof buf, "%.1f MB", static_cast<double>(b) / (1024.0 * 1024.0));
  return buf;
}

float approx_width(std::string_view text, float px) {
  std::size_t cps = 0;
  for (unsigned char c : text) cps += (c & 0xC0) != 0x80 ? 1 : 0;
  return static_cast<float>(cps) * px * 0.55f;
}

float badge_marker_room(float px) { return std::max(7.0f, px * 0.6f); }

Rect badge_marker(const TextItem& t) {
  // A 3 px bar, then a gap of at least 4 px before the text.
  const float x0 = t.r.x0 - badge_marker_room(t.size);
  return {x0, t.r.y0 - 1, x0 + 3, t.r.y1 + 1};
}

std::string ellipsize(const std::string& text, float px, float max_w, const Measure& width) {
  if (width(text, px) <= max_w) return text;
  // Cut at code point boundaries, longest prefix that fits with the ellipsis.
  std::size_t lo = 0, hi = text.size();
  auto boundary = [&](std::size_t i) {
    while (i > 0 && i < text.size() && (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) --i;
    return i;
  };
  while (lo < hi) {
    std::size_t mid = boundary((lo + hi + 1) / 2);
    if (mid <= lo) mid = lo + 1, mid = std::min(mid, hi);
    if (width(text.substr(0, mid) + kEllipsis, px) <= max_w) lo = mid;
    else hi = mid - 1;
  }
  lo = boundary(lo);
  std::string s = text.substr(0, lo);
  while (!s.empty() && s.back() == ' ') s.pop_back();
  return s + kEllipsis;
}

float panel_zoom(float w, float h) {
  return std::clamp(std::min(w / 760.0f, h / 560.0f), 1.0f, 2.5f);
}

namespace {

// What to try, in order, until a world fits: a zoom, a cap on chip rows, a level of detail
// dropped (Builder::compact).
struct Try {
  float z;
  int rows, compact;
};

std::vector<Try> tries_for(const LayoutParams& p) {
  const float z0 = std::max(p.zoom, p.min_zoom);
  std::vector<Try> tries;
  auto add = [&](float z, int rows, int compact) {
    tries.push_back({std::max(p.min_zoom, z), rows, compact});
  };
  if (p.presenter) {
    // Read from the back of a room: first the details go, at the size asked for; then the
    // text gets smaller, never under min_zoom.
    add(z0, 1000, 0);
    add(z0, 1000, 1);
    add(z0, 3, 2);
    add(z0, 2, 3);
    add(z0, 1, 4);
    for (float z = z0 * 0.92f; z > p.min_zoom; z *= 0.92f) add(z, 1, 4);
    add(p.min_zoom, 1, 4);
    add(p.min_zoom, 1, 5);
    return tries;
  }
  // First smaller text, down to 70% of the zoom asked for; then, turn by turn, less room
  // around and fewer chip rows; then the smallest readable text, everything saved.
  for (float f : {1.0f, 0.85f, 0.7f}) add(z0 * f, 1000, 0);
  add(z0 * 0.7f, 1000, 1);
  add(z0 * 0.7f, 3, 2);
  add(z0 * 0.7f, 2, 3);
  for (float z = z0 * 0.6f; z > p.min_zoom; z *= 0.88f) add(z, 2, 3);
  add(p.min_zoom, 2, 3);
  add(p.min_zoom, 1, 3);
  add(p.min_zoom, 1, 4);
  // Last resort, a little under the minimum rather than a box cut by the panel's edge.
  tries.push_back({p.min_zoom * 0.9f, 1, 4});
  return tries;
}

// Fewer rows fitted: give back as many as still fit (the steps above are coarse).
Layout more_rows(const Scene& s, Rect frame, const LayoutParams& p, const Try& t, Layout best) {
  for (int rows = t.rows + 1; t.rows < 1000 && rows <= 12; ++rows) {
    Layout more = attempt(s, frame, p, t.z, rows, t.compact);
    if (!more.fits) break;
    best = std::move(more);
  }
  return best;
}

}  // namespace

Layout layout_world(const Scene& s, Rect frame, const LayoutParams& p) {
  Layout best;
  for (const Try& t : tries_for(p)) {
    best = attempt(s, frame, p, t.z, t.rows, t.compact);
    if (best.fits) return more_rows(s, frame, p, t, std::move(best));
  }
  return best;
}

std::vector<Layout> layout_worlds(const std::vector<const Scene*>& scenes,
                                  const std::vector<Rect>& frames, const LayoutParams& p) {
  std::vector<Layout> out(scenes.size());
  for (const Try& t : tries_for(p)) {
    bool all = true;
    for (std::size_t i = 0; i < scenes.size(); ++i) {
      out[i] = attempt(*scenes[i], frames[i], p, t.z, t.rows, t.compact);
      all = all && out[i].fits;
    }
    if (!all) continue;
    for (std::size_t i = 0; i < scenes.size(); ++i)
      out[i] = more_rows(*scenes[i], frames[i], p, t, std::move(out[i]));
    return out;
  }
  return out;
}

}  // namespace ms::view
