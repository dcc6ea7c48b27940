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

constexpr int kMaxChips = 12;
// Chip size follows the text size (presenter mode scales everything up to 3x).
float g_chip_w = 24.0f, g_chip_h = 18.0f;


// A selected copy's badge, drawn after everything else so that it sits on top.
struct Callout {
  ImVec2 at;  // the chip's bottom centre
  const CopyBadge* badge;
};

struct Ctx {
  ImDrawList* dl;
  ImFont* font;
  ImFont* big;
  float fs;   // regular font size
  const WorldModel* w;
  UiState* ui = nullptr;
  int world = 0;
  Tick window = 1;                  // animation window in ticks
  std::vector<Callout>* callouts = nullptr;
};

ImU32 fade(ImU32 col, float a) {
  const unsigned alpha = static_cast<unsigned>(((col >> IM_COL32_A_SHIFT) & 0xFF) *
                                               std::clamp(a, 0.0f, 1.0f));
  return (col & ~IM_COL32_A_MASK) | (alpha << IM_COL32_A_SHIFT);
}

// How recently (1 = just now, 0 = a window ago or never) a store change hit this entry.
float recency(const Ctx& c, std::uint16_t actor, const std::string& folder, std::uint32_t uid,
              StoreChange::Op op) {
  for (auto it = c.w->recent.rbegin(); it != c.w->recent.rend(); ++it)
    if ((it->op == op && it->uid == uid && it->actor == actor && *it->folder == folder) ||
        (op == StoreChange::Remove && it->op == StoreChange::Wipe && it->actor == actor))
      return 1.0f - static_cast<float>(c.w->view.t - it->t) / static_cast<float>(c.window);
  return 0.0f;
}

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

ImVec2 text_size(ImFont* f, float size, const std::string& s) {
  return f->CalcTextSizeA(size, 1e9f, 0.0f, s.c_str());
}

std::string truncate(std::string_view s, std::size_t n) {
  if (s.size() <= n) return std::string(s);
  return std::string(s.substr(0, n - 1)) + "\xe2\x80\xa6";  // …
}

