#pragma once
// A synthetic run for `mailscope --benchmark`: both worlds, four devices each, a server mailbox
// of a chosen size synchronised to every device, then flag changes until the trace is long.
// Built in code (no lesson file) so that the GUI can be measured at any scale.
#include <cstddef>

#include "lesson/lesson.hpp"

namespace ms {

// `messages` land in alice's INBOX on the server; every device syncs them (POP3 leaves them on
// the server), then devices flag and unflag messages in rounds until each world's trace holds
// at least `min_records` records.
LessonRun make_benchmark_run(int messages, std::size_t min_records = 100000);

}  // namespace ms
