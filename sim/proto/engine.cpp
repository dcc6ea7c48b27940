#include "proto/engine.hpp"

namespace ms {

void LineBuffer::feed(std::string_view bytes) {
  if (pos_ > 0 && pos_ >= buf_.size() / 2) {
    buf_.erase(0, pos_);
    pos_ = 0;
  }
  buf_.append(bytes);
}

bool LineBuffer::next(std::string& line) {
  auto nl = buf_.find('\n', pos_);
  if (nl == std::string::npos) return false;
  std::size_t end = nl;
  if (end > pos_ && buf_[end - 1] == '\r') --end;
  line.assign(buf_, pos_, end - pos_);
  pos_ = nl + 1;
  if (pos_ == buf_.size()) discard();
  return true;
}

}  // namespace ms
