#include "panels/panels.hpp"
namespace ms {
void draw_settings(const AppModel&, UiState&) {}
}  // namespace ms
