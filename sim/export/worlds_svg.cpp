#include "export/worlds_svg.hpp"

#include <algorithm>
#include <cstdio>
#include <stdexcept>

#include "view/world_scene.hpp"

namespace ms {

namespace {

std::string esc(const std::string& s) {
  std::string o;
  for (char c : s) {
    switch (c) {
      case '&': o += "&amp;"; break;
      case '<': o += "&lt;"; break;
      case '>': o += "&gt;"; break;
      case '"': o += "&quot;"; break;
      default: o += c;
    }
  }
  return o;
}

std::string num(float v) {
  char b[32];
  std::snprintf(b, sizeof b, "%.1f", static_cast<double>(v));
  return b;
}

// The GUI's default palette (gui/app_model.cpp set_look), as CSS colours.
const char* proto_fill(Proto p, bool from_server) {
  switch (p) {
    case Proto::POP3: return from_server ? "#ffbe78" : "#f08c28";
    case Proto::IMAP: return from_server ? "#8cc8ff" : "#3c8ceb";
    case Proto::SMTP: return from_server ? "#96e6a0" : "#3cb95f";
    default: return "#c8c8c8";
  }
}
const char* ink(view::Ink k) {
  switch (k) {
    case view::Ink::Text: return "#ebeef5";
    case view::Ink::Dim: return "#a0a8b9";
    case view::Ink::Title: return "#ffffff";
    case view::Ink::Broken: return "#dc5050";
    case view::Ink::Good: return "#50d28c";
    case view::Ink::Accent: return "#78e6ff";
  }
  return "#ebeef5";
}

struct Svg {
  std::string out;
  void rect(const view::Rect& r, const std::string& fill, const std::string& stroke = "none",
            float rx = 0, float sw = 1, const std::string& extra = "") {
    out += "<rect x=\"" + num(r.x0) + "\" y=\"" + num(r.y0) + "\" width=\"" + num(r.w()) +
           "\" height=\"" + num(r.h()) + "\" rx=\"" + num(rx) + "\" fill=\"" + fill +
           "\" stroke=\"" + stroke + "\" stroke-width=\"" + num(sw) + "\"" + extra + "/>\n";
  }
  void line(view::Vec a, view::Vec b, const std::string& col, float w, bool dashed = false) {
    out += "<line x1=\"" + num(a.x) + "\" y1=\"" + num(a.y) + "\" x2=\"" + num(b.x) +
           "\" y2=\"" + num(b.y) + "\" stroke=\"" + col + "\" stroke-width=\"" + num(w) + "\"" +
           (dashed ? " stroke-dasharray=\"6 6\"" : "") + "/>\n";
  }
  void text(float x, float y_top, float px, const std::string& col, const std::string& t,
            const std::string& title = "", const char* anchor = "start") {
    out += "<text x=\"" + num(x) + "\" y=\"" + num(y_top + px * 0.82f) + "\" font-size=\"" +
           num(px) + "\" fill=\"" + col + "\" text-anchor=\"" + anchor + "\">" +
           (title.empty() ? "" : "<title>" + esc(title) + "</title>") + esc(t) + "</text>\n";
  }
};

// A box kind's icon as a small glyph the handout's fonts have.
const char* icon_text(const std::string& k) {
  if (k == "server") return "\xe2\x96\xa4";   // ▤
  if (k == "broken") return "\xe2\x9c\x95";   // ✕
  if (k.empty()) return "";
  return "\xe2\x96\xad";                      // ▭ (a device)
}

// A device's icon drawn as its outline, in the em square at (x, y_top) of `px`: no common font
// has distinct glyphs for a phone, a tablet, a desktop and a laptop, and one glyph for all
// made the phone and the desktop look the same. False for a kind that is not a device.
bool device_icon(Svg& g, const std::string& k, float x, float y_top, float px, const char* col) {
  struct Shape {
    float w, h, rx;  // the screen's outline, in ems
    float base;      // > 0: a laptop's keyboard this wide under it; < 0: a desktop's stand
  };
  Shape sh;
  if (k == "phone") sh = {0.46f, 0.86f, 0.08f, 0};
  else if (k == "tablet") sh = {0.70f, 0.86f, 0.07f, 0};
  else if (k == "desktop") sh = {0.92f, 0.60f, 0.03f, -1};
  else if (k == "laptop") sh = {0.74f, 0.52f, 0.03f, 1};
  else return false;
  const float w = sh.w * px, h = sh.h * px, x0 = x + (px - w) / 2, y0 = y_top + px * 0.06f;
  g.out += "<g class=\"icon-" + k + "\" fill=\"none\" stroke=\"" + col +
           "\" stroke-width=\"" + num(std::max(1.0f, px * 0.09f)) + "\">";
  g.out += "<rect x=\"" + num(x0) + "\" y=\"" + num(y0) + "\" width=\"" + num(w) +
           "\" height=\"" + num(h) + "\" rx=\"" + num(sh.rx * px) + "\"/>";
  const float cx = x + px / 2, yb = y0 + h;
  if (sh.base > 0)  // the keyboard: a wider flat line under the screen
    g.out += "<path d=\"M" + num(x) + " " + num(yb + px * 0.14f) + " H" + num(x + px) + "\"/>";
  else if (sh.base < 0)  // the stand: a neck and a foot
    g.out += "<path d=\"M" + num(cx) + " " + num(yb) + " V" + num(yb + px * 0.16f) + " M" +
             num(cx - px * 0.22f) + " " + num(yb + px * 0.2f) + " H" + num(cx + px * 0.22f) + "\"/>";
  else  // a phone's or a tablet's button
    g.out += "<path d=\"M" + num(cx - px * 0.06f) + " " + num(yb - px * 0.1f) + " H" +
             num(cx + px * 0.06f) + "\"/>";
  g.out += "</g>\n";
  return true;
}

void draw(Svg& g, const view::Scene& s, const view::Layout& L) {
  g.rect(L.frame, "#14171f", "#373e50", 6);
  g.rect(L.swatch, proto_fill(s.proto, false), "none", 2);
  for (const view::LinkItem& k : L.links)
    g.line(k.a, k.b, k.up ? "#78829a" : "#dc5050", 2, !k.up);
  if (s.internet) {
    const view::Rect& r = L.internet_icon;
    const float cx = (r.x0 + r.x1) / 2, cy = (r.y0 + r.y1) / 2, rr = r.w() / 2;
    g.out += "<circle cx=\"" + num(cx) + "\" cy=\"" + num(cy) + "\" r=\"" + num(rr) +
             "\" fill=\"none\" stroke=\"#a0a8b9\" stroke-width=\"1.5\"/>\n";
    g.out += "<ellipse cx=\"" + num(cx) + "\" cy=\"" + num(cy) + "\" rx=\"" + num(rr * 0.45f) +
             "\" ry=\"" + num(rr) + "\" fill=\"none\" stroke=\"#a0a8b9\" stroke-width=\"1\"/>\n";
    g.line({cx - rr, cy}, {cx + rr, cy}, "#a0a8b9", 1);
  }
  for (const view::BoxItem& b : L.boxes) {
    if (b.box < -1) continue;
    const view::Box& box = b.box < 0 ? s.server : s.devices[b.box];
    g.rect(b.r, "#1e232e", b.box < 0 ? proto_fill(s.proto, false) : box.lost ? "#dc5050" : "#5a647d",
           6, b.box < 0 ? 2 : 1);
  }
  for (const view::BarItem& b : L.bars) {
    g.rect(b.r, "#2d323e", "none", 3);
    if (b.frac > 0)
      g.rect({b.r.x0, b.r.y0, b.r.x0 + b.r.w() * b.frac, b.r.y1}, proto_fill(s.proto, false), "none", 3);
  }
  for (const view::ChipItem& c : L.chips) {
    const view::Box& box = c.box < 0 ? s.server : s.devices[c.box];
    const view::Chip& ch = box.folders[c.folder].chips[c.chip];
    const bool seen = ch.flags.has(kSeen);
    const std::string op = ch.ghost > 0 ? " opacity=\"0.4\"" : "";
    const std::string dash = ch.headers_only ? " stroke-dasharray=\"3 2\"" : "";
    if (seen) g.rect(c.r, "none", "#c8cdd7", 3, 1.5f, op + dash);
    else g.rect(c.r, ch.headers_only ? "none" : "#facd5a", "#facd5a", 3, 1.5f, op + dash);
    g.text((c.r.x0 + c.r.x1) / 2, c.r.y0 + c.r.h() * 0.2f, c.r.h() * 0.62f,
           seen || ch.headers_only ? "#c8cdd7" : "#281e0a", ch.label, "", "middle");
    if (ch.flags.has(kFlagged))
      g.out += "<path d=\"M" + num(c.r.x1 - c.r.h() * 0.5f) + " " + num(c.r.y0) + " L" +
               num(c.r.x1) + " " + num(c.r.y0) + " L" + num(c.r.x1) + " " +
               num(c.r.y0 + c.r.h() * 0.5f) + " Z\" fill=\"#e63c3c\"/>\n";
    if (ch.flags.has(kDeleted)) g.line({c.r.x0 - 2, c.r.y1 + 1}, {c.r.x1 + 2, c.r.y0 - 1}, "#dc5050", 2.5f);
    if (ch.popped)
      g.line({c.r.x0 + 2, c.r.y1 - 2}, {c.r.x1 - 2, c.r.y1 - 2}, "#78e6ff", 2);
  }
  auto text_item = [&](const view::TextItem& t) {
    float x = t.r.x0;
    if (!t.icon.empty()) {
      if (!device_icon(g, t.icon, x, t.r.y0, t.size, ink(t.ink)))
        g.text(x, t.r.y0, t.size, ink(t.ink), icon_text(t.icon));
      x += t.size * 1.3f;
    }
    g.text(x, t.r.y0, t.size, ink(t.ink), t.text, t.full);
  };
  for (const view::TextItem& t : L.texts) text_item(t);
  for (const view::TextItem& t : L.link_labels) {
    const float pad = L.fs * 0.35f;  // the layout's label padding
    g.rect({t.r.x0 - pad, t.r.y0 - pad, t.r.x1 + pad, t.r.y1 + pad}, "#14171f",
           t.ink == view::Ink::Broken ? "#dc5050" : "#373e50", 4);
    text_item(t);
  }
  for (const view::LabelItem& l : L.labels) {
    const std::string op = l.alpha < 1 ? " opacity=\"" + num(l.alpha) + "\"" : "";
    g.out += "<g" + op + ">";
    g.out += "<circle cx=\"" + num(l.dot.x) + "\" cy=\"" + num(l.dot.y) + "\" r=\"5\" fill=\"" +
             proto_fill(l.proto, l.from_server) + "\"/>";
    g.rect(l.r, proto_fill(l.proto, l.from_server), "#ffffffc8", 5);
    g.text(l.r.x0 + L.fs * 0.35f, l.r.y0 + L.fs * 0.35f, l.size, "#0f0f14", l.text, l.full);
    g.out += "</g>\n";
  }
}

}  // namespace

std::string worlds_svg(const LessonRun& run, Tick t, const WorldsSvgOptions& o) {
  std::vector<const WorldRun*> order;
  for (const WorldRun& w : run.worlds) order.push_back(&w);
  std::stable_sort(order.begin(), order.end(), [](const WorldRun* a, const WorldRun* b) {
    return a->world->proto() < b->world->proto();  // POP3 left, IMAP right, as in the GUI
  });
  std::vector<view::TraceIndex> idx;
  std::uint64_t scale = std::max<std::uint64_t>(1, run.lesson.quota);
  for (const WorldRun* w : order) {
    idx.emplace_back(view::scenario_ids(*w->world));
    idx.back().extend(w->world->trace());
    scale = std::max(scale, idx.back().max_server_bytes());
  }
  // The step in force names the messages it is about: they stay visible.
  view::SceneOptions so;
  so.scale_bytes = scale;
  for (const Step& st : run.lesson.steps)
    if (st.at <= t) so.focus = view::step_messages(st.title + " " + st.text);
  const float gap = 10, n = static_cast<float>(std::max<std::size_t>(1, order.size()));
  const float pw = (o.width - gap * (n - 1)) / n;
  view::LayoutParams lp;
  lp.font_px = o.font_px;
  lp.zoom = 1;
  lp.min_zoom = o.min_zoom;
  lp.width = view::approx_width;
  Svg g;
  g.out = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + num(o.width) + " " +
          num(o.height) + "\" width=\"" + num(o.width) + "\" height=\"" + num(o.height) +
          "\" font-family=\"DejaVu Sans, Verdana, sans-serif\" role=\"img\">\n<title>" +
          esc(run.lesson.title) + " at " + esc(format_time(t)) + "</title>\n";
  for (std::size_t i = 0; i < order.size(); ++i) {
    const Trace& tr = order[i]->world->trace();
    WorldView v = Replay(tr).at(tr.index_after(t));
    v.t = t;
    const view::Scene sc = view::build_scene(tr, idx[i], v, so);
    const float x0 = static_cast<float>(i) * (pw + gap);
    const view::Layout L = view::layout_world(sc, {x0, 0, x0 + pw, o.height}, lp);
    draw(g, sc, L);
  }
  g.out += "</svg>\n";
  return g.out;
}

std::string worlds_svg_at_step(const LessonRun& run, int step, const WorldsSvgOptions& o) {
  const auto& steps = run.lesson.steps;
  if (step < 1 || static_cast<std::size_t>(step) > steps.size())
    throw std::out_of_range("lesson " + run.lesson.id + " has no step " + std::to_string(step));
  Tick end = run.lesson.duration;
  if (static_cast<std::size_t>(step) < steps.size()) end = steps[step].at - 1;
  return worlds_svg(run, std::max(steps[step - 1].at, end), o);
}

}  // namespace ms
