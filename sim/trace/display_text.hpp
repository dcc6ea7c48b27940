#pragma once
// Display texts: what the trace and the engines say for people. Code never reads them back
// (records and events carry kinds and fields for that), so they can be reworded or
// translated; the hook lets a test reword them all and check that nothing else changes.
#include <string>

namespace ms {

using DisplayTextHook = std::string (*)(std::string);
// Every display text made from now on passes through `h` (nullptr, the default, keeps them).
// For tests: it is global, not per world.
void set_display_text_hook(DisplayTextHook h);
std::string display_text(std::string s);
// The one display text of an engine's state change: "AUTHORIZATION -> TRANSACTION[: why]".
std::string state_change_text(const std::string& from, const std::string& to,
                              const std::string& why = "");

}  // namespace ms