// One envelope chip: filled = unread, outline = read (\Seen), struck through = \Deleted.
// `ghost` > 0 draws a copy removed that long ago (1 = just now) fading out at its old place.
void chip(const Ctx& c, ImVec2 p, const ViewEntry& e, std::uint16_t actor,
          const std::string& folder, float ghost = 0.0f) {
  const bool seen = e.flags.has(kSeen);
  const bool deleted = e.flags.has(kDeleted);
  const ImVec2 q(p.x + g_chip_w, p.y + g_chip_h);
  const float a = ghost > 0 ? ghost * 0.6f : 1.0f;
  const ImU32 fill = fade(look().chip_fill, a), read = fade(look().chip_read, a);
  if (!seen) c.dl->AddRectFilled(p, q, fill, 3.0f);
  else c.dl->AddRect(p, q, read, 3.0f, 0, 1.5f);
  // The envelope flap makes it read as a letter.
  const ImU32 flap = seen ? read : fade(IM_COL32(120, 90, 20, 255), a);
  c.dl->AddLine(p, ImVec2(p.x + g_chip_w / 2, p.y + g_chip_h * 0.32f), flap);
  c.dl->AddLine(ImVec2(p.x + g_chip_w / 2, p.y + g_chip_h * 0.32f), ImVec2(q.x, p.y), flap);
  const std::string& label = e.msg < c.w->msg_label.size() ? c.w->msg_label[e.msg] : "?";
  const float ls = c.fs * 0.72f;
  ImVec2 ts = text_size(c.font, ls, label);
  c.dl->AddText(c.font, ls, ImVec2(p.x + (g_chip_w - ts.x) / 2, q.y - ts.y),
                seen ? read : fade(look().chip_ink, a), label.c_str());
  if (e.flags.has(kFlagged))
    c.dl->AddTriangleFilled(ImVec2(q.x - 7, p.y), ImVec2(q.x, p.y), ImVec2(q.x, p.y + 7),
                            fade(IM_COL32(230, 60, 60, 255), a));
  if (deleted)
    c.dl->AddLine(ImVec2(p.x - 2, q.y + 1), ImVec2(q.x + 2, p.y - 1), fade(look().broken, a), 2.5f);
  // A corner mark repeats what the animation frame's colour says: "+" landing, "-" leaving.
  auto mark = [&](ImU32 col, const char* sign) {
    const float r = c.fs * 0.42f;
    const ImVec2 m(p.x - 1, p.y - 1);
    c.dl->AddCircleFilled(m, r, col);
    const ImVec2 ts = text_size(c.font, c.fs * 0.8f, sign);
    c.dl->AddText(c.font, c.fs * 0.8f, ImVec2(m.x - ts.x / 2, m.y - ts.y / 2 - 1),
                  fade(IM_COL32(0, 0, 0, 255), (col >> IM_COL32_A_SHIFT & 0xFF) / 255.0f), sign);
  };
  if (ghost > 0) {
    // Leaving: a red frame that fades with the chip.
    c.dl->AddRect(ImVec2(p.x - 3, p.y - 3), ImVec2(q.x + 3, q.y + 3), fade(look().broken, ghost),
                  4.0f, 0, 1.5f);
    mark(fade(look().broken, ghost), "\xe2\x88\x92");  // minus sign
    return;
  }
  if (const float fresh = recency(c, actor, folder, e.uid, StoreChange::Add); fresh > 0) {
    // Just landed: a glow that fades over the animation window.
    c.dl->AddRect(ImVec2(p.x - 4, p.y - 4), ImVec2(q.x + 4, q.y + 4), fade(look().fresh, fresh),
                  5.0f, 0, 3.0f);
    mark(fade(look().fresh, fresh), "+");
  }
  const bool selected = c.w->selected != 0 && e.msg == c.w->selected;
  if (selected) {
    c.dl->AddRect(ImVec2(p.x - 3, p.y - 3), ImVec2(q.x + 3, q.y + 3), look().select, 4.0f, 0, 2.5f);
    for (const CopyBadge& b : c.w->badges)
      if (b.actor == actor && b.uid == e.uid && b.folder == folder && c.callouts)
        c.callouts->push_back({ImVec2(p.x + g_chip_w / 2, q.y + 3), &b});
  }
  if (ImGui::IsMouseHoveringRect(p, q) && c.ui && ImGui::IsWindowHovered()) {
    if (ImGui::IsMouseClicked(0)) {
      const auto& msgs = c.w->trace->messages();
      if (selected) {
        c.ui->selected_key.clear();
      } else if (e.msg > 0 && e.msg <= msgs.size()) {
        c.ui->selected_key = msgs[e.msg - 1].key;
        c.ui->selected_actor = actor;
        c.ui->selected_world = c.world;
      }
    }
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
    ImGui::TextDisabled(selected ? "Click to clear the selection" :
                                   "Click to show every copy of this message");
    ImGui::EndTooltip();
  }
}

// Calls fn(entry, ghost) for the folder's first `limit` entries in UID order, with the copies
// removed within the animation window (present in `before`, gone now) merged in at their old
// places. Stops early: a folder shows at most kMaxChips chips however large it is.
template <typename Fn>
void each_chip(const Ctx& c, std::uint16_t actor, const ViewFolder& f, const ViewFolder* bf,
               int limit, Fn&& fn) {
  int calls = 0;
  if (!bf || c.w->recent.empty()) {
    for (const ViewEntry& e : f.entries) {
      if (calls++ >= limit) return;
      fn(e, 0.0f);
    }
    return;
  }
  std::size_t i = 0, j = 0;
  const std::size_t n = f.entries.size(), nb = bf->entries.size();
  while ((i < n || j < nb) && calls < limit) {
    if (j < nb && (i >= n || bf->entries[j].uid < f.entries[i].uid)) {
      const ViewEntry& g = bf->entries[j++];
      if (const float age = recency(c, actor, f.name, g.uid, StoreChange::Remove); age > 0)
        fn(g, age), ++calls;
      continue;
    }
    if (j < nb && bf->entries[j].uid == f.entries[i].uid) ++j;
    fn(f.entries[i++], 0.0f), ++calls;
  }
}

bool has_uid(const ViewFolder& f, std::uint32_t uid) {
  auto it = std::lower_bound(f.entries.begin(), f.entries.end(), uid,
                             [](const ViewEntry& x, std::uint32_t u) { return x.uid < u; });
  return it != f.entries.end() && it->uid == uid;
}

