#include "proto/engine.hpp"

namespace ms {

bool LineBuffer::next(std::string& line) {
  auto nl = buf_.find('\n');
  if (nl == std::string::npos) return false;
  std::size_t end = nl;
  if (end > 0 && buf_[end - 1] == '\r') --end;
  line.assign(buf_, 0, end);
  buf_.erase(0, nl + 1);
  return true;
}

}  // namespace ms
