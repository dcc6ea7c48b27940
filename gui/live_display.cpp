#include "live_display.hpp"

#include <algorithm>

namespace ms {

// Real peers' units (no modelled link: they take no time) are spaced out kTransit each, one
// after another; every other record but a simulated device's unit moves to after the spaced
// unit before it has arrived, so that a store change shows when the command that made it
// lands. A simulated unit keeps its link's time. Display times never go back and are never
// more than about kMaxLag later than the real ones.
bool LiveDisplay::take(const Trace& src) {
  for (std::size_t a = out_.actors().size(); a < src.actors().size(); ++a)
    out_.actor(src.actors()[a]);
  for (std::size_t k = out_.messages().size(); k < src.messages().size(); ++k)
    out_.message(src.messages()[k].body);
  const bool grew = copied_ < src.size();
  for (; copied_ < src.size(); ++copied_) {
    Record r = src.records()[copied_];
    const Tick transit = r.t_end - r.t;
    const bool live_unit = r.kind == RecKind::Wire && transit < kTransit;
    const bool catch_up = live_end_ - r.t >= kMaxLag;
    Tick t = std::max(r.t, last_t_);
    if (!catch_up && (live_unit || r.kind != RecKind::Wire)) t = std::max(t, live_end_);
    Tick end = t + transit;
    if (live_unit && !catch_up) {
      end = t + kTransit;
      live_end_ = end;
    }
    r.t = t;
    r.t_end = end;
    last_t_ = t;
    end_ = std::max(end_, end);
    out_.append(std::move(r));
  }
  return grew;
}

}  // namespace ms