// How many chips each_chip would give without a limit: the folder's entries plus the copies
// fading out. Those can only be copies the recent changes removed, so only they are looked up
// (all of `before` only while a wipe of this store is fading out).
int chip_count(const Ctx& c, std::uint16_t actor, const ViewFolder& f, const ViewFolder* bf) {
  int n = static_cast<int>(f.entries.size());
  if (!bf || c.w->recent.empty()) return n;
  bool wiped = false;
  static std::vector<std::uint32_t> gone;  // reused every frame: no per-frame allocation
  gone.clear();
  for (const RecentChange& r : c.w->recent) {
    if (r.actor != actor) continue;
    if (r.op == StoreChange::Wipe) wiped = true;
    else if (r.op == StoreChange::Remove && *r.folder == f.name) gone.push_back(r.uid);
  }
  if (wiped) {
    for (const ViewEntry& g : bf->entries)
      if (!has_uid(f, g.uid) && recency(c, actor, f.name, g.uid, StoreChange::Remove) > 0) ++n;
    return n;
  }
  std::sort(gone.begin(), gone.end());
  gone.erase(std::unique(gone.begin(), gone.end()), gone.end());
  for (std::uint32_t uid : gone)
    if (has_uid(*bf, uid) && !has_uid(f, uid) &&
        recency(c, actor, f.name, uid, StoreChange::Remove) > 0)
      ++n;
  return n;
}

// Folders of a store: each folder holding mail gets "INBOX 3" followed by its chips (wrapping);
// empty folders share one dim line so that small boxes stay readable. Returns the height used.
// `before` is the same store a moment ago: its recently removed copies fade out in place.
float folders(const Ctx& c, ImVec2 p, float width, const ViewStore& s, bool draw,
              std::uint16_t actor, const ViewStore* before, int max_chips = kMaxChips) {
  float y = p.y;
  const float row = std::max(c.fs, g_chip_h) + 4;
  std::string empty;
  // Folders gone since `before` (a wiped store) still show their copies fading out.
  const std::size_t nf = s.folders.size(), nb = before ? before->folders.size() : 0;
  ViewFolder gone;
  for (std::size_t k = 0; k < nf + nb; ++k) {
    if (k >= nf && s.folder(before->folders[k - nf].name)) continue;
    if (k >= nf) gone.name = before->folders[k - nf].name;
    const ViewFolder& f = k < nf ? s.folders[k] : gone;
    const ViewFolder* bf = before ? before->folder(f.name) : nullptr;
    const int chips = chip_count(c, actor, f, bf);
    if (chips == 0) {
      if (k >= nf) continue;
      empty += (empty.empty() ? "" : ", ") + f.name;
      continue;
    }
    char head[160];
    std::snprintf(head, sizeof head, "%s %zu", f.name.c_str(), f.entries.size());
    const float hw = text_size(c.font, c.fs, head).x + 8;
    if (draw) c.dl->AddText(c.font, c.fs, ImVec2(p.x, y + (row - 4 - c.fs) / 2), look().text, head);
    // Chips start after the label; wrapped rows start under it.
    float x = p.x + hw;
    int shown = 0;
    each_chip(c, actor, f, bf, max_chips, [&](const ViewEntry& e, float ghost) {
      if (shown++ >= max_chips) return;
      if (x + g_chip_w > p.x + width) x = p.x + hw, y += row;
      if (draw) chip(c, ImVec2(x, y + (row - 4 - g_chip_h) / 2), e, actor, f.name, ghost);
      x += g_chip_w + 4;
    });
    if (chips > max_chips) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "+%d more", chips - max_chips);
      const float mw = text_size(c.font, c.fs * 0.85f, buf).x;
      if (x + mw > p.x + width) x = p.x + hw, y += row;
      if (draw) c.dl->AddText(c.font, c.fs * 0.85f, ImVec2(x, y + 2), look().dim, buf);
    }
    y += row;
  }
  if (!empty.empty() || s.folders.empty()) {
    std::string line = s.folders.empty() ? "(no folders)" : empty + ": empty";
    const float lw = width;
    if (draw) {
      ImVec2 pos(p.x, y);
      c.dl->AddText(c.font, c.fs * 0.85f, pos, look().dim, line.c_str(), nullptr, lw);
    }
    y += c.font->CalcTextSizeA(c.fs * 0.85f, 1e9f, lw, line.c_str()).y + 2;
  }
  return y - p.y;
}

