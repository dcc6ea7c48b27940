#include "shot.hpp"

#include <glad/gl.h>
#include <stb_image_write.h>

#include <algorithm>
#include <cstdio>
#include <vector>

#include "audit.hpp"
#include "frame.hpp"

namespace ms {

namespace {

// --hover's two frames: finding the item (its owner from the layout audit), then saying what
// the tip the pointer raised explains (tips record their glossary terms while auditing).
void report_hover(App& app, bool find) {
  // "OWNER~TEXT": the first item of that owner whose text contains TEXT.
  const std::string& arg = app.opt.hover;
  const std::size_t tilde = arg.find('~');
  const std::string owner = arg.substr(0, tilde);
  const std::string text = tilde == std::string::npos ? "" : arg.substr(tilde + 1);
  if (find) {
    for (const audit::Item& it : audit::items())
      if (it.owner.compare(0, owner.size(), owner) == 0 && it.text.find(text) != std::string::npos) {
        app.gui.hover = ImVec2((it.p0.x + it.p1.x) / 2, (it.p0.y + it.p1.y) / 2);
        std::printf("mailscope: hovering %s \"%s\"\n", it.owner.c_str(), it.text.c_str());
        return;
      }
    std::fprintf(stderr, "mailscope: --hover: nothing drawn is owned by %s%s%s\n", owner.c_str(),
                 text.empty() ? "" : " with the text ", text.c_str());
    app.rc = 1;
    return;
  }
  std::string terms;
  for (const audit::Item& it : audit::items())
    if (it.kind == "term") terms += (terms.empty() ? "" : ", ") + it.text;
  std::printf("mailscope: the tip explains: %s\n", terms.empty() ? "(no term)" : terms.c_str());
}

// The last three frames share the cursor target (shot_cursor); the item is found in the first
// of them and the pointer rests on it in the others, the last of which is saved.
bool find_hover_frame(const App& app) {
  return !app.opt.hover.empty() && app.gui.shot && app.frame + 3 == app.opt.frames;
}
bool show_hover_frame(const App& app) {
  return !app.opt.hover.empty() && app.gui.shot && app.frame + 1 == app.opt.frames;
}

}  // namespace

bool write_png(const std::string& path, int w, int h) {
  std::vector<unsigned char> px(static_cast<std::size_t>(w) * h * 4);
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadBuffer(GL_BACK);
  glReadPixels(0, 0, w, h, GL_RGBA, GL_UNSIGNED_BYTE, px.data());
  stbi_flip_vertically_on_write(1);
  return stbi_write_png(path.c_str(), w, h, 4, px.data(), w * 4) != 0;
}

std::string shot_name(const AppModel& m, Tick t) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.3fs", static_cast<double>(t) / kSecond);
  return "mailscope-" + m.run.lesson.id + "-" + buf + ".png";
}

bool shot_due(App& app) {
  const Options& opt = app.opt;
  AppModel& model = app.model;
  UiState& ui = app.ui;
  bool take = app.gui.shot && app.frame + 1 >= opt.frames;
  if (!app.live_shot || opt.shot_after_sessions <= 0) return take;
  const bool done = app.live.finished() >= static_cast<std::size_t>(opt.shot_after_sessions) &&
                    (app.placed || ui.cursor >= model.duration);
  if (done && !app.placed && !opt.shot_unit.empty()) {
    // The moment to show: that unit halfway across its link.
    app.placed = true;
    const Trace& tr = *model.worlds[0].trace;
    std::size_t i = tr.size();
    while (i-- > 0) {
      const Record& r = tr.records()[i];
      if (r.kind == RecKind::Wire &&
          r.text.substr(0, r.text.find('\n')).find(opt.shot_unit) != std::string::npos)
        break;
    }
    if (i < tr.size()) {
      const Record& r = tr.records()[i];
      ui.live.follow = false;
      ui.cursor = r.t + (r.t_end - r.t) / 2;
    } else {
      std::fprintf(stderr, "mailscope: --shot-at-unit: no unit contains '%s'\n",
                   opt.shot_unit.c_str());
      app.rc = 1;
    }
  }
  app.settled = done ? app.settled + 1 : 0;
  // A few frames after catching up, so that scroll positions and fading marks settle.
  if (app.settled >= 20) return true;
  if (take) {
    std::fprintf(stderr, "mailscope: --shot-after-sessions %d: %zu live session(s) ended "
                         "within %d frames\n",
                 opt.shot_after_sessions, app.live.finished(), opt.frames);
    app.rc = 1;
  }
  return take;
}

bool save_shot_if_due(App& app, int fw, int fh) {
  if (!shot_due(app)) return false;
  const Options& opt = app.opt;
  if (!write_png(opt.screenshot, fw, fh)) {
    std::fprintf(stderr, "mailscope: cannot write %s\n", opt.screenshot.c_str());
    app.rc = 1;
  } else {
    std::printf("mailscope: wrote %s (%dx%d) at %s\n", opt.screenshot.c_str(), fw, fh,
                format_time(app.ui.cursor).c_str());
  }
  return true;
}

Tick shot_cursor(const App& app) {
  const Options& opt = app.opt;
  // The last two frames share the target so that scroll positions (applied one frame late by
  // Dear ImGui) have settled in the saved image.
  // With --hover three frames share it: one finds the item, two keep the pointer on it (an
  // item that allows overlap counts as hovered from its second frame under the pointer).
  const int settle = opt.hover.empty() ? 1 : 3;
  const double f = std::min(1.0, (app.frame + 1.0) / std::max(1, opt.frames - settle));
  return static_cast<Tick>(static_cast<double>(app.target) * f);
}

bool hover_begin(App& app) {
  if (!find_hover_frame(app) && !show_hover_frame(app)) return false;
  audit::begin();
  return true;
}

void hover_end(App& app) {
  audit::end();
  report_hover(app, find_hover_frame(app));
}

}  // namespace ms
