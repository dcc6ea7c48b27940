#include "shot.hpp"

#include <glad/gl.h>
#include <stb_image_write.h>

#include <cstdio>
#include <vector>

#include "frame.hpp"

namespace ms {

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

}  // namespace ms