// The selected message's badges: "in sync  \Seen" under each copy.
void draw_callouts(const Ctx& c) {
  if (!c.callouts) return;
  const float fs = c.fs * 0.8f;
  for (const Callout& k : *c.callouts) {
    const CopyBadge& b = *k.badge;
    std::string fl = flags_to_imap(b.flags);
    std::string text = std::string(badge_text(b.badge)) + "  " + (fl.empty() ? "unread" : fl);
    const ImVec2 ts = text_size(c.font, fs, text);
    const ImVec2 b0(k.at.x - ts.x / 2 - 6, k.at.y + 2), b1(k.at.x + ts.x / 2 + 6, k.at.y + ts.y + 6);
    const ImU32 col = badge_color(b.badge);
    c.dl->AddRectFilled(b0, b1, IM_COL32(15, 17, 22, 235), 4.0f);
    c.dl->AddRect(b0, b1, col, 4.0f, 0, 1.5f);
    // A coloured tab on the left repeats the badge's hue; the words carry the meaning.
    c.dl->AddRectFilled(b0, ImVec2(b0.x + 4, b1.y), col, 4.0f, ImDrawFlags_RoundCornersLeft);
    c.dl->AddText(c.font, fs, ImVec2(b0.x + 7, b0.y + 2), look().text, text.c_str());
    if (ImGui::IsMouseHoveringRect(b0, b1)) ImGui::SetTooltip("%s", badge_explain(b.badge));
  }
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

// A real client's latest commands up to the cursor, newest last, as many as fit above `y_max`:
// the live world has no store to show for it.
void live_client_lines(const Ctx& c, ImVec2 p, float y_max, std::uint16_t actor) {
  const WorldModel& w = *c.w;
  const auto& recs = w.trace->records();
  const float fs = c.fs * 0.85f;
  const int room = std::max(0, static_cast<int>((y_max - p.y) / (fs + 2)));
  // Lines of units sent up to the cursor; a few hundred back is plenty for a handful of rows.
  auto end = std::lower_bound(w.lines.begin(), w.lines.end(), w.view.index,
                              [](const WireLine& l, std::size_t idx) { return l.rec < idx; });
  std::vector<const WireLine*> mine;
  for (auto it = end; it != w.lines.begin() && static_cast<int>(mine.size()) < room &&
                      end - it < 400;) {
    --it;
    if (recs[it->rec].actor == actor) mine.push_back(&*it);
  }
  float y = p.y;
  for (auto it = mine.rbegin(); it != mine.rend(); ++it) {
    const Record& r = recs[(*it)->rec];
    const std::string text = "C: " + truncate((*it)->text, 30);
    c.dl->AddText(c.font, fs, ImVec2(p.x, y), proto_color(r.proto), text.c_str());
    y += fs + 2;
  }
  if (mine.empty()) c.dl->AddText(c.font, fs, p, look().dim, "(no commands yet)");
}

// "IMAP, connected" / "IMAP, disconnected" for a real client at the cursor.
std::string live_state(const WorldModel& w, std::uint16_t actor) {
  const auto& recs = w.trace->records();
  Proto proto = Proto::None;
  bool open = false;
  for (std::size_t i = w.view.index; i-- > 0 && w.view.index - i < 4000;) {
    const Record& r = recs[i];
    if (r.actor != actor || r.kind != RecKind::Event) continue;
    if (proto == Proto::None) proto = r.proto;
    if (r.text.rfind("connects to", 0) == 0) { open = true; break; }
    if (r.text.rfind("connection ", 0) == 0) break;
  }
  return std::string(proto == Proto::None ? "" : proto_name(proto)) +
         (proto == Proto::None ? "" : ", ") + (open ? "connected" : "disconnected");
}

ImVec2 lerp(ImVec2 a, ImVec2 b, float t) { return ImVec2(a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t); }

void draw_world(const AppModel& m, int wi, UiState& ui, ImVec2 p0, ImVec2 size, ImFont* big) {
  const WorldModel& w = m.worlds[wi];
  static std::vector<Callout> callouts;  // reused every frame: no per-frame allocation
  callouts.clear();
  Ctx c{ImGui::GetWindowDrawList(), ImGui::GetFont(), big, ImGui::GetFontSize(), &w, &ui, wi,
        std::max<Tick>(1, m.anim_window), &callouts};
  ImDrawList* dl = c.dl;
  const ImVec2 p1(p0.x + size.x, p0.y + size.y);
  dl->AddRectFilled(p0, p1, look().world_bg, 6.0f);
  dl->AddRect(p0, p1, look().world_border, 6.0f);
  dl->PushClipRect(p0, p1, true);
  const float bfs = big->FontSize * ImGui::GetIO().FontGlobalScale;
  const ImU32 pc = proto_color(w.proto);
  // Title with a protocol swatch: the word carries the meaning, the colour only repeats it.
  dl->AddRectFilled(ImVec2(p0.x + 12, p0.y + 14), ImVec2(p0.x + 24, p0.y + 14 + bfs - 6), pc, 2);
  dl->AddText(big, bfs, ImVec2(p0.x + 32, p0.y + 8), look().text, w.title.c_str());

  const WorldView& v = w.view;
  auto store = [&](std::uint16_t id) -> const ViewStore* {
    return id < v.stores.size() ? &v.stores[id] : nullptr;
  };
  auto before = [&](std::uint16_t id) -> const ViewStore* {
    return id < w.before.stores.size() ? &w.before.stores[id] : nullptr;
  };
  static const ViewStore kEmpty;

  // Server box, top centre.
  const ViewStore* ss = store(w.server);
  const ViewStore& srv = ss ? *ss : kEmpty;
  const float k = c.fs / 17.0f;  // sizes were designed for 17 px text
  const float sw = std::min(340.0f * k, size.x * 0.55f);
  const ImVec2 sp(p0.x + (size.x - sw) / 2, p0.y + bfs + 24);
  const float inner = sw - 24;
  const float fh = folders(c, ImVec2(0, 0), inner, srv, false, w.server, before(w.server));
  const float sh = bfs + 14 + fh + 34;
  const ImVec2 sq(sp.x + sw, sp.y + sh);
  // Devices row below.
  std::vector<const ActorInfo*> devs;
  for (const ActorInfo& a : w.devices)
    if (a.added_at < v.index) devs.push_back(&a);
  const float gap = 14.0f;
  const int n = std::max<int>(1, static_cast<int>(devs.size()));
  const float dw = std::min(260.0f * k, (size.x - 24 - gap * (n - 1)) / n);
  const float row_w = dw * n + gap * (n - 1);
  const float dy = std::max(sq.y + 70, p0.y + size.y * 0.5f);
  std::vector<ImVec2> dpos;
  for (int i = 0; i < static_cast<int>(devs.size()); ++i)
    dpos.emplace_back(p0.x + (size.x - row_w) / 2 + i * (dw + gap), dy);

  // Internet, top-left, feeding the server.
  const ImVec2 inet(p0.x + 60 * k, sp.y + sh * 0.5f);
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
  if (w.internet >= 0) dl->AddLine(ImVec2(inet.x + 22, inet.y), srv_left, look().link, 2.0f);
  for (std::size_t i = 0; i < devs.size(); ++i) {
    const ViewStore* ds = store(devs[i]->id);
    const bool up = !ds || (ds->online && !ds->lost);
    ImVec2 a = server_end(devs[i]->id), b(dpos[i].x + dw / 2, dpos[i].y);
    if (up) {
      dl->AddLine(a, b, look().link, 2.0f);
    } else {
      dashed(dl, a, b, look().broken, 2.0f);
      // The words say why the link is down; the dashes and red only repeat it.
      const ImVec2 mid = lerp(a, b, 0.5f);
      const std::string why = std::string(ICON_CHAIN_BROKEN " ") +
                              (ds && ds->lost ? "lost" : "offline");
      const ImVec2 ts = text_size(c.font, c.fs, why);
      const ImVec2 l0(mid.x - ts.x / 2 - 6, mid.y - ts.y / 2 - 3);
      const ImVec2 l1(mid.x + ts.x / 2 + 6, mid.y + ts.y / 2 + 3);
      dl->AddRectFilled(l0, l1, look().world_bg, 4.0f);
      dl->AddRect(l0, l1, look().broken, 4.0f);
      dl->AddText(c.font, c.fs, ImVec2(l0.x + 6, l0.y + 3), look().broken, why.c_str());
    }
  }

  // Internet actor.
  if (w.internet >= 0) {
    ImVec2 ts = text_size(big, bfs * 1.2f, ICON_GLOBE);
    dl->AddText(big, bfs * 1.2f, ImVec2(inet.x - ts.x / 2, inet.y - ts.y / 2), look().dim, ICON_GLOBE);
    ImVec2 ls = text_size(c.font, c.fs, "internet");
    dl->AddText(c.font, c.fs, ImVec2(inet.x - ls.x / 2, inet.y + ts.y / 2 + 2), look().dim, "internet");
  }

  // Server box.
  dl->AddRectFilled(sp, sq, look().box_bg, 6.0f);
  dl->AddRect(sp, sq, pc, 6.0f, 0, 2.0f);
  std::string head = std::string(ICON_SERVER "  ") + "mail.example.com";
  dl->AddText(big, bfs * 0.8f, ImVec2(sp.x + 12, sp.y + 8), look().text, head.c_str());
  folders(c, ImVec2(sp.x + 12, sp.y + bfs + 10), inner, srv, true, w.server, before(w.server));
  sandbox_server_menu(m, wi, ui, sp, sq);
  {
    // Storage bar: how much the server holds, against the most it ever held (or the quota).
    const float by = sq.y - 26;
    const ImVec2 b0(sp.x + 12, by), b1(sp.x + 12 + inner * 0.55f, by + 14);
    const float frac = std::clamp(static_cast<float>(srv.bytes) / w.max_server_bytes, 0.0f, 1.0f);
    dl->AddRectFilled(b0, b1, IM_COL32(45, 50, 62, 255), 3.0f);
    if (frac > 0) dl->AddRectFilled(b0, ImVec2(b0.x + (b1.x - b0.x) * frac, b1.y), pc, 3.0f);
    std::string st = format_bytes(srv.bytes) + " stored";
    dl->AddText(c.font, c.fs * 0.9f, ImVec2(b1.x + 8, by - 1), look().dim, st.c_str());
  }

  // Devices: one height for the row, enough for the fullest store, never past the frame.
  float dev_h = 110.0f * k;
  const float head_h = bfs * 0.8f + 10 + c.fs + 4;
  auto needed = [&](const ActorInfo* a, int max_chips) {
    const ViewStore* ds = store(a->id);
    return head_h + c.fs + 14 +
           (ds ? folders(c, ImVec2(0, 0), dw - 20, *ds, false, a->id, before(a->id), max_chips)
               : 0);
  };
  for (const ActorInfo* a : devs) {
    const ViewStore* ds = store(a->id);
    // A real client's box lists its latest commands: room for five.
    if (m.live.active && (!ds || ds->folders.empty()))
      dev_h = std::max(dev_h, head_h + 5 * (c.fs * 0.85f + 2) + c.fs + 14);
    dev_h = std::max(dev_h, needed(a, kMaxChips));
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
    dl->AddRectFilled(q0, q1, look().box_bg, 6.0f);
    dl->AddRect(q0, q1, lost ? look().broken : look().box_border, 6.0f, 0, lost ? 2.0f : 1.0f);
    std::string name = std::string(kind_icon(a.kind)) + "  " + a.name;
    dl->PushClipRect(q0, q1, true);
    dl->AddText(big, bfs * 0.8f, ImVec2(q0.x + 10, q0.y + 6), look().text, name.c_str());
    float y = q0.y + bfs * 0.8f + 10;
    if (lost || offline) {
      std::string st = std::string(ICON_CHAIN_BROKEN " ") + (lost ? "lost" : "offline");
      dl->AddText(c.font, c.fs, ImVec2(q0.x + 10, y), look().broken, st.c_str());
      y += c.fs + 4;
    }
    const bool real_client = m.live.active && s.folders.empty();
    if (real_client) {
      // A real mail client: its store is its own business, its commands are what it shows.
      live_client_lines(c, ImVec2(q0.x + 10, y), q1.y - c.fs - 8, a.id);
    } else {
      // A box the frame cuts short shows fewer chips per folder ("+N more") rather than
      // letting its folders run into the byte count at its foot.
      int chips = kMaxChips;
      while (chips > 1 && needed(&a, chips) > dev_h) --chips;
      folders(c, ImVec2(q0.x + 10, y), dw - 20, s, true, a.id, before(a.id), chips);
    }
    // Connect-out devices (the simulated client engine against a real server) are laptops.
    const char* who = a.kind == "laptop" ? "simulated client, " : "real client, ";
    std::string bytes = real_client ? std::string(who) + live_state(w, a.id)
                                    : format_bytes(s.bytes) + " on device";
    dl->AddText(c.font, c.fs * 0.9f, ImVec2(q0.x + 10, q1.y - c.fs - 6), look().dim, bytes.c_str());
    dl->PopClipRect();
    sandbox_device_menu(m, wi, a.id, ui, q0, q1);
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
    // The protocol's name leads the label: colour only repeats it.
    std::string label = std::string(proto_name(r.proto)) + (from_server ? " S: " : " C: ") +
                        truncate(first, 34);
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
  draw_callouts(c);
  dl->PopClipRect();
}

// The legend: samples with their words, wrapping onto further lines when the text is large.
// Returns the height used; draws only when `draw`.
float legend(ImFont* font, float fs, float width, bool draw) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 o = ImGui::GetCursorScreenPos();
  ImVec2 p = o;
  const float gap = fs * 1.2f, line = std::max(fs, g_chip_h) + 6;
  enum Sample { Swatch, None, Unread, Read, Deleted, Dashed, Frame };
  auto item = [&](Sample k, ImU32 col, const char* text) {
    const float sw = k == Swatch ? 22 : k == None ? 0 : k == Dashed ? 36 : g_chip_w + 6;
    const float w = sw + font->CalcTextSizeA(fs, 1e9f, 0, text).x;
    if (p.x > o.x && p.x + w > o.x + width) p = ImVec2(o.x, p.y + line);
    if (draw) {
      const ImVec2 c0(p.x, p.y + 1), c1(p.x + g_chip_w, p.y + g_chip_h);
      switch (k) {
        case Swatch: dl->AddRectFilled(ImVec2(p.x, p.y + 3), ImVec2(p.x + 16, p.y + fs - 1), col, 3); break;
        case None: break;
        case Unread: dl->AddRectFilled(c0, c1, col, 3); break;
        case Read: dl->AddRect(c0, c1, col, 3, 0, 1.5f); break;
        case Deleted:
          dl->AddRect(c0, c1, look().chip_read, 3, 0, 1.5f);
          dl->AddLine(ImVec2(c0.x - 2, c1.y + 1), ImVec2(c1.x + 2, c0.y), col, 2.5f);
          break;
        case Dashed: dashed(dl, ImVec2(p.x, p.y + fs / 2), ImVec2(p.x + 30, p.y + fs / 2), col, 2); break;
        case Frame: dl->AddRect(c0, c1, col, 4, 0, 2.5f); break;
      }
      dl->AddText(font, fs, ImVec2(p.x + sw, p.y), k == None ? look().dim : look().text, text);
    }
    p.x += w + gap;
  };
  item(Swatch, proto_color(Proto::POP3), "POP3");
  item(Swatch, proto_color(Proto::IMAP), "IMAP");
  item(Swatch, proto_color(Proto::SMTP), "SMTP");
  item(None, 0, "C:\xe2\x86\x92" "server  S:\xe2\x86\x92" "client");
  item(Unread, look().chip_fill, "unread");
  item(Read, look().chip_read, "read");
  item(Deleted, look().broken, "\\Deleted");
  item(Dashed, look().broken, "link down");
  // Animation frames: a chip that just landed glows, one just removed fades out in place.
  item(Frame, look().fresh, "new");
  item(Frame, look().broken, "leaving");
  item(Frame, look().select, "selected");
  return p.y + line - o.y;
}

}  // namespace

void draw_worlds(const AppModel& m, UiState& ui) {
  g_chip_w = ImGui::GetFontSize() * 1.41f;
  g_chip_h = ImGui::GetFontSize() * 1.06f;
  place_window(PanelSlot::Worlds);
  ImGui::Begin("Worlds", nullptr,
               ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoMove |
                   ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoCollapse |
                   ImGuiWindowFlags_NoBringToFrontOnFocus);
  ImFont* big = m.big ? m.big : ImGui::GetFont();
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float legend_h = legend(ImGui::GetFont(), ImGui::GetFontSize(), avail.x, false) + 4;
  const ImVec2 p = ImGui::GetCursorScreenPos();
  const int n = std::max<int>(1, static_cast<int>(m.worlds.size()));
  const float gap = 10.0f;
  const float w = (avail.x - gap * (n - 1)) / n;
  for (int i = 0; i < static_cast<int>(m.worlds.size()); ++i)
    draw_world(m, i, ui, ImVec2(p.x + i * (w + gap), p.y), ImVec2(w, avail.y - legend_h), big);
  ImGui::SetCursorScreenPos(ImVec2(p.x, p.y + avail.y - legend_h + 6));
  legend(ImGui::GetFont(), ImGui::GetFontSize(), avail.x, true);
  ImGui::End();
}

}  // namespace ms
